/**
 * The nightly resync's runs, one row per China day (migration 0022). An instance claims the
 * day before running it; a run that failed, was interrupted or whose instance died (its
 * heartbeat stopped) may be claimed again, a bounded number of times.
 */
import { sql } from 'kysely'
import type { Db, Trx } from '../../db'

export interface ResyncClaimRules {
  /** Claims a day may have in all, the first included. */
  maxAttempts: number
  /** A failed run is tried again no sooner than this after it ended. */
  retryAfterMs: number
  /** A running run whose heartbeat is older than this died with its instance. */
  staleMs: number
}

export class ResyncRunsRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  find(day: string) {
    return this.db.selectFrom('wecom_resync_runs').selectAll().where('day', '=', day).executeTakeFirst()
  }

  /** True for the one instance that may run `day` now. Each statement is atomic, so two instances never both win. */
  async claim(day: string, now: number, rules: ResyncClaimRules): Promise<boolean> {
    const inserted = await this.db
      .insertInto('wecom_resync_runs')
      .values({ day, status: 'running', attempts: 1, started_at: now, heartbeat_at: now, finished_at: null, outcome: null })
      .onConflict((oc) => oc.column('day').doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true
    const retaken = await this.db
      .updateTable('wecom_resync_runs')
      .set({
        status: 'running',
        attempts: sql<number>`attempts + 1`,
        started_at: now,
        heartbeat_at: now,
        finished_at: null,
      })
      .where('day', '=', day)
      .where('attempts', '<', rules.maxAttempts)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'failed'), eb('finished_at', '<=', now - rules.retryAfterMs)]),
          eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', now - rules.staleMs)]),
        ]),
      )
      .executeTakeFirst()
    return Number(retaken.numUpdatedRows) > 0
  }

  async heartbeat(day: string, now: number): Promise<void> {
    await this.db
      .updateTable('wecom_resync_runs')
      .set({ heartbeat_at: now })
      .where('day', '=', day)
      .where('status', '=', 'running')
      .execute()
  }

  /**
   * The run ended: done, failed (counted against its attempts), or interrupted by a
   * shutdown (given back: the attempt is not counted, the next instance carries on).
   */
  async finish(day: string, now: number, status: 'done' | 'failed' | 'interrupted', outcome: string): Promise<void> {
    await this.db
      .updateTable('wecom_resync_runs')
      .set({
        status: status === 'done' ? 'done' : 'failed',
        finished_at: status === 'interrupted' ? 0 : now,
        heartbeat_at: now,
        outcome: outcome.slice(0, 500),
        ...(status === 'interrupted' ? { attempts: sql<number>`attempts - 1` } : {}),
      })
      .where('day', '=', day)
      .execute()
  }
}
