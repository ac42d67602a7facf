import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeLines } from '../../src/components/manage/audit-display'
import { loadAllWords } from '../helpers/i18n'
import type { Issuance } from '../../src/shared/coupons'
import type { StoreList } from '../../src/shared/memory'
import type { AuditPage } from '../../src/shared/replies'
import type { StoreSettingsList, TillKeyList } from '../../src/shared/team'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

// The desk words audit lines from loaded dictionaries; the app loads its own before mounting.
await loadAllWords()

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

/**
 * The desk's side of stores: their settings (GET /api/team/stores, PATCH …/settings) and
 * their tills' keys (list, make, revoke), each for the store's manager or head office
 * only, and each change in the audit log. wanglei manages S001; hq is head office.
 */
describe.each(DB_KINDS)('store settings and till keys on the desk (%s)', (kind) => {
  let t: TestApp
  const cookie: Record<string, string> = {}

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { WECOM_ADMIN_IDS: 'hq' } })
    t.world.users.set('hq', { userid: 'hq', name: '总部运营', position: '', storeId: 'S002', avatar: '' })
    for (const who of ['lina', 'wanglei', 'hq']) cookie[who] = await signIn(t, who)
    // From a known start, whatever the demo schedules: no weekly ranking anywhere.
    await t.testDb.db.kysely
      .updateTable('stores')
      .set({ ranking_weekday: null, ranking_at: null, ranking_metric: null })
      .execute()
  })
  afterAll(() => t.close())

  const call = (who: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: who ? { cookie: cookie[who]! } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  const storeAudit = () =>
    t.testDb.db.kysely.selectFrom('audit_log').selectAll().where('entity', '=', 'store').orderBy('at').orderBy('id').execute()
  const auditEntries = async () =>
    ((await call('hq', 'GET', '/api/manage/audit?limit=100')).json() as AuditPage).items.filter((e) => e.entity === 'store')

  it('lists her stores with their settings and how many work there; head office every store', async () => {
    expect((await call(null, 'GET', '/api/team/stores')).statusCode).toBe(401)
    expect((await call('lina', 'GET', '/api/team/stores')).statusCode).toBe(403)
    const mine = await call('wanglei', 'GET', '/api/team/stores')
    expect(mine.statusCode, mine.body).toBe(200)
    expect(mine.json()).toEqual({
      items: [
        {
          storeId: 'S001',
          name: '上海静安嘉里中心店',
          city: '上海',
          commissionBp: 300,
          eveningReportAt: null,
          ranking: null,
          guides: 2,
        },
      ],
    } satisfies StoreSettingsList)
    const all = (await call('hq', 'GET', '/api/team/stores')).json() as StoreSettingsList
    expect(all.items.map((s) => [s.storeId, s.eveningReportAt, s.guides])).toEqual([
      ['S001', null, 2],
      ['S002', '20:30', 1],
    ])
  })

  it('changes the settings given, audits only what changed, and refuses others’ stores and bad values', async () => {
    const ranking = { weekday: 1, at: '09:00', metric: 'sales' }
    const res = await call('wanglei', 'PATCH', '/api/stores/S001/settings', { commissionBp: 350, ranking, eveningReportAt: null })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ storeId: 'S001', commissionBp: 350, eveningReportAt: null, ranking, guides: 2 })
    const row = await t.testDb.db.kysely.selectFrom('stores').selectAll().where('id', '=', 'S001').executeTakeFirstOrThrow()
    expect([row.commission_bp, row.ranking_weekday, row.ranking_at, row.ranking_metric]).toEqual([350, 1, '09:00', 'sales'])
    // The evening report time was sent unchanged: it is not in the entry.
    const [entry] = await storeAudit()
    expect(await storeAudit()).toHaveLength(1)
    expect([entry!.entity_id, entry!.action, entry!.actor_id]).toEqual(['S001', 'update', 'wanglei'])
    expect(JSON.parse(entry!.before!)).toEqual({ commissionBp: 300, ranking: null })
    expect(JSON.parse(entry!.after!)).toEqual({ commissionBp: 350, ranking })

    // The same again changes nothing and writes nothing.
    expect((await call('wanglei', 'PATCH', '/api/stores/S001/settings', { commissionBp: 350, ranking })).statusCode).toBe(200)
    expect(await storeAudit()).toHaveLength(1)

    t.clock.advance(60_000)
    const off = await call('hq', 'PATCH', '/api/stores/S001/settings', { ranking: null, eveningReportAt: '20:00' })
    expect(off.json()).toMatchObject({ ranking: null, eveningReportAt: '20:00', commissionBp: 350 })
    const cleared = await t.testDb.db.kysely.selectFrom('stores').selectAll().where('id', '=', 'S001').executeTakeFirstOrThrow()
    expect([cleared.ranking_weekday, cleared.ranking_at, cleared.ranking_metric]).toEqual([null, null, null])

    const [latest, first] = await auditEntries()
    expect(latest).toMatchObject({ summary: '上海静安嘉里中心店', actor: { userId: 'hq' }, action: 'update' })
    expect(changeLines(latest!, 'zh-CN')).toEqual([
      { field: 'eveningReportAt', label: '晚间小结时间', before: '21:00（默认）', after: '20:00' },
      { field: 'ranking', label: '每周排名', before: '每周一 09:00 · 销售排名', after: '不发送' },
    ])
    expect(changeLines(first!, 'zh-CN')).toEqual([
      { field: 'commissionBp', label: '返佣比例', before: '3%', after: '3.5%' },
      { field: 'ranking', label: '每周排名', before: '不发送', after: '每周一 09:00 · 销售排名' },
    ])

    expect((await call('lina', 'PATCH', '/api/stores/S001/settings', { commissionBp: 1 })).statusCode).toBe(403)
    expect((await call('wanglei', 'PATCH', '/api/stores/S002/settings', { commissionBp: 1 })).statusCode).toBe(403)
    expect((await call('hq', 'PATCH', '/api/stores/NOPE/settings', { commissionBp: 1 })).statusCode).toBe(404)
    for (const body of [
      {},
      { commissionBp: -1 },
      { commissionBp: 5001 },
      { commissionBp: 2.5 },
      { eveningReportAt: '24:00' },
      { eveningReportAt: '9:00' },
      { ranking: { ...ranking, weekday: 0 } },
      { ranking: { ...ranking, weekday: 8 } },
      { ranking: { ...ranking, metric: 'orders' } },
      { ranking: { weekday: 1, at: '09:00' } },
      { name: '新名字' },
    ]) {
      const bad = await call('hq', 'PATCH', '/api/stores/S001/settings', body)
      expect(bad.statusCode, JSON.stringify(body)).toBe(400)
    }
    expect(await storeAudit()).toHaveLength(2)
  })

  it('lists, makes and revokes till keys for her own store; a revoked key no longer opens the till', async () => {
    const auditBefore = (await storeAudit()).length
    t.clock.advance(60_000)
    const created = await call('wanglei', 'POST', '/api/stores/S001/api-keys', { label: '前台' })
    expect(created.statusCode, created.body).toBe(201)
    const { id, key } = created.json() as { id: string; key: string }
    const till = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/redemptions',
        payload: { code: 'ZZZZZZZZZZZZ' },
        headers: { authorization: `Bearer ${key}` },
      })
    expect((await till()).statusCode).toBe(404)

    const listed = await call('wanglei', 'GET', '/api/stores/S001/api-keys')
    expect(listed.statusCode, listed.body).toBe(200)
    expect(listed.headers['cache-control']).toBe('private, no-store')
    const items = (listed.json() as TillKeyList).items
    expect(items.find((k) => k.id === id)).toEqual({
      id,
      label: '前台',
      createdAt: new Date(t.clock.value).toISOString(),
      revokedAt: null,
    })
    // Never the key, nor its hash.
    const hash = (
      await t.testDb.db.kysely.selectFrom('store_api_keys').select('key_hash').where('id', '=', id).executeTakeFirstOrThrow()
    ).key_hash
    expect(listed.body).not.toContain(key)
    expect(listed.body).not.toContain(hash)
    expect(Object.keys(items[0]!).sort()).toEqual(['createdAt', 'id', 'label', 'revokedAt'])

    expect((await call('lina', 'GET', '/api/stores/S001/api-keys')).statusCode).toBe(403)
    expect((await call('wanglei', 'GET', '/api/stores/S002/api-keys')).statusCode).toBe(403)
    expect((await call('wanglei', 'POST', '/api/stores/S002/api-keys', { label: 'x' })).statusCode).toBe(403)
    expect((await call('hq', 'GET', '/api/stores/NOPE/api-keys')).statusCode).toBe(404)
    expect((await call('wanglei', 'DELETE', `/api/stores/S001/api-keys/${id}`.replace('S001', 'S002'))).statusCode).toBe(403)
    expect((await call('lina', 'DELETE', `/api/stores/S001/api-keys/${id}`)).statusCode).toBe(403)
    // Another store's key is no key of this store.
    expect((await call('hq', 'DELETE', `/api/stores/S002/api-keys/${id}`)).statusCode).toBe(404)
    expect((await call('hq', 'DELETE', '/api/stores/S001/api-keys/sk_nope')).statusCode).toBe(404)
    expect((await call('hq', 'DELETE', '/api/stores/S001/api-keys/bad%20id')).statusCode).toBe(400)

    t.clock.advance(60_000)
    const revoked = await call('wanglei', 'DELETE', `/api/stores/S001/api-keys/${id}`)
    expect(revoked.statusCode, revoked.body).toBe(204)
    expect((await till()).statusCode).toBe(401)
    const after = ((await call('hq', 'GET', '/api/stores/S001/api-keys')).json() as TillKeyList).items.find((k) => k.id === id)
    expect(after!.revokedAt).toBe(new Date(t.clock.value).toISOString())
    // Revoking again is fine and changes nothing, the time included.
    t.clock.advance(60_000)
    expect((await call('hq', 'DELETE', `/api/stores/S001/api-keys/${id}`)).statusCode).toBe(204)
    const still = ((await call('hq', 'GET', '/api/stores/S001/api-keys')).json() as TillKeyList).items.find((k) => k.id === id)
    expect(still!.revokedAt).toBe(after!.revokedAt)

    // In the log: made and revoked, by the key's label; never the key.
    const rows = (await storeAudit()).slice(auditBefore)
    expect(rows.map((r) => [r.action, r.entity_id, r.actor_id, JSON.parse(r.after!)])).toEqual([
      ['create', 'S001', 'wanglei', { tillKey: '前台' }],
      ['retire', 'S001', 'wanglei', { tillKey: '前台' }],
    ])
    for (const r of rows) expect(`${r.before}${r.after}`).not.toContain(key)
    const [retired] = await auditEntries()
    expect(retired).toMatchObject({ action: 'retire', summary: '上海静安嘉里中心店' })
    expect(changeLines(retired!, 'zh-CN')).toEqual([{ field: 'tillKey', label: '收银台密钥', after: '「前台」' }])
  })
})
