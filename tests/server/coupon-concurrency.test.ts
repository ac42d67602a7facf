import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Issuance } from '../../src/shared/coupons'
import { loadTestTemplate } from '../helpers/coupons'
import { DB_KINDS } from '../helpers/db'
import { addFollowedCustomers, createTestApp, signIn, type TestApp } from '../helpers/app'

/**
 * Issue 15's guarantees at 500 requests in flight: never oversold, limits and quotas
 * exact, one issuance per idempotency key however often it is sent at once.
 */
describe.each(DB_KINDS)('coupon issuing, 500 at once (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let manager: string
  let customers: string[]

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    manager = await signIn(t, 'wanglei')
    customers = await addFollowedCustomers(t, 'lina', 500, `k${kind}`)
  }, 120_000)
  afterAll(() => t.close())

  const template = (extra: Record<string, unknown>) => loadTestTemplate(t.app, manager, '并发券', extra)
  const issue = (templateId: string, externalUserId: string, key = randomUUID()) =>
    t.app.inject({
      method: 'POST',
      url: `/api/coupons/${templateId}/issue`,
      headers: { cookie: lina },
      payload: { externalUserId, idempotencyKey: key },
    })
  const outcomes = async (requests: Promise<{ statusCode: number; json(): unknown }>[]) =>
    (await Promise.all(requests)).map((r) =>
      r.statusCode === 201 ? 'new' : r.statusCode === 200 ? 'same' : (r.json() as { error: { code: string } }).error.code,
    )
  const count = (list: string[], value: string) => list.filter((v) => v === value).length
  const stored = async (templateId: string) => {
    const [template, issued] = await Promise.all([
      t.testDb.db.kysely
        .selectFrom('coupon_templates')
        .select('stock_left')
        .where('id', '=', templateId)
        .executeTakeFirstOrThrow(),
      t.testDb.db.kysely.selectFrom('coupon_issuances').select('id').where('template_id', '=', templateId).execute(),
    ])
    return { stockLeft: template.stock_left, issued: issued.length }
  }

  it('issues exactly a stock of 120', async () => {
    const tpl = await template({ totalStock: 120, perCustomerLimit: 1 })
    const got = await outcomes(customers.map((id) => issue(tpl.id, id)))
    expect(count(got, 'new')).toBe(120)
    expect(count(got, 'out_of_stock')).toBe(380)
    expect(await stored(tpl.id)).toEqual({ stockLeft: 0, issued: 120 })
  }, 120_000)

  it("holds a guide's weekly quota of 100 exactly", async () => {
    const tpl = await template({ guideWeeklyQuota: 100 })
    const got = await outcomes(customers.map((id) => issue(tpl.id, id)))
    expect(count(got, 'new')).toBe(100)
    expect(count(got, 'guide_quota')).toBe(400)
    expect(await stored(tpl.id)).toEqual({ stockLeft: 900, issued: 100 })
  }, 120_000)

  it('holds a per-customer limit of 3 exactly', async () => {
    const tpl = await template({ perCustomerLimit: 3 })
    const got = await outcomes(customers.map(() => issue(tpl.id, customers[0]!)))
    expect(count(got, 'new')).toBe(3)
    expect(count(got, 'customer_limit')).toBe(497)
    expect(await stored(tpl.id)).toEqual({ stockLeft: 997, issued: 3 })
  }, 120_000)

  it('makes one issuance per key of 50 keys sent 10 times each', async () => {
    const tpl = await template({})
    const keys = Array.from({ length: 50 }, () => randomUUID())
    const requests = keys.flatMap((key, i) => Array.from({ length: 10 }, () => issue(tpl.id, customers[i]!, key)))
    const responses = await Promise.all(requests)
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(50)
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(450)
    for (const [i, key] of keys.entries()) {
      const ids = new Set(responses.slice(i * 10, i * 10 + 10).map((r) => (r.json() as Issuance).issuanceId))
      expect(ids.size, key).toBe(1)
    }
    expect(await stored(tpl.id)).toEqual({ stockLeft: 950, issued: 50 })
  }, 120_000)
})
