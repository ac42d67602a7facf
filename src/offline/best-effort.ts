/**
 * Storage the app can do without. IndexedDB keeps a guide's notes safe across a reload or a
 * lost network, but it can fail (private mode, a full disk, a WeCom webview that refuses
 * it); writing a note must go on then, with the server as the only copy. So a storage step
 * never throws into the UI, but its failure is reported, not swallowed: the reporter warns
 * on the console by default, and the app (or a test) can hook its own.
 */

/** Told what failed (a few words: "keep the note draft") and why. */
export type StorageFailureReporter = (what: string, error: unknown) => void

const warn: StorageFailureReporter = (what, error) => {
  console.warn(`[offline] ${what} failed; going on without it`, error)
}

let reporter: StorageFailureReporter = warn

/** Send storage failures to `next` (a logger, a test spy); returns how to put the previous one back. */
export function onStorageFailure(next: StorageFailureReporter): () => void {
  const previous = reporter
  reporter = next
  return () => {
    reporter = previous
  }
}

/**
 * Run a storage step that may fail without harm: its result, or `fallback` (undefined when
 * none is given) once the failure has been reported.
 */
export function bestEffort<T>(what: string, work: Promise<T>): Promise<T | undefined>
export function bestEffort<T, F>(what: string, work: Promise<T>, fallback: F): Promise<T | F>
export async function bestEffort<T, F>(what: string, work: Promise<T>, fallback?: F): Promise<T | F | undefined> {
  try {
    return await work
  } catch (error) {
    try {
      reporter(what, error)
    } catch {
      // A broken reporter must not break writing a note either: the console still hears of it.
      warn(what, error)
    }
    return fallback
  }
}
