import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CouponOffers, CouponTemplate, CustomerCoupons, Issuance } from '../../src/shared/coupons'
import { DEMO_TILL_KEYS } from '../../src/server/db/seed/demo-coupons'
import { RESERVATION_MS } from '../../src/server/modules/coupons/coupons.service'
import { DB_KINDS } from '../helpers/db'
import { addFollowedCustomers, createTestApp, signIn, type TestApp } from '../helpers/app'

describe.each(DB_KINDS)('coupons (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let chenjing: string
  let manager: string
  let customerId: string
  let strangerId: string

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    chenjing = await signIn(t, 'chenjing')
    manager = await signIn(t, 'wanglei')
    customerId = t.demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!.externalUserId
    strangerId = t.demo.customers.find((c) => !c.follows.some((f) => f.userId === 'lina'))!.externalUserId
  })
  afterAll(() => t.close())

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    cookie: string | null,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => t.app.inject({ method, url, payload: payload as object, headers: { ...(cookie ? { cookie } : {}), ...headers } })
  const template = async (extra: Record<string, unknown> = {}) => {
    const response = await call('POST', '/api/coupon-templates', manager, {
      name: '测试券',
      kind: 'amount_off',
      value: 5000,
      threshold: 50000,
      totalStock: 10,
      perCustomerLimit: 5,
      guideWeeklyQuota: 100,
      validDays: 7,
      ...extra,
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json() as CouponTemplate
  }
  const issue = (templateId: string, externalUserId = customerId, key = randomUUID(), cookie = lina) =>
    call('POST', `/api/coupons/${templateId}/issue`, cookie, { externalUserId, idempotencyKey: key })
  const stockOf = async (id: string) =>
    (await t.testDb.db.kysely.selectFrom('coupon_templates').select('stock_left').where('id', '=', id).executeTakeFirstOrThrow())
      .stock_left

  const followedCustomers = (count: number, prefix: string) => addFollowedCustomers(t, 'lina', count, prefix)

  describe('templates', () => {
    it('are created by managers only, validated, and listed with their stock', async () => {
      const body = {
        name: '满500减50',
        kind: 'amount_off',
        value: 5000,
        threshold: 50000,
        totalStock: 100,
        perCustomerLimit: 1,
        guideWeeklyQuota: 10,
        validDays: 14,
      }
      expect((await call('POST', '/api/coupon-templates', lina, body)).statusCode).toBe(403)
      const created = await call('POST', '/api/coupon-templates', manager, body)
      expect(created.statusCode).toBe(201)
      expect(created.json()).toMatchObject({ id: expect.any(String), stockLeft: 100, status: 'active' })
      for (const bad of [
        { ...body, kind: 'percent_off', value: 150 },
        { ...body, threshold: 3000 },
        { ...body, value: 12.5 },
        { ...body, validDays: undefined },
        { ...body, kind: 'gift' },
        { ...body, extra: true },
      ]) {
        const response = await call('POST', '/api/coupon-templates', manager, bad)
        expect(response.statusCode, JSON.stringify(bad)).toBe(400)
        expect(response.json().error.message.length).toBeGreaterThan(5)
      }
      const list = (await call('GET', '/api/coupon-templates', manager)).json() as { templates: CouponTemplate[] }
      expect(list.templates.some((x) => x.id === (created.json() as CouponTemplate).id)).toBe(true)
      expect((await call('GET', '/api/coupon-templates', lina)).statusCode).toBe(403)
    })

    it('can be paused or ended once issued, but not deleted', async () => {
      const tpl = await template()
      expect((await issue(tpl.id)).statusCode).toBe(201)
      const del = await call('DELETE', `/api/coupon-templates/${tpl.id}`, manager)
      expect(del.statusCode).toBe(409)
      expect((await call('PATCH', `/api/coupon-templates/${tpl.id}`, manager, { status: 'paused' })).json().status).toBe('paused')
      const refused = await issue(tpl.id)
      expect(refused.statusCode).toBe(409)
      expect(refused.json().error.code).toBe('template_inactive')
      const unused = await template()
      expect((await call('DELETE', `/api/coupon-templates/${unused.id}`, manager)).statusCode).toBe(204)
      const audit = (await call('GET', '/api/manage/audit?limit=50', manager)).json() as {
        items: { entity: string; entityId: string }[]
      }
      expect(audit.items.some((a) => a.entity === 'coupon_template' && a.entityId === tpl.id)).toBe(true)
    })
  })

  describe('issuing', () => {
    it('reserves, confirms, and answers the same key with the same issuance', async () => {
      const tpl = await template()
      const key = randomUUID()
      const first = await issue(tpl.id, customerId, key)
      expect(first.statusCode).toBe(201)
      const issuance = first.json() as Issuance
      expect(issuance).toMatchObject({ status: 'reserved', code: expect.stringMatching(/^[A-Z2-9]{12}$/) })
      expect(issuance.claimUrl).toMatch(new RegExp(`/c/${issuance.code}$`))
      const again = await issue(tpl.id, customerId, key)
      expect(again.statusCode).toBe(200)
      expect((again.json() as Issuance).issuanceId).toBe(issuance.issuanceId)
      expect(await stockOf(tpl.id)).toBe(9)
      const confirmed = await call('POST', `/api/issuances/${issuance.issuanceId}/confirm`, lina)
      expect((confirmed.json() as Issuance).status).toBe('sent')
      // Someone else's issuance is not hers to touch.
      expect((await call('POST', `/api/issuances/${issuance.issuanceId}/release`, chenjing)).statusCode).toBe(404)
      expect((await call('POST', `/api/issuances/${issuance.issuanceId}/release`, lina)).statusCode).toBe(409)
      // The same key for another coupon is a mistake, not a new issuance.
      const other = await template()
      expect((await issue(other.id, customerId, key)).statusCode).toBe(409)
    })

    it('refuses with a reason code', async () => {
      const limited = await template({ perCustomerLimit: 1 })
      expect((await issue(limited.id)).statusCode).toBe(201)
      expect((await issue(limited.id)).json().error.code).toBe('customer_limit')

      const quota = await template({ guideWeeklyQuota: 1 })
      const [a, b] = await followedCustomers(2, `q${kind}`)
      expect((await issue(quota.id, a)).statusCode).toBe(201)
      expect((await issue(quota.id, b)).json().error.code).toBe('guide_quota')
      // Another guide has her own quota.
      expect(
        (
          await issue(
            quota.id,
            t.demo.customers.find((c) => c.follows.some((f) => f.userId === 'chenjing'))!.externalUserId,
            randomUUID(),
            chenjing,
          )
        ).statusCode,
      ).toBe(201)

      const platinum = await template({ eligibleLevels: ['platinum'], eligibleTags: ['不存在的标签'] })
      const notEligible = await issue(platinum.id)
      expect(notEligible.statusCode).toBe(409)
      expect(notEligible.json().error.code).toBe('not_eligible')

      const single = await template({ totalStock: 1 })
      expect((await issue(single.id, a)).statusCode).toBe(201)
      expect((await issue(single.id, b)).json().error.code).toBe('out_of_stock')

      expect((await issue(single.id, strangerId)).statusCode).toBe(403)
      expect((await issue('ct_nope')).statusCode).toBe(404)
      expect((await call('POST', `/api/coupons/${single.id}/issue`, lina, { externalUserId: customerId })).statusCode).toBe(400)
      expect(
        (
          await call('POST', `/api/coupons/${single.id}/issue`, lina, {
            externalUserId: customerId,
            idempotencyKey: 'with space',
          })
        ).statusCode,
      ).toBe(400)
      // Any short printable key the app makes is fine.
      const short = await call('POST', `/api/coupons/${limited.id}/issue`, lina, { externalUserId: a, idempotencyKey: 'k-1' })
      expect(short.statusCode).toBe(201)
    })

    it('offers what she can have now and says why the rest cannot go', async () => {
      const paused = await template({ perCustomerLimit: 1 })
      await issue(paused.id)
      const { offers } = (await call('GET', `/api/customers/${customerId}/coupon-offers`, lina)).json() as CouponOffers
      const offer = offers.find((o) => o.template.id === paused.id)!
      expect(offer).toMatchObject({ available: false, reason: 'customer_limit', customerHolds: 1 })
      expect(offers.some((o) => o.available)).toBe(true)
      const firstUnavailable = offers.findIndex((o) => !o.available)
      expect(offers.slice(firstUnavailable).every((o) => !o.available)).toBe(true)
    })

    it('gives stock back exactly once on release and on expiry', async () => {
      const tpl = await template({ totalStock: 3 })
      const one = (await issue(tpl.id)).json() as Issuance
      expect(await stockOf(tpl.id)).toBe(2)
      const releases = await Promise.all(
        Array.from({ length: 5 }, () => call('POST', `/api/issuances/${one.issuanceId}/release`, lina)),
      )
      expect(releases.every((r) => r.statusCode === 200 && (r.json() as Issuance).status === 'released')).toBe(true)
      expect(await stockOf(tpl.id)).toBe(3)

      const two = (await issue(tpl.id)).json() as Issuance
      expect(await stockOf(tpl.id)).toBe(2)
      t.clock.advance(RESERVATION_MS + 1000)
      // The sweep and the guide's late cancel race: one of them gives it back.
      await Promise.all([
        call('GET', `/api/customers/${customerId}/coupon-offers`, lina),
        call('GET', `/api/customers/${customerId}/coupon-offers`, lina),
        call('POST', `/api/issuances/${two.issuanceId}/release`, lina),
      ])
      expect(await stockOf(tpl.id)).toBe(3)
      expect((await call('POST', `/api/issuances/${two.issuanceId}/confirm`, lina)).statusCode).toBe(409)
    })
  })

  describe('review cases', () => {
    it('answers one key raced across two coupons without a 500, and refuses a key whose reservation was given back', async () => {
      const [a, b] = [await template(), await template()]
      const key = randomUUID()
      const responses = await Promise.all([
        issue(a.id, customerId, key),
        issue(b.id, customerId, key),
        issue(a.id, customerId, key),
      ])
      expect(responses.every((r) => [200, 201, 409].includes(r.statusCode))).toBe(true)
      expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1)
      const one = (await issue(a.id)).json() as Issuance
      const reused = randomUUID()
      const first = (await issue(a.id, customerId, reused)).json() as Issuance
      await call('POST', `/api/issuances/${first.issuanceId}/release`, lina)
      const again = await issue(a.id, customerId, reused)
      expect(again.statusCode).toBe(409)
      expect(again.json().error.code).toBe('conflict')
      expect(one.status).toBe('reserved')
    })

    it('shows another guide that she holds a coupon, but not its code', async () => {
      const shared = t.demo.customers.find(
        (c) => c.follows.some((f) => f.userId === 'lina') && c.follows.some((f) => f.userId === 'wanglei'),
      )!
      expect(shared).toBeDefined()
      const tpl = await template()
      const issuance = (await issue(tpl.id, shared.externalUserId)).json() as Issuance
      const theirs = (await call('GET', `/api/customers/${shared.externalUserId}/coupons`, manager)).json() as CustomerCoupons
      const seen = theirs.coupons.find((c) => c.issuanceId === issuance.issuanceId)!
      expect(seen.code).toBe('')
      expect(seen.claimUrl).toBe('')
      const mine = (await call('GET', `/api/customers/${shared.externalUserId}/coupons`, lina)).json() as CustomerCoupons
      expect(mine.coupons.find((c) => c.issuanceId === issuance.issuanceId)!.code).toBe(issuance.code)
    })

    it('takes back a timed-out reservation that turns out delivered: a late confirm, or her opening it', async () => {
      const tpl = await template({ totalStock: 5 })
      const late = (await issue(tpl.id)).json() as Issuance
      const opened = (await issue(tpl.id)).json() as Issuance
      expect(await stockOf(tpl.id)).toBe(3)
      t.clock.advance(RESERVATION_MS + 1000)
      // The next issue of this coupon sweeps the two overdue reservations first.
      await issue(tpl.id)
      expect(await stockOf(tpl.id)).toBe(4)
      const confirmed = await call('POST', `/api/issuances/${late.issuanceId}/confirm`, lina)
      expect(confirmed.statusCode).toBe(200)
      expect((confirmed.json() as Issuance).status).toBe('sent')
      expect(await stockOf(tpl.id)).toBe(3)
      const page = await call('GET', new URL(opened.claimUrl).pathname, null)
      expect(page.statusCode).toBe(200)
      expect(await stockOf(tpl.id)).toBe(2)
      // Confirming again changes nothing.
      await call('POST', `/api/issuances/${late.issuanceId}/confirm`, lina)
      expect(await stockOf(tpl.id)).toBe(2)
    })

    it('lets her receive again once an unused coupon has expired', async () => {
      const tpl = await template({ perCustomerLimit: 1, validDays: 1 })
      const first = (await issue(tpl.id)).json() as Issuance
      await call('POST', `/api/issuances/${first.issuanceId}/confirm`, lina)
      expect((await issue(tpl.id)).json().error.code).toBe('customer_limit')
      t.clock.advance(3 * 86_400_000)
      expect((await issue(tpl.id)).statusCode).toBe(201)
    })

    it('refuses impossible and past dates, and unknown stores on update', async () => {
      const body = {
        name: '日期券',
        kind: 'amount_off',
        value: 5000,
        threshold: 50000,
        totalStock: 10,
        perCustomerLimit: 1,
        guideWeeklyQuota: 5,
      }
      const bad = await call('POST', '/api/coupon-templates', manager, {
        ...body,
        validFrom: '2026-02-30',
        validTo: '2026-03-31',
      })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.message).toMatch(/2026-02-30/)
      expect(
        (await call('POST', '/api/coupon-templates', manager, { ...body, validFrom: '2020-01-01', validTo: '2020-01-31' }))
          .statusCode,
      ).toBe(400)
      const tpl = await template()
      expect((await call('PATCH', `/api/coupon-templates/${tpl.id}`, manager, { storeIds: ['S404'] })).statusCode).toBe(400)
    })
  })

  describe('under load', () => {
    it('issues exactly the stock to 200 customers at once', async () => {
      const tpl = await template({ totalStock: 50, perCustomerLimit: 1, guideWeeklyQuota: 1000 })
      const customers = await followedCustomers(200, `c${kind}`)
      const responses = await Promise.all(customers.map((id) => issue(tpl.id, id)))
      const codes = responses.map((r) => (r.statusCode === 201 ? 'ok' : (r.json() as { error: { code: string } }).error.code))
      expect(codes.filter((c) => c === 'ok')).toHaveLength(50)
      expect(codes.filter((c) => c === 'out_of_stock')).toHaveLength(150)
      expect(await stockOf(tpl.id)).toBe(0)
      const rows = await t.testDb.db.kysely
        .selectFrom('coupon_issuances')
        .select('id')
        .where('template_id', '=', tpl.id)
        .execute()
      expect(rows).toHaveLength(50)
    })

    it('makes one issuance of 20 requests with one key', async () => {
      const tpl = await template()
      const key = randomUUID()
      const responses = await Promise.all(Array.from({ length: 20 }, () => issue(tpl.id, customerId, key)))
      expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true)
      expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1)
      expect(new Set(responses.map((r) => (r.json() as Issuance).issuanceId)).size).toBe(1)
      expect(await stockOf(tpl.id)).toBe(9)
    })
  })

  describe('her page and the till', () => {
    it('claims on opening, redeems once with a store key, and shows each step to the guide', async () => {
      const tpl = await template({ storeIds: ['S001'] })
      const issuance = (await issue(tpl.id)).json() as Issuance
      await call('POST', `/api/issuances/${issuance.issuanceId}/confirm`, lina)
      const page = await call('GET', new URL(issuance.claimUrl).pathname, null)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain(issuance.code.slice(0, 4))
      expect(page.body).toContain('<svg')
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/)
      const held = () =>
        call('GET', `/api/customers/${customerId}/coupons`, lina).then((r) =>
          (r.json() as CustomerCoupons).coupons.find((c) => c.issuanceId === issuance.issuanceId)!,
        )
      expect((await held()).status).toBe('claimed')

      const redeem = (key: string | null, code = issuance.code) =>
        call('POST', '/api/redemptions', null, { code }, key ? { authorization: `Bearer ${key}` } : {})
      expect((await redeem(null)).statusCode).toBe(401)
      expect((await call('POST', '/api/redemptions', lina, { code: issuance.code })).statusCode).toBe(401)
      expect((await redeem('not-a-key')).statusCode).toBe(401)
      const wrong = await redeem(DEMO_TILL_KEYS.S002!)
      expect(wrong.statusCode).toBe(409)
      expect(wrong.json().error.code).toBe('wrong_store')
      const done = await redeem(DEMO_TILL_KEYS.S001!, `${issuance.code.slice(0, 4).toLowerCase()}-${issuance.code.slice(4)}`)
      expect(done.statusCode, done.body).toBe(200)
      expect(done.json()).toMatchObject({ status: 'redeemed', storeId: 'S001' })
      const twice = await redeem(DEMO_TILL_KEYS.S001!)
      expect(twice.statusCode).toBe(409)
      expect(twice.json().error.code).toBe('already_redeemed')
      expect(twice.json().error.message).toMatch(/already used/)
      expect(await held()).toMatchObject({ status: 'redeemed', redeemedStoreName: expect.any(String) })
      expect((await redeem(DEMO_TILL_KEYS.S001!, 'ZZZZZZZZZZZZ')).statusCode).toBe(404)
    })

    it('shows expired coupons as expired and refuses them at the till', async () => {
      const tpl = await template({ validDays: 1 })
      const issuance = (await issue(tpl.id)).json() as Issuance
      await call('POST', `/api/issuances/${issuance.issuanceId}/confirm`, lina)
      t.clock.advance(3 * 86_400_000)
      const response = await call(
        'POST',
        '/api/redemptions',
        null,
        { code: issuance.code },
        { authorization: `Bearer ${DEMO_TILL_KEYS.S001}` },
      )
      expect(response.json().error.code).toBe('coupon_expired')
      const { coupons } = (await call('GET', `/api/customers/${customerId}/coupons`, lina)).json() as CustomerCoupons
      expect(coupons.find((c) => c.issuanceId === issuance.issuanceId)!.status).toBe('expired')
    })

    it('answers unknown and given-back codes with the same page', async () => {
      const tpl = await template()
      const issuance = (await issue(tpl.id)).json() as Issuance
      await call('POST', `/api/issuances/${issuance.issuanceId}/release`, lina)
      for (const path of [new URL(issuance.claimUrl).pathname, '/c/AAAAAAAAAAAA', '/c/<script>']) {
        const response = await call('GET', path, null)
        expect(response.statusCode).toBe(404)
        expect(response.body).not.toContain(issuance.code)
      }
    })
  })
})
