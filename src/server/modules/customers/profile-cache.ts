/**
 * Profiles already assembled and serialized, per guide and customer. An entry is served
 * only while the customer's version token still matches the database (one indexed read:
 * the WeCom copy, her follow entry, the member record, which order changes touch through
 * triggers), so an edit made anywhere — this instance, another one, an import — is seen
 * on the next read. Where the database can say cheaply that nothing was written since the
 * token was last checked (SQLite's own counters; PostgreSQL's notifications, db/change-watch.ts),
 * even that read is skipped. The age limit
 * is a backstop for what the token does not cover (a store or product renamed).
 */
export const PROFILE_CACHE_MAX_ENTRIES = 5000
export const PROFILE_CACHE_MAX_AGE_MS = 60_000

export interface CachedProfile {
  token: string
  body: string
  /** When her WeCom data was fetched, for the background refresh of stale copies. */
  fetchedAt: number
  storedAt: number
  /** The database's change version when the token was last found current. */
  checkedAt: string | null
}

export class ProfileCache {
  private readonly entries = new Map<string, CachedProfile>()

  constructor(
    private readonly now: () => number,
    private readonly maxEntries = PROFILE_CACHE_MAX_ENTRIES,
  ) {}

  private key(userId: string, externalUserId: string): string {
    return `${userId}\u0000${externalUserId}`
  }

  /** The entry, if young enough; the caller decides whether its token still holds. */
  get(userId: string, externalUserId: string): CachedProfile | null {
    const key = this.key(userId, externalUserId)
    const entry = this.entries.get(key)
    if (!entry) return null
    if (this.now() - entry.storedAt > PROFILE_CACHE_MAX_AGE_MS) {
      this.entries.delete(key)
      return null
    }
    // Least recently used goes first: re-insert to mark it used.
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry
  }

  set(userId: string, externalUserId: string, entry: Omit<CachedProfile, 'storedAt'>): void {
    if (this.maxEntries <= 0) return
    const key = this.key(userId, externalUserId)
    this.entries.delete(key)
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, { ...entry, storedAt: this.now() })
  }

  delete(userId: string, externalUserId: string): void {
    this.entries.delete(this.key(userId, externalUserId))
  }

  get size(): number {
    return this.entries.size
  }
}
