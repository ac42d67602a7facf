import type { Kysely } from 'kysely'

/**
 * Who a coupon template is for, by her purchase history: at most this many orders (0: new
 * customers only, who have not bought yet); null: anyone. The demo's new-customer gift
 * says so from now on (nothing to change where that demo template does not exist).
 * Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('coupon_templates').addColumn('max_orders', 'integer').execute()
  await db.updateTable('coupon_templates').set({ max_orders: 0 }).where('id', '=', 'ct_demo_welcome').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('coupon_templates').dropColumn('max_orders').execute()
}
