import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, injectFetch, type BuiltApp } from '../../src/server/app'
import { formatYuan } from '../../src/server/http/customer-page'
import type { SimulatorAppMessage } from '../../src/shared/simulator'
import { createTestApp, FIXED_NOW, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

/**
 * The evening report: one WeCom app message a guide a day, at her store's time (杭州湖滨
 * 20:30 in the demo, 上海静安 the default 21:00), received by the simulator's WeCom.
 */

const DAY = 86_400_000
const CHINA = 8 * 3_600_000
/** An instant given as China wall time, `2026-11-25 20:30`. */
const china = (wall: string) => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`)
const chinaDate = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 10)

describe.each(DB_KINDS)('the evening report (%s)', (kind) => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp(kind)
  })
  afterAll(() => t.close())

  const inbox = (userId: string): SimulatorAppMessage[] =>
    (t.world.appMessages.get(userId) ?? []).map((m) => ({ ...m }) as SimulatorAppMessage)
  const sendCalls = () => t.world.callCount('message/send')

  /** Her day from the rows: credited sales and orders, tasks done, and open tasks due by tomorrow. */
  async function herDay(userId: string, now: number) {
    const k = t.testDb.db.kysely
    const start = Date.parse(`${chinaDate(now)}T00:00:00Z`) - CHINA
    const orders = (await k.selectFrom('orders').selectAll().where('credited_guide_id', '=', userId).execute()).filter(
      (o) => Number(o.purchased_at) >= start && Number(o.purchased_at) < start + DAY,
    )
    const tasks = await k.selectFrom('tasks').selectAll().where('guide_id', '=', userId).execute()
    const tomorrow = chinaDate(now + DAY)
    return {
      salesFen: orders.reduce((sum, o) => sum + Number(o.total_fen), 0),
      orders: orders.length,
      tasksDone: tasks.filter(
        (task) => task.status === 'done' && Number(task.done_at) >= start && Number(task.done_at) < start + DAY,
      ).length,
      tomorrow: tasks.filter((task) => task.status === 'todo' && task.due_date <= tomorrow).length,
    }
  }

  it('waits for the store’s time, then sends each of its guides one text card with her day', async () => {
    t.clock.value = FIXED_NOW
    expect(await t.eveningReports.sendDue()).toEqual([])
    t.clock.value = china('2026-11-25 20:29')
    expect(await t.eveningReports.sendDue()).toEqual([])
    expect(sendCalls()).toBe(0)

    // 杭州湖滨 reports at 20:30: 陈静 only.
    t.clock.value = china('2026-11-25 20:30')
    expect(await t.eveningReports.sendDue()).toEqual(['chenjing'])
    const [card] = inbox('chenjing')
    expect(inbox('chenjing')).toHaveLength(1)
    const day = await herDay('chenjing', t.clock.value)
    expect(day.salesFen).toBeGreaterThan(0)
    expect(card).toMatchObject({ msgtype: 'textcard', title: '今日小结 · 11月25日', btntxt: '去工作台' })
    expect(card!.url).toMatch(/^https?:\/\/[^/]+\/#\/workbench$/)
    expect(card!.description).toContain(`今日销售 ${formatYuan(day.salesFen)} · ${day.orders} 单`)
    expect(card!.description).toContain(`完成任务 ${day.tasksDone} 项`)
    expect(card!.description).toContain(`明日待办 ${day.tomorrow} 项`)
    // Her own numbers only: no customer's name or remark.
    for (const customer of t.demo.customers) expect(card!.description).not.toContain(customer.realName)

    // Once a day, however often the check runs.
    expect(await t.eveningReports.sendDue()).toEqual([])
    t.clock.value = china('2026-11-25 23:59')
    expect(await t.eveningReports.sendDue()).toEqual(['lina', 'wanglei'])
    expect(await t.eveningReports.sendDue()).toEqual([])
    expect(sendCalls()).toBe(3)
    expect(inbox('lina')).toHaveLength(1)
    expect(inbox('wanglei')).toHaveLength(1)
    const rows = await t.testDb.db.kysely.selectFrom('evening_reports').selectAll().where('day', '=', '2026-11-25').execute()
    expect(rows.map((r) => r.guide_id).sort()).toEqual(['chenjing', 'lina', 'wanglei'])

    // The simulator's window shows them in the app's chat.
    const page = await t.app.inject({ method: 'GET', url: '/simulator/api/app-messages?userId=chenjing' })
    expect(page.statusCode).toBe(200)
    expect((page.json() as { items: SimulatorAppMessage[] }).items).toEqual(inbox('chenjing'))
    expect((await t.app.inject({ method: 'GET', url: '/simulator/api/app-messages?userId=ghost' })).statusCode).toBe(404)
    const world = (await t.app.inject({ method: 'GET', url: '/simulator/api/world' })).json() as {
      appMessages: Record<string, unknown[]>
    }
    expect(world.appMessages.lina).toHaveLength(1)
  })

  it('sends once per guide even when two instances check at the same moment', async () => {
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
    })
    await second.app.ready()
    try {
      t.clock.value = china('2026-11-26 21:05')
      const before = sendCalls()
      const [a, b] = await Promise.all([t.eveningReports.sendDue(), second.eveningReports.sendDue()])
      expect([...a, ...b].sort()).toEqual(['chenjing', 'lina', 'wanglei'])
      expect(sendCalls() - before).toBe(3)
      for (const guide of ['chenjing', 'lina', 'wanglei']) expect(inbox(guide)).toHaveLength(2)
      expect(inbox('lina').at(-1)!.title).toBe('今日小结 · 11月26日')
    } finally {
      await second.app.close()
    }
  })

  it('tries again at the next check when WeCom is busy', async () => {
    t.clock.value = china('2026-11-27 21:00')
    t.world.injectFault('message/send', 45009, 1, 'api freq out of limit')
    const sendCalls = () => t.world.callCount('message/send')
    const before = sendCalls()
    // WeCom's minute block: after the first refusal nobody else is tried until it passes.
    expect(await t.eveningReports.sendDue()).toEqual([])
    expect(sendCalls() - before).toBe(1)
    expect(inbox('chenjing')).toHaveLength(2)
    t.clock.advance(60_000)
    expect((await t.eveningReports.sendDue()).sort()).toEqual(['chenjing', 'lina', 'wanglei'])
    expect(inbox('chenjing')).toHaveLength(3)
  })

  it('checks WeCom’s message/send as WeCom does', async () => {
    const { token } = t.world.issueToken()
    const send = async (body: Record<string, unknown>) =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/simulator/wecom-api/cgi-bin/message/send?access_token=${token}`,
          payload: body,
        })
      ).json() as { errcode: number; errmsg: string; invaliduser?: string; msgid?: string }
    const card = { title: '标题', description: '内容', url: 'https://example.com/#/workbench', btntxt: '详情' }
    const agentid = Number(t.world.agentId)
    expect((await send({ touser: 'lina', msgtype: 'textcard', textcard: card })).errcode).toBe(41011)
    expect((await send({ touser: 'lina', agentid: 1, msgtype: 'textcard', textcard: card })).errcode).toBe(40056)
    expect((await send({ agentid, msgtype: 'textcard', textcard: card })).errcode).toBe(82001)
    expect((await send({ touser: 'lina', agentid, msgtype: 'voice', voice: {} })).errcode).toBe(40008)
    expect((await send({ touser: 'lina', agentid, msgtype: 'textcard', textcard: { ...card, title: '' } })).errcode).toBe(41016)
    expect((await send({ touser: 'lina', agentid, msgtype: 'textcard', textcard: { ...card, description: '' } })).errcode).toBe(
      41033,
    )
    expect((await send({ touser: 'lina', agentid, msgtype: 'textcard', textcard: { ...card, url: '' } })).errcode).toBe(41010)
    expect(
      (await send({ touser: 'lina', agentid, msgtype: 'textcard', textcard: { ...card, url: 'example.com' } })).errcode,
    ).toBe(40094)
    expect((await send({ touser: 'ghost', agentid, msgtype: 'textcard', textcard: card })).errcode).toBe(81013)
    expect((await send({ touser: 'lina', agentid, msgtype: 'text', text: { content: '' } })).errcode).toBe(44004)
    const before = inbox('lina').length
    const ok = await send({ touser: 'lina|ghost', agentid, msgtype: 'textcard', textcard: card, enable_duplicate_check: 1 })
    expect(ok).toMatchObject({ errcode: 0, errmsg: 'ok', invaliduser: 'ghost', msgid: expect.any(String) })
    // The same card again within the duplicate check's interval is not delivered twice.
    expect(
      (await send({ touser: 'lina', agentid, msgtype: 'textcard', textcard: card, enable_duplicate_check: 1 })).errcode,
    ).toBe(0)
    expect(inbox('lina')).toHaveLength(before + 1)
    expect(inbox('lina').at(-1)).toMatchObject({ title: '标题', description: '内容', url: card.url, btntxt: '详情' })
  })

  it('runs the check on a timer when the app is asked to', async () => {
    const timed = await createTestApp(kind, { eveningReportMs: 10 })
    try {
      timed.clock.value = china('2026-11-25 21:00')
      const deadline = Date.now() + 5_000
      while (Date.now() < deadline && (timed.world.appMessages.get('lina')?.length ?? 0) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(timed.world.appMessages.get('lina')).toHaveLength(1)
      expect(timed.world.appMessages.get('chenjing')).toHaveLength(1)
    } finally {
      await timed.close()
    }
  })
})
