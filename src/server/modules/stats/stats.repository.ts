/**
 * The counts behind the guides' numbers. Each is one grouped query over an instant range
 * [fromMs, toMs), keyed by guide: her own 数据 tab asks for one guide, the manager's desk
 * for her whole team, and both read the same SQL (so the same definitions) at the same
 * cost in queries. PostgreSQL returns sums of integers as numeric text, hence the `Number`s.
 */
import { sql } from 'kysely'
import type { Db } from '../../db'

const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

export interface Range {
  fromMs: number
  toMs: number
}

export interface GuideSales {
  guideId: string
  salesFen: number
  orders: number
}

/**
 * Whose numbers to count: these user ids, or null for everyone. Results are keyed by guide,
 * so a caller with a very long list may pass null and pick her rows out afterwards.
 */
export type GuideFilter = readonly string[] | null

const toMap = (rows: { id: string | null; n: number | string | null }[]) =>
  new Map(rows.filter((r) => r.id !== null).map((r) => [r.id!, Number(r.n ?? 0)]))

export class StatsRepository {
  constructor(private readonly db: Db) {}

  private get k() {
    return this.db.kysely
  }

  async guide(userId: string): Promise<{ userId: string; storeId: string | null } | undefined> {
    const row = await this.k.selectFrom('guides').select(['user_id', 'store_id']).where('user_id', '=', userId).executeTakeFirst()
    return row && { userId: row.user_id, storeId: row.store_id }
  }

  /** Everyone who can rank: every guide and manager, with her store. */
  async guides(): Promise<{ userId: string; storeId: string | null }[]> {
    const rows = await this.k.selectFrom('guides').select(['user_id', 'store_id']).orderBy('user_id').execute()
    return rows.map((r) => ({ userId: r.user_id, storeId: r.store_id }))
  }

  /** Credited sales and order counts of every guide (of the filter) who sold in the range. */
  async salesByGuide(range: Range, guides: GuideFilter = null): Promise<GuideSales[]> {
    if (guides?.length === 0) return []
    const rows = await this.k
      .selectFrom('orders')
      .select((eb) => [
        'credited_guide_id',
        eb.fn.sum<number | string>('total_fen').as('sales'),
        eb.fn.countAll<number | string>().as('orders'),
      ])
      .where('credited_guide_id', 'is not', null)
      .$if(guides !== null, (qb) => qb.where('credited_guide_id', 'in', guides!))
      .where('purchased_at', '>=', range.fromMs)
      .where('purchased_at', '<', range.toMs)
      .groupBy('credited_guide_id')
      .execute()
    return rows.map((r) => ({ guideId: r.credited_guide_id!, salesFen: Number(r.sales), orders: Number(r.orders) }))
  }

  /** Credited sales a China day, by guide, keyed by day number (see periods.chinaDayNumber). */
  async dailySales(range: Range, guides: GuideFilter): Promise<Map<string, Map<number, number>>> {
    const out = new Map<string, Map<number, number>>()
    if (guides?.length === 0) return out
    // Literals, not parameters: PostgreSQL must see the select and the group by as one expression.
    const day = sql<number>`(purchased_at + ${sql.lit(SHANGHAI_OFFSET_MS)}) / ${sql.lit(DAY_MS)}`
    const rows = await this.k
      .selectFrom('orders')
      .select((eb) => ['credited_guide_id', day.as('day'), eb.fn.sum<number | string>('total_fen').as('sales')])
      .where('credited_guide_id', 'is not', null)
      .$if(guides !== null, (qb) => qb.where('credited_guide_id', 'in', guides!))
      .where('purchased_at', '>=', range.fromMs)
      .where('purchased_at', '<', range.toMs)
      .groupBy(['credited_guide_id', day])
      .execute()
    for (const r of rows) {
      const days = out.get(r.credited_guide_id!) ?? new Map<number, number>()
      days.set(Number(r.day), Number(r.sales))
      out.set(r.credited_guide_id!, days)
    }
    return out
  }

  /** Customers each added in WeCom (her follow's add time). */
  async customersAdded(range: Range, guides: GuideFilter): Promise<Map<string, number>> {
    if (guides?.length === 0) return new Map()
    const rows = await this.k
      .selectFrom('wecom_follows')
      .select((eb) => ['user_id as id', eb.fn.countAll<number | string>().as('n')])
      .$if(guides !== null, (qb) => qb.where('user_id', 'in', guides!))
      .where('added_at', '>=', range.fromMs)
      .where('added_at', '<', range.toMs)
      .groupBy('user_id')
      .execute()
    return toMap(rows)
  }

  /** Customers whose follow of hers ended in the range (the `follow_lost` events the WeCom cache leaves). */
  async customersLost(range: Range, guides: GuideFilter): Promise<Map<string, number>> {
    if (guides?.length === 0) return new Map()
    const rows = await this.k
      .selectFrom('customer_events')
      .select((eb) => ['actor_id as id', eb.fn.countAll<number | string>().as('n')])
      .where('kind', '=', 'follow_lost')
      .$if(guides !== null, (qb) => qb.where('actor_id', 'in', guides!))
      .where('occurred_at', '>=', range.fromMs)
      .where('occurred_at', '<', range.toMs)
      .groupBy('actor_id')
      .execute()
    return toMap(rows)
  }

