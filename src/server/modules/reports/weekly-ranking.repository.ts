/** Which stores post a weekly ranking, to whom, and the log (ranking_reports) that makes each go out once. */
import type { RankingMetric } from '../../../shared/team'
import type { Db } from '../../db'

export interface RankingStore {
  id: string
  name: string
  /** 1 Monday … 7 Sunday, and 'HH:MM', China time. */
  weekday: number
  at: string
  metric: RankingMetric
  commissionBp: number | null
}

export class WeeklyRankingRepository {
  constructor(private readonly db: Db) {}

  /** Stores with a complete ranking schedule. */
  async scheduled(): Promise<RankingStore[]> {
    const rows = await this.db.kysely
      .selectFrom('stores')
      .select(['id', 'name', 'ranking_weekday', 'ranking_at', 'ranking_metric', 'commission_bp'])
      .where('ranking_weekday', 'is not', null)
      .where('ranking_at', 'is not', null)
      .where('ranking_metric', 'is not', null)
      .orderBy('id')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      weekday: Number(r.ranking_weekday),
      at: r.ranking_at!,
      metric: r.ranking_metric!,
      commissionBp: r.commission_bp === null ? null : Number(r.commission_bp),
    }))
  }

  /** Everyone working in the store (managers too: they sell as well), as the ranking lists them. */
  async members(storeId: string): Promise<{ userId: string; name: string }[]> {
    const rows = await this.db.kysely
      .selectFrom('guides')
      .select(['user_id', 'name'])
      .where('store_id', '=', storeId)
      .orderBy('user_id')
      .execute()
    return rows.map((r) => ({ userId: r.user_id, name: r.name }))
  }

  async rankedFor(week: string): Promise<Set<string>> {
    const rows = await this.db.kysely.selectFrom('ranking_reports').select('store_id').where('week', '=', week).execute()
    return new Set(rows.map((r) => r.store_id))
  }

  /**
   * Take the week's ranking for this store before sending it. The primary key decides: of
   * two instances (or two ticks) only the one whose row went in sends.
   */
  async claim(storeId: string, week: string, now: number): Promise<boolean> {
    const result = await this.db.kysely
      .insertInto('ranking_reports')
      .values({ store_id: storeId, week, sent_at: now })
      .onConflict((oc) => oc.columns(['store_id', 'week']).doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
  }

  /** Give a claim back when the send failed for a while (WeCom busy or unreachable): the next tick tries again. */
  async release(storeId: string, week: string): Promise<void> {
    await this.db.kysely.deleteFrom('ranking_reports').where('store_id', '=', storeId).where('week', '=', week).execute()
  }
}
