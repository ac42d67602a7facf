import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeLines } from '../../src/components/manage/audit-display'
import { loadAllWords } from '../helpers/i18n'
import type { AuditEntry, AuditPage } from '../../src/shared/replies'
import type { GuideStats } from '../../src/shared/stats'
import type { Targets } from '../../src/shared/team'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

// The desk words audit lines from loaded dictionaries; the app loads its own before mounting.
await loadAllWords()

/**
 * Monthly targets on the desk: GET /api/targets and PUT /api/targets. The people: lina
 * (guide, S001), wanglei (manager, S001), chenjing (guide, S002) from the demo; zhaomin,
 * a manager of S002 made here; hq, head office through WECOM_ADMIN_IDS. The clock is the
 * test's (2026-11-25, China), so "this month" is 2026-11 whatever the machine's date.
 */
describe.each(DB_KINDS)('monthly targets (%s)', (kind) => {
  let t: TestApp
  const cookie: Record<string, string> = {}

  const call = (who: string, method: 'GET' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: cookie[who]! },
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  const targetRows = (month: string) =>
    t.testDb.db.kysely
      .selectFrom('sales_targets')
      .selectAll()
      .where('month', '=', month)
      .orderBy('scope')
      .orderBy('scope_id')
      .execute()
  const auditRows = () =>
    t.testDb.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'sales_target')
      .orderBy('at')
      .orderBy('id')
      .execute()

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { WECOM_ADMIN_IDS: 'hq' } })
    for (const [userId, name] of [
      ['zhaomin', '赵敏'],
      ['hq', '总部运营'],
    ] as const) {
      t.world.users.set(userId, { userid: userId, name, position: '', storeId: 'S002', avatar: '' })
    }
    for (const who of ['lina', 'chenjing', 'wanglei', 'zhaomin', 'hq']) cookie[who] = await signIn(t, who)
    await t.testDb.db.kysely
      .updateTable('guides')
      .set({ role: 'manager', store_id: 'S002' })
      .where('user_id', '=', 'zhaomin')
      .execute()
  })
  afterAll(() => t.close())

  it('lists this month (China) of her stores: the store’s target and each of its people’s', async () => {
    const res = await call('wanglei', 'GET', '/api/targets')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.json()).toEqual({
      month: '2026-11',
      stores: [
        {
          storeId: 'S001',
          name: '上海静安嘉里中心店',
          amountFen: 15_000_000,
          guides: [
            { userId: 'lina', name: '李娜', amountFen: 6_000_000 },
            { userId: 'wanglei', name: '王蕾', amountFen: 8_000_000 },
          ],
        },
      ],
    } satisfies Targets)

    // Head office sees every store; a month nobody planned has no targets yet.
    const all = (await call('hq', 'GET', '/api/targets?month=2027-01')).json() as Targets
    expect(all.month).toBe('2027-01')
    expect(all.stores.map((s) => s.storeId)).toEqual(['S001', 'S002'])
    expect(all.stores.flatMap((s) => [s.amountFen, ...s.guides.map((g) => g.amountFen)]).every((a) => a === null)).toBe(true)
    expect(all.stores[1]!.guides.map((g) => g.userId).sort()).toEqual(['chenjing', 'zhaomin'])
    const one = (await call('hq', 'GET', '/api/targets?month=2026-11&storeId=S002')).json() as Targets
    expect(one.stores.map((s) => s.storeId)).toEqual(['S002'])
  })

  it('refuses a guide, another manager’s store, an unknown store and a bad month', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/targets' })).statusCode).toBe(401)
    expect((await call('lina', 'GET', '/api/targets')).statusCode).toBe(403)
    expect((await call('wanglei', 'GET', '/api/targets?storeId=S002')).statusCode).toBe(403)
    expect((await call('hq', 'GET', '/api/targets?storeId=NOPE')).statusCode).toBe(404)
    for (const month of ['2026-13', '2026-1', 'next'])
      expect((await call('wanglei', 'GET', `/api/targets?month=${month}`)).statusCode, month).toBe(400)
  })

  it('sets and clears targets in one save, auditing each that changed with its amount before and after', async () => {
    const before = (await auditRows()).length
    const res = await call('wanglei', 'PUT', '/api/targets', {
      month: '2026-12',
      items: [
        { scope: 'store', id: 'S001', amountFen: 20_000_000 },
        { scope: 'guide', id: 'lina', amountFen: 7_500_000 },
        { scope: 'guide', id: 'wanglei', amountFen: null },
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    const saved = res.json() as Targets
    expect(saved.month).toBe('2026-12')
    expect(saved.stores).toEqual([
      {
        storeId: 'S001',
        name: '上海静安嘉里中心店',
        amountFen: 20_000_000,
        guides: [
          { userId: 'lina', name: '李娜', amountFen: 7_500_000 },
          { userId: 'wanglei', name: '王蕾', amountFen: null },
        ],
      },
    ])
    const rows = await targetRows('2026-12')
    expect(rows.map((r) => [r.scope, r.scope_id, Number(r.amount_fen), r.updated_by, Number(r.updated_at)])).toEqual([
      ['guide', 'lina', 7_500_000, 'wanglei', t.clock.value],
      ['store', 'S001', 20_000_000, 'wanglei', t.clock.value],
    ])
    // Clearing a target that was not set changes nothing, so only two entries.
    const audit = (await auditRows()).slice(before)
    expect(audit.map((r) => [r.entity_id, r.action, r.actor_id, JSON.parse(r.before!), JSON.parse(r.after!)])).toEqual(
      expect.arrayContaining([
        ['store:S001:2026-12', 'update', 'wanglei', { amountFen: null }, { amountFen: 20_000_000 }],
        ['guide:lina:2026-12', 'update', 'wanglei', { amountFen: null }, { amountFen: 7_500_000 }],
      ]),
    )
    expect(audit).toHaveLength(2)

    // Saving the same again writes nothing; a change and a clear write one entry each.
    t.clock.advance(60_000)
    await call('wanglei', 'PUT', '/api/targets', {
      month: '2026-12',
      items: [
        { scope: 'store', id: 'S001', amountFen: 20_000_000 },
        { scope: 'guide', id: 'lina', amountFen: 7_500_000 },
      ],
    })
    expect(await auditRows()).toHaveLength(before + 2)
    const again = await call('wanglei', 'PUT', '/api/targets', {
      month: '2026-12',
      items: [
        { scope: 'store', id: 'S001', amountFen: null },
        { scope: 'guide', id: 'lina', amountFen: 8_000_000 },
      ],
    })
    expect(again.statusCode, again.body).toBe(200)
    expect((await targetRows('2026-12')).map((r) => [r.scope_id, Number(r.amount_fen), Number(r.updated_at)])).toEqual([
      ['lina', 8_000_000, t.clock.value],
    ])
    const last = (await auditRows()).slice(before + 2)
    expect(last.map((r) => [r.entity_id, JSON.parse(r.before!), JSON.parse(r.after!)])).toEqual(
      expect.arrayContaining([
        ['store:S001:2026-12', { amountFen: 20_000_000 }, { amountFen: null }],
        ['guide:lina:2026-12', { amountFen: 7_500_000 }, { amountFen: 8_000_000 }],
      ]),
    )
  })

  it('writes nothing when any item is not hers, and tells unknown ones from others’', async () => {
    const rowsBefore = await targetRows('2027-02')
    const auditBefore = (await auditRows()).length
    const put = (who: string, items: unknown[]) => call(who, 'PUT', '/api/targets', { month: '2027-02', items })
    const mine = { scope: 'guide', id: 'lina', amountFen: 100 }
    expect((await put('lina', [mine])).statusCode).toBe(403)
    expect((await put('wanglei', [mine, { scope: 'store', id: 'S002', amountFen: 100 }])).statusCode).toBe(403)
    expect((await put('wanglei', [mine, { scope: 'guide', id: 'chenjing', amountFen: 100 }])).statusCode).toBe(403)
    expect((await put('zhaomin', [{ scope: 'guide', id: 'chenjing', amountFen: 1 }, mine])).statusCode).toBe(403)
    expect((await put('wanglei', [mine, { scope: 'store', id: 'NOPE', amountFen: 100 }])).statusCode).toBe(404)
    expect((await put('wanglei', [mine, { scope: 'guide', id: 'nobody', amountFen: 100 }])).statusCode).toBe(404)
    expect(await targetRows('2027-02')).toEqual(rowsBefore)
    expect(await auditRows()).toHaveLength(auditBefore)

    // Bad input: a clear 400, never a 500.
    for (const body of [
      { month: '2027-02', items: [] },
      { month: '2027-2', items: [mine] },
      { month: '2027-02', items: [{ ...mine, amountFen: -1 }] },
      { month: '2027-02', items: [{ ...mine, amountFen: 1.5 }] },
      { month: '2027-02', items: [{ ...mine, amountFen: 10_000_000_001 }] },
      { month: '2027-02', items: [{ ...mine, scope: 'brand' }] },
      { month: '2027-02', items: [{ ...mine, extra: 1 }] },
      { month: '2027-02', items: [mine, { ...mine, amountFen: 5 }] },
      { items: [mine] },
    ]) {
      const res = await call('wanglei', 'PUT', '/api/targets', body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
    }

    // Head office may set any store's and anyone's.
    const hq = await put('hq', [
      { scope: 'store', id: 'S002', amountFen: 9_000_000 },
      { scope: 'guide', id: 'chenjing', amountFen: 3_000_000 },
      { scope: 'guide', id: 'lina', amountFen: 2_000_000 },
    ])
    expect(hq.statusCode, hq.body).toBe(200)
    expect((hq.json() as Targets).stores.find((s) => s.storeId === 'S002')!.amountFen).toBe(9_000_000)
  })

  it('is what the guide’s own numbers show as her target', async () => {
    const res = await call('hq', 'PUT', '/api/targets', {
      month: '2026-11',
      items: [{ scope: 'guide', id: 'lina', amountFen: 6_600_000 }],
    })
    expect(res.statusCode, res.body).toBe(200)
    const me = (await call('lina', 'GET', '/api/stats/me?period=month')).json() as GuideStats
    expect(me.targetFen).toBe(6_600_000)
  })

  it('reads back in the audit log by name, as the desk words it', async () => {
    const res = await call('wanglei', 'GET', '/api/manage/audit?limit=100')
    expect(res.statusCode, res.body).toBe(200)
    const entries = (res.json() as AuditPage).items.filter((e) => e.entity === 'sales_target')
    const lina = entries.find((e) => e.entityId === 'guide:lina:2026-12' && e.changes[0]?.after === 8_000_000) as AuditEntry
    expect(lina).toMatchObject({
      action: 'update',
      summary: '李娜 · 2026-12',
      actor: { userId: 'wanglei', name: '王蕾' },
      changes: [{ field: 'amountFen', before: 7_500_000, after: 8_000_000 }],
    })
    expect(changeLines(lina, 'zh-CN')).toEqual([{ field: 'amountFen', label: '目标金额', before: '¥75,000', after: '¥80,000' }])
    const store = entries.find((e) => e.entityId === 'store:S001:2026-12' && e.changes[0]?.after === null)!
    expect(store.summary).toBe('上海静安嘉里中心店 · 2026-12')
    expect(changeLines(store, 'zh-CN')[0]).toMatchObject({ before: '¥200,000', after: '未设定' })
    expect(changeLines(store, 'en-US')[0]).toMatchObject({ label: 'Target', after: 'Not set' })
    // A guide reads no log.
    expect((await call('lina', 'GET', '/api/manage/audit')).statusCode).toBe(403)
  })
})
