import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { GuideStats, StatsPeriod } from '../../src/shared/stats'
import type { ContentUsage, TeamMembers, TeamStats, TeamTotals } from '../../src/shared/team'
import { TEAM_NUMBER_FIELDS } from '../../src/shared/team'
import { ContactsRepository } from '../../src/server/modules/customers/contacts.repository'
import { addFollowedCustomers, createTestApp, FIXED_NOW, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS, memberRow } from '../helpers/db'

/**
 * The manager's desk reads, /api/team/…: every row must be the guide's own /api/stats/me,
 * the totals its sums, the scope the caller's, the CSV the same numbers, and content at
 * work a recount of the sends and the orders that followed them.
 *
 * The people: S001 — wanglei (manager), lina, zhouli (a name with a comma); S002 —
 * chenjing, hyper (named like a spreadsheet formula), zhaomin (manager); hq is head office
 * (WECOM_ADMIN_IDS) in no store.
 */

const DAY = 86_400_000
const HOUR = 3_600_000
const PERIODS: StatsPeriod[] = ['day', 'week', 'month']
const S001 = ['wanglei', 'lina', 'zhouli']
const S002 = ['chenjing', 'hyper', 'zhaomin']
const HYPER_NAME = '=HYPERLINK("x")'
const CHINA = 8 * HOUR
const chinaDate = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 10)
const midnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - CHINA

