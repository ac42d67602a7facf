/**
 * Run async work so that only the most recent run may apply its result: an answer that
 * arrives after a newer run started is dropped. This is what keeps a slow answer for the
 * previous customer from overwriting the one now open.
 */
export function createLatest() {
  let execution = 0
  return {
    async run<T>(task: () => Promise<T>, apply: (value: T) => void, fail: (error: unknown) => void): Promise<void> {
      const id = ++execution
      try {
        const value = await task()
        if (id === execution) apply(value)
      } catch (error) {
        if (id === execution) fail(error)
      }
    },
    /** Make every run in flight stale. */
    cancel(): void {
      execution++
    },
  }
}
