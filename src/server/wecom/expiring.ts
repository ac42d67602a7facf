/**
 * A value that expires (an access token, a JS-SDK ticket), fetched single-flight: however
 * many callers ask at once, one fetch runs and they all get its result. WeCom caps ticket
 * fetches at 100 an hour per app and intercepts token stampedes, so this is not optional.
 */
export interface Fetched<T> {
  value: T
  /** Lifetime WeCom gave, in seconds (`expires_in`). */
  expiresIn: number
}

/** Refresh this long before WeCom's expiry: at most 5 minutes, at most a tenth of the lifetime. */
export function refreshMargin(expiresInSeconds: number): number {
  return Math.min(300_000, expiresInSeconds * 100)
}

export class ExpiringValue<T> {
  private current: { value: T; refreshAt: number } | null = null
  private inflight: Promise<T> | null = null

  constructor(
    private readonly fetcher: () => Promise<Fetched<T>>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.current && this.now() < this.current.refreshAt) return Promise.resolve(this.current.value)
    if (this.inflight) return this.inflight
    const started = this.fetcher().then(
      (fetched) => {
        const ttl = fetched.expiresIn * 1000
        this.current = { value: fetched.value, refreshAt: this.now() + ttl - refreshMargin(fetched.expiresIn) }
        this.inflight = null
        return fetched.value
      },
      (error: unknown) => {
        this.inflight = null
        throw error
      },
    )
    this.inflight = started
    return started
  }

  /**
   * Forget the value, but only if it is still the one the caller saw fail: when forty
   * requests hit 42001 together, the first drops it and the other thirty-nine reuse the
   * one fetch that follows.
   */
  invalidate(seen: T): void {
    if (this.current && this.current.value === seen) this.current = null
  }
}

/** Single-flight by key, for refreshes that must not run twice at once (a customer's profile). */
export class KeyedSingleFlight<K, V> {
  private readonly running = new Map<K, Promise<V>>()

  run(key: K, task: () => Promise<V>): Promise<V> {
    const existing = this.running.get(key)
    if (existing) return existing
    const started = task().finally(() => this.running.delete(key))
    this.running.set(key, started)
    return started
  }

  get size(): number {
    return this.running.size
  }
}
