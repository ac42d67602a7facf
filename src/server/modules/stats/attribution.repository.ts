/**
 * Who an order counts for (`orders.credited_guide_id`): the one place the rule lives.
 *
 * 1. The CRM's selling guide (`orders.guide_user_id`, the import's `guide_user_id` / 导购
 *    column), when it names a guide we know.
 * 2. Otherwise the guide who last served her in the 14 days before the purchase (up to the
 *    purchase itself): a reply, outfit or coupon she sent her, or a note she wrote about
 *    her. The latest wins; at the same instant, the smaller user id (so it is stable).
 * 3. Otherwise her primary guide: of the guides we know who follow her in WeCom, the one
 *    who added her first (a follow with no date counts as added last).
 * 4. Otherwise nobody (null): a guest without a WeCom customer, or one nobody follows yet.
 *
 * Each step is one set-based UPDATE over the orders still uncredited, so importing a
 * thousand lines is three statements, not three thousand. `creditOrders` fills only what
 * is null (safe to run any time: it is how orders written before their customer was
 * bound or followed get a guide later); `recreditOrders` starts given orders over.
 */
import { sql, type RawBuilder } from 'kysely'
import type { Trx } from '../../db'

/** How far back a send or note still counts as serving her for a purchase. */
export const SERVED_WINDOW_MS = 14 * 86_400_000

/** customer_events kinds that are a guide sending her something (coupons are read from their issuances). */
export const SERVING_EVENT_KINDS = ['reply_sent', 'bundle_sent'] as const

/** Parameters a statement: far under SQLite's and PostgreSQL's bounds. */
const CHUNK = 500

export async function creditOrders(db: Trx, orderIds?: readonly string[]): Promise<void> {
  if (orderIds === undefined) return creditScope(db, sql``)
  for (let i = 0; i < orderIds.length; i += CHUNK) {
    const ids = orderIds.slice(i, i + CHUNK)
    await creditScope(db, sql`and id in (${sql.join(ids)})`)
  }
}

/** Forget who the given orders were credited to and apply the rule again (a re-import may change the CRM's guide). */
export async function recreditOrders(db: Trx, orderIds: readonly string[]): Promise<void> {
  for (let i = 0; i < orderIds.length; i += CHUNK) {
    const ids = orderIds.slice(i, i + CHUNK)
    await db.updateTable('orders').set({ credited_guide_id: null }).where('id', 'in', ids).execute()
  }
  await creditOrders(db, orderIds)
}

async function creditScope(db: Trx, scope: RawBuilder<unknown>): Promise<void> {
  const kinds = sql.join(SERVING_EVENT_KINDS.map((kind) => sql.lit(kind)))
  const window = sql.lit(SERVED_WINDOW_MS)

  // 1. The CRM's selling guide.
  await sql`
    update orders set credited_guide_id = guide_user_id
    where credited_guide_id is null
      and guide_user_id in (select user_id from guides)
      ${scope}`.execute(db)

  // 2. Who last served her within the window.
  await sql`
    update orders set credited_guide_id = (
      select s.guide_id from (
        select e.actor_id as guide_id, e.occurred_at as at, e.external_user_id as customer
          from customer_events e where e.kind in (${kinds})
        union all
        select n.author_id, n.created_at, n.external_user_id from customer_notes n
        union all
        select c.guide_id, c.sent_at, c.external_user_id from coupon_issuances c where c.sent_at is not null
      ) s
      join guides g on g.user_id = s.guide_id
      where s.customer = (select m.external_user_id from members m where m.id = orders.member_id)
        and s.at <= orders.purchased_at
        and s.at > orders.purchased_at - ${window}
      order by s.at desc, s.guide_id
      limit 1)
    where credited_guide_id is null
      ${scope}`.execute(db)

  // 3. Her primary guide.
  await sql`
    update orders set credited_guide_id = (
      select f.user_id from wecom_follows f
      join guides g on g.user_id = f.user_id
      where f.external_user_id = (select m.external_user_id from members m where m.id = orders.member_id)
      order by case when f.added_at is null then 1 else 0 end, f.added_at, f.user_id
      limit 1)
    where credited_guide_id is null
      ${scope}`.execute(db)
}