  /**
   * Tasks done in the range (by done_at), and tasks that fell overdue in it: due on one of
   * `overdueDue` (the day before each day of the period) and still open (todo or expired).
   */
  async taskCounts(
    range: Range,
    overdueDue: { from: string; to: string },
    guides: GuideFilter,
  ): Promise<Map<string, { done: number; overdue: number }>> {
    if (guides?.length === 0) return new Map()
    const rows = await this.k
      .selectFrom('tasks')
      .select((eb) => [
        'guide_id',
        eb.fn
          .sum<number | string>(
            eb
              .case()
              .when(eb.and([eb('status', '=', 'done'), eb('done_at', '>=', range.fromMs), eb('done_at', '<', range.toMs)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('done'),
        eb.fn
          .sum<number | string>(
            eb
              .case()
              .when(
                eb.and([
                  eb('status', 'in', ['todo', 'expired']),
                  eb('due_date', '>=', overdueDue.from),
                  eb('due_date', '<=', overdueDue.to),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          )
          .as('overdue'),
      ])
      .$if(guides !== null, (qb) => qb.where('guide_id', 'in', guides!))
      .groupBy('guide_id')
      .execute()
    return new Map(rows.map((r) => [r.guide_id, { done: Number(r.done ?? 0), overdue: Number(r.overdue ?? 0) }]))
  }

  /** Replies each sent or copied from the library. */
  async repliesSent(range: Range, guides: GuideFilter): Promise<Map<string, number>> {
    if (guides?.length === 0) return new Map()
    const rows = await this.k
      .selectFrom('reply_sends')
      .select((eb) => ['user_id as id', eb.fn.countAll<number | string>().as('n')])
      .$if(guides !== null, (qb) => qb.where('user_id', 'in', guides!))
      .where('sent_at', '>=', range.fromMs)
      .where('sent_at', '<', range.toMs)
      .groupBy('user_id')
      .execute()
    return toMap(rows)
  }

  /** Outfits each sent (confirmed sends), and her sends first opened in the range. */
  async bundleCounts(range: Range, guides: GuideFilter): Promise<Map<string, { sent: number; opened: number }>> {
    if (guides?.length === 0) return new Map()
    const within = (column: 'sent_at' | 'first_opened_at') =>
      sql<number>`case when ${sql.ref(column)} >= ${range.fromMs} and ${sql.ref(column)} < ${range.toMs} then 1 else 0 end`
    const rows = await this.k
      .selectFrom('bundle_sends')
      .select((eb) => [
        'guide_id',
        eb.fn.sum<number | string>(sql`case when status = 'sent' then ${within('sent_at')} else 0 end`).as('sent'),
        eb.fn.sum<number | string>(within('first_opened_at')).as('opened'),
      ])
      .$if(guides !== null, (qb) => qb.where('guide_id', 'in', guides!))
      .groupBy('guide_id')
      .execute()
    return new Map(rows.map((r) => [r.guide_id, { sent: Number(r.sent ?? 0), opened: Number(r.opened ?? 0) }]))
  }

  /** Coupons each sent, claimed and redeemed in the range, each by its own instant. */
  async couponCounts(
    range: Range,
    guides: GuideFilter,
  ): Promise<Map<string, { sent: number; claimed: number; redeemed: number }>> {
    if (guides?.length === 0) return new Map()
    const within = (column: 'sent_at' | 'claimed_at' | 'redeemed_at') =>
      sql<number>`case when ${sql.ref(column)} >= ${range.fromMs} and ${sql.ref(column)} < ${range.toMs} then 1 else 0 end`
    const rows = await this.k
      .selectFrom('coupon_issuances')
      .select((eb) => [
        'guide_id',
        eb.fn.sum<number | string>(within('sent_at')).as('sent'),
        eb.fn.sum<number | string>(within('claimed_at')).as('claimed'),
        eb.fn.sum<number | string>(within('redeemed_at')).as('redeemed'),
      ])
      .$if(guides !== null, (qb) => qb.where('guide_id', 'in', guides!))
      .groupBy('guide_id')
      .execute()
    return new Map(
      rows.map((r) => [
        r.guide_id,
        { sent: Number(r.sent ?? 0), claimed: Number(r.claimed ?? 0), redeemed: Number(r.redeemed ?? 0) },
      ]),
    )
  }

  /** The month's targets of these guides or stores (null: all of that scope), keyed by id; ids without one are left out. */
  async targets(scope: 'guide' | 'store', ids: readonly string[] | null, month: string): Promise<Map<string, number>> {
    if (ids?.length === 0) return new Map()
    const rows = await this.k
      .selectFrom('sales_targets')
      .select(['scope_id', 'amount_fen'])
      .where('scope', '=', scope)
      .where('month', '=', month)
      .$if(ids !== null, (qb) => qb.where('scope_id', 'in', ids!))
      .execute()
    return new Map(rows.map((r) => [r.scope_id, Number(r.amount_fen)]))
  }

  async target(scope: 'guide' | 'store', scopeId: string, month: string): Promise<number | null> {
    return (await this.targets(scope, [scopeId], month)).get(scopeId) ?? null
  }

  /** Stores with their name and commission rate; null: every store. Unknown ids are left out. */
  async stores(ids: readonly string[] | null): Promise<{ id: string; name: string; commissionBp: number | null }[]> {
    if (ids?.length === 0) return []
    const rows = await this.k
      .selectFrom('stores')
      .select(['id', 'name', 'commission_bp'])
      .$if(ids !== null, (qb) => qb.where('id', 'in', ids!))
      .orderBy('id')
      .execute()
    return rows.map((r) => ({ id: r.id, name: r.name, commissionBp: r.commission_bp }))
  }

  async commissionBasisPoints(storeId: string): Promise<number | null> {
    const row = await this.k.selectFrom('stores').select('commission_bp').where('id', '=', storeId).executeTakeFirst()
    return row?.commission_bp ?? null
  }

  /** Her tasks still to do that are due by `date` (tomorrow's list, with what is left over). */
  async openTasksDueBy(guideId: string, date: string): Promise<number> {
    const row = await this.k
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('guide_id', '=', guideId)
      .where('status', '=', 'todo')
      .where('due_date', '<=', date)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
