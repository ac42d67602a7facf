/**
 * Rate-limit counts in the database, so every instance on one database counts together.
 * One row per key; a hit in a newer window starts the count again. The upsert is one
 * statement, atomic on both databases (PostgreSQL locks the conflicting row).
 */
import { sql } from 'kysely'
import type { Trx } from '.'

/** Count one hit for `key` in the window starting at `windowStart`: the count so far and the window it is in. */
export async function hitRateLimit(
  db: Trx,
  key: string,
  windowStart: number,
  windowMs: number,
): Promise<{ count: number; windowStart: number }> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: 1, expires_at: windowStart + windowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // An instance whose clock lags a little counts into the newer window, never resets it.
        count: sql<number>`case when rate_limits.window_start >= excluded.window_start then rate_limits.count + 1 else 1 end`,
        window_start: sql<number>`case when rate_limits.window_start >= excluded.window_start then rate_limits.window_start else excluded.window_start end`,
        expires_at: sql<number>`case when rate_limits.window_start >= excluded.window_start then rate_limits.expires_at else excluded.expires_at end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow()
  return { count: Number(row.count), windowStart: Number(row.window_start) }
}

/** The count for `key` in its window, without counting (0 when none is open at `now`). */
export async function readRateLimit(db: Trx, key: string, now: number): Promise<{ count: number; expiresAt: number }> {
  const row = await db
    .selectFrom('rate_limits')
    .select(['count', 'expires_at'])
    .where('key', '=', key)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row ? { count: Number(row.count), expiresAt: Number(row.expires_at) } : { count: 0, expiresAt: now }
}

/** Forget windows that ended before `now`. */
export async function deleteExpiredRateLimits(db: Trx, now: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('expires_at', '<=', now).execute()
}
