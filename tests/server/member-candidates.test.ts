/**
 * Member lookups by phone (issue 14): they used to answer any phone's member name, level
 * and store, unlimited and unlogged. Now a member bound to another customer is not shown,
 * every lookup is kept in member_lookups, and each guide has a limited number per hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_RATE_LIMITS } from '../../src/server/http/rate-limits'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

describe.each(DB_KINDS)('member lookups by phone (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let chenjing: string
  let boundId: string
  let unboundId: string
  let bound: { id: string; name: string; phone: string }

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    chenjing = await signIn(t, 'chenjing')
    const customer = t.demo.customers.find(
      (c) =>
        c.follows.length === 1 &&
        c.follows[0]!.userId === 'lina' &&
        t.demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!
    boundId = customer.externalUserId
    bound = t.demo.members.find((m) => m.externalUserId === boundId)!
    unboundId = t.demo.customers.find(
      (c) => c.follows.some((f) => f.userId === 'lina') && !t.demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!.externalUserId
  })
  afterAll(() => t.close())

  const lookup = (customerId: string, phone: string, cookie = lina) =>
    t.app.inject({ method: 'GET', url: `/api/customers/${customerId}/member-candidates?phone=${phone}`, headers: { cookie } })
  const logged = () => t.testDb.db.kysely.selectFrom('member_lookups').selectAll().orderBy('at').orderBy('id').execute()

  it('does not show a member bound to another customer, and shows her to her own customer', async () => {
    const elsewhere = await lookup(unboundId, bound.phone)
    expect(elsewhere.statusCode).toBe(200)
    expect(elsewhere.json()).toEqual({ candidates: [] })
    expect(elsewhere.body).not.toContain(bound.name)

    const own = (await lookup(boundId, bound.phone)).json()
    expect(own.candidates).toEqual([expect.objectContaining({ memberId: bound.id, name: bound.name, boundElsewhere: false })])
  })

  it('keeps every lookup: who, about whom, the phone masked, what was shown and how many were hidden', async () => {
    const rows = await logged()
    // Same clock for both: order them by customer as they were made.
    const made = [unboundId, boundId].map((id) => rows.find((r) => r.external_user_id === id))
    expect(made).toEqual([
      expect.objectContaining({
        guide_id: 'lina',
        external_user_id: unboundId,
        phone_masked: `${bound.phone.slice(0, 3)}****${bound.phone.slice(-4)}`,
        shown: '[]',
        hidden: 1,
      }),
      expect.objectContaining({ guide_id: 'lina', external_user_id: boundId, shown: JSON.stringify([bound.id]), hidden: 0 }),
    ])
    expect(JSON.stringify(rows)).not.toContain(bound.phone)
    expect(rows.map((r) => Number(r.at))).toEqual([t.clock.value, t.clock.value])
  })

  it('limits each guide’s lookups per hour with 429 and Retry-After; other guides keep theirs', async () => {
    const { max, windowMs } = DEFAULT_RATE_LIMITS.memberLookups
    const before = (await logged()).length
    // Two were made above; each lookup counts, whatever it finds.
    for (let i = 2; i < max; i++) expect((await lookup(unboundId, `1390000${String(i).padStart(4, '0')}`)).statusCode).toBe(200)
    const refused = await lookup(unboundId, '13900009999')
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } })
    // Refused before the route: nothing looked up, nothing logged.
    expect((await logged()).length).toBe(before + max - 2)

    // chenjing has her own count.
    const hers = t.demo.customers.find((c) => c.follows.some((f) => f.userId === 'chenjing'))!.externalUserId
    expect((await lookup(hers, '13900009999', chenjing)).statusCode).toBe(200)

    t.clock.advance(windowMs)
    expect((await lookup(unboundId, '13900009999')).statusCode).toBe(200)
  })
})
