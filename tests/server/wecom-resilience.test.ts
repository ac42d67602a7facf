/**
 * When WeCom misbehaves: limits are waited out instead of hammered, set-up refusals reach
 * admins (not guides), our copies are served (marked) while WeCom cannot be asked, and
 * bogus ids or replayed sign-ins cost WeCom one call at most.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BuiltApp } from '../../src/server/app'
import { PROFILE_STALE_MS, REFRESH_RETRY_MS } from '../../src/server/modules/customers/customers.service'
import { GROUP_STALE_MS } from '../../src/server/modules/groups/group-chats'
import { FREQUENCY_BLOCK_MS } from '../../src/server/wecom/guard'
import { DB_KINDS } from '../helpers/db'
import { createSecondInstance, createTestApp, parseSetCookies, signIn, type TestApp } from '../helpers/app'

describe.each(DB_KINDS)('when WeCom misbehaves (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let admin: string
  let manager: string
  const others: BuiltApp[] = []
  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real', env: { WECOM_ADMIN_IDS: 'chenjing', WECOM_MANAGER_IDS: 'wanglei' } })
    lina = await signIn(t, 'lina')
    admin = await signIn(t, 'chenjing')
    manager = await signIn(t, 'wanglei')
  })
  afterAll(async () => {
    for (const other of others) await other.app.close()
    await t.close()
  })

  const get = (url: string, cookie = lina) => t.app.inject({ method: 'GET', url, headers: { cookie } })
  const calls = (api: string) => t.world.callCount(api)
  const linasCustomer = (n: number) => t.demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina'))[n]!

  it('waits out a frequency limit (45009): no call until the minute has passed', async () => {
    t.world.injectFault('externalcontact/get', 45009, 1, 'api freq out of limit')
    const before = calls('externalcontact/get')
    const limited = await get('/api/customers/wmNobodyAtAll01')
    expect(limited.statusCode).toBe(503)
    expect(limited.json()).toMatchObject({ error: { code: 'wecom_busy' } })
    expect(limited.headers['retry-after']).toBe('60')
    // Other customers too: the API is paused, not the id.
    t.clock.advance(FREQUENCY_BLOCK_MS - 1000)
    const still = await get('/api/customers/wmNobodyAtAll02')
    expect(still.statusCode).toBe(503)
    expect(still.headers['retry-after']).toBe('1')
    expect(calls('externalcontact/get')).toBe(before + 1)
    t.clock.advance(1000)
    expect((await get('/api/customers/wmNobodyAtAll02')).statusCode).toBe(404)
    expect(calls('externalcontact/get')).toBe(before + 2)
  })

  it.each([
    [60020, 'not allow to access from your ip'],
    [48002, 'api forbidden'],
  ])('tells admins, and only admins, about errcode %i; the guide gets a friendly 503', async (errcode, errmsg) => {
    t.world.injectFault('externalcontact/get', errcode, 1, errmsg)
    const res = await get(`/api/customers/wmSetupProblem${errcode}`)
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ error: { code: 'wecom_unavailable' } })
    expect(res.body).not.toContain(errmsg)

    const asAdmin = await get('/api/health', admin)
    expect(asAdmin.statusCode).toBe(200)
    expect(asAdmin.json().wecom).toEqual({
      mode: 'real',
      lastError: {
        errcode,
        errmsg,
        api: 'externalcontact/get',
        at: new Date(t.clock.value).toISOString(),
        message: expect.stringContaining(errcode === 60020 ? '企业可信IP' : '可调用接口的应用'),
      },
      lastSuccessAt: expect.any(String),
    })
    expect(asAdmin.headers['cache-control']).toBe('private, no-store')
    for (const cookie of [lina, manager, '']) {
      const other = await get('/api/health', cookie)
      expect(other.json()).toEqual({ status: 'ok', db: kind, wecom: { mode: 'real' } })
      expect(other.body).not.toContain(String(errcode))
    }
  })

  it('tells an admin on any instance, after a restart too, until the refused API answers again on any instance', async () => {
    const other = await createSecondInstance(t)
    others.push(other)
    const health = async (app: FastifyInstance) =>
      (await app.inject({ method: 'GET', url: '/api/health', headers: { cookie: admin } })).json()
    const errmsg =
      'not allow to access from your ip, hint: [1764921600], from ip: 203.0.113.9, more info at https://open.work.weixin.qq.com'
    t.world.injectFault('externalcontact/get', 60020, 1, errmsg)
    expect((await get('/api/customers/wmRefusedHere01')).statusCode).toBe(503)
    const refusedAt = new Date(t.clock.value).toISOString()

    // The other instance never called WeCom, and a freshly started one neither: both say it.
    const restarted = await createSecondInstance(t)
    others.push(restarted)
    for (const app of [other.app, restarted.app]) {
      expect((await health(app)).wecom.lastError).toEqual({
        errcode: 60020,
        errmsg,
        api: 'externalcontact/get',
        at: refusedAt,
        message: expect.stringMatching(/203\.0\.113\.9.*企业可信IP/s),
      })
    }
    for (const cookie of [lina, manager, '']) {
      const res = await other.app.inject({ method: 'GET', url: '/api/health', headers: { cookie } })
      expect(res.json()).toEqual({ status: 'ok', db: kind, wecom: { mode: 'real' } })
    }

    // The allow-list is fixed; the other instance reads a customer: over, for everyone.
    t.clock.advance(1000)
    expect(await other.customers.refresh(linasCustomer(1).externalUserId)).toBe(true)
    for (const app of [t.app, other.app, restarted.app]) expect((await health(app)).wecom.lastError).toBeNull()
  })

  it('serves a profile from our copy, marked, while WeCom cannot be asked, and drops the mark once it can', async () => {
    const customer = linasCustomer(3)
    const url = `/api/customers/${customer.externalUserId}`
    const fresh = await get(url)
    expect(fresh.statusCode).toBe(200)
    expect(fresh.json().wecomStale).toBeUndefined()
    t.clock.advance(PROFILE_STALE_MS + 1000)
    t.world.injectFault('externalcontact/get', 60020, 100, 'not allow to access from your ip')
    await get(url)
    await t.ctx.background.idle()
    const stale = await get(url)
    expect(stale.statusCode).toBe(200)
    expect(stale.json()).toMatchObject({ externalUserId: customer.externalUserId, name: customer.name, wecomStale: true })
    t.world.clearFaults()
    t.clock.advance(REFRESH_RETRY_MS + 1)
    await get(url)
    await t.ctx.background.idle()
    const again = await get(url)
    expect(again.statusCode).toBe(200)
    expect(again.json().wecomStale).toBeUndefined()
  })

  it('serves a customer known only from her list while WeCom cannot be asked, dated when the list was read', async () => {
    const customer = linasCustomer(5)
    const row = await t.testDb.db.kysely
      .selectFrom('wecom_customers')
      .select(['fetched_at', 'updated_at'])
      .where('external_user_id', '=', customer.externalUserId)
      .executeTakeFirstOrThrow()
    expect(Number(row.fetched_at)).toBe(0)
    t.world.injectFault('externalcontact/get', 60020, 100, 'not allow to access from your ip')
    try {
      const res = await get(`/api/customers/${customer.externalUserId}`)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ name: customer.name, wecomStale: true })
      expect(res.json().syncedAt).toBe(new Date(Number(row.updated_at)).toISOString())
    } finally {
      t.world.clearFaults()
    }
  })

  it('still answers 503 for a customer we hold no copy of', async () => {
    t.world.injectFault('externalcontact/get', -1, 4, 'system busy')
    const res = await get('/api/customers/wmNeverSeenBefore')
    expect(res.statusCode).toBeGreaterThanOrEqual(502)
    expect(res.statusCode).toBeLessThanOrEqual(503)
    expect(res.json().error.code).toMatch(/^wecom_/)
  })

  it('costs WeCom one call for 50 requests of the same bogus customer id', async () => {
    const before = calls('externalcontact/get')
    for (let i = 0; i < 50; i++) {
      const res = await get('/api/customers/wmBogusCustomer42')
      expect(res.statusCode).toBe(404)
    }
    expect(calls('externalcontact/get')).toBe(before + 1)
  })

  it('costs WeCom one call for 50 requests of the same bogus group chat id', async () => {
    const before = calls('externalcontact/groupchat/get')
    for (let i = 0; i < 50; i++) {
      const res = await get('/api/groups/wrBogusGroup42')
      expect(res.statusCode).toBe(404)
    }
    expect(calls('externalcontact/groupchat/get')).toBe(before + 1)
  })

  it('serves a group from our copy, marked, while WeCom cannot be asked', async () => {
    const group = t.demo.groups.find((g) => g.owner === 'lina' || g.staff.includes('lina'))!
    const url = `/api/groups/${group.chatId}`
    expect((await get(url)).json().wecomStale).toBeUndefined()
    t.clock.advance(GROUP_STALE_MS + 1000)
    t.world.injectFault('externalcontact/groupchat/get', 60020, 100, 'not allow to access from your ip')
    await get(url)
    await t.ctx.background.idle()
    const stale = await get(url)
    expect(stale.statusCode).toBe(200)
    expect(stale.json()).toMatchObject({ chatId: group.chatId, wecomStale: true })
    t.world.clearFaults()
  })

  it('accepts a sign-in state once: the second callback is refused without a WeCom call', async () => {
    const login = await t.app.inject({ method: 'GET', url: '/api/auth/login' })
    const oauth = parseSetCookies(login.headers['set-cookie']).get('gs_oauth')!
    const state = new URL(login.headers.location as string, 'http://x').searchParams.get('state')!
    const callback = (code: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/auth/callback?code=${code}&state=${state}`,
        headers: { cookie: `gs_oauth=${oauth.value}` },
      })
    const before = calls('auth/getuserinfo')
    expect((await callback(t.world.issueCode('lina'))).statusCode).toBe(302)
    expect(calls('auth/getuserinfo')).toBe(before + 1)
    for (let i = 0; i < 5; i++) {
      const replay = await callback(`randomCode${i}`)
      expect(replay.statusCode).toBe(400)
      expect(replay.json()).toMatchObject({ error: { code: 'invalid_oauth_state' } })
      expect(parseSetCookies(replay.headers['set-cookie']).get('gs_session')).toBeUndefined()
    }
    expect(calls('auth/getuserinfo')).toBe(before + 1)
  })

  it('sends a code to WeCom once, even with a fresh state', async () => {
    const attempt = async (code: string) => {
      const login = await t.app.inject({ method: 'GET', url: '/api/auth/login' })
      const oauth = parseSetCookies(login.headers['set-cookie']).get('gs_oauth')!
      const state = new URL(login.headers.location as string, 'http://x').searchParams.get('state')!
      return t.app.inject({
        method: 'GET',
        url: `/api/auth/callback?code=${code}&state=${state}`,
        headers: { cookie: `gs_oauth=${oauth.value}` },
      })
    }
    const before = calls('auth/getuserinfo')
    for (let i = 0; i < 3; i++) {
      const res = await attempt('aFailedCode')
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'invalid_oauth_code' } })
    }
    expect(calls('auth/getuserinfo')).toBe(before + 1)
  })
})
