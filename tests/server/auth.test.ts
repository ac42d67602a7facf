import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../helpers/db'
import { REAL_AGENT_ID, REAL_CORP_ID, createTestApp, parseSetCookies, signIn, type TestApp } from '../helpers/app'

async function startLogin(t: TestApp, returnTo?: string, host = 'localhost:8080') {
  const url = returnTo === undefined ? '/api/auth/login' : `/api/auth/login?return=${encodeURIComponent(returnTo)}`
  const res = await t.app.inject({ method: 'GET', url, headers: { host } })
  const location = new URL(res.headers.location as string, 'http://relative.invalid')
  const oauth = parseSetCookies(res.headers['set-cookie']).get('gs_oauth')
  return { res, location, oauth, state: location.searchParams.get('state') ?? '' }
}

describe.each(DB_KINDS)('sign-in through WeCom OAuth, real mode (%s)', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real', env: { WECOM_MANAGER_IDS: 'lina' } })
  })
  afterAll(() => t.close())

  it('redirects to open.weixin.qq.com with the documented parameters', async () => {
    const { res, location, oauth, state } = await startLogin(t, '/#/customer')
    expect(res.statusCode).toBe(302)
    const raw = res.headers.location as string
    expect(raw.startsWith('https://open.weixin.qq.com/connect/oauth2/authorize?')).toBe(true)
    expect(raw.endsWith('#wechat_redirect')).toBe(true)
    expect([...location.searchParams.keys()]).toEqual(['appid', 'redirect_uri', 'response_type', 'scope', 'state', 'agentid'])
    expect(location.searchParams.get('appid')).toBe(REAL_CORP_ID)
    expect(location.searchParams.get('redirect_uri')).toBe('https://sidebar.example.com/api/auth/callback')
    expect(location.searchParams.get('response_type')).toBe('code')
    expect(location.searchParams.get('scope')).toBe('snsapi_base')
    expect(location.searchParams.get('agentid')).toBe(REAL_AGENT_ID)
    expect(state).toMatch(/^[A-Za-z0-9]{1,128}$/)
    expect(oauth?.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Secure', 'Path=/api/auth']))
  })

  it('exchanges the code, sets an HttpOnly Secure Lax session and returns to the page', async () => {
    const { oauth, state } = await startLogin(t, '/?x=1#/customer')
    const code = t.world.issueCode('lina')
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/auth/callback?code=${code}&state=${state}`,
      headers: { cookie: `gs_oauth=${oauth!.value}` },
    })
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/?x=1#/customer')
    const session = parseSetCookies(res.headers['set-cookie']).get('gs_session')!
    expect(session.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/']))
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `gs_session=${session.value}` } })
    expect(me.statusCode).toBe(200)
    // lina is listed in WECOM_MANAGER_IDS; her name comes from WeCom's user/get.
    expect(me.json()).toEqual({ userId: 'lina', name: '李娜', role: 'manager' })
    expect(t.world.callCount('auth/getuserinfo')).toBeGreaterThan(0)
  })

  it.each(['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)'])(
    'never returns to %s',
    async (target) => {
      const { oauth, state } = await startLogin(t, target)
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/auth/callback?code=${t.world.issueCode('lina')}&state=${state}`,
        headers: { cookie: `gs_oauth=${oauth!.value}` },
      })
      expect(res.statusCode).toBe(302)
      expect(res.headers.location).toBe('/')
    },
  )

  it('gives no session for a wrong state, a missing cookie, or a bad or reused code', async () => {
    const { oauth, state } = await startLogin(t, '/')
    const code = t.world.issueCode('lina')
    const attempts = [
      { url: `/api/auth/callback?code=${code}&state=WRONG${state.slice(5)}`, cookie: `gs_oauth=${oauth!.value}` },
      { url: `/api/auth/callback?code=${code}&state=${state}`, cookie: '' },
      { url: `/api/auth/callback?code=${code}&state=${state}`, cookie: `gs_oauth=${oauth!.value.slice(0, -2)}xx` },
      { url: `/api/auth/callback?code=not-a-code&state=${state}`, cookie: `gs_oauth=${oauth!.value}` },
      { url: `/api/auth/callback?state=${state}`, cookie: `gs_oauth=${oauth!.value}` },
    ]
    for (const attempt of attempts) {
      const res = await t.app.inject({ method: 'GET', url: attempt.url, headers: { cookie: attempt.cookie } })
      expect(res.statusCode, attempt.url).toBeGreaterThanOrEqual(400)
      expect(res.statusCode).toBeLessThan(500)
      expect(parseSetCookies(res.headers['set-cookie']).get('gs_session'), attempt.url).toBeUndefined()
    }
    // The code was not consumed by the failed attempts above (the state was: a state is
    // good for one callback); using the code twice fails the second time.
    const fresh = await startLogin(t, '/')
    const first = await t.app.inject({
      method: 'GET',
      url: `/api/auth/callback?code=${code}&state=${fresh.state}`,
      headers: { cookie: `gs_oauth=${fresh.oauth!.value}` },
    })
    expect(first.statusCode).toBe(302)
    const another = await startLogin(t, '/')
    const again = await t.app.inject({
      method: 'GET',
      url: `/api/auth/callback?code=${code}&state=${another.state}`,
      headers: { cookie: `gs_oauth=${another.oauth!.value}` },
    })
    expect(again.statusCode).toBe(400)
    expect(again.json()).toMatchObject({ error: { code: 'invalid_oauth_code' } })
    expect(parseSetCookies(again.headers['set-cookie']).get('gs_session')).toBeUndefined()
  })

  it('shows a page with a way forward to a browser whose sign-in failed', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/callback?code=x&state=y', headers: { accept: 'text/html' } })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/text\/html/)
    expect(res.body).toContain('/api/auth/login?return=')
  })

  it('answers /api/me with 401 without a valid session', async () => {
    for (const cookie of ['', 'gs_session=', 'gs_session=abc.def', 'gs_session=eyJ1c2VySWQiOiJsaW5hIn0.AAAA']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
  })

  it('signs out', async () => {
    const cookie = await signIn(t, 'chenjing')
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })
    expect(out.statusCode).toBe(204)
    expect(parseSetCookies(out.headers['set-cookie']).get('gs_session')?.value).toBe('')
  })

  it('refuses someone who is not a member of the company (openid only)', async () => {
    const { oauth, state } = await startLogin(t, '/')
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/auth/callback?code=${t.world.issueNonMemberCode('oOPENID')}&state=${state}`,
      headers: { cookie: `gs_oauth=${oauth!.value}` },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ error: { code: 'not_a_member' } })
    expect(parseSetCookies(res.headers['set-cookie']).get('gs_session')).toBeUndefined()
  })
})

describe.each(DB_KINDS)('sign-in in simulator mode (%s)', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(kind)
  })
  afterAll(() => t.close())

  it('goes through the simulator authorize page as the member chosen in the simulator', async () => {
    const { location, oauth } = await startLogin(t, '/#/workbench')
    expect(location.pathname).toBe('/simulator/connect/oauth2/authorize')
    const authorize = await t.app.inject({
      method: 'GET',
      url: location.pathname + location.search,
      headers: { host: 'localhost:8080', cookie: 'gs_sim_user=chenjing' },
    })
    expect(authorize.statusCode).toBe(302)
    const back = new URL(authorize.headers.location as string)
    expect(back.pathname).toBe('/api/auth/callback')
    const callback = await t.app.inject({
      method: 'GET',
      url: back.pathname + back.search,
      headers: { cookie: `gs_oauth=${oauth!.value}` },
    })
    expect(callback.headers.location).toBe('/#/workbench')
    const session = parseSetCookies(callback.headers['set-cookie']).get('gs_session')!
    expect(session.attributes).not.toContain('Secure')
    expect(session.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax']))
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `gs_session=${session.value}` } })
    expect(me.json()).toEqual({ userId: 'chenjing', name: '陈静', role: 'guide' })
  })

  it('refuses a redirect_uri outside the trusted host, as WeCom does (50001)', async () => {
    const { location } = await startLogin(t, '/', 'localhost:8080')
    const res = await t.app.inject({
      method: 'GET',
      url: location.pathname + location.search,
      headers: { host: 'other.example:8080' },
    })
    expect(res.statusCode).toBe(400)
  })

  it('gives the demo manager the manager role', async () => {
    const cookie = await signIn(t, 'wanglei')
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })
    expect(me.json()).toMatchObject({ userId: 'wanglei', role: 'manager' })
  })
})
