/**
 * The counts behind a guide's numbers. Each is one grouped query over an instant range
 * [fromMs, toMs): sales for every guide at once (her rank needs them all), the rest for
 * her alone. PostgreSQL returns sums of integers as numeric text, hence the `Number`s.
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

  /** Credited sales and order counts of every guide who sold in the range. */
  async salesByGuide(range: Range): Promise<GuideSales[]> {
    const rows = await this.k
      .selectFrom('orders')
      .select((eb) => [
        'credited_guide_id',
        eb.fn.sum<number | string>('total_fen').as('sales'),
        eb.fn.countAll<number | string>().as('orders'),
      ])
      .where('credited_guide_id', 'is not', null)
      .where('purchased_at', '>=', range.fromMs)
      .where('purchased_at', '<', range.toMs)
      .groupBy('credited_guide_id')
      .execute()
    return rows.map((r) => ({ guideId: r.credited_guide_id!, salesFen: Number(r.sales), orders: Number(r.orders) }))
  }

  /** Her credited sales a China day, keyed by day number (see periods.chinaDayNumber). */
  async dailySales(guideId: string, range: Range): Promise<Map<number, number>> {
    // Literals, not parameters: PostgreSQL must see the select and the group by as one expression.
    const day = sql<number>`(purchased_at + ${sql.lit(SHANGHAI_OFFSET_MS)}) / ${sql.lit(DAY_MS)}`
    const rows = await this.k
      .selectFrom('orders')
      .select((eb) => [day.as('day'), eb.fn.sum<number | string>('total_fen').as('sales')])
      .where('credited_guide_id', '=', guideId)
      .where('purchased_at', '>=', range.fromMs)
      .where('purchased_at', '<', range.toMs)
      .groupBy(day)
      .execute()
    return new Map(rows.map((r) => [Number(r.day), Number(r.sales)]))
  }

  /** Customers she added in WeCom (her follow's add time). */
  async customersAdded(guideId: string, range: Range): Promise<number> {
    const row = await this.k
      .selectFrom('wecom_follows')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', guideId)
      .where('added_at', '>=', range.fromMs)
      .where('added_at', '<', range.toMs)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Customers whose follow of hers ended in the range (the `follow_lost` events the WeCom cache leaves). */
  async customersLost(guideId: string, range: Range): Promise<number> {
    const row = await this.k
      .selectFrom('customer_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('kind', '=', 'follow_lost')
      .where('actor_id', '=', guideId)
      .where('occurred_at', '>=', range.fromMs)
      .where('occurred_at', '<', range.toMs)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /**
   * Tasks done in the range (by done_at), and tasks that fell overdue in it: due on one of
   * `overdueDue` (the day before each day of the period) and still open (todo or expired).
   */
  async taskCounts(
    guideId: string,
    range: Range,
    overdueDue: { from: string; to: string },
  ): Promise<{ done: number; overdue: number }> {
    const row = await this.k
      .selectFrom('tasks')
      .select((eb) => [
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
      .where('guide_id', '=', guideId)
      .executeTakeFirstOrThrow()
    return { done: Number(row.done ?? 0), overdue: Number(row.overdue ?? 0) }
  }

  /** Replies she sent or copied from the library. */
  async repliesSent(guideId: string, range: Range): Promise<number> {
    const row = await this.k
      .selectFrom('reply_sends')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', guideId)
      .where('sent_at', '>=', range.fromMs)
      .where('sent_at', '<', range.toMs)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Outfits she sent (confirmed sends), and her sends first opened in the range. */
  async bundleCounts(guideId: string, range: Range): Promise<{ sent: number; opened: number }> {
    const within = (column: 'sent_at' | 'first_opened_at') =>
      sql<number>`case when ${sql.ref(column)} >= ${range.fromMs} and ${sql.ref(column)} < ${range.toMs} then 1 else 0 end`
    const row = await this.k
      .selectFrom('bundle_sends')
      .select((eb) => [
        eb.fn.sum<number | string>(sql`case when status = 'sent' then ${within('sent_at')} else 0 end`).as('sent'),
        eb.fn.sum<number | string>(within('first_opened_at')).as('opened'),
      ])
      .where('guide_id', '=', guideId)
      .executeTakeFirstOrThrow()
    return { sent: Number(row.sent ?? 0), opened: Number(row.opened ?? 0) }
  }

  /** Her coupons: sent, claimed and redeemed in the range, each by its own instant. */
  async couponCounts(guideId: string, range: Range): Promise<{ sent: number; claimed: number; redeemed: number }> {
    const within = (column: 'sent_at' | 'claimed_at' | 'redeemed_at') =>
      sql<number>`case when ${sql.ref(column)} >= ${range.fromMs} and ${sql.ref(column)} < ${range.toMs} then 1 else 0 end`
    const row = await this.k
      .selectFrom('coupon_issuances')
      .select((eb) => [
        eb.fn.sum<number | string>(within('sent_at')).as('sent'),
        eb.fn.sum<number | string>(within('claimed_at')).as('claimed'),
        eb.fn.sum<number | string>(within('redeemed_at')).as('redeemed'),
      ])
      .where('guide_id', '=', guideId)
      .executeTakeFirstOrThrow()
    return { sent: Number(row.sent ?? 0), claimed: Number(row.claimed ?? 0), redeemed: Number(row.redeemed ?? 0) }
  }

  async target(scope: 'guide' | 'store', scopeId: string, month: string): Promise<number | null> {
    const row = await this.k
      .selectFrom('sales_targets')
      .select('amount_fen')
      .where('scope', '=', scope)
      .where('scope_id', '=', scopeId)
      .where('month', '=', month)
      .executeTakeFirst()
    return row ? Number(row.amount_fen) : null
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
