import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Db } from '../../db'
import type { Database } from '../../db/schema'

/**
 * OAuth values already used (migration 0017), in the database so every instance agrees:
 * the first to spend a value wins, any later attempt anywhere is refused.
 */
export class OAuthSpentRepository {
  private readonly db: Kysely<Database>

  constructor(database: Db) {
    this.db = database.kysely
  }

  /** True the first time `value` is spent; false if it was spent before (and has not expired). */
  async spend(kind: 'state' | 'code', value: string, expiresAt: number, now: number): Promise<boolean> {
    // Logins are rare: sweeping what expired on each one keeps the table small without a job.
    await this.db.deleteFrom('oauth_spent').where('expires_at', '<=', now).execute()
    const result = await this.db
      .insertInto('oauth_spent')
      .values({ kind, digest: digest(value), expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['kind', 'digest']).doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}
