import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, injectFetch, type BuiltApp } from '../../src/server/app'
import { placed, rankingMessage, rankingMoney } from '../../src/server/modules/reports/ranking-card'
import type { SimulatorAppMessage } from '../../src/shared/simulator'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

/**
 * The weekly ranking: one WeCom app message a store a week, to all its people, ranking
 * last week's (Monday–Sunday, China) sales or estimated commission. The weeks ranked here
 * lie after the demo's orders, so every order counted is one this test wrote.
 */

/** An instant given as China wall time, `2026-12-14 09:00`. */
const china = (wall: string) => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`)

describe('the ranking message', () => {
  it('writes money for a glance: whole yuan, and 万 from ¥10,000', () => {
    expect(rankingMoney(0)).toBe('¥0')
    expect(rankingMoney(850_049)).toBe('¥8,500')
    expect(rankingMoney(999_949)).toBe('¥9,999')
    expect(rankingMoney(999_950)).toBe('¥1万')
    expect(rankingMoney(1_234_567)).toBe('¥1.2万')
    expect(rankingMoney(2_000_000)).toBe('¥2万')
    expect(rankingMoney(123_456_789)).toBe('¥123.5万')
  })

  it('ranks highest first, ties sharing a place and skipping the next', () => {
    const ranked = placed([
      { userId: 'c', name: '周雨', amountFen: 500 },
      { userId: 'a', name: '李娜', amountFen: 900 },
      { userId: 'b', name: '王蕾', amountFen: 500 },
      { userId: 'd', name: '小刘', amountFen: 0 },
    ])
    expect(ranked.map((r) => [r.place, r.name])).toEqual([
      [1, '李娜'],
      [2, '王蕾'],
      [2, '周雨'],
      [4, '小刘'],
    ])
  })

  it('stays within what WeCom takes for a text message, saying how many are left out', () => {
    const entries = Array.from({ length: 200 }, (_, i) => ({ userId: `g${i}`, name: `导购${i}号`, amountFen: 200_000 - i }))
    const text = rankingMessage({ storeName: '上海静安嘉里中心店', metric: 'sales', week: '2026-12-07', entries })
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048)
    expect(text).toMatch(/…另有 \d+ 人$/)
    const shown = text.split('\n').filter((l) => /^\d+\. /.test(l)).length
    expect(text).toContain(`…另有 ${200 - shown} 人`)
  })
})

describe.each(DB_KINDS)('the weekly ranking (%s)', (kind) => {
  let t: TestApp
  let hq: string
  let memberId: string
  let orderNo = 0

  const inbox = (userId: string): SimulatorAppMessage[] => t.world.appMessages.get(userId) ?? []
  const sendCalls = () => t.world.callCount('message/send')
  const schedule = async (store: string, ranking: unknown) => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/stores/${store}/settings`,
      headers: { cookie: hq },
      payload: { ranking },
    })
    expect(res.statusCode, res.body).toBe(200)
  }
  const order = (guide: string, store: string, at: string, totalFen: number) =>
    t.testDb.db.kysely
      .insertInto('orders')
      .values({
        id: `WR${++orderNo}`,
        member_id: memberId,
        store_id: store,
        purchased_at: china(at),
        total_fen: totalFen,
        created_at: china(at),
        guide_user_id: guide,
        credited_guide_id: guide,
      })
      .execute()

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { WECOM_ADMIN_IDS: 'hq' } })
    t.world.users.set('hq', { userid: 'hq', name: '总部运营', position: '', storeId: 'S002', avatar: '' })
    hq = await signIn(t, 'hq')
    // Two more people in 上海静安: one who sells as much as 王蕾, one who sells nothing.
    for (const [userId, name] of [
      ['zhouyu', '周雨'],
      ['xiaoliu', '小刘'],
    ] as const) {
      t.world.users.set(userId, { userid: userId, name, position: '导购', storeId: 'S001', avatar: '' })
      await t.testDb.db.kysely
        .insertInto('guides')
        .values({
          user_id: userId,
          name,
          avatar: null,
          store_id: 'S001',
          role: 'guide',
          customers_synced_at: null,
          created_at: t.clock.value,
          updated_at: t.clock.value,
        })
        .execute()
    }
    // From a known start, whatever the demo schedules: each test says which store posts when.
    await t.testDb.db.kysely
      .updateTable('stores')
      .set({ ranking_weekday: null, ranking_at: null, ranking_metric: null })
      .execute()
    memberId = (await t.testDb.db.kysely.selectFrom('members').select('id').orderBy('id').executeTakeFirstOrThrow()).id
    // The week of 2026-12-07 to 12-13, and its edges.
    await order('lina', 'S001', '2026-12-06 23:59', 5_000_000)
    await order('lina', 'S001', '2026-12-08 15:00', 1_000_000)
    await order('lina', 'S001', '2026-12-13 23:59', 234_567)
    await order('lina', 'S001', '2026-12-14 00:30', 9_999_900)
    await order('wanglei', 'S001', '2026-12-07 00:00', 850_000)
    await order('zhouyu', 'S001', '2026-12-10 12:00', 600_000)
    await order('zhouyu', 'S001', '2026-12-12 12:00', 250_000)
    await order('chenjing', 'S002', '2026-12-09 18:00', 1_000_000)
  })
  afterAll(() => t.close())

  it('waits for the store’s weekday and time, then sends one message to all its people, once', async () => {
    await schedule('S001', { weekday: 1, at: '09:00', metric: 'sales' })
    t.clock.value = china('2026-12-14 08:59')
    expect(await t.weeklyRankings.sendDue()).toEqual([])
    expect(sendCalls()).toBe(0)

    t.clock.value = china('2026-12-14 09:00')
    const before = sendCalls()
    // 杭州湖滨 has no schedule: only 上海静安.
    expect(await t.weeklyRankings.sendDue()).toEqual(['S001'])
    expect(sendCalls() - before).toBe(1)
    const expected = [
      '上周销售排名 · 上海静安嘉里中心店',
      '12月7日–12月13日',
      '',
      '1. 李娜 ¥1.2万',
      '2. 王蕾 ¥8,500',
      '2. 周雨 ¥8,500',
      '4. 小刘 ¥0',
    ].join('\n')
    for (const userId of ['lina', 'wanglei', 'zhouyu', 'xiaoliu']) {
      expect(inbox(userId), userId).toHaveLength(1)
      expect(inbox(userId)[0]).toMatchObject({ msgtype: 'text', description: expected })
    }
    expect(inbox('chenjing')).toHaveLength(0)
    const rows = await t.testDb.db.kysely.selectFrom('ranking_reports').selectAll().execute()
    expect(rows.map((r) => [r.store_id, r.week, Number(r.sent_at)])).toEqual([['S001', '2026-12-07', t.clock.value]])

    // Once a week, however often the check runs, until the next week's time.
    expect(await t.weeklyRankings.sendDue()).toEqual([])
    t.clock.value = china('2026-12-20 23:59')
    expect(await t.weeklyRankings.sendDue()).toEqual([])
    expect(inbox('lina')).toHaveLength(1)

    // The simulator's window shows it in the app's chat.
    const page = await t.app.inject({ method: 'GET', url: '/simulator/api/app-messages?userId=zhouyu' })
    expect((page.json() as { items: SimulatorAppMessage[] }).items.map((m) => m.description)).toEqual([expected])
  })

  it('ranks estimated commission where the store asks for it, at its own weekday and time', async () => {
    // 杭州湖滨: Wednesdays 10:00, commission at its 2.5 %.
    await schedule('S002', { weekday: 3, at: '10:00', metric: 'commission' })
    t.clock.value = china('2026-12-16 09:59')
    expect(await t.weeklyRankings.sendDue()).toEqual([])
    t.clock.value = china('2026-12-16 10:00')
    expect(await t.weeklyRankings.sendDue()).toEqual(['S002'])
    expect(inbox('chenjing')).toHaveLength(1)
    const text = inbox('chenjing')[0]!.description
    expect(text.split('\n')[0]).toBe('上周返佣排名 · 杭州湖滨银泰店')
    expect(text).toContain('12月7日–12月13日')
    expect(text.split('\n').at(-1)).toBe('1. 陈静 ¥250')
    expect(inbox('lina')).toHaveLength(1)
  })

  it('tries again at the next check when WeCom is busy', async () => {
    await schedule('S002', null)
    t.clock.value = china('2026-12-21 09:00')
    t.world.injectFault('message/send', 45009, 1, 'api freq out of limit')
    expect(await t.weeklyRankings.sendDue()).toEqual([])
    expect(inbox('lina')).toHaveLength(1)
    const week = () => t.testDb.db.kysely.selectFrom('ranking_reports').selectAll().where('week', '=', '2026-12-14').execute()
    expect(await week()).toEqual([])
    t.clock.advance(60_000)
    expect(await t.weeklyRankings.sendDue()).toEqual(['S001'])
    expect(inbox('lina')).toHaveLength(2)
    // Only 李娜 sold that week (the Monday 00:30 order): the others share second place. A store without a schedule gets nothing.
    expect(inbox('lina')[1]!.description.split('\n').slice(3)).toEqual([
      '1. 李娜 ¥10万',
      '2. 王蕾 ¥0',
      '2. 小刘 ¥0',
      '2. 周雨 ¥0',
    ])
    expect(inbox('chenjing')).toHaveLength(1)
    expect((await week()).map((r) => r.store_id)).toEqual(['S001'])
  })

  it('sends once even when two instances check at the same moment', async () => {
    let second: BuiltApp | null = null
    second = await buildApp({
      config: t.config,
      db: t.testDb.db,
      now: t.clock.now,
      world: t.world,
      demo: t.demo,
      fetch: injectFetch(() => second!.app),
      wecomBusyBackoffMs: [0, 0, 0],
      distDir: '/nonexistent',
      eveningReportMs: 0,
      weeklyRankingMs: 0,
    })
    await second.app.ready()
    try {
      t.clock.value = china('2026-12-28 09:30')
      const before = sendCalls()
      const [a, b] = await Promise.all([t.weeklyRankings.sendDue(), second.weeklyRankings.sendDue()])
      expect([...a, ...b]).toEqual(['S001'])
      expect(sendCalls() - before).toBe(1)
      expect(inbox('lina')).toHaveLength(3)
    } finally {
      await second.app.close()
    }
  })

  it('runs the check on a timer when the app is asked to, and not for a schedule taken away', async () => {
    let timed: BuiltApp | null = null
    timed = await buildApp({
      config: t.config,
      db: t.testDb.db,
      now: t.clock.now,
      world: t.world,
      demo: t.demo,
      fetch: injectFetch(() => timed!.app),
      wecomBusyBackoffMs: [0, 0, 0],
      distDir: '/nonexistent',
      eveningReportMs: 0,
      weeklyRankingMs: 10,
    })
    await timed.app.ready()
    try {
      t.clock.value = china('2027-01-04 09:00')
      const deadline = Date.now() + 5_000
      while (Date.now() < deadline && inbox('lina').length < 4) await new Promise((resolve) => setTimeout(resolve, 20))
      expect(inbox('lina')).toHaveLength(4)
      await schedule('S001', null)
      t.clock.value = china('2027-01-11 09:00')
      expect(await t.weeklyRankings.sendDue()).toEqual([])
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(inbox('lina')).toHaveLength(4)
    } finally {
      await timed.app.close()
    }
  })
})
