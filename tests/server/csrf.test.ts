import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

/**
 * Cross-site writes beyond SameSite=Lax (issue 14): a write from a page of another origin
 * is refused whatever its body, a body must be JSON, and revealing a phone (audited) is a
 * POST. Real mode: our origin is PUBLIC_URL, https://sidebar.example.com.
 */
const OURS = 'https://sidebar.example.com'

describe.each(DB_KINDS)('cross-site writes (%s)', (kind) => {
  let t: TestApp
  let cookie: string
  let customerId: string

  const note = (headers: Record<string, string>, payload?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/customers/${customerId}/notes`,
      headers: { cookie, 'content-type': 'application/json', ...headers },
      payload: payload ?? JSON.stringify({ id: randomUUID(), text: '周末来试穿' }),
    })
  const notesStored = async () =>
    Number(
      (
        await t.testDb.db.kysely
          .selectFrom('customer_notes')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real' })
    cookie = await signIn(t, 'lina')
    customerId = t.demo.customers.find((c) => c.follows.some((f) => f.userId === 'lina'))!.externalUserId
  })
  afterAll(() => t.close())

  it('accepts a write from our own pages, and from clients that send no Origin', async () => {
    expect((await note({ origin: OURS })).statusCode).toBe(201)
    expect((await note({})).statusCode).toBe(201)
  })

  it.each(['https://evil.example', 'https://shop.example.com', 'http://sidebar.example.com', 'null'])(
    'refuses a write whose Origin is %s (403 cross_origin), storing nothing',
    async (origin) => {
      const before = await notesStored()
      const res = await note({ origin })
      expect(res.statusCode).toBe(403)
      expect(res.json()).toMatchObject({ error: { code: 'cross_origin' } })
      expect(await notesStored()).toBe(before)
    },
  )

  it('refuses a body-less cross-site POST by its Origin: a forged logout leaves the session alive', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'https://evil.example' },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ error: { code: 'cross_origin' } })
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200)
  })

  it('refuses every other method of write from another origin too', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const res = await t.app.inject({
        method,
        url: `/api/customers/${customerId}/facts`,
        headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
        payload: '{}',
      })
      expect(res.statusCode, method).toBe(403)
    }
  })

  it('needs JSON: what a cross-site form can send is a 415 (unsupported_media_type)', async () => {
    const before = await notesStored()
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await note({ 'content-type': type }, JSON.stringify({ id: randomUUID(), text: 'x' }))
      expect(res.statusCode, type).toBe(415)
      expect(res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } })
    }
    expect(await notesStored()).toBe(before)
  })

  it('leaves the writes that use no cookie to their own checks: the WeCom callback and the till', async () => {
    const callback = await t.app.inject({
      method: 'POST',
      url: '/api/wecom/callback?msg_signature=x&timestamp=1&nonce=n',
      headers: { origin: 'https://evil.example', 'content-type': 'text/xml' },
      payload: '<xml></xml>',
    })
    expect(callback.json()).not.toMatchObject({ error: { code: 'cross_origin' } })
    const till = await t.app.inject({
      method: 'POST',
      url: '/api/redemptions',
      headers: { origin: 'https://till.example', authorization: 'Bearer nope', 'content-type': 'application/json' },
      payload: JSON.stringify({ code: 'ABCD1234', orderId: 'O1' }),
    })
    expect(till.statusCode).not.toBe(403)
    expect(till.json()).not.toMatchObject({ error: { code: 'cross_origin' } })
  })

  it('reveals a phone only by POST (it writes an audit entry); a GET finds no route', async () => {
    const member = t.demo.members.find((m) => m.externalUserId)!
    const owner = t.demo.customers.find((c) => c.externalUserId === member.externalUserId)!.follows[0]!.userId
    const mine = owner === 'lina' ? cookie : await signIn(t, owner)
    const url = `/api/customers/${member.externalUserId}/phone`
    const get = await t.app.inject({ method: 'GET', url, headers: { cookie: mine } })
    expect(get.statusCode).toBe(404)
    const post = await t.app.inject({ method: 'POST', url, headers: { cookie: mine, origin: OURS } })
    expect(post.statusCode, post.body).toBe(200)
    expect(post.json()).toEqual({ phone: member.phone })
    const forged = await t.app.inject({ method: 'POST', url, headers: { cookie: mine, origin: 'https://evil.example' } })
    expect(forged.statusCode).toBe(403)
  })
})

describe('our origin in simulator mode without PUBLIC_URL: the host the browser used', () => {
  let t: TestApp
  let cookie: string
  beforeAll(async () => {
    t = await createTestApp('sqlite')
    cookie = await signIn(t, 'lina')
  })
  afterAll(() => t.close())

  const logout = (host: string, origin: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, host, origin } })

  it('refuses another origin and accepts the page’s own, whatever address the demo is opened at', async () => {
    expect((await logout('192.168.1.20:8080', 'http://evil.test')).statusCode).toBe(403)
    expect((await logout('localhost:8080', 'http://localhost:5173')).statusCode).toBe(403)
    expect((await logout('192.168.1.20:8080', 'http://192.168.1.20:8080')).statusCode).toBe(204)
  })
})
