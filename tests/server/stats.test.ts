import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { GuideStats, StatsPeriod } from '../../src/shared/stats'
import { importText } from '../../src/server/modules/crm-import/importer'
import { ContactsRepository } from '../../src/server/modules/customers/contacts.repository'
import { creditOrders } from '../../src/server/modules/stats/attribution.repository'
import { addFollowedCustomers, createTestApp, FIXED_NOW, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS, memberRow } from '../helpers/db'

/**
 * GET /api/stats/me against a recount: every number is worked out here from the rows
 * themselves (plain selects, filtered in JavaScript), never through the service's SQL.
 */

const DAY = 86_400_000
const HOUR = 3_600_000
const CHINA = 8 * HOUR
const chinaDate = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 10)
const midnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - CHINA
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
/** An instant given as China wall time, `2026-11-29 23:30`. */
const china = (wall: string) => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`)

const KEYS = [
  'bundlesOpened',
  'bundlesSent',
  'commissionFen',
  'couponsClaimed',
  'couponsRedeemed',
  'couponsSent',
  'customersAdded',
  'customersLost',
  'from',
  'orders',
  'period',
  'rank',
  'repliesSent',
  'salesFen',
  'series',
  'targetFen',
  'tasksDone',
  'tasksOverdue',
  'to',
]

describe.each(DB_KINDS)('her numbers, GET /api/stats/me (%s)', (kind) => {
  let t: TestApp
  const cookies: Record<string, string> = {}

  beforeAll(async () => {
    t = await createTestApp(kind)
    for (const id of ['lina', 'wanglei', 'chenjing']) cookies[id] = await signIn(t, id)
    await seedActivity()
  })
  afterAll(() => t.close())
  beforeEach(() => {
    t.clock.value = FIXED_NOW
  })

  const k = () => t.testDb.db.kysely
  const stats = async (guide: string, period?: StatsPeriod) => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/stats/me${period ? `?period=${period}` : ''}`,
      headers: { cookie: cookies[guide]! },
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json() as GuideStats
  }

  /** Sends, opens, claims, follows and tasks for 李娜 around the test clock's day. */
  async function seedActivity(): Promise<void> {
    const now = FIXED_NOW
    const today = chinaDate(now)
    const customers = await addFollowedCustomers(t, 'lina', 3, 'stats')
    await k()
      .updateTable('wecom_follows')
      .set({ added_at: now - 3 * DAY })
      .where('external_user_id', '=', customers[2]!)
      .execute()
    const task = (id: string, status: string, dueDate: string, doneAt: number | null) => ({
      id,
      guide_id: 'lina',
      external_user_id: customers[0]!,
      kind: 'follow_up',
      due_date: dueDate,
      note_id: null,
      title: id,
      done_at: doneAt,
      created_at: now - 10 * DAY,
      status: status as 'todo' | 'done' | 'expired' | 'skipped',
      reason: '',
      skip_reason: status === 'skipped' ? '不需要' : null,
      payload: null,
      campaign_id: null,
    })
    await k()
      .insertInto('tasks')
      .values([
        task('t-done-today', 'done', today, now - HOUR),
        task('t-done-earlier', 'done', plusDays(today, -2), now - 2 * DAY),
        task('t-expired-yesterday', 'expired', plusDays(today, -1), null),
        task('t-todo-yesterday', 'todo', plusDays(today, -1), null),
        task('t-todo-today', 'todo', today, null),
        task('t-todo-tomorrow', 'todo', plusDays(today, 1), null),
        task('t-skipped-yesterday', 'skipped', plusDays(today, -1), now - HOUR),
        task('t-expired-lastweek', 'expired', plusDays(today, -8), null),
      ])
      .execute()
    const reply = (at: number, copied: number) => ({
      id: randomUUID(),
      reply_id: 'r-any',
      user_id: 'lina',
      external_user_id: customers[0]!,
      chat_id: null,
      parts_sent: 1,
      parts_total: 1,
      edited: 0,
      copied,
      sent_at: at,
    })
    await k()
      .insertInto('reply_sends')
      .values([reply(now - HOUR, 0), reply(now - 2 * HOUR, 1), reply(now - 2 * DAY, 0)])
      .execute()
    const bundleId = t.demo.bundles[0]!.id
    const send = (status: 'pending' | 'sent', sentAt: number | null, openedAt: number | null) => ({
      id: randomUUID(),
      bundle_id: bundleId,
      guide_id: 'lina',
      external_user_id: customers[0]!,
      chat_id: null,
      status,
      snapshot: '{}',
      created_at: sentAt ?? now,
      sent_at: sentAt,
      first_opened_at: openedAt,
      last_opened_at: openedAt,
      open_count: openedAt ? 1 : 0,
    })
    await k()
      .insertInto('bundle_sends')
      .values([send('sent', now - HOUR, null), send('sent', now - 3 * DAY, now - 2 * HOUR), send('pending', null, null)])
      .execute()
    const issuance = (
      status: 'sent' | 'claimed' | 'redeemed',
      sentAt: number,
      claimedAt: number | null,
      redeemedAt: number | null,
    ) => ({
      id: randomUUID(),
      template_id: 'ct_demo_welcome',
      code: randomUUID().slice(0, 12),
      guide_id: 'lina',
      external_user_id: customers[1]!,
      idempotency_key: randomUUID(),
      status,
      reserved_until: null,
      issued_at: sentAt,
      sent_at: sentAt,
      claimed_at: claimedAt,
      redeemed_at: redeemedAt,
      redeemed_store_id: redeemedAt ? 'S001' : null,
      released_at: null,
      release_reason: null,
      valid_from: sentAt,
      valid_until: sentAt + 30 * DAY,
      order_id: null,
    })
    await k()
      .insertInto('coupon_issuances')
      .values([
        issuance('sent', now - HOUR, null, null),
        issuance('claimed', now - 2 * DAY, now - 30 * 60_000, null),
        issuance('redeemed', now - 4 * DAY, now - 3 * DAY, now - 10 * 60_000),
      ])
      .execute()
    // Two customers stop following her, one within the hour and one three days ago: the
    // WeCom cache drops the follows and leaves a mark of when.
    const leaving = await addFollowedCustomers(t, 'lina', 2, 'stats-gone')
    const contacts = new ContactsRepository(t.testDb.db)
    await contacts.removeFollows('lina', [leaving[0]!], now - HOUR)
    await contacts.removeFollows('lina', [leaving[1]!], now - 3 * DAY)
  }

  /** What the numbers must be, from the rows. */
  async function recount(guide: string, period: StatsPeriod, now: number): Promise<GuideStats> {
    const today = chinaDate(now)
    const from =
      period === 'day'
        ? today
        : period === 'week'
          ? plusDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7))
          : `${today.slice(0, 7)}-01`
    const [fromMs, toMs] = [midnight(from), midnight(plusDays(today, 1))]
    const inPeriod = (ms: number | null) => ms !== null && ms >= fromMs && ms < toMs
    const [orders, guides, stores, follows, lost, tasks, replies, bundles, coupons, targets] = await Promise.all([
      k().selectFrom('orders').selectAll().execute(),
      k().selectFrom('guides').selectAll().execute(),
      k().selectFrom('stores').selectAll().execute(),
      k().selectFrom('wecom_follows').selectAll().execute(),
      k().selectFrom('customer_events').selectAll().where('kind', '=', 'follow_lost').execute(),
      k().selectFrom('tasks').selectAll().execute(),
      k().selectFrom('reply_sends').selectAll().execute(),
      k().selectFrom('bundle_sends').selectAll().execute(),
      k().selectFrom('coupon_issuances').selectAll().execute(),
      k().selectFrom('sales_targets').selectAll().execute(),
    ])
    const sold = orders.filter((o) => inPeriod(Number(o.purchased_at)))
    const salesOf = (id: string) =>
      sold.filter((o) => o.credited_guide_id === id).reduce((sum, o) => sum + Number(o.total_fen), 0)
    const mine = sold.filter((o) => o.credited_guide_id === guide)
    const salesFen = salesOf(guide)
    const me = guides.find((g) => g.user_id === guide)!
    const place = (group: string[]) => ({
      position: 1 + group.filter((id) => salesOf(id) > salesFen).length,
      of: group.length,
    })
    const bp = stores.find((s) => s.id === me.store_id)?.commission_bp ?? 0
    const days: string[] = []
    for (let d = from; d <= today; d = plusDays(d, 1)) days.push(d)
    const mineTasks = tasks.filter((task) => task.guide_id === guide)
    return {
      period,
      from,
      to: today,
      salesFen,
      orders: mine.length,
      customersAdded: follows.filter((f) => f.user_id === guide && inPeriod(f.added_at === null ? null : Number(f.added_at)))
        .length,
      customersLost: lost.filter((e) => e.actor_id === guide && inPeriod(Number(e.occurred_at))).length,
      tasksDone: mineTasks.filter((task) => task.status === 'done' && inPeriod(Number(task.done_at))).length,
      // Fell overdue in the period: due the day before one of its days, still open.
      tasksOverdue: mineTasks.filter(
        (task) =>
          (task.status === 'expired' || task.status === 'todo') &&
          task.due_date >= plusDays(from, -1) &&
          task.due_date <= plusDays(today, -1),
      ).length,
      repliesSent: replies.filter((r) => r.user_id === guide && inPeriod(Number(r.sent_at))).length,
      bundlesSent: bundles.filter(
        (b) => b.guide_id === guide && b.status === 'sent' && inPeriod(b.sent_at === null ? null : Number(b.sent_at)),
      ).length,
      bundlesOpened: bundles.filter(
        (b) => b.guide_id === guide && inPeriod(b.first_opened_at === null ? null : Number(b.first_opened_at)),
      ).length,
      couponsSent: coupons.filter((c) => c.guide_id === guide && inPeriod(c.sent_at === null ? null : Number(c.sent_at))).length,
      couponsClaimed: coupons.filter((c) => c.guide_id === guide && inPeriod(c.claimed_at === null ? null : Number(c.claimed_at)))
        .length,
      couponsRedeemed: coupons.filter(
        (c) => c.guide_id === guide && inPeriod(c.redeemed_at === null ? null : Number(c.redeemed_at)),
      ).length,
      targetFen: (() => {
        const row = targets.find((r) => r.scope === 'guide' && r.scope_id === guide && r.month === today.slice(0, 7))
        return row ? Number(row.amount_fen) : null
      })(),
      commissionFen: Math.round((salesFen * bp) / 10_000),
      rank: {
        store: place(guides.filter((g) => g.store_id === me.store_id).map((g) => g.user_id)),
        brand: place(guides.map((g) => g.user_id)),
      },
      series: days.map((date) => ({
        date,
        salesFen: mine.filter((o) => chinaDate(Number(o.purchased_at)) === date).reduce((sum, o) => sum + Number(o.total_fen), 0),
      })),
    }
  }

  it('answers only a signed-in guide, only for a day, a week or a month (a day when not said)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/stats/me' })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: '/api/stats/me?period=year' })).statusCode).toBe(401)
    const bad = await t.app.inject({ method: 'GET', url: '/api/stats/me?period=year', headers: { cookie: cookies.lina! } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } })
    const plain = await t.app.inject({ method: 'GET', url: '/api/stats/me', headers: { cookie: cookies.lina! } })
    expect(plain.headers['cache-control']).toBe('private, no-store')
    expect((plain.json() as GuideStats).period).toBe('day')
  })

  it('has exactly the contract’s fields, and every number agrees with a recount of the rows', async () => {
    for (const guide of ['lina', 'wanglei', 'chenjing']) {
      for (const period of ['day', 'week', 'month'] as const) {
        const actual = await stats(guide, period)
        expect(Object.keys(actual).sort()).toEqual(KEYS)
        expect(Object.keys(actual.rank.store).sort()).toEqual(['of', 'position'])
        expect(actual, `${guide} ${period}`).toEqual(await recount(guide, period, FIXED_NOW))
      }
    }
    // The seeded activity shows: these are not zeros agreeing with zeros.
    const day = await stats('lina', 'day')
    expect(day).toMatchObject({ customersAdded: 2, customersLost: 1, repliesSent: 2, bundlesSent: 1, bundlesOpened: 1 })
    expect(day).toMatchObject({ couponsSent: 1, couponsClaimed: 1, couponsRedeemed: 1 })
    // Tasks the generator writes may join the ones seeded here.
    expect(day.tasksDone).toBeGreaterThanOrEqual(1)
    expect(day.tasksOverdue).toBeGreaterThanOrEqual(2)
    const month = await stats('lina', 'month')
    expect(month.salesFen).toBeGreaterThan(0)
    expect(month.series).toHaveLength(25)
    expect(month.series.reduce((sum, p) => sum + p.salesFen, 0)).toBe(month.salesFen)
  })

  it('ranks the guides apart by sales, in the store and in the brand, with target and 预估 commission', async () => {
    const all = await Promise.all(['lina', 'wanglei', 'chenjing'].map((g) => stats(g, 'month')))
    const [lina, wanglei, chenjing] = all as [GuideStats, GuideStats, GuideStats]
    expect(new Set(all.map((s) => s.salesFen)).size).toBe(3)
    expect(lina.rank.store.of).toBe(2)
    expect(chenjing.rank.store).toEqual({ position: 1, of: 1 })
    expect(all.map((s) => s.rank.brand.of)).toEqual([3, 3, 3])
    expect(all.map((s) => s.rank.brand.position).sort()).toEqual([1, 2, 3])
    expect(lina.rank.store.position).toBe(lina.salesFen > wanglei.salesFen ? 1 : 2)
    // Demo: 3 % in Shanghai, 2.5 % in Hangzhou; this month's targets.
    expect(lina.commissionFen).toBe(Math.round(lina.salesFen * 0.03))
    expect(chenjing.commissionFen).toBe(Math.round(chenjing.salesFen * 0.025))
    expect(lina.targetFen).toBe(6_000_000)

    // Equal sales share a place.
    await k().updateTable('stores').set({ commission_bp: null }).where('id', '=', 'S002').execute()
    const gap = lina.salesFen - wanglei.salesFen
    const order = {
      id: 'TIE1',
      member_id: t.demo.members[0]!.id,
      store_id: 'S001',
      total_fen: Math.abs(gap),
      created_at: FIXED_NOW,
    }
    await k()
      .insertInto('orders')
      .values({ ...order, purchased_at: FIXED_NOW - HOUR, guide_user_id: null, credited_guide_id: gap > 0 ? 'wanglei' : 'lina' })
      .execute()
    const [tiedLina, tiedWang, noRate] = await Promise.all([
      stats('lina', 'month'),
      stats('wanglei', 'month'),
      stats('chenjing', 'month'),
    ])
    expect(tiedLina.salesFen).toBe(tiedWang.salesFen)
    expect(tiedLina.rank.store).toEqual({ position: 1, of: 2 })
    expect(tiedWang.rank.store).toEqual({ position: 1, of: 2 })
    expect(noRate.commissionFen).toBe(0)
    expect(tiedLina).toEqual(await recount('lina', 'month', FIXED_NOW))
  })

  it('counts days, weeks and months in China time: Sunday 23:30 is that week, Monday 00:10 starts a new one', async () => {
    const sunday = china('2026-11-29 23:30')
    await k()
      .insertInto('orders')
      .values({
        id: 'SUN2330',
        member_id: t.demo.members[1]!.id,
        store_id: 'S001',
        purchased_at: sunday,
        total_fen: 123_456,
        created_at: sunday,
        guide_user_id: null,
        credited_guide_id: 'lina',
      })
      .execute()
    t.clock.value = china('2026-11-29 23:45')
    const week = await stats('lina', 'week')
    expect(week).toMatchObject({ from: '2026-11-23', to: '2026-11-29' })
    expect(week.series.at(-1)).toEqual({ date: '2026-11-29', salesFen: 123_456 })
    expect(week).toEqual(await recount('lina', 'week', t.clock.value))
    const sundayOnly = await stats('lina', 'day')
    expect(sundayOnly).toMatchObject({ from: '2026-11-29', salesFen: 123_456, orders: 1 })

    t.clock.value = china('2026-11-30 00:10')
    const monday = await stats('lina', 'week')
    expect(monday).toMatchObject({ from: '2026-11-30', to: '2026-11-30', salesFen: 0 })
    expect(monday.series).toEqual([{ date: '2026-11-30', salesFen: 0 }])

    // A new month: from the 1st, and no target set for it yet.
    t.clock.value = china('2026-12-01 09:00')
    const december = await stats('lina', 'month')
    expect(december).toMatchObject({ from: '2026-12-01', to: '2026-12-01', targetFen: null })
    expect(december).toEqual(await recount('lina', 'month', t.clock.value))
  })

  describe('who an order counts for', () => {
    const customer = 'wmAttribution000000000000000001'
    const member = 'MATTR0001'

    beforeAll(async () => {
      const at = china('2026-01-01 10:00')
      await k()
        .insertInto('members')
        .values(memberRow(member, { external_user_id: customer, name: '测试', store_id: 'S001', at }))
        .execute()
      await k()
        .insertInto('wecom_customers')
        .values({
          external_user_id: customer,
          name: '测试',
          avatar: null,
          type: 1,
          gender: 2,
          corp_name: null,
          unionid: null,
          fetched_at: at,
          updated_at: at,
        })
        .execute()
      const follow = (userId: string, addedAt: number) => ({
        external_user_id: customer,
        user_id: userId,
        remark: '',
        description: '',
        tags: '[]',
        added_at: addedAt,
        add_way: 1,
        state: null,
        remark_mobiles: '[]',
        updated_at: at,
      })
      // 陈静 follows her too, but 李娜 added her first: 李娜 is her primary guide.
      await k()
        .insertInto('wecom_follows')
        .values([follow('chenjing', china('2026-06-01 10:00')), follow('lina', at)])
        .execute()
      await k()
        .insertInto('customer_events')
        .values({
          id: randomUUID(),
          external_user_id: customer,
          kind: 'reply_sent',
          actor_id: 'chenjing',
          occurred_at: china('2026-10-10 12:00'),
          payload: '{}',
        })
        .execute()
      await k()
        .insertInto('customer_notes')
        .values({
          id: randomUUID(),
          external_user_id: customer,
          author_id: 'wanglei',
          text: '试穿了大衣',
          next_follow_up: null,
          outcome: null,
          created_at: china('2026-10-12 09:00'),
        })
        .execute()
    })

    const creditOf = async (id: string) =>
      (await k().selectFrom('orders').select('credited_guide_id').where('id', '=', id).executeTakeFirstOrThrow())
        .credited_guide_id
    const importOrders = (rows: string[]) =>
      importText(t.testDb.db, 'orders', ['订单号,行号,会员号,下单时间,商品名称,成交价,导购', ...rows].join('\n'))

    it('goes to the CRM’s guide, else who last served her within 14 days, else her primary guide', async () => {
      const report = await importOrders([
        `A1,1,${member},2026-10-13 10:00,大衣,1000,lina`,
        `A2,1,${member},2026-10-13 10:00,大衣,1000,`,
        `A3,1,${member},2026-10-11 10:00,大衣,1000,`,
        `A4,1,${member},2026-10-27 10:00,大衣,1000,`,
        `A5,1,${member},2026-10-13 11:00,大衣,1000,ghost`,
      ])
      expect(report).toMatchObject({ inserted: 5, rejected: [] })
      expect(await k().selectFrom('orders').select('guide_user_id').where('id', '=', 'A1').executeTakeFirstOrThrow()).toEqual({
        guide_user_id: 'lina',
      })
      // The CRM names her seller.
      expect(await creditOf('A1')).toBe('lina')
      // The note the day before is the last service (the reply three days before came earlier).
      expect(await creditOf('A2')).toBe('wanglei')
      // Before that note, the reply was the last service.
      expect(await creditOf('A3')).toBe('chenjing')
      // The note was 15 days before: too long ago; her primary guide gets it.
      expect(await creditOf('A4')).toBe('lina')
      // A seller the CRM names but we do not know: as if none were named.
      expect(await creditOf('A5')).toBe('wanglei')

      // Imported again without the seller: worked out again.
      expect(await importOrders([`A1,1,${member},2026-10-13 10:00,大衣,1000,`])).toMatchObject({ updated: 1, rejected: [] })
      expect(await creditOf('A1')).toBe('wanglei')
      // Lines of one order must agree on the seller.
      const clash = await importOrders([
        `A6,1,${member},2026-10-13 10:00,大衣,1000,lina`,
        `A6,2,${member},2026-10-13 10:00,裙,1000,chenjing`,
      ])
      expect(clash.rejected).toEqual([{ line: 3, reason: 'order A6 has a different guide at line 2' }])
    })

    it('fills orders written without a guide when asked, and leaves credited ones alone', async () => {
      const base = { member_id: member, store_id: 'S001', total_fen: 500, created_at: FIXED_NOW, guide_user_id: null }
      await k()
        .insertInto('orders')
        .values([
          { ...base, id: 'B1', purchased_at: china('2026-10-11 12:00'), credited_guide_id: null },
          { ...base, id: 'B2', purchased_at: china('2026-10-11 12:00'), credited_guide_id: 'lina' },
        ])
        .execute()
      await creditOrders(k())
      expect(await creditOf('B1')).toBe('chenjing')
      expect(await creditOf('B2')).toBe('lina')
    })
  })
})
