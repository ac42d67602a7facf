import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CouponTemplate, Issuance } from '../../src/shared/coupons'
import { migrations } from '../../src/server/db/migrations'
import { RESERVATION_MS, weekStart } from '../../src/server/modules/coupons/quota'
import { DB_KINDS } from '../helpers/db'
import { addFollowedCustomers, createTestApp, signIn, type TestApp } from '../helpers/app'

const DAY = 24 * 3600 * 1000

/**
 * A guide's weekly count of a coupon is a counter row kept by triggers (migration 0025):
 * it must equal, after every kind of write, what counting her issuances gives.
 */
describe.each(DB_KINDS)("a guide's weekly count of a coupon (%s)", (kind) => {
  let t: TestApp
  let lina: string
  let manager: string
  let customers: string[]

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    manager = await signIn(t, 'wanglei')
    customers = await addFollowedCustomers(t, 'lina', 8, `u${kind}`)
  })
  afterAll(() => t.close())

  const db = () => t.testDb.db.kysely
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: { cookie: lina } })
  const issue = (templateId: string, externalUserId: string) =>
    call('POST', `/api/coupons/${templateId}/issue`, { externalUserId, idempotencyKey: randomUUID() })

  /** What counting the issuances says, by template, guide and week. */
  const counted = async () => {
    const rows = await db()
      .selectFrom('coupon_issuances')
      .select(['template_id', 'guide_id', 'issued_at'])
      .where('status', '!=', 'released')
      .execute()
    const counts = new Map<string, number>()
    for (const row of rows) {
      const key = `${row.template_id}/${row.guide_id}/${weekStart(Number(row.issued_at))}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return counts
  }
  /** What the counter rows say (rows at zero are the same as none). */
  const kept = async () => {
    const rows = await db().selectFrom('coupon_guide_usage').selectAll().where('used', '!=', 0).execute()
    return new Map(rows.map((row) => [`${row.template_id}/${row.guide_id}/${Number(row.week_start)}`, row.used]))
  }
  const expectCountsAgree = async () => {
    const expected = await counted()
    expect(expected.size).toBeGreaterThan(0)
    expect(await kept()).toEqual(expected)
  }

  it('moves with issuing, a cancel, the sweep, a late confirm, a hand-over, a deletion and a new week', async () => {
    // The demo's own issuances were written after the migration: the triggers counted them.
    await expectCountsAgree()
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/coupon-templates',
      headers: { cookie: manager },
      payload: {
        name: '周配额券',
        kind: 'no_threshold',
        value: 1000,
        threshold: 0,
        totalStock: 100,
        perCustomerLimit: 5,
        guideWeeklyQuota: 2,
        validDays: 30,
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    const tpl = created.json() as CouponTemplate
    const [a, b, c, d, e] = customers as [string, string, string, string, string]

    const first = (await issue(tpl.id, a)).json() as Issuance
    expect((await issue(tpl.id, b)).statusCode).toBe(201)
    expect(((await issue(tpl.id, c)).json() as { error: { code: string } }).error.code).toBe('guide_quota')
    await expectCountsAgree()

    // Her cancel gives the place back.
    expect((await call('POST', `/api/issuances/${first.issuanceId}/release`)).statusCode).toBe(200)
    await expectCountsAgree()
    const third = (await issue(tpl.id, c)).json() as Issuance
    expect(third.status).toBe('reserved')
    await expectCountsAgree()

    // Never confirmed: the sweep gives both back; a late confirm takes one again.
    t.clock.advance(RESERVATION_MS + 1000)
    expect((await call('GET', `/api/customers/${a}/coupon-offers`)).statusCode).toBe(200)
    await expectCountsAgree()
    expect((await call('POST', `/api/issuances/${third.issuanceId}/confirm`)).statusCode).toBe(200)
    await expectCountsAgree()
    expect((await issue(tpl.id, d)).statusCode).toBe(201)
    expect(((await issue(tpl.id, e)).json() as { error: { code: string } }).error.code).toBe('guide_quota')

    // Her customer handed over to another guide takes the coupon (and its count) along.
    await db().updateTable('coupon_issuances').set({ guide_id: 'chenjing' }).where('id', '=', third.issuanceId).execute()
    await expectCountsAgree()
    expect((await issue(tpl.id, e)).statusCode).toBe(201)
    await db().deleteFrom('coupon_issuances').where('id', '=', third.issuanceId).execute()
    await expectCountsAgree()

    // A new week starts from nothing.
    t.clock.advance(7 * DAY)
    expect((await issue(tpl.id, a)).statusCode).toBe(201)
    expect((await issue(tpl.id, b)).statusCode).toBe(201)
    expect(((await issue(tpl.id, c)).json() as { error: { code: string } }).error.code).toBe('guide_quota')
    await expectCountsAgree()
  })

  it('is built from the issuances already there when the migration runs', async () => {
    const migration = migrations['2026_12_06_0025_coupon_guide_usage']!
    await migration.down!(db())
    const { id: templateId } = await db().selectFrom('coupon_templates').select('id').executeTakeFirstOrThrow()
    await db()
      .insertInto('coupon_issuances')
      .values({
        id: `ci_before_${kind}`,
        template_id: templateId,
        code: `BEFORE${kind.toUpperCase()}`,
        guide_id: 'lina',
        external_user_id: customers[0]!,
        idempotency_key: `before-${kind}`,
        status: 'sent',
        reserved_until: null,
        issued_at: t.clock.value,
        sent_at: t.clock.value,
        claimed_at: null,
        redeemed_at: null,
        redeemed_store_id: null,
        released_at: null,
        release_reason: null,
        valid_from: null,
        valid_until: null,
        order_id: null,
      })
      .execute()
    // As the migrator runs it: in a transaction (PostgreSQL's table lock needs one).
    await db()
      .transaction()
      .execute((trx) => migration.up(trx))
    await expectCountsAgree()
    expect((await kept()).get(`${templateId}/lina/${weekStart(t.clock.value)}`)).toBeGreaterThanOrEqual(1)
  })
})
