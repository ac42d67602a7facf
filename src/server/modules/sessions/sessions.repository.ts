import type { Db, Trx } from '../../db'
import { prepareQuery, type PreparedQuery } from '../../db/prepared'
import type { SessionsTable } from '../../db/schema'

export type RevokeReason = NonNullable<SessionsTable['revoked_reason']>

/** A session as every request reads it: the row and whether its member still works here. */
export interface SessionLookup {
  id: string
  user_id: string
  created_at: number
  last_seen_at: number
  expires_at: number
  revoked_at: number | null
  /** The guide's `left_at`; the inner join leaves out sessions of members with no guide row. */
  left_at: number | null
}

/**
 * Every read and write of `sessions`. Takes the `Db` or a `Trx`, so a guide's departure
 * can revoke her sessions in the transaction that marks her gone.
 */
export class SessionsRepository {
  private readonly db: Trx
  /** Every API request runs this lookup: built once, and a named prepared statement on PostgreSQL. */
  private readonly lookup: PreparedQuery<{ id: string }, RawLookup> | null

  constructor(database: Db | Trx) {
    if ('kysely' in database) {
      this.db = database.kysely
      this.lookup = prepareQuery(database, (p: { id: string }) => lookupQuery(database.kysely, p.id))
    } else {
      this.db = database
      this.lookup = null
    }
  }

  async insert(row: { id: string; userId: string; now: number; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: row.id,
        user_id: row.userId,
        created_at: row.now,
        last_seen_at: row.now,
        expires_at: row.expiresAt,
        revoked_at: null,
        revoked_reason: null,
      })
      .execute()
  }

  /** One primary-key lookup joined to her guide row: the only query a signed-in request costs. */
  async find(id: string): Promise<SessionLookup | undefined> {
    const row = this.lookup ? (await this.lookup({ id }))[0] : await lookupQuery(this.db, id).executeTakeFirst()
    if (!row) return undefined
    // PostgreSQL's bigint may arrive as a string; the comparisons need numbers.
    return {
      ...row,
      created_at: Number(row.created_at),
      last_seen_at: Number(row.last_seen_at),
      expires_at: Number(row.expires_at),
      revoked_at: row.revoked_at === null ? null : Number(row.revoked_at),
      left_at: row.left_at === null ? null : Number(row.left_at),
    }
  }

  /** Moves `last_seen_at` only if no other instance did so since `seenBefore`. */
  async touch(id: string, now: number, seenBefore: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id', '=', id)
      .where('last_seen_at', '<', seenBefore)
      .where('revoked_at', 'is', null)
      .execute()
  }

  async revoke(id: string, now: number, reason: RevokeReason): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute()
  }

  /**
   * Every session of the member that could still be used (not past its end, and seen
   * after `seenAfter`: older ones are idle for good); how many there were.
   */
  async revokeAllOf(userId: string, now: number, reason: RevokeReason, seenAfter = 0): Promise<number> {
    const result = await this.db
      .updateTable('sessions')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .where('last_seen_at', '>', seenAfter)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  /** Her sessions that can no longer count, kept a while for investigations, then dropped. */
  async deleteEndedBefore(userId: string, before: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<', before).execute()
  }
}

function lookupQuery(db: Trx, id: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('guides as g', 'g.user_id', 's.user_id')
    .select(['s.id', 's.user_id', 's.created_at', 's.last_seen_at', 's.expires_at', 's.revoked_at', 'g.left_at'])
    .where('s.id', '=', id)
}

type RawLookup = Awaited<ReturnType<ReturnType<typeof lookupQuery>['executeTakeFirstOrThrow']>>
