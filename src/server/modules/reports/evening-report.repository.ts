/** Who gets an evening report, and the log (evening_reports) that makes each go out once. */
import type { Db } from '../../db'

export interface ReportRecipient {
  userId: string
  storeId: string
  /** The store's 'HH:MM' (China time); null: the default. */
  reportAt: string | null
}

export class EveningReportRepository {
  constructor(private readonly db: Db) {}

  /** Every guide with a store (managers too: they serve customers as well), with her store's time. */
  async recipients(): Promise<ReportRecipient[]> {
    const rows = await this.db.kysely
      .selectFrom('guides as g')
      .innerJoin('stores as s', 's.id', 'g.store_id')
      .select(['g.user_id', 's.id as store_id', 's.evening_report_at'])
      .orderBy('g.user_id')
      .execute()
    return rows.map((r) => ({ userId: r.user_id, storeId: r.store_id, reportAt: r.evening_report_at }))
  }

  async reportedOn(day: string): Promise<Set<string>> {
    const rows = await this.db.kysely.selectFrom('evening_reports').select('guide_id').where('day', '=', day).execute()
    return new Set(rows.map((r) => r.guide_id))
  }

  /**
   * Take the day's report for this guide before sending it. The primary key decides: of
   * two instances (or two ticks) only the one whose row went in sends.
   */
  async claim(guideId: string, day: string, now: number): Promise<boolean> {
    const result = await this.db.kysely
      .insertInto('evening_reports')
      .values({ guide_id: guideId, day, sent_at: now })
      .onConflict((oc) => oc.columns(['guide_id', 'day']).doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
  }

  /** Give a claim back when the send failed for a while (WeCom busy or unreachable): the next tick tries again. */
  async release(guideId: string, day: string): Promise<void> {
    await this.db.kysely.deleteFrom('evening_reports').where('guide_id', '=', guideId).where('day', '=', day).execute()
  }
}
