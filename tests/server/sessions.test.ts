import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  SESSION_TOUCH_MS,
  Signer,
  createSessionCookie,
  newSessionId,
} from '../../src/server/http/session'
import { markGuideDeparted } from '../../src/server/modules/guides/departure'
import { SESSION_SECRET, createTestApp, parseSetCookies, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

/**
 * Sessions are rows (issue 14, "Sessions can be ended"): a cookie is only as good as its
 * row, which logout, an admin, the guide's departure and time all end. Production's
 * limits here, not the suite's lenient ones.
 */
const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** What a guide reads all day: each answered 200 for a live session, 401 for none. */
const READS = ['/api/me', '/api/replies', '/api/stores', '/api/catalog/products', '/api/bundles']

describe.each(DB_KINDS)('sessions that can be ended (%s)', (kind) => {
  let t: TestApp
  const signer = new Signer(SESSION_SECRET)

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } })
  const status = async (cookie: string, url = '/api/me') => (await get(url, cookie)).statusCode
  const sessionRows = (userId: string) =>
    t.testDb.db.kysely.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('created_at').execute()

  /** The OAuth round trip as signIn does it, but from a browser that already holds `cookie`. */
  async function signInAgain(userId: string, cookie: string): Promise<{ cookie: string; maxAge: string | undefined }> {
    const login = await t.app.inject({ method: 'GET', url: '/api/auth/login' })
    const oauth = parseSetCookies(login.headers['set-cookie']).get('gs_oauth')!
    const state = new URL(login.headers.location as string, 'http://x').searchParams.get('state')!
    const callback = await t.app.inject({
      method: 'GET',
      url: `/api/auth/callback?code=${t.world.issueCode(userId)}&state=${state}`,
      headers: { cookie: `gs_oauth=${oauth.value}; ${cookie}` },
    })
    const session = parseSetCookies(callback.headers['set-cookie']).get('gs_session')!
    expect(callback.statusCode, callback.body).toBe(302)
    return {
      cookie: `gs_session=${session.value}`,
      maxAge: session.attributes.find((a) => a.startsWith('Max-Age='))?.slice('Max-Age='.length),
    }
  }

  beforeAll(async () => {
    t = await createTestApp(kind, {
      env: { WECOM_ADMIN_IDS: 'hq' },
      sessionLimits: { maxMs: SESSION_MAX_MS, idleMs: SESSION_IDLE_MS },
    })
    for (const [userId, name] of [
      ['hq', '总部运营'],
      ['zhangwei', '张薇'],
    ] as const) {
      t.world.users.set(userId, { userid: userId, name, position: '', storeId: 'S002', avatar: '' })
    }
  })
  afterAll(() => t.close())

  it('reads every guide endpoint with a live session (the 401s below are the session’s doing)', async () => {
    const cookie = await signIn(t, 'lina')
    for (const url of READS) expect((await get(url, cookie)).statusCode, url).toBe(200)
  })

  it('ends at logout: the old cookie, replayed, is refused everywhere', async () => {
    const cookie = await signIn(t, 'lina')
    expect(await status(cookie)).toBe(200)
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })
    expect(logout.statusCode).toBe(204)
    for (const url of READS) expect((await get(url, cookie)).statusCode, url).toBe(401)
    const row = (await sessionRows('lina')).at(-1)!
    expect(row.revoked_reason).toBe('logout')
  })

  it('refuses a validly signed cookie that no sign-in made', async () => {
    // The old stateless token: signed with the real secret, for a user who never signed in.
    const stateless = signer.sign('session', { userId: 'ghost', iat: 1, exp: 9e9 })
    // A signed id with no row behind it.
    const unknownId = createSessionCookie(signer, newSessionId())
    // A row for someone with no guide row (never signed in, or removed).
    const orphanId = newSessionId()
    const now = t.clock.value
    await t.testDb.db.kysely
      .insertInto('sessions')
      .values({
        id: orphanId,
        user_id: 'ghost',
        created_at: now,
        last_seen_at: now,
        expires_at: now + HOUR,
        revoked_at: null,
        revoked_reason: null,
      })
      .execute()
    for (const token of [stateless, unknownId, createSessionCookie(signer, orphanId)]) {
      for (const url of READS) expect((await get(url, `gs_session=${token}`)).statusCode, url).toBe(401)
    }
  })

  it('rotates at sign-in: a new id each time, and the cookie the browser came with ends', async () => {
    const first = await signIn(t, 'chenjing')
    const second = await signInAgain('chenjing', first)
    expect(second.cookie).not.toBe(first)
    expect(second.maxAge).toBe(String(SESSION_MAX_MS / 1000))
    expect(await status(first)).toBe(401)
    expect(await status(second.cookie)).toBe(200)
    // A cookie planted in the browser before sign-in (someone else's) ends too.
    const planted = await signIn(t, 'lina')
    const mine = await signInAgain('chenjing', planted)
    expect(await status(planted)).toBe(401)
    expect((await get('/api/me', mine.cookie)).json()).toMatchObject({ userId: 'chenjing' })
    expect((await sessionRows('lina')).at(-1)!.revoked_reason).toBe('rotated')
  })

  it('ends 12 hours after sign-in however busy she is', async () => {
    const cookie = await signIn(t, 'lina')
    for (let hours = 3; hours < 12; hours += 3) {
      t.clock.advance(3 * HOUR)
      expect(await status(cookie), `${hours} h`).toBe(200)
    }
    t.clock.advance(3 * HOUR - MINUTE)
    expect(await status(cookie)).toBe(200)
    t.clock.advance(MINUTE)
    expect(await status(cookie, '/api/replies')).toBe(401)
    // WeCom signs her in again: a fresh 12 hours.
    expect(await status(await signIn(t, 'lina'))).toBe(200)
  })

  it('ends after 4 idle hours; each request keeps it alive, writing at most every few minutes', async () => {
    const cookie = await signIn(t, 'lina')
    const seen = async () => Number((await sessionRows('lina')).at(-1)!.last_seen_at)
    const signedInAt = t.clock.value
    t.clock.advance(MINUTE)
    expect(await status(cookie)).toBe(200)
    // Within SESSION_TOUCH_MS of the last write: no write.
    expect(await seen()).toBe(signedInAt)
    t.clock.advance(SESSION_TOUCH_MS)
    expect(await status(cookie)).toBe(200)
    expect(await seen()).toBe(t.clock.value)
    t.clock.advance(SESSION_IDLE_MS - MINUTE)
    expect(await status(cookie)).toBe(200)
    t.clock.advance(SESSION_IDLE_MS)
    expect(await status(cookie)).toBe(401)
  })

  it('ends when the guide leaves the company, and she cannot sign in again', async () => {
    const cookie = await signIn(t, 'zhangwei')
    expect(await status(cookie)).toBe(200)
    await markGuideDeparted(t.testDb.db.kysely, 'zhangwei', t.clock.value)
    // Again, as WeCom retries its callback: the first departure's time stays.
    await markGuideDeparted(t.testDb.db.kysely, 'zhangwei', t.clock.value + MINUTE)
    for (const url of READS) expect((await get(url, cookie)).statusCode, url).toBe(401)
    const guide = await t.testDb.db.kysely
      .selectFrom('guides')
      .select('left_at')
      .where('user_id', '=', 'zhangwei')
      .executeTakeFirstOrThrow()
    expect(Number(guide.left_at)).toBe(t.clock.value)
    expect((await sessionRows('zhangwei')).map((r) => r.revoked_reason)).toEqual(['departed'])

    const login = await t.app.inject({ method: 'GET', url: '/api/auth/login' })
    const oauth = parseSetCookies(login.headers['set-cookie']).get('gs_oauth')!
    const state = new URL(login.headers.location as string, 'http://x').searchParams.get('state')!
    const again = await t.app.inject({
      method: 'GET',
      url: `/api/auth/callback?code=${t.world.issueCode('zhangwei')}&state=${state}`,
      headers: { cookie: `gs_oauth=${oauth.value}`, accept: 'application/json' },
    })
    expect(again.statusCode).toBe(403)
    expect(again.json()).toMatchObject({ error: { code: 'not_a_member' } })
    expect(parseSetCookies(again.headers['set-cookie']).has('gs_session')).toBe(false)
  })

  it('lets head office end every session of a member, audited; nobody else', async () => {
    const phone = await signIn(t, 'lina')
    const desktop = await signIn(t, 'lina')
    const hq = await signIn(t, 'hq')
    const manager = await signIn(t, 'wanglei')
    const guide = await signIn(t, 'chenjing')
    const revoke = (cookie: string, userId = 'lina') =>
      t.app.inject({ method: 'DELETE', url: `/api/sessions/${userId}`, headers: { cookie } })

    expect((await revoke(guide)).statusCode).toBe(403)
    expect((await revoke(manager)).statusCode).toBe(403)
    expect((await revoke(phone)).statusCode).toBe(403)
    expect(await status(phone)).toBe(200)
    expect((await revoke('gs_session=nothing')).statusCode).toBe(401)
    expect((await revoke(hq, 'nobody')).statusCode).toBe(404)

    const done = await revoke(hq)
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toEqual({ revoked: 2 })
    for (const cookie of [phone, desktop]) for (const url of READS) expect((await get(url, cookie)).statusCode).toBe(401)
    expect(await status(hq)).toBe(200)
    expect(await status(guide)).toBe(200)
    expect((await revoke(hq)).json()).toEqual({ revoked: 0 })

    const audit = (await get('/api/manage/audit', manager)).json() as {
      items: { entity: string; entityId: string; action: string; actor: { userId: string }; summary: string }[]
    }
    expect(audit.items.filter((e) => e.entity === 'sessions')).toEqual([
      expect.objectContaining({
        entityId: 'lina',
        action: 'retire',
        actor: expect.objectContaining({ userId: 'hq' }),
        summary: '李娜',
      }),
      expect.objectContaining({
        entityId: 'lina',
        action: 'retire',
        actor: expect.objectContaining({ userId: 'hq' }),
        summary: '李娜',
      }),
    ])
    // She signs in again as usual.
    expect(await status(await signIn(t, 'lina'))).toBe(200)
  })

  it('holds across instances: a session ended on one is refused by another at once', async () => {
    const cookie = await signIn(t, 'chenjing')
    const { buildApp } = await import('../../src/server/app')
    const other = await buildApp({
      config: t.config,
      db: t.testDb.db,
      now: t.clock.now,
      world: t.world,
      demo: t.demo,
      distDir: '/nonexistent',
      eveningReportMs: 0,
      sessionLimits: { maxMs: SESSION_MAX_MS, idleMs: SESSION_IDLE_MS },
    })
    try {
      await other.app.ready()
      expect((await other.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200)
      await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })
      expect((await other.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401)
    } finally {
      await other.app.close()
    }
  })
})
