import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Issuance } from '../../src/shared/coupons'
import type { StoreList } from '../../src/shared/memory'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

describe.each(DB_KINDS)('stores and their tills (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let manager: string

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    manager = await signIn(t, 'wanglei')
  })
  afterAll(() => t.close())

  const call = (
    method: 'GET' | 'POST',
    url: string,
    cookie: string | null,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => t.app.inject({ method, url, payload: payload as object, headers: { ...(cookie ? { cookie } : {}), ...headers } })

  it('lists the stores to anyone signed in, and to no one else', async () => {
    expect((await call('GET', '/api/stores', null)).statusCode).toBe(401)
    const response = await call('GET', '/api/stores', lina)
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('private, no-store')
    const { items } = response.json() as StoreList
    expect(items.map((s) => s.id)).toEqual([...t.demo.stores.map((s) => s.id)].sort())
  })

  it('gives a manager a till key once, which then opens that store’s till', async () => {
    expect((await call('POST', '/api/stores/S001/api-keys', null, {})).statusCode).toBe(401)
    expect((await call('POST', '/api/stores/S001/api-keys', lina, { label: '收银台 1' })).statusCode).toBe(403)
    expect((await call('POST', '/api/stores/NOPE/api-keys', manager, {})).statusCode).toBe(404)
    expect((await call('POST', '/api/stores/S001/api-keys', manager, { label: 'x'.repeat(61) })).statusCode).toBe(400)

    const created = await call('POST', '/api/stores/S001/api-keys', manager, { label: '收银台 1' })
    expect(created.statusCode, created.body).toBe(201)
    const key = created.json() as { id: string; storeId: string; key: string }
    expect(key).toMatchObject({ storeId: 'S001', id: expect.stringMatching(/^sk_/), key: expect.stringMatching(/^gsk_/) })
    const row = await t.testDb.db.kysely
      .selectFrom('store_api_keys')
      .selectAll()
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow()
    expect(row.key_hash).not.toContain(key.key)
    expect(row.label).toBe('收银台 1')

    // The new key opens the till: a code it does not know is 404, not 401.
    const till = (code: string, auth: string) =>
      call('POST', '/api/redemptions', null, { code }, { authorization: `Bearer ${auth}` })
    expect((await till('ZZZZZZZZZZZZ', key.key)).statusCode).toBe(404)
    expect((await till('ZZZZZZZZZZZZ', `${key.key}x`)).statusCode).toBe(401)

    // And redeems a coupon a guide sent.
    const template = await call('POST', '/api/coupon-templates', manager, {
      name: '到店礼',
      kind: 'no_threshold',
      value: 1000,
      threshold: 0,
      totalStock: 5,
      perCustomerLimit: 1,
      guideWeeklyQuota: 10,
      validDays: 7,
    })
    expect(template.statusCode, template.body).toBe(201)
    const herId = t.demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!.externalUserId
    const issued = await call('POST', `/api/coupons/${(template.json() as { id: string }).id}/issue`, lina, {
      externalUserId: herId,
      idempotencyKey: 'stores-test-1',
    })
    expect(issued.statusCode, issued.body).toBe(201)
    const issuance = issued.json() as Issuance
    expect((await call('POST', `/api/issuances/${issuance.issuanceId}/confirm`, lina)).statusCode).toBe(200)
    const used = await till(issuance.code, key.key)
    expect(used.statusCode, used.body).toBe(200)
    expect(used.json()).toMatchObject({ status: 'redeemed', storeId: 'S001' })
  })
})
