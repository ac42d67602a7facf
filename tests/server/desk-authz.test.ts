import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

/**
 * Every manager and admin endpoint of the desk, asked by each role: a guide is refused
 * everything, a manager gets her own store's things and is refused the other store's,
 * head office gets both. Roles come from the server, never from what the app shows.
 *
 * The people: lina (guide, S001), wanglei (manager, S001) from the demo; zhaomin, a
 * manager of S002 made here; hq, head office through WECOM_ADMIN_IDS; chenjing (guide, S002).
 */

type Store = 'S001' | 'S002'
const GUIDE_OF: Record<Store, string> = { S001: 'lina', S002: 'chenjing' }
const TODAY = '2026-11-25'

interface Endpoint {
  name: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** The request about a store's things. */
  url: (store: Store) => string
  body?: (store: Store) => unknown
}

describe.each(DB_KINDS)('who may use the desk (%s)', (kind) => {
  let t: TestApp
  const cookie: Record<string, string> = {}
  const campaignOf = {} as Record<Store, string>
  const keyOf = {} as Record<Store, string>

  const call = (who: string, method: Endpoint['method'], url: string, body?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookie[who]! }, ...(body === undefined ? {} : { payload: body as object }) })

  // A fresh campaign or key per call where the endpoint consumes it (ending, revoking).
  async function freshCampaign(store: Store): Promise<string> {
    const res = await call('hq', 'POST', '/api/campaigns', {
      name: `回访 ${store}`,
      startsOn: TODAY,
      endsOn: '2026-11-30',
      audience: {},
      content: null,
      storeIds: [store],
    })
    expect(res.statusCode, res.body).toBe(201)
    return (res.json() as { campaign: { id: string } }).campaign.id
  }
  async function freshKey(store: Store): Promise<string> {
    const res = await call('hq', 'POST', `/api/stores/${store}/api-keys`, { label: '收银台' })
    expect(res.statusCode, res.body).toBe(201)
    return (res.json() as { id: string }).id
  }

  const endpoints: Endpoint[] = [
    { name: 'team stats', method: 'GET', url: (s) => `/api/team/stats?period=week&storeId=${s}` },
    { name: 'team stats CSV', method: 'GET', url: (s) => `/api/team/stats.csv?period=month&storeId=${s}` },
    { name: 'team members', method: 'GET', url: (s) => `/api/team/members?storeId=${s}` },
    { name: 'content at work', method: 'GET', url: (s) => `/api/team/content?period=month&storeId=${s}` },
    { name: 'targets', method: 'GET', url: (s) => `/api/targets?month=2026-11&storeId=${s}` },
    {
      name: 'set a store target',
      method: 'PUT',
      url: () => '/api/targets',
      body: (s) => ({ month: '2026-11', items: [{ scope: 'store', id: s, amountFen: 50_000_000 }] }),
    },
    {
      name: 'set a guide target',
      method: 'PUT',
      url: () => '/api/targets',
      body: (s) => ({ month: '2026-12', items: [{ scope: 'guide', id: GUIDE_OF[s], amountFen: 8_000_000 }] }),
    },
    { name: 'store settings', method: 'PATCH', url: (s) => `/api/stores/${s}/settings`, body: () => ({ commissionBp: 250 }) },
    { name: 'till keys', method: 'GET', url: (s) => `/api/stores/${s}/api-keys` },
    { name: 'new till key', method: 'POST', url: (s) => `/api/stores/${s}/api-keys`, body: () => ({ label: '二号收银台' }) },
    { name: 'revoke a till key', method: 'DELETE', url: (s) => `/api/stores/${s}/api-keys/${keyOf[s]}` },
    {
      name: 'new campaign',
      method: 'POST',
      url: () => '/api/campaigns',
      body: (s) => ({ name: '周末到店', startsOn: TODAY, endsOn: '2026-11-29', audience: {}, content: null, storeIds: [s] }),
    },
    { name: 'campaign progress', method: 'GET', url: (s) => `/api/campaigns/${campaignOf[s]}` },
    { name: 'end a campaign', method: 'POST', url: (s) => `/api/campaigns/${campaignOf[s]}/end` },
    {
      name: 'campaign audience count',
      method: 'POST',
      url: () => '/api/campaigns/audience',
      body: (s) => ({ audience: { lastPurchase: 'within90' }, storeIds: [s] }),
    },
    { name: 'preview a guide', method: 'POST', url: () => '/api/preview', body: (s) => ({ guideUserId: GUIDE_OF[s] }) },
  ]
  /** Lists that answer for her stores only: no store to be refused, only a guide. */
  const lists = ['/api/team/stores', '/api/campaigns', '/api/team/stats?period=day', '/api/manage/audit']

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { WECOM_ADMIN_IDS: 'hq' } })
    for (const [userId, name] of [
      ['zhaomin', '赵敏'],
      ['hq', '总部运营'],
    ] as const) {
      t.world.users.set(userId, { userid: userId, name, position: '', storeId: 'S002', avatar: '' })
    }
    for (const who of ['lina', 'chenjing', 'wanglei', 'zhaomin', 'hq']) cookie[who] = await signIn(t, who)
    // What the CRM's guides import would say: zhaomin manages S002; head office is in no store.
    await t.testDb.db.kysely
      .updateTable('guides')
      .set({ role: 'manager', store_id: 'S002' })
      .where('user_id', '=', 'zhaomin')
      .execute()
  })

  afterAll(async () => {
    await t?.close()
  })

  async function prepare(endpoint: Endpoint, store: Store): Promise<void> {
    if (endpoint.name === 'campaign progress' || endpoint.name === 'end a campaign')
      campaignOf[store] = await freshCampaign(store)
    if (endpoint.name === 'revoke a till key') keyOf[store] = await freshKey(store)
  }

  it.each(endpoints.map((e) => [e.name, e] as const))(
    '%s: a guide is refused, in her store and the other',
    async (_n, endpoint) => {
      for (const store of ['S001', 'S002'] as const) {
        await prepare(endpoint, store)
        const res = await call('lina', endpoint.method, endpoint.url(store), endpoint.body?.(store))
        expect(res.statusCode, `${store}: ${res.body}`).toBe(403)
      }
    },
  )

  it.each(endpoints.map((e) => [e.name, e] as const))(
    '%s: a manager may for her store, not for the other; head office for both',
    async (_n, endpoint) => {
      const cases: [string, Store, boolean][] = [
        ['wanglei', 'S001', true],
        ['wanglei', 'S002', false],
        ['zhaomin', 'S002', true],
        ['zhaomin', 'S001', false],
        ['hq', 'S001', true],
        ['hq', 'S002', true],
      ]
      for (const [who, store, allowed] of cases) {
        await prepare(endpoint, store)
        const res = await call(who, endpoint.method, endpoint.url(store), endpoint.body?.(store))
        if (allowed) expect(res.statusCode, `${who} ${store}: ${res.body}`).toBeLessThan(300)
        else expect(res.statusCode, `${who} ${store}: ${res.body}`).toBe(403)
      }
    },
  )

  it.each(lists)('%s: refused to a guide, and lists only her stores to a manager', async (url) => {
    expect((await call('lina', 'GET', url)).statusCode).toBe(403)
    for (const who of ['wanglei', 'zhaomin', 'hq']) expect((await call(who, 'GET', url)).statusCode).toBe(200)
  })

  it('a manager sees only her own store in the lists; head office sees both', async () => {
    const storesOf = async (who: string) =>
      ((await call(who, 'GET', '/api/team/stores')).json() as { items: { storeId: string }[] }).items.map((s) => s.storeId).sort()
    expect(await storesOf('wanglei')).toEqual(['S001'])
    expect(await storesOf('zhaomin')).toEqual(['S002'])
    expect(await storesOf('hq')).toEqual(['S001', 'S002'])
    const guidesOf = async (who: string) =>
      ((await call(who, 'GET', '/api/team/stats?period=month')).json() as { guides: { storeId: string }[] }).guides.map(
        (g) => g.storeId,
      )
    expect(new Set(await guidesOf('wanglei'))).toEqual(new Set(['S001']))
    expect(new Set(await guidesOf('hq'))).toEqual(new Set(['S001', 'S002']))
  })

  it('/api/me says who is who', async () => {
    const roleOf = async (who: string) => (await call(who, 'GET', '/api/me')).json<{ role: string }>().role
    expect(await roleOf('lina')).toBe('guide')
    expect(await roleOf('wanglei')).toBe('manager')
    expect(await roleOf('zhaomin')).toBe('manager')
    expect(await roleOf('hq')).toBe('admin')
  })
})
