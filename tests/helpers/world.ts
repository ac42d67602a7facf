/** What tests put into the world around the app: WeCom's stand-in and rows the demo lacks. */
import { randomUUID } from 'node:crypto'
import type { TestApp } from './app'

/** A customer who exists in WeCom (the stand-in) and is followed by these guides. */
export function addWorldCustomer(t: TestApp, id: string, follows: { userId: string; createtime: number }[], remark = ''): void {
  t.world.contacts.set(id, {
    contact: { external_userid: id, name: `客户${id.slice(-3)}`, type: 1, gender: 2 },
    follows: follows.map((f) => ({
      userid: f.userId,
      remark,
      description: '',
      createtime: f.createtime,
      corpTagIds: [],
      personalTags: [],
      addWay: 1,
      state: '',
      remarkMobiles: [],
    })),
  })
}

/** An active coupon template with stock to spare, for tests that write issuances (the demo's may run out). */
export async function insertCouponTemplate(t: TestApp): Promise<string> {
  const id = `tpl-${randomUUID()}`
  await t.testDb.db.kysely
    .insertInto('coupon_templates')
    .values({
      id,
      name: '满500减50',
      description: '',
      kind: 'amount_off',
      value: 5000,
      threshold: 50000,
      total_stock: 1000,
      stock_left: 1000,
      per_customer_limit: 1,
      guide_weekly_quota: 100,
      valid_days: 30,
      valid_from: null,
      valid_to: null,
      eligible_levels: '[]',
      eligible_tags: '[]',
      store_ids: '[]',
      online: 1,
      status: 'active',
      max_orders: null,
      created_by: 'wanglei',
      created_at: t.clock.value,
      updated_at: t.clock.value,
    })
    .execute()
  return id
}
