/**
 * A manager's preview of a guide's view: every request then acts as the guide, reads only.
 * The people: wanglei (manager, S001), lina (guide, S001) and chenjing (guide, S002) from
 * the demo; zhaomin, a manager of S002 made here.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Me } from '../../src/shared/auth'
import type { CustomerList } from '../../src/shared/customer'
import type { ReplyLibrary } from '../../src/shared/replies'
import { createTestApp, parseSetCookies, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
const HOUR = 3_600_000

describe.each(DB_KINDS)('previewing a guide’s view (%s)', (kind) => {
  let t: TestApp
  const cookie: Record<string, string> = {}
  let customerId: string

  const call = (method: Method, url: string, who: string | null, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: who ? { cookie: who } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  const me = async (who: string) => {
    const res = await call('GET', '/api/me', who)
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as Me
  }
  /** Starts a preview as `by` and answers the browser's cookies with the grant beside her session. */
  async function preview(by: string, guide: string): Promise<string> {
    const res = await call('POST', '/api/preview', cookie[by]!, { guideUserId: guide })
    expect(res.statusCode, res.body).toBe(200)
    const grant = parseSetCookies(res.headers['set-cookie']).get('gs_preview')
    expect(grant?.value).toBeTruthy()
    return `${cookie[by]}; gs_preview=${grant!.value}`
  }
  /** Every customer in the list, page after page. */
  async function customerIds(who: string): Promise<string[]> {
    const ids: string[] = []
    let cursor: string | null = null
    do {
      const res = await call('GET', `/api/customers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, who)
      expect(res.statusCode, res.body).toBe(200)
      const page = res.json() as CustomerList
      ids.push(...page.items.map((c) => c.externalUserId))
      cursor = page.nextCursor
    } while (cursor)
    return ids
  }

  beforeAll(async () => {
    t = await createTestApp(kind)
    t.world.users.set('zhaomin', { userid: 'zhaomin', name: '赵敏', position: '店长', storeId: 'S002', avatar: '' })
    for (const who of ['wanglei', 'lina', 'chenjing', 'zhaomin']) cookie[who] = await signIn(t, who)
    await t.testDb.db.kysely
      .updateTable('guides')
      .set({ role: 'manager', store_id: 'S002' })
      .where('user_id', '=', 'zhaomin')
      .execute()
    customerId = t.demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!.externalUserId
  })
  afterAll(async () => {
    await t?.close()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('shows the manager the guide’s own session: who she is and her customers', async () => {
    const res = await call('POST', '/api/preview', cookie.wanglei!, { guideUserId: 'lina' })
    expect(res.statusCode, res.body).toBe(200)
    const answer = { userId: 'lina', name: '李娜', role: 'guide', preview: { by: 'wanglei', name: '王蕾' } }
    expect(res.json()).toEqual(answer)
    const grant = parseSetCookies(res.headers['set-cookie']).get('gs_preview')!
    expect(grant.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Max-Age=7200', 'Path=/', 'SameSite=Lax']))

    const previewing = `${cookie.wanglei}; gs_preview=${grant.value}`
    expect(await me(previewing)).toEqual(answer)
    const hers = await customerIds(cookie.lina!)
    expect(hers).toContain(customerId)
    expect(await customerIds(previewing)).toEqual(hers)
    expect(await customerIds(cookie.wanglei!)).not.toContain(customerId)
    // Her customer's profile opens too: it is hers, not the manager's.
    expect((await call('GET', `/api/customers/${customerId}`, previewing)).statusCode).toBe(200)
  })

  it('refuses every write (403 preview_read_only) and stores nothing', async () => {
    // What the writes would touch, made before the preview by the people allowed to.
    const template = await call('POST', '/api/coupon-templates', cookie.wanglei!, {
      name: '预览测试券',
      kind: 'no_threshold',
      value: 1000,
      threshold: 0,
      totalStock: 5,
      perCustomerLimit: 1,
      guideWeeklyQuota: 10,
      validDays: 7,
    })
    expect(template.statusCode, template.body).toBe(201)
    const templateId = (template.json() as { id: string }).id
    const key = await call('POST', '/api/stores/S001/api-keys', cookie.wanglei!, { label: '收银台' })
    expect(key.statusCode, key.body).toBe(201)
    const keyId = (key.json() as { id: string }).id
    const library = (await call('GET', '/api/replies', cookie.lina!)).json() as ReplyLibrary
    const replyId = library.replies[0]!.id

    const db = t.testDb.db.kysely
    const count = async (table: 'customer_notes' | 'reply_sends' | 'coupon_issuances' | 'audit_log') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const targets = () =>
      db.selectFrom('sales_targets').selectAll().orderBy('scope').orderBy('scope_id').orderBy('month').execute()
    const facts = async () =>
      ((await call('GET', `/api/customers/${customerId}`, cookie.lina!)).json() as { facts: unknown }).facts
    const before = {
      notes: await count('customer_notes'),
      sends: await count('reply_sends'),
      issuances: await count('coupon_issuances'),
      audit: await count('audit_log'),
      targets: await targets(),
      facts: await facts(),
    }

    const previewing = await preview('wanglei', 'lina')
    const note = { id: randomUUID(), text: '预览里写的跟进' }
    const writes: [Method, string, unknown][] = [
      ['POST', `/api/customers/${customerId}/notes`, note],
      [
        'POST',
        `/api/replies/${replyId}/sends`,
        { id: randomUUID(), externalUserId: customerId, partsSent: 1, partsTotal: 1, edited: false },
      ],
      ['POST', `/api/coupons/${templateId}/issue`, { externalUserId: customerId, idempotencyKey: randomUUID() }],
      ['PATCH', `/api/customers/${customerId}/facts`, { sizeTop: 'XL' }],
      ['PUT', '/api/targets', { month: '2026-11', items: [{ scope: 'guide', id: 'lina', amountFen: 1 }] }],
      ['DELETE', `/api/stores/S001/api-keys/${keyId}`, undefined],
      // Another guide: only after ending this preview.
      ['POST', '/api/preview', { guideUserId: 'lina' }],
    ]
    for (const [method, url, body] of writes) {
      const res = await call(method, url, previewing, body)
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403)
      expect(res.json()).toMatchObject({ error: { code: 'preview_read_only' } })
      // Sign-out did not happen either: no cookie is cleared.
      expect(res.headers['set-cookie'], `${method} ${url}`).toBeUndefined()
    }

    expect(await count('customer_notes')).toBe(before.notes)
    expect(await count('reply_sends')).toBe(before.sends)
    expect(await count('coupon_issuances')).toBe(before.issuances)
    expect(await count('audit_log')).toBe(before.audit)
    expect(await targets()).toEqual(before.targets)
    expect(await facts()).toEqual(before.facts)
    const keys = (await call('GET', '/api/stores/S001/api-keys', cookie.wanglei!)).json() as {
      items: { id: string; revokedAt: string | null }[]
    }
    expect(keys.items.find((k) => k.id === keyId)?.revokedAt).toBeNull()
    // Still in the preview, still reading.
    expect((await me(previewing)).preview?.by).toBe('wanglei')

    // The very same note from lina herself is fine: the preview, not the request, was refused.
    expect((await call('POST', `/api/customers/${customerId}/notes`, cookie.lina!, note)).statusCode).toBe(201)
  })

  it('answers a send 401, not 403, once the manager’s own session has ended', async () => {
    // A session of her own, kept by the server after its first request: the coupon send
    // route takes a kept session with its check left for later (`deferSessionCheck`).
    const own = await signIn(t, 'wanglei')
    const res = await call('POST', '/api/preview', own, { guideUserId: 'lina' })
    expect(res.statusCode, res.body).toBe(200)
    const previewing = `${own}; gs_preview=${parseSetCookies(res.headers['set-cookie']).get('gs_preview')!.value}`
    const send = () =>
      call('POST', '/api/coupons/no-such-coupon/issue', previewing, { externalUserId: customerId, idempotencyKey: randomUUID() })
    expect((await me(previewing)).preview?.by).toBe('wanglei')
    expect((await send()).json()).toMatchObject({ error: { code: 'preview_read_only' } })

    expect((await call('POST', '/api/auth/logout', own)).statusCode).toBeLessThan(300)
    const ended = await send()
    expect(ended.statusCode, ended.body).toBe(401)
    expect((await call('GET', '/api/me', previewing)).statusCode).toBe(401)
  })

  it('lets the manager sign out in a preview; signed in again, she is still in it, reading only', async () => {
    const own = await signIn(t, 'wanglei')
    const start = await call('POST', '/api/preview', own, { guideUserId: 'lina' })
    const grant = parseSetCookies(start.headers['set-cookie']).get('gs_preview')!.value
    const previewing = `${own}; gs_preview=${grant}`
    const out = await call('POST', '/api/auth/logout', previewing)
    expect(out.statusCode, out.body).toBe(204)
    expect(parseSetCookies(out.headers['set-cookie']).get('gs_session')?.value).toBe('')
    expect((await call('GET', '/api/me', previewing)).statusCode).toBe(401)

    // Another window of hers may still show the preview: beside her next session it still
    // counts, and writes stay refused, until she ends it.
    const again = `${await signIn(t, 'wanglei')}; gs_preview=${grant}`
    expect((await me(again)).preview?.by).toBe('wanglei')
    const note = await call('POST', `/api/customers/${customerId}/notes`, again, { id: randomUUID(), text: '预览中' })
    expect(note.statusCode, note.body).toBe(403)
    expect(note.json()).toMatchObject({ error: { code: 'preview_read_only' } })
    expect((await call('DELETE', '/api/preview', again)).statusCode).toBe(204)
  })

  it('ends: DELETE gives the manager her own view back', async () => {
    const previewing = await preview('wanglei', 'lina')
    const res = await call('DELETE', '/api/preview', previewing)
    expect(res.statusCode, res.body).toBe(204)
    const cleared = parseSetCookies(res.headers['set-cookie']).get('gs_preview')
    expect(cleared?.value).toBe('')
    expect(await me(cookie.wanglei!)).toEqual({ userId: 'wanglei', name: '王蕾', role: 'manager' })
    // Without a preview there is nothing to end, and nothing breaks.
    expect((await call('DELETE', '/api/preview', cookie.wanglei!)).statusCode).toBe(204)
    expect((await call('DELETE', '/api/preview', null)).statusCode).toBe(401)
  })

  it('lets a manager preview only guides of her stores', async () => {
    const start = (who: string | null, body: unknown) => call('POST', '/api/preview', who, body)
    expect((await start(cookie.lina!, { guideUserId: 'lina' })).statusCode).toBe(403)
    expect((await start(cookie.lina!, { guideUserId: 'chenjing' })).statusCode).toBe(403)
    expect((await start(cookie.wanglei!, { guideUserId: 'chenjing' })).statusCode).toBe(403)
    expect((await start(cookie.zhaomin!, { guideUserId: 'lina' })).statusCode).toBe(403)
    expect((await start(cookie.wanglei!, { guideUserId: 'nobody' })).statusCode).toBe(404)
    expect((await start(null, { guideUserId: 'lina' })).statusCode).toBe(401)
    for (const body of [{}, { guideUserId: '' }, { guideUserId: 'lina', extra: 1 }, { guideUserId: 'x'.repeat(65) }]) {
      expect((await start(cookie.wanglei!, body)).statusCode, JSON.stringify(body)).toBe(400)
    }
    const res = await start(cookie.zhaomin!, { guideUserId: 'chenjing' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ userId: 'chenjing', preview: { by: 'zhaomin', name: '赵敏' } })
  })

  it('ignores a grant beside another manager’s session: she acts as herself', async () => {
    const grant = (await preview('wanglei', 'lina')).split('; ').find((part) => part.startsWith('gs_preview='))!
    const borrowed = `${cookie.zhaomin}; ${grant}`
    expect(await me(borrowed)).toEqual({ userId: 'zhaomin', name: '赵敏', role: 'manager' })
    // Not read-only either: it is simply her own session.
    const res = await call('PUT', '/api/targets', borrowed, {
      month: '2026-12',
      items: [{ scope: 'store', id: 'S002', amountFen: 100 }],
    })
    expect(res.statusCode, res.body).toBe(200)
    // A grant with no session at all is nobody.
    expect((await call('GET', '/api/me', grant)).statusCode).toBe(401)
  })

  it('lapses after two hours: the manager is herself again', async () => {
    const previewing = await preview('wanglei', 'lina')
    // Sessions and grants run on the real clock (epoch seconds), not the app's: move that one.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 2 * HOUR - 60_000)
    expect((await me(previewing)).userId).toBe('lina')
    vi.setSystemTime(Date.now() + 61_000)
    expect(await me(previewing)).toEqual({ userId: 'wanglei', name: '王蕾', role: 'manager' })
    const res = await call('PUT', '/api/targets', previewing, {
      month: '2026-12',
      items: [{ scope: 'guide', id: 'lina', amountFen: 100 }],
    })
    expect(res.statusCode, res.body).toBe(200)
  })
})
