/**
 * Content at work: what a team sent over a period, item by item, and the sales it led to.
 * The numbers of each guide come from stats.repository.ts; this is the content view of
 * the same rows.
 */
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db'
import type { Range } from '../stats/stats.repository'

/** How long after a send an order still counts as the send's sale. */
export const CONTENT_SALES_WINDOW_MS = 7 * 86_400_000

export type ContentKind = 'reply' | 'bundle' | 'coupon'

/** Whose sends count: the people of these stores; null: of every store (people in no store are on no team). */
export type StoreScope = readonly string[] | null

/**
 * Every send of a kind as (item, guide, customer, at): the one shape the sales rule reads.
 * Outfits count once confirmed; a coupon when it was sent. Sends to a group chat name no
 * customer, so they lead to no sale here.
 */
const SENDS: Record<ContentKind, RawBuilder<unknown>> = {
  reply: sql`select reply_id as item_id, user_id as guide_id, external_user_id as customer, sent_at
    from reply_sends where external_user_id is not null`,
  bundle: sql`select bundle_id as item_id, guide_id, external_user_id as customer, sent_at
    from bundle_sends where status = 'sent' and external_user_id is not null and sent_at is not null`,
  coupon: sql`select template_id as item_id, guide_id, external_user_id as customer, sent_at
    from coupon_issuances where sent_at is not null`,
}

export interface ReplyUsageRow {
  id: string
  title: string | null
  sends: number
  customers: number
}
export interface BundleUsageRow {
  id: string
  title: string | null
  sends: number
  opens: number
}
export interface CouponUsageRow {
  id: string
  name: string | null
  sent: number
  claimed: number
  redeemed: number
}

export class TeamRepository {
  constructor(private readonly db: Db) {}

  private get k() {
    return this.db.kysely
  }

  /** The user ids of the people of these stores, as a subquery. */
  private teamOf(stores: StoreScope) {
    return this.k
      .selectFrom('guides')
      .select('user_id')
      .where('store_id', 'is not', null)
      .$if(stores !== null, (qb) => qb.where('store_id', 'in', stores!))
  }

  /** Replies sent (or copied) in the range by the guides, with how many customers got each. */
  async replyUsage(range: Range, stores: StoreScope): Promise<ReplyUsageRow[]> {
    if (stores?.length === 0) return []
    const rows = await this.k
      .selectFrom('reply_sends as s')
      .leftJoin('replies as r', 'r.id', 's.reply_id')
      .select((eb) => [
        's.reply_id as id',
        'r.title',
        eb.fn.countAll<number | string>().as('sends'),
        eb.fn.count<number | string>('s.external_user_id').distinct().as('customers'),
      ])
      .where('s.user_id', 'in', this.teamOf(stores))
      .where('s.sent_at', '>=', range.fromMs)
      .where('s.sent_at', '<', range.toMs)
      .groupBy(['s.reply_id', 'r.title'])
      .execute()
    return rows.map((r) => ({ id: r.id, title: r.title, sends: Number(r.sends), customers: Number(r.customers) }))
  }

  /**
   * Outfits: confirmed sends in the range, and sends first opened in it (the guide's
   * bundlesOpened, item by item, so the items add up to the team's number).
   */
  async bundleUsage(range: Range, stores: StoreScope): Promise<BundleUsageRow[]> {
    if (stores?.length === 0) return []
    const within = (column: 's.sent_at' | 's.first_opened_at') =>
      sql<number>`case when ${sql.ref(column)} >= ${range.fromMs} and ${sql.ref(column)} < ${range.toMs} then 1 else 0 end`
    const rows = await this.k
      .selectFrom('bundle_sends as s')
      .leftJoin('bundles as b', 'b.id', 's.bundle_id')
      .select((eb) => [
        's.bundle_id as id',
        'b.title',
        eb.fn.sum<number | string>(sql`case when s.status = 'sent' then ${within('s.sent_at')} else 0 end`).as('sends'),
        eb.fn.sum<number | string>(within('s.first_opened_at')).as('opens'),
      ])
      .where('s.guide_id', 'in', this.teamOf(stores))
      .where((eb) =>
        eb.or([
          eb.and([eb('s.sent_at', '>=', range.fromMs), eb('s.sent_at', '<', range.toMs)]),
          eb.and([eb('s.first_opened_at', '>=', range.fromMs), eb('s.first_opened_at', '<', range.toMs)]),
        ]),
      )
      .groupBy(['s.bundle_id', 'b.title'])
      .execute()
    return rows
      .map((r) => ({ id: r.id, title: r.title, sends: Number(r.sends ?? 0), opens: Number(r.opens ?? 0) }))
      .filter((r) => r.sends > 0 || r.opens > 0)
  }

  /** Coupons by template: sent, claimed and redeemed in the range, each by its own instant. */
  async couponUsage(range: Range, stores: StoreScope): Promise<CouponUsageRow[]> {
    if (stores?.length === 0) return []
    const columns = ['s.sent_at', 's.claimed_at', 's.redeemed_at'] as const
    const within = (column: (typeof columns)[number]) =>
      sql<number>`case when ${sql.ref(column)} >= ${range.fromMs} and ${sql.ref(column)} < ${range.toMs} then 1 else 0 end`
    const rows = await this.k
      .selectFrom('coupon_issuances as s')
      .leftJoin('coupon_templates as t', 't.id', 's.template_id')
      .select((eb) => [
        's.template_id as id',
        't.name',
        eb.fn.sum<number | string>(within('s.sent_at')).as('sent'),
        eb.fn.sum<number | string>(within('s.claimed_at')).as('claimed'),
        eb.fn.sum<number | string>(within('s.redeemed_at')).as('redeemed'),
      ])
      .where('s.guide_id', 'in', this.teamOf(stores))
      .where((eb) => eb.or(columns.map((c) => eb.and([eb(c, '>=', range.fromMs), eb(c, '<', range.toMs)]))))
      .groupBy(['s.template_id', 't.name'])
      .execute()
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      sent: Number(r.sent ?? 0),
      claimed: Number(r.claimed ?? 0),
      redeemed: Number(r.redeemed ?? 0),
    }))
  }

  /**
   * The sales each item led to: orders of a customer who got it in the range, placed from
   * the send until 7 days after it and credited to the guide who sent it. An order counts
   * once per item, however many sends of that item went before it.
   */
  async salesAfterSends(
    kind: ContentKind,
    range: Range,
    stores: StoreScope,
    itemIds: readonly string[],
  ): Promise<Map<string, number>> {
    if (stores?.length === 0 || itemIds.length === 0) return new Map()
    const inStores = stores === null ? sql`` : sql`and store_id in (${sql.join(stores)})`
    const { rows } = await sql<{ id: string; sales: number | string }>`
      select x.item_id as id, sum(x.total_fen) as sales from (
        select distinct s.item_id, o.id as order_id, o.total_fen
        from (${SENDS[kind]}) s
        join members m on m.external_user_id = s.customer
        join orders o on o.member_id = m.id and o.credited_guide_id = s.guide_id
        where s.sent_at >= ${range.fromMs} and s.sent_at < ${range.toMs}
          and s.item_id in (${sql.join(itemIds)})
          and s.guide_id in (select user_id from guides where store_id is not null ${inStores})
          and o.purchased_at >= s.sent_at
          and o.purchased_at < s.sent_at + ${sql.lit(CONTENT_SALES_WINDOW_MS)}
      ) x
      group by x.item_id`.execute(this.k)
    return new Map(rows.map((r) => [r.id, Number(r.sales)]))
  }
}