/** RFC 4180, as a spreadsheet reads it back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"'
      i++
    } else if (c === '"') {
      quoted = !quoted
    } else if (!quoted && c === ',') {
      row.push(cell)
      cell = ''
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else {
      cell += c
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows
}
const fen = (yuan: string) => Math.round(Number(yuan) * 100)

describe.each(DB_KINDS)('the team desk, /api/team/… (%s)', (kind) => {
  let t: TestApp
  const cookies: Record<string, string> = {}
  const k = () => t.testDb.db.kysely

  const get = async (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } })
  const json = async <T>(who: string, url: string): Promise<T> => {
    const response = await get(who, url)
    expect(response.statusCode, `${who} ${url}: ${response.body}`).toBe(200)
    return response.json() as T
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { WECOM_ADMIN_IDS: 'hq' } })
    const extra: [string, string, string | null][] = [
      ['zhouli', '周丽,小周', 'S001'],
      ['hyper', HYPER_NAME, 'S002'],
      ['zhaomin', '赵敏', 'S002'],
      ['hq', '总部运营', null],
    ]
    for (const [userId, name, storeId] of extra) {
      t.world.users.set(userId, { userid: userId, name, position: '', storeId: storeId ?? 'S001', avatar: '' })
    }
    for (const id of [...S001, ...S002, 'hq']) cookies[id] = await signIn(t, id)
    // What the CRM's guides import would say.
    for (const [userId, , storeId] of extra) {
      await k()
        .updateTable('guides')
        .set({ store_id: storeId, role: userId === 'zhaomin' ? 'manager' : 'guide' })
        .where('user_id', '=', userId)
        .execute()
    }
    await seedActivity()
  })
  afterAll(() => t.close())

  /** Follows, losses, tasks, sends, orders and targets for everyone, at times that fall in some periods and not others. */
  async function seedActivity(): Promise<void> {
    const now = FIXED_NOW
    const today = chinaDate(now)
    const back = (days: number) => chinaDate(now - days * DAY)
    const contacts = new ContactsRepository(t.testDb.db)
    const people = [...S001, ...S002]
    for (const [i, guide] of people.entries()) {
      const customers = await addFollowedCustomers(t, guide, 3 + i, `team${guide}`)
      // One added two days ago (this week, from Monday the 23rd), one ten days ago (this month only).
      await k()
        .updateTable('wecom_follows')
        .set({ added_at: now - 2 * DAY })
        .where('external_user_id', '=', customers[1]!)
        .execute()
      await k()
        .updateTable('wecom_follows')
        .set({ added_at: now - 10 * DAY })
        .where('external_user_id', '=', customers[2]!)
        .execute()
      const leaving = await addFollowedCustomers(t, guide, 2, `teamgone${guide}`)
      await contacts.removeFollows(guide, [leaving[0]!], now - HOUR)
      await contacts.removeFollows(guide, [leaving[1]!], now - (i + 1) * DAY)

      const task = (n: number, status: 'todo' | 'done' | 'expired', due: string, doneAt: number | null) => ({
        id: `t-team-${guide}-${n}`,
        guide_id: guide,
        external_user_id: customers[0]!,
        kind: 'follow_up',
        due_date: due,
        note_id: null,
        title: 'team',
        done_at: doneAt,
        created_at: now - 20 * DAY,
        status,
        reason: '',
        skip_reason: null,
        payload: null,
        campaign_id: null,
      })
      await k()
        .insertInto('tasks')
        .values([
          task(1, 'done', today, now - HOUR),
          task(2, 'done', back(2), now - (2 + i) * DAY),
          task(3, 'expired', back(1), null),
          task(4, 'todo', back(i + 3), null),
        ])
        .execute()

      const at = [now - HOUR, now - 2 * DAY, now - (9 + i) * DAY]
      await k()
        .insertInto('reply_sends')
        .values(
          at.slice(0, 1 + (i % 3)).map((sentAt) => ({
            id: randomUUID(),
            reply_id: 'r-any',
            user_id: guide,
            external_user_id: customers[0]!,
            chat_id: null,
            parts_sent: 1,
            parts_total: 1,
            edited: 0,
            copied: 0,
            sent_at: sentAt,
          })),
        )
        .execute()
      await k()
        .insertInto('bundle_sends')
        .values(
          at.map((sentAt, n) => ({
            id: randomUUID(),
            bundle_id: t.demo.bundles[0]!.id,
            guide_id: guide,
            external_user_id: customers[0]!,
            chat_id: null,
            status: 'sent' as const,
            snapshot: '{}',
            created_at: sentAt,
            sent_at: sentAt,
            first_opened_at: n <= i % 2 ? sentAt + 10 * 60_000 : null,
            last_opened_at: null,
            open_count: 0,
          })),
        )
        .execute()
      await k()
        .insertInto('coupon_issuances')
        .values(
          at.map((sentAt, n) => ({
            id: randomUUID(),
            template_id: 'ct_demo_welcome',
            code: randomUUID().slice(0, 12),
            guide_id: guide,
            external_user_id: customers[1]!,
            idempotency_key: randomUUID(),
            status: n === 0 ? ('sent' as const) : ('redeemed' as const),
            reserved_until: null,
            issued_at: sentAt,
            sent_at: sentAt,
            claimed_at: n === 0 ? null : sentAt + HOUR,
            redeemed_at: n === 0 ? null : now - (n - 1) * 3 * DAY - 30 * 60_000,
            redeemed_store_id: n === 0 ? null : 'S001',
            released_at: null,
            release_reason: null,
            valid_from: sentAt,
            valid_until: sentAt + 30 * DAY,
            order_id: null,
          })),
        )
        .execute()
      await k()
        .insertInto('orders')
        .values(
          at.map((purchasedAt, n) => ({
            id: `O-team-${guide}-${n}`,
            member_id: t.demo.members[(i * 3 + n) % t.demo.members.length]!.id,
            store_id: i < 3 ? 'S001' : 'S002',
            purchased_at: purchasedAt,
            total_fen: 10_000 * (i + 1) + 123 * n,
            created_at: purchasedAt,
            guide_user_id: null,
            credited_guide_id: guide,
          })),
        )
        .execute()
    }
    // Targets: S002 loses its store target, so its total is its guides' (chenjing's demo one and hyper's).
    await k().deleteFrom('sales_targets').where('scope', '=', 'store').where('scope_id', '=', 'S002').execute()
    await k()
      .insertInto('sales_targets')
      .values(
        [
          ['zhouli', 4_000_000],
          ['hyper', 3_000_000],
        ].map(([id, amount]) => ({
          scope: 'guide' as const,
          scope_id: id as string,
          month: today.slice(0, 7),
          amount_fen: amount as number,
          updated_by: 'wanglei',
          updated_at: now,
        })),
      )
      .execute()
  }

  const fieldsOf = (stats: GuideStats) => {
    const { rank: _rank, period: _period, from: _from, to: _to, ...rest } = stats
    return rest
  }

  it('gives each guide the row her own 数据 tab shows, for a day, a week and a month', async () => {
    for (const period of PERIODS) {
      const team = await json<TeamStats>('hq', `/api/team/stats?period=${period}`)
      expect(team.guides.map((g) => g.userId).sort()).toEqual([...S001, ...S002].sort())
      for (const guide of [...S001, ...S002]) {
        const own = await json<GuideStats>(guide, `/api/stats/me?period=${period}`)
        expect(team).toMatchObject({ period, from: own.from, to: own.to })
        const row = team.guides.find((g) => g.userId === guide)!
        const { userId: _u, name: _n, storeId: _s, ...numbers } = row
        expect(numbers, `${guide} ${period}`).toEqual(fieldsOf(own))
      }
    }
    // Not zeros agreeing with zeros.
    const month = await json<TeamStats>('hq', '/api/team/stats?period=month')
    const zhouli = month.guides.find((g) => g.userId === 'zhouli')!
    expect(zhouli).toMatchObject({ name: '周丽,小周', storeId: 'S001', orders: 3, repliesSent: 3, bundlesSent: 3 })
    expect(zhouli).toMatchObject({ couponsSent: 3, couponsClaimed: 2, targetFen: 4_000_000, customersLost: 2 })
    expect(zhouli.commissionFen).toBe(Math.round(zhouli.salesFen * 0.03))
    expect(zhouli.tasksDone).toBe(2)
    const day = await json<TeamStats>('hq', '/api/team/stats')
    expect(day.period).toBe('day')
    expect(day.guides.find((g) => g.userId === 'hyper')).toMatchObject({ orders: 1, salesFen: 50_000, customersAdded: 5 })
  })

  it('adds the rows up per store and in all; targets are the store’s own, else its guides’', async () => {
    for (const period of PERIODS) {
      const team = await json<TeamStats>('hq', `/api/team/stats?period=${period}`)
      const sumOf = (rows: TeamStats['guides']): Omit<TeamTotals, 'targetFen'> => ({
        ...(Object.fromEntries(
          TEAM_NUMBER_FIELDS.filter((f) => f !== 'targetFen').map((f) => [f, rows.reduce((s, r) => s + (r[f] ?? 0), 0)]),
        ) as Omit<TeamTotals, 'targetFen' | 'series'>),
        series: rows[0]!.series.map((p, i) => ({ date: p.date, salesFen: rows.reduce((s, r) => s + r.series[i]!.salesFen, 0) })),
      })
      expect(team.stores.map((s) => s.id)).toEqual(['S001', 'S002'])
      expect(team.stores.map((s) => s.name)).toEqual(['上海静安嘉里中心店', '杭州湖滨银泰店'])
      for (const store of team.stores) {
        const rows = team.guides.filter((g) => g.storeId === store.id)
        expect(rows).toHaveLength(3)
        expect(store.totals).toEqual({ ...sumOf(rows), targetFen: store.id === 'S001' ? 15_000_000 : 5_000_000 + 3_000_000 })
      }
      expect(team.totals).toEqual({ ...sumOf(team.guides), targetFen: 23_000_000 })
      expect(team.totals.salesFen).toBeGreaterThan(0)
    }
    // No target anywhere: null, not 0.
    await k().deleteFrom('sales_targets').where('month', '=', '2026-12').execute()
    t.clock.value = Date.parse('2026-12-01T09:00:00+08:00')
    try {
      const december = await json<TeamStats>('wanglei', '/api/team/stats?period=month')
      expect(december.totals.targetFen).toBeNull()
      expect(december.stores[0]!.totals.targetFen).toBeNull()
      expect(december.guides.every((g) => g.targetFen === null)).toBe(true)
    } finally {
      t.clock.value = FIXED_NOW
    }
  })

  it('shows a manager her stores only, head office every store, and refuses guides everything', async () => {
    const wang = await json<TeamStats>('wanglei', '/api/team/stats?period=week')
    expect(wang.guides.map((g) => g.userId).sort()).toEqual([...S001].sort())
    expect(wang.stores.map((s) => s.id)).toEqual(['S001'])
    const zhao = await json<TeamStats>('zhaomin', '/api/team/stats?period=week')
    expect(zhao.guides.map((g) => g.userId).sort()).toEqual([...S002].sort())
    const hqOne = await json<TeamStats>('hq', '/api/team/stats?period=week&storeId=S002')
    expect(hqOne).toEqual(zhao)
    expect(await json<TeamStats>('wanglei', '/api/team/stats?period=week&storeId=S001')).toEqual(wang)

    const urls = ['/api/team/stats', '/api/team/stats.csv', '/api/team/members', '/api/team/content']
    for (const url of urls) {
      for (const guide of ['lina', 'chenjing', 'hyper']) {
        const refused = await get(guide, `${url}?storeId=S001`)
        expect(refused.statusCode, `${guide} ${url}`).toBe(403)
        expect(refused.json()).toMatchObject({ error: { code: 'forbidden' } })
        expect((await get(guide, url)).statusCode).toBe(403)
      }
      const other = await get('wanglei', `${url}?storeId=S002`)
      expect(other.statusCode, url).toBe(403)
      expect(other.json()).toMatchObject({ error: { code: 'forbidden' } })
      expect((await get('zhaomin', `${url}?storeId=S001`)).statusCode).toBe(403)
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401)
      expect((await get('hq', `${url}?storeId=S404`)).statusCode).toBe(404)
    }
    for (const url of ['/api/team/stats', '/api/team/stats.csv', '/api/team/content']) {
      const bad = await get('wanglei', `${url}?period=year`)
      expect(bad.statusCode, url).toBe(400)
      expect(bad.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } })
    }
    expect((await get('wanglei', '/api/team/stats')).headers['cache-control']).toBe('private, no-store')
  })

  it('lists the people of her stores with their store, head office everyone', async () => {
    const wang = await json<TeamMembers>('wanglei', '/api/team/members')
    expect(wang.items.map((m) => m.userId).sort()).toEqual([...S001].sort())
    expect(wang.items.find((m) => m.userId === 'wanglei')).toMatchObject({
      name: '王蕾',
      role: 'manager',
      storeId: 'S001',
      storeName: '上海静安嘉里中心店',
    })
    const zhao = await json<TeamMembers>('zhaomin', '/api/team/members?storeId=S002')
    expect(zhao.items.find((m) => m.userId === 'hyper')).toMatchObject({
      name: HYPER_NAME,
      role: 'guide',
      storeName: '杭州湖滨银泰店',
    })
    const hq = await json<TeamMembers>('hq', '/api/team/members')
    expect(hq.items.map((m) => m.userId)).toEqual(expect.arrayContaining([...S001, ...S002]))
  })

  it('costs the same queries for a team of three as for a team of thirteen', async () => {
    const executor = k().getExecutor()
    const spy = vi.spyOn(executor, 'executeQuery')
    const count = async () => {
      // Once unmeasured: her session is then kept as after any quiet request (a write since
      // sends it back to the database, one query that has nothing to do with team size).
      await json<TeamStats>('wanglei', '/api/team/stats?period=month')
      spy.mockClear()
      await json<TeamStats>('wanglei', '/api/team/stats?period=month')
      return spy.mock.calls.length
    }
    try {
      const small = await count()
      await k()
        .insertInto('guides')
        .values(
          Array.from({ length: 10 }, (_, i) => ({
            user_id: `extra${i}`,
            name: `新人${i}`,
            avatar: null,
            store_id: 'S001',
            role: 'guide' as const,
            customers_synced_at: null,
            created_at: FIXED_NOW,
            updated_at: FIXED_NOW,
          })),
        )
        .execute()
      const big = await count()
      expect(small).toBeGreaterThan(0)
      expect(big).toBe(small)
      expect(small).toBeLessThan(25)
    } finally {
      spy.mockRestore()
      await k().deleteFrom('guides').where('user_id', 'like', 'extra%').execute()
    }
  })

  it('exports the same numbers as CSV for Excel: BOM, Chinese headers, subtotals, a total, safe names', async () => {
    const team = await json<TeamStats>('hq', '/api/team/stats?period=month')
    const response = await get('hq', '/api/team/stats.csv?period=month')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    const disposition = String(response.headers['content-disposition'])
    expect(disposition).toContain(`attachment; filename="team-month-${team.from}.csv"`)
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(`团队数据-month-${team.from}.csv`)}`)
    const text = response.body
    expect(text.charCodeAt(0)).toBe(0xfeff)
    // The formula-like name is text to Excel: an apostrophe first, quotes doubled inside a quoted field.
    expect(text).toContain(`"'=HYPERLINK(""x"")"`)
    expect(text).toContain('"周丽,小周"')

    const rows = parseCsv(text.slice(1))
    expect(rows[0]).toEqual([
      '导购',
      '门店',
      '销售额(元)',
      '订单',
      '新增客户',
      '流失客户',
      '完成任务',
      '逾期任务',
      '话术发送',
      '搭配发送',
      '搭配打开',
      '券发送',
      '券领取',
      '券核销',
      '目标(元)',
      '完成率',
      '预估返佣(元)',
    ])
    const body = rows.slice(1)
    expect(body).toHaveLength(team.guides.length + team.stores.length + 1)
    expect(body.every((r) => r.length === 17)).toBe(true)
    const asNumbers = (r: string[]) => ({
      salesFen: fen(r[2]!),
      orders: Number(r[3]),
      customersAdded: Number(r[4]),
      customersLost: Number(r[5]),
      tasksDone: Number(r[6]),
      tasksOverdue: Number(r[7]),
      repliesSent: Number(r[8]),
      bundlesSent: Number(r[9]),
      bundlesOpened: Number(r[10]),
      couponsSent: Number(r[11]),
      couponsClaimed: Number(r[12]),
      couponsRedeemed: Number(r[13]),
      targetFen: r[14] === '' ? null : fen(r[14]!),
      commissionFen: fen(r[16]!),
    })
    const { series: _s, ...totals } = team.totals
    for (const guide of team.guides) {
      const name = guide.name.startsWith('=') ? `'${guide.name}` : guide.name
      const line = body.find((r) => r[0] === name)
      expect(line, guide.name).toBeDefined()
      const { userId: _u, name: _n, storeId: _st, series: _se, ...numbers } = guide
      expect(asNumbers(line!)).toEqual(numbers)
      expect(line![1]).toBe(team.stores.find((s) => s.id === guide.storeId)!.name)
      expect(line![16]).toMatch(/^\d+\.\d\d$/)
    }
    for (const store of team.stores) {
      // Each store's subtotal follows its guides.
      const at = body.findIndex((r) => r[0] === '小计' && r[1] === store.name)
      expect(at).toBeGreaterThan(0)
      expect(body[at - 1]![1]).toBe(store.name)
      const { series: _x, ...storeTotals } = store.totals
      expect(asNumbers(body[at]!)).toEqual(storeTotals)
    }
    expect(body.at(-1)![0]).toBe('合计')
    expect(asNumbers(body.at(-1)!)).toEqual(totals)
    const zhouli = team.guides.find((g) => g.userId === 'zhouli')!
    expect(body.find((r) => r[0] === '周丽,小周')![15]).toBe(`${((zhouli.salesFen * 100) / 4_000_000).toFixed(1)}%`)
    expect(body.find((r) => r[0] === '李娜')![14]).toBe('60000.00')

    const english = await get('wanglei', '/api/team/stats.csv?period=day&lang=en')
    const enRows = parseCsv(english.body.slice(1))
    expect(enRows[0]![0]).toBe('Guide')
    expect(enRows.at(-1)![0]).toBe('Total')
    expect(enRows.filter((r) => r[0] === 'Subtotal')).toHaveLength(1)
    expect(english.headers['content-disposition']).toContain(`filename="team-day-${chinaDate(FIXED_NOW)}.csv"`)
  })

  describe('content at work', () => {
    let customer = ''
    const member = 'MTEAM0001'

    /** A reply, an outfit and a coupon template of their own, copied from the demo's. */
    beforeAll(async () => {
      const now = FIXED_NOW
      const reply = await k().selectFrom('replies').selectAll().limit(1).executeTakeFirstOrThrow()
      await k()
        .insertInto('replies')
        .values({ ...reply, id: 'r-team', title: '团队话术' })
        .execute()
      const bundle = await k().selectFrom('bundles').selectAll().limit(1).executeTakeFirstOrThrow()
      await k()
        .insertInto('bundles')
        .values({ ...bundle, id: 'b-team', title: '团队搭配' })
        .execute()
      const template = await k().selectFrom('coupon_templates').selectAll().limit(1).executeTakeFirstOrThrow()
      await k()
        .insertInto('coupon_templates')
        .values({ ...template, id: 'ct-team', name: '团队券' })
        .execute()
      customer = (await addFollowedCustomers(t, 'lina', 1, 'teamcontent'))[0]!
      await k()
        .insertInto('members')
        .values(memberRow(member, { external_user_id: customer, name: '内容', store_id: 'S001', at: now - 60 * DAY }))
        .execute()
      const sentAt = now - 3 * HOUR
      const replySend = (at: number) => ({
        id: randomUUID(),
        reply_id: 'r-team',
        user_id: 'lina',
        external_user_id: customer,
        chat_id: null,
        parts_sent: 1,
        parts_total: 1,
        edited: 0,
        copied: 0,
        sent_at: at,
      })
      // Two sends of the reply today, one twelve days ago (its order came 8 days later: too late).
      await k()
        .insertInto('reply_sends')
        .values([replySend(sentAt), replySend(sentAt + HOUR), replySend(now - 12 * DAY)])
        .execute()
      const bundleSend = (status: 'sent' | 'pending', openedAt: number | null) => ({
        id: randomUUID(),
        bundle_id: 'b-team',
        guide_id: 'lina',
        external_user_id: customer,
        chat_id: null,
        status,
        snapshot: '{}',
        created_at: sentAt,
        sent_at: status === 'sent' ? sentAt : null,
        first_opened_at: openedAt,
        last_opened_at: openedAt,
        open_count: openedAt ? 1 : 0,
      })
      await k()
        .insertInto('bundle_sends')
        .values([bundleSend('sent', sentAt + 30 * 60_000), bundleSend('pending', null)])
        .execute()
      await k()
        .insertInto('coupon_issuances')
        .values({
          id: randomUUID(),
          template_id: 'ct-team',
          code: 'TEAMCODE0001',
          guide_id: 'lina',
          external_user_id: customer,
          idempotency_key: randomUUID(),
          status: 'redeemed',
          reserved_until: null,
          issued_at: sentAt,
          sent_at: sentAt,
          claimed_at: sentAt + 10 * 60_000,
          redeemed_at: now - HOUR,
          redeemed_store_id: 'S001',
          released_at: null,
          release_reason: null,
          valid_from: sentAt,
          valid_until: sentAt + 30 * DAY,
          order_id: null,
        })
        .execute()
      const order = (id: string, at: number, total: number, credited: string) => ({
        id,
        member_id: member,
        store_id: 'S001',
        purchased_at: at,
        total_fen: total,
        created_at: at,
        guide_user_id: null,
        credited_guide_id: credited,
      })
      await k()
        .insertInto('orders')
        .values([
          // Hers, an hour after the sends: every item led to it.
          order('C-after', now - HOUR, 88_800, 'lina'),
          // Credited to someone else: not the sends' sale.
          order('C-other', now - 30 * 60_000, 7_000, 'wanglei'),
          // Eight days after the old reply send, before today's: nobody's.
          order('C-late', now - 4 * DAY, 5_500, 'lina'),
        ])
        .execute()
    })

    /** Content at work from the rows, in JavaScript. */
    async function recount(stores: string[] | null, period: StatsPeriod): Promise<Omit<ContentUsage, 'period' | 'from' | 'to'>> {
      const today = chinaDate(FIXED_NOW)
      const from =
        period === 'day'
          ? today
          : period === 'week'
            ? chinaDate(midnight(today) - ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) * DAY)
            : `${today.slice(0, 7)}-01`
      const [fromMs, toMs] = [midnight(from), midnight(today) + DAY]
      const inP = (ms: number | null) => ms !== null && Number(ms) >= fromMs && Number(ms) < toMs
      const [guides, replies, bundles, templates, rs, bs, ci, orders, members] = await Promise.all([
        k().selectFrom('guides').selectAll().execute(),
        k().selectFrom('replies').selectAll().execute(),
        k().selectFrom('bundles').selectAll().execute(),
        k().selectFrom('coupon_templates').selectAll().execute(),
        k().selectFrom('reply_sends').selectAll().execute(),
        k().selectFrom('bundle_sends').selectAll().execute(),
        k().selectFrom('coupon_issuances').selectAll().execute(),
        k().selectFrom('orders').selectAll().execute(),
        k().selectFrom('members').selectAll().execute(),
      ])
      const team = new Set(guides.filter((g) => g.store_id && (!stores || stores.includes(g.store_id))).map((g) => g.user_id))
      const customerOf = new Map(members.map((m) => [m.id, m.external_user_id]))
      const salesAfter = (sends: { item: string; guide: string; customer: string | null; at: number }[]) => {
        const counted = new Map<string, Set<string>>()
        for (const s of sends) {
          for (const o of orders) {
            const at = Number(o.purchased_at)
            if (
              s.customer &&
              customerOf.get(o.member_id) === s.customer &&
              o.credited_guide_id === s.guide &&
              at >= s.at &&
              at < s.at + 7 * DAY
            ) {
              counted.set(s.item, (counted.get(s.item) ?? new Set()).add(o.id))
            }
          }
        }
        const total = (item: string) =>
          [...(counted.get(item) ?? [])].reduce((sum, id) => sum + Number(orders.find((o) => o.id === id)!.total_fen), 0)
        return total
      }
      const byId = <T>(rows: T[], id: (r: T) => string) => [...new Set(rows.map(id))]
      const sort = <T extends { id: string }>(rows: T[], n: (r: T) => number) =>
        rows.sort((a, b) => n(b) - n(a) || (a.id < b.id ? -1 : 1)).slice(0, 50)

      const myReplies = rs.filter((r) => team.has(r.user_id) && inP(Number(r.sent_at)))
      const replySales = salesAfter(
        myReplies.map((r) => ({ item: r.reply_id, guide: r.user_id, customer: r.external_user_id, at: Number(r.sent_at) })),
      )
      const myBundles = bs.filter((b) => team.has(b.guide_id))
      const sentBundles = myBundles.filter((b) => b.status === 'sent' && inP(b.sent_at))
      const bundleSales = salesAfter(
        sentBundles.map((b) => ({ item: b.bundle_id, guide: b.guide_id, customer: b.external_user_id, at: Number(b.sent_at) })),
      )
      const myCoupons = ci.filter((c) => team.has(c.guide_id))
      const sentCoupons = myCoupons.filter((c) => inP(c.sent_at))
      const couponSales = salesAfter(
        sentCoupons.map((c) => ({ item: c.template_id, guide: c.guide_id, customer: c.external_user_id, at: Number(c.sent_at) })),
      )
      return {
        replies: sort(
          byId(myReplies, (r) => r.reply_id).map((id) => {
            const sends = myReplies.filter((r) => r.reply_id === id)
            return {
              id,
              title: replies.find((r) => r.id === id)?.title ?? id,
              sends: sends.length,
              customers: new Set(sends.flatMap((s) => (s.external_user_id ? [s.external_user_id] : []))).size,
              salesFen: replySales(id),
            }
          }),
          (r) => r.sends,
        ),
        bundles: sort(
          byId(
            myBundles.filter((b) => (b.status === 'sent' && inP(b.sent_at)) || inP(b.first_opened_at)),
            (b) => b.bundle_id,
          ).map((id) => ({
            id,
            title: bundles.find((b) => b.id === id)?.title ?? id,
            sends: sentBundles.filter((b) => b.bundle_id === id).length,
            opens: myBundles.filter((b) => b.bundle_id === id && inP(b.first_opened_at)).length,
            salesFen: bundleSales(id),
          })),
          (b) => b.sends,
        ),
        coupons: sort(
          byId(
            myCoupons.filter((c) => inP(c.sent_at) || inP(c.claimed_at) || inP(c.redeemed_at)),
            (c) => c.template_id,
          ).map((id) => {
            const of = myCoupons.filter((c) => c.template_id === id)
            return {
              id,
              name: templates.find((x) => x.id === id)?.name ?? id,
              sent: of.filter((c) => inP(c.sent_at)).length,
              claimed: of.filter((c) => inP(c.claimed_at)).length,
              redeemed: of.filter((c) => inP(c.redeemed_at)).length,
              salesFen: couponSales(id),
            }
          }),
          (c) => c.sent,
        ),
      }
    }

    it('counts a reply, an outfit and a coupon, and the order that followed them', async () => {
      const usage = await json<ContentUsage>('wanglei', '/api/team/content?period=month')
      expect(usage).toMatchObject({ period: 'month', from: '2026-11-01', to: chinaDate(FIXED_NOW) })
      expect(usage.replies.find((r) => r.id === 'r-team')).toEqual({
        id: 'r-team',
        title: '团队话术',
        sends: 3,
        customers: 1,
        salesFen: 88_800,
      })
      expect(usage.bundles.find((b) => b.id === 'b-team')).toEqual({
        id: 'b-team',
        title: '团队搭配',
        sends: 1,
        opens: 1,
        salesFen: 88_800,
      })
      expect(usage.coupons.find((c) => c.id === 'ct-team')).toEqual({
        id: 'ct-team',
        name: '团队券',
        sent: 1,
        claimed: 1,
        redeemed: 1,
        salesFen: 88_800,
      })
      const today = await json<ContentUsage>('wanglei', '/api/team/content')
      expect(today.period).toBe('day')
      expect(today.replies.find((r) => r.id === 'r-team')).toMatchObject({ sends: 2, customers: 1, salesFen: 88_800 })
      // Sent in S001: S002's manager sees none of it.
      const other = await json<ContentUsage>('zhaomin', '/api/team/content?period=month')
      expect(other.replies.some((r) => r.id === 'r-team')).toBe(false)
      expect(other.coupons.some((c) => c.id === 'ct-team')).toBe(false)
    })

    it('agrees with a recount of the sends and orders, most sent first, for every scope and period', async () => {
      for (const period of PERIODS) {
        for (const [who, stores] of [
          ['wanglei', ['S001']],
          ['zhaomin', ['S002']],
          ['hq', null],
        ] as const) {
          const usage = await json<ContentUsage>(who, `/api/team/content?period=${period}`)
          const { period: _p, from: _f, to: _t, ...items } = usage
          expect(items, `${who} ${period}`).toEqual(await recount(stores ? [...stores] : null, period))
          for (const list of [
            usage.replies.map((r) => r.sends),
            usage.bundles.map((b) => b.sends),
            usage.coupons.map((c) => c.sent),
          ]) {
            expect(list).toEqual([...list].sort((a, b) => b - a))
          }
        }
      }
      const month = await json<ContentUsage>('hq', '/api/team/content?period=month')
      expect(month.replies.length).toBeGreaterThan(0)
      expect(month.coupons.find((c) => c.id === 'ct_demo_welcome')!.sent).toBeGreaterThanOrEqual(18)
    })
  })
})
