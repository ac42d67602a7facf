import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BuiltApp } from '../../src/server/app'
import type { Issuance } from '../../src/shared/coupons'
import { loadTestTemplate } from '../helpers/coupons'
import { DB_KINDS } from '../helpers/db'
import { addFollowedCustomers, createSecondInstance, createTestApp, signIn, type TestApp } from '../helpers/app'

/**
 * Two servers on one database sending one coupon at once: each decides its own batches,
 * and their locks meet in the database. On PostgreSQL a batch that waited for the other
 * server's must count again what that one issued (its counts came with the lock from an
 * older snapshot): limits, quotas and stock stay exact across servers.
 */
describe.each(DB_KINDS)('coupon issuing from two servers at once (%s)', (kind) => {
  let t: TestApp
  let other: BuiltApp
  let lina: string
  let manager: string
  let customers: string[]

  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real' })
    other = await createSecondInstance(t)
    lina = await signIn(t, 'lina')
    manager = await signIn(t, 'wanglei')
    customers = await addFollowedCustomers(t, 'lina', 200, `two${kind}`)
  }, 120_000)
  afterAll(async () => {
    await other.app.close()
    await t.close()
  })

  const template = (extra: Record<string, unknown>) => loadTestTemplate(t.app, manager, '双机券', extra)
  /** One send of a coupon through this server. */
  const send = (app: BuiltApp['app'], templateId: string, externalUserId: string, idempotencyKey = randomUUID()) =>
    app.inject({
      method: 'POST',
      url: `/api/coupons/${templateId}/issue`,
      headers: { cookie: lina },
      payload: { externalUserId, idempotencyKey },
    })
  /** Every other send goes to the other server. */
  const sendAll = async (templateId: string, to: string[]) => {
    const responses = await Promise.all(
      to.map((externalUserId, i) => send(i % 2 ? other.app : t.app, templateId, externalUserId)),
    )
    return responses.map((r) => (r.statusCode === 201 ? 'new' : (r.json() as { error: { code: string } }).error.code))
  }
  const count = (list: string[], value: string) => list.filter((v) => v === value).length
  const issued = async (templateId: string) =>
    (await t.testDb.db.kysely.selectFrom('coupon_issuances').select('id').where('template_id', '=', templateId).execute()).length

  it('holds a per-customer limit of 3 exactly', async () => {
    const tpl = await template({ perCustomerLimit: 3 })
    const got = await sendAll(
      tpl.id,
      customers.map(() => customers[0]!),
    )
    expect(count(got, 'new')).toBe(3)
    expect(count(got, 'customer_limit')).toBe(197)
    expect(await issued(tpl.id)).toBe(3)
  }, 120_000)

  it("holds a guide's weekly quota of 50 exactly", async () => {
    const tpl = await template({ guideWeeklyQuota: 50 })
    const got = await sendAll(tpl.id, customers)
    expect(count(got, 'new')).toBe(50)
    expect(count(got, 'guide_quota')).toBe(150)
    expect(await issued(tpl.id)).toBe(50)
  }, 120_000)

  it('issues exactly a stock of 40', async () => {
    const tpl = await template({ totalStock: 40 })
    const got = await sendAll(tpl.id, customers)
    expect(count(got, 'new')).toBe(40)
    expect(count(got, 'out_of_stock')).toBe(160)
    expect(await issued(tpl.id)).toBe(40)
  }, 120_000)

  it('answers one key sent to both servers at once with one issuance, the last unit of stock or not', async () => {
    for (let round = 0; round < 8; round++) {
      const tpl = await template({ totalStock: 1, perCustomerLimit: 1 })
      const key = randomUUID()
      const responses = await Promise.all([t.app, other.app].map((app) => send(app, tpl.id, customers[round]!, key)))
      expect(responses.map((r) => r.statusCode).sort(), responses.map((r) => r.body).join('\n')).toEqual([200, 201])
      expect(new Set(responses.map((r) => (r.json() as Issuance).issuanceId)).size).toBe(1)
      expect(await issued(tpl.id)).toBe(1)
    }
  }, 120_000)
})
