import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CouponOffers, CouponTemplate, CustomerCoupons, Issuance } from '../../src/shared/coupons'
import type { AuditPage } from '../../src/shared/replies'
import type { TimelineEntry, TimelinePage } from '../../src/shared/memory'
import { DEMO_TILL_KEYS } from '../../src/server/demo/coupons'
import { RESERVATION_MS } from '../../src/server/modules/coupons/quota'
import { overdueReservations } from '../../src/server/modules/coupons/issuance.repository'
import { DB_KINDS } from '../helpers/db'
import { planOf } from '../helpers/plans'
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

    it('logs only the fields a change changed, stores by name', async () => {
      const tpl = await template()
      const stores = ['S001']
      const patch = { name: tpl.name, description: tpl.description, totalStock: tpl.totalStock + 10, storeIds: stores }
      expect((await call('PATCH', `/api/coupon-templates/${tpl.id}`, manager, patch)).statusCode).toBe(200)
      const audit = (await call('GET', '/api/manage/audit?limit=50', manager)).json() as AuditPage
      const update = audit.items.find((a) => a.entityId === tpl.id && a.action === 'update')!
      expect(update.summary).toBe(tpl.name)
      expect(update.changes).toEqual([
        { field: 'totalStock', before: tpl.totalStock, after: tpl.totalStock + 10 },
        { field: 'storeIds', before: [], after: [expect.stringContaining('店')] },
      ])
    })
  })

  describe('issuing', () => {
    it('refuses a coupon whose name or description holds what is kept about her', async () => {
      const remark = await call('PATCH', `/api/customers/${customerId}/wecom-remark`, lina, { description: '孕期，QXZ会员' })
      expect(remark.statusCode, remark.body).toBe(200)
      for (const extra of [{ name: 'QXZ会员专享礼' }, { description: '孕期专享' }]) {
        const tpl = await template(extra)
        const refused = await issue(tpl.id)
        expect(refused.statusCode, refused.body).toBe(422)
        expect(refused.json().error.code).toBe('private_text')
        expect(await stockOf(tpl.id)).toBe(10)
      }
      await call('PATCH', `/api/customers/${customerId}/wecom-remark`, lina, { description: '' })
    })

    it('reserves, confirms, and answers the same key with the same issuance', async () => {
      const tpl = await template()
      const key = randomUUID()
      const first = await issue(tpl.id, customerId, key)
      expect(first.statusCode).toBe(201)
      const issuance = first.json() as Issuance
      expect(issuance).toMatchObject({ status: 'reserved', code: expect.stringMatching(/^[A-Z2-9]{12}$/) })
      expect(issuance.claimUrl).toMatch(new RegExp(`/c/${issuance.code}$`))
      // The card she gets is made here: her coupon's value up front, the cover of its kind.
      expect(issuance.card).toEqual({
        link: issuance.claimUrl,
        title: expect.stringMatching(/^¥\d+/),
        desc: expect.stringContaining(tpl.name),
        imgUrl: expect.stringMatching(/\/media\/coupon-cover\/amount_off\.png$/),
      })
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

    it('refuses a send from a session that ended, even one the instance kept, and writes nothing', async () => {
      const tpl = await template()
      const session = await signIn(t, 'lina')
      const key = randomUUID()
      // Checked and kept by now: the send route takes such a session before its check is back.
      expect((await issue(tpl.id, customerId, key, session)).statusCode).toBe(201)
      expect((await issue(tpl.id, customerId, randomUUID(), session)).statusCode).toBe(201)
      expect((await call('POST', '/api/auth/logout', session)).statusCode).toBe(204)
      // The first send after it is the one the instance still kept: its batch (shared with a
      // send from her other session) refuses it, a retry, before it looks up what its key made.
      const [retry, other] = await Promise.all([issue(tpl.id, customerId, key, session), issue(tpl.id, customerId)])
      expect(retry.statusCode).toBe(401)
      expect(other.statusCode).toBe(201)
      const fresh = randomUUID()
      expect((await issue(tpl.id, customerId, fresh, session)).statusCode).toBe(401)
      expect(await stockOf(tpl.id)).toBe(7)
      const written = await t.testDb.db.kysely
        .selectFrom('coupon_issuances')
        .select('id')
        .where('idempotency_key', '=', fresh)
        .execute()
      expect(written).toEqual([])
      // Her other session still sends, that key too.
      expect((await issue(tpl.id, customerId, fresh)).statusCode).toBe(201)
    })

    it('answers a retry with what its key made, as it stands now, even once she is no longer hers', async () => {
      const tpl = await template()
      const [her] = (await followedCustomers(1, `retry${kind}`)) as [string]
      const key = randomUUID()
      const issuance = (await issue(tpl.id, her, key)).json() as Issuance
      await call('POST', `/api/issuances/${issuance.issuanceId}/confirm`, lina)
      const again = await issue(tpl.id, her, key)
      expect(again.statusCode).toBe(200)
      expect(again.json()).toMatchObject({ issuanceId: issuance.issuanceId, status: 'sent', code: issuance.code })
      // No longer hers: a new send is refused, the retry still gets its answer.
      await t.testDb.db.kysely
        .deleteFrom('wecom_follows')
        .where('external_user_id', '=', her)
        .where('user_id', '=', 'lina')
        .execute()
      expect((await issue(tpl.id, her)).statusCode).toBe(403)
      const late = await issue(tpl.id, her, key)
      expect(late.statusCode).toBe(200)
      expect((late.json() as Issuance).issuanceId).toBe(issuance.issuanceId)
      expect(await stockOf(tpl.id)).toBe(9)
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

    it('finds lapsed reservations in the index that holds reservations alone', async () => {
      const db = t.testDb.db.kysely
      const lapsed = overdueReservations(db, t.clock.value).select('id')
      expect(await planOf(db, kind, lapsed)).toContain('coupon_issuances_reserved')
      // Its condition (a lapse time is set) holds for every reservation and nothing else.
      const tpl = await template()
      const sent = (await issue(tpl.id)).json() as Issuance
      await issue(tpl.id)
      expect((await call('POST', `/api/issuances/${sent.issuanceId}/confirm`, lina)).statusCode).toBe(200)
      const mismatched = await db
        .selectFrom('coupon_issuances')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'reserved'), eb('reserved_until', 'is', null)]),
            eb.and([eb('status', '!=', 'reserved'), eb('reserved_until', 'is not', null)]),
          ]),
        )
        .execute()
      expect(mismatched).toEqual([])
    })
  })

  describe('who a coupon is for', () => {
    const ordersOf = (externalUserId: string) => {
      const member = t.demo.members.find((m) => m.externalUserId === externalUserId)
      return member ? t.demo.orders.filter((o) => o.memberId === member.id).length : 0
    }
    const linas = () => t.demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina')).map((c) => c.externalUserId)
    const offerFor = async (externalUserId: string, templateId: string) => {
      const { offers } = (await call('GET', `/api/customers/${externalUserId}/coupon-offers`, lina)).json() as CouponOffers
      return offers.find((o) => o.template.id === templateId)!
    }

    it('keeps the new-customer gift from a customer who already buys here, in the offer and at issue', async () => {
      const regular = linas().find((id) => ordersOf(id) >= 3)!
      const newcomer = linas().find((id) => ordersOf(id) === 0)!
      const welcome = await offerFor(regular, 'ct_demo_welcome')
      expect(welcome.template).toMatchObject({ name: expect.stringContaining('新客见面礼'), maxOrders: 0 })
      expect(welcome).toMatchObject({ available: false, reason: 'too_many_orders' })
      const refused = await issue('ct_demo_welcome', regular)
      expect(refused.statusCode).toBe(409)
      expect(refused.json()).toMatchObject({ error: { code: 'too_many_orders', message: expect.any(String) } })
      expect(await offerFor(newcomer, 'ct_demo_welcome')).toMatchObject({ available: true, reason: null })
      expect((await issue('ct_demo_welcome', newcomer)).statusCode).toBe(201)
    })

    it("goes by the tags she carries, the sending guide's own among them, not another guide's", async () => {
      const tpl = await template({ eligibleTags: ['周末逛店'] })
      // Hers, and Chenjing's as well.
      const [shared] = (await followedCustomers(1, `tag${kind}`)) as [string]
      const db = t.testDb.db.kysely
      const follow = await db
        .selectFrom('wecom_follows')
        .selectAll()
        .where('external_user_id', '=', shared)
        .where('user_id', '=', 'lina')
        .executeTakeFirstOrThrow()
      await db
        .insertInto('wecom_follows')
        .values({ ...follow, user_id: 'chenjing' })
        .execute()
      const tag = (cookie: string, add: string[]) => call('POST', `/api/customers/${shared}/personal-tags`, cookie, { add })
      expect((await issue(tpl.id, shared)).json().error.code).toBe('not_eligible')
      // Chenjing's tag is hers: it counts when she sends, not when Lina does.
      expect((await tag(chenjing, ['周末逛店'])).statusCode).toBe(200)
      expect((await issue(tpl.id, shared)).json().error.code).toBe('not_eligible')
      expect((await issue(tpl.id, shared, randomUUID(), chenjing)).statusCode).toBe(201)
      // Lina's own tag makes her eligible when Lina sends it.
      expect((await tag(lina, ['爱穿裙子', '周末逛店'])).statusCode).toBe(200)
      expect(await offerFor(shared, tpl.id)).toMatchObject({ available: true })
      expect((await issue(tpl.id, shared)).statusCode).toBe(201)
    })

    it('takes an order limit from the manager, and changes or lifts it', async () => {
      const twice = linas().find((id) => ordersOf(id) === 2) ?? linas().find((id) => ordersOf(id) >= 2)!
      const limit = ordersOf(twice)
      const tpl = await template({ maxOrders: limit - 1 })
      expect(tpl.maxOrders).toBe(limit - 1)
      expect((await issue(tpl.id, twice)).json().error.code).toBe('too_many_orders')
      const raised = await call('PATCH', `/api/coupon-templates/${tpl.id}`, manager, { maxOrders: limit })
      expect(raised.json().maxOrders).toBe(limit)
      expect((await issue(tpl.id, twice)).statusCode).toBe(201)
      const lifted = await call('PATCH', `/api/coupon-templates/${tpl.id}`, manager, { maxOrders: null })
      expect(lifted.json().maxOrders).toBeNull()
      expect((await template()).maxOrders).toBeNull()
      for (const bad of [-1, 1.5, '0']) {
        const response = await call('PATCH', `/api/coupon-templates/${tpl.id}`, manager, { maxOrders: bad })
        expect(response.statusCode, String(bad)).toBe(400)
      }
      expect((await call('PATCH', `/api/coupon-templates/${tpl.id}`, lina, { maxOrders: 0 })).statusCode).toBe(403)
    })
  })

  describe('her timeline', () => {
    it('shows each coupon sent, claimed, used at a store and expired, newest first, page by page, to every guide of hers without the code', async () => {
      const shared = t.demo.customers.find(
        (c) => c.follows.some((f) => f.userId === 'lina') && c.follows.some((f) => f.userId !== 'lina'),
      )!
      const otherGuide = await signIn(t, shared.follows.find((f) => f.userId !== 'lina')!.userId)
      const her = shared.externalUserId
      const minute = () => t.clock.advance(60_000)
      const send = async (tpl: CouponTemplate) => {
        const issuance = (await issue(tpl.id, her)).json() as Issuance
        expect((await call('POST', `/api/issuances/${issuance.issuanceId}/confirm`, lina)).statusCode).toBe(200)
        return issuance
      }

      minute()
      const used = await send(await template({ name: '时间线·已用' }))
      minute()
      expect((await call('GET', new URL(used.claimUrl).pathname, null)).statusCode).toBe(200)
      minute()
      const redeemed = await call(
        'POST',
        '/api/redemptions',
        null,
        { code: used.code },
        { authorization: `Bearer ${DEMO_TILL_KEYS.S001}` },
      )
      expect(redeemed.statusCode).toBe(200)
      minute()
      const lapsed = await send(await template({ name: '时间线·过期', validDays: 1 }))
      // Given back before it went: never hers, never in her timeline.
      const cancelled = (await issue((await template({ name: '时间线·退回' })).id, her)).json() as Issuance
      await call('POST', `/api/issuances/${cancelled.issuanceId}/release`, lina)
      t.clock.advance(3 * 86_400_000)
      // She opened a card whose send the app never confirmed: sent and claimed in one moment.
      const opened = (await issue((await template({ name: '时间线·直接打开' })).id, her)).json() as Issuance
      await call('GET', new URL(opened.claimUrl).pathname, null)

      const read = async (cookie: string, query = '') => {
        const all: TimelineEntry[] = []
        let cursor: string | null = null
        do {
          const page = (
            await call('GET', `/api/customers/${her}/timeline?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`, cookie)
          ).json() as TimelinePage
          all.push(...page.items)
          cursor = page.nextCursor
        } while (cursor)
        return all
      }
      const all = await read(lina)
      const times = all.map((e) => Date.parse(e.at))
      expect([...times].sort((a, b) => b - a)).toEqual(times)
      expect(new Set(all.map((e) => e.id)).size).toBe(all.length)
      const steps = all.filter((e) => e.coupon?.name.startsWith('时间线')).map((e) => `${e.kind} ${e.coupon!.name}`)
      expect(steps).toEqual([
        'coupon_claimed 时间线·直接打开',
        'coupon_sent 时间线·直接打开',
        'coupon_expired 时间线·过期',
        'coupon_sent 时间线·过期',
        'coupon_redeemed 时间线·已用',
        'coupon_claimed 时间线·已用',
        'coupon_sent 时间线·已用',
      ])
      const usedAt = all.find((e) => e.kind === 'coupon_redeemed' && e.coupon!.issuanceId === used.issuanceId)!
      expect(usedAt).toMatchObject({
        actor: null,
        coupon: { kind: 'amount_off', value: 5000, threshold: 50000, storeName: expect.any(String) },
      })
      expect(all.find((e) => e.kind === 'coupon_sent' && e.coupon!.issuanceId === used.issuanceId)).toMatchObject({
        actor: { userId: 'lina', name: '李娜' },
      })
      expect(Date.parse(all.find((e) => e.kind === 'coupon_expired')!.at)).toBe(Date.parse(lapsed.validUntil!))

      // Her other guide sees the same steps, and no code anywhere.
      const theirs = await read(otherGuide)
      expect(theirs.filter((e) => e.coupon).map((e) => e.id)).toEqual(all.filter((e) => e.coupon).map((e) => e.id))
      for (const code of [used.code, lapsed.code, opened.code, cancelled.code]) expect(JSON.stringify(theirs)).not.toContain(code)
      expect(JSON.stringify(all)).not.toContain(used.code)

      const expired = await read(lina, '&kind=coupon_expired')
      expect(expired.map((e) => e.coupon!.issuanceId)).toContain(lapsed.issuanceId)
      expect(expired.every((e) => e.kind === 'coupon_expired')).toBe(true)
    })
  })

  describe('timeline paging', () => {
    it('pages through two coupons that lapse at the same moment, one a page, without losing either', async () => {
      const twins = [await template({ name: '同日过期甲', validDays: 1 }), await template({ name: '同日过期乙', validDays: 1 })]
      const issued: Issuance[] = []
      for (const tpl of twins) {
        const issuance = (await issue(tpl.id)).json() as Issuance
        await call('POST', `/api/issuances/${issuance.issuanceId}/confirm`, lina)
        issued.push(issuance)
      }
      // Validity runs to the end of the day: both end at the same millisecond.
      expect(issued[0]!.validUntil).toBe(issued[1]!.validUntil)
      t.clock.advance(3 * 86_400_000)
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page = (
          await call(
            'GET',
            `/api/customers/${customerId}/timeline?kind=coupon_expired&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
            lina,
          )
        ).json() as TimelinePage
        seen.push(...page.items.map((e) => e.coupon!.issuanceId))
        cursor = page.nextCursor
      } while (cursor)
      for (const issuance of issued) expect(seen).toContain(issuance.issuanceId)
      expect(new Set(seen).size).toBe(seen.length)
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

    it('answers a retry whose reservation timed out (not yet swept) as given back, its stock back', async () => {
      const tpl = await template({ totalStock: 1, perCustomerLimit: 1 })
      const key = randomUUID()
      expect((await issue(tpl.id, customerId, key)).statusCode).toBe(201)
      expect(await stockOf(tpl.id)).toBe(0)
      t.clock.advance(RESERVATION_MS + 1000)
      const retry = await issue(tpl.id, customerId, key)
      expect(retry.statusCode, retry.body).toBe(409)
      expect(retry.json().error.code).toBe('conflict')
      expect(await stockOf(tpl.id)).toBe(1)
      // A new send may have it now: her timed-out hold no longer counts against her.
      expect((await issue(tpl.id, customerId)).statusCode).toBe(201)
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
      expect(seen.card).toBeNull()
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

    it('decides each send of a batch as if alone: one read from WeCom first, one not hers', async () => {
      const tpl = await template({ totalStock: 50, perCustomerLimit: 1 })
      const followed = await followedCustomers(12, `batch${kind}`)
      // Known to us only from her list: her send reads her from WeCom, beside the batch.
      const listed = t.demo.customers.find(
        (c) => c.follows.some((f) => f.userId === 'lina') && c.externalUserId !== customerId,
      )!.externalUserId
      const db = t.testDb.db.kysely
      await db.updateTable('wecom_customers').set({ fetched_at: 0 }).where('external_user_id', '=', listed).execute()
      const responses = await Promise.all([...followed, listed, strangerId].map((id) => issue(tpl.id, id)))
      expect(responses.map((r) => r.statusCode)).toEqual([...followed.map(() => 201), 201, 403])
      const issued = await db
        .selectFrom('coupon_issuances')
        .select(['id', 'external_user_id'])
        .where('template_id', '=', tpl.id)
        .execute()
      const to = new Map(issued.map((row) => [row.id, row.external_user_id]))
      expect(responses.slice(0, -1).map((r) => to.get((r.json() as Issuance).issuanceId))).toEqual([...followed, listed])
      const row = await db
        .selectFrom('wecom_customers')
        .select('fetched_at')
        .where('external_user_id', '=', listed)
        .executeTakeFirstOrThrow()
      expect(Number(row.fetched_at)).toBeGreaterThan(0)
      expect(await stockOf(tpl.id)).toBe(50 - followed.length - 1)
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
