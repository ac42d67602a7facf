import type { RouteOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Bundle, BundleList, BundleSend } from '../../src/shared/bundles'
import type { CatalogPage, ProductDetail } from '../../src/shared/catalog'
import type { CouponTemplate, Issuance } from '../../src/shared/coupons'
import type { CustomerList } from '../../src/shared/customer'
import { isErrorBody } from '../../src/shared/errors'
import type { TimelinePage } from '../../src/shared/memory'
import type { ReplyLibrary } from '../../src/shared/replies'
import type { TaskList } from '../../src/shared/tasks'
import { HTML_FRAGMENTS, SQL_FRAGMENTS, hasBody, probesFor, type Known, type Probe, type RouteInfo } from '../helpers/bad-input'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

/**
 * Every route the app has, sent bad input of every kind by a guide, by head office and by
 * nobody, on each database: the answer is always below 500, a 4xx from the API always says
 * `{error:{code,message}}`, and no page ever carries a fragment of HTML it was given.
 *
 * The routes are read as Fastify registers them (an `onRoute` hook on every instance the
 * app makes), with their schemas, so a route added later is covered without naming it here.
 */
const registered = vi.hoisted(() => new WeakMap<object, RouteInfo[]>())
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof import('fastify')>()
  type Make = (...args: unknown[]) => { addHook(name: 'onRoute', hook: (route: RouteOptions) => void): unknown }
  const make = actual.default as unknown as Make
  const wrapped = Object.assign((...args: unknown[]) => {
    const app = make(...args)
    const routes: RouteInfo[] = []
    registered.set(app, routes)
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        routes.push({ method, url: route.url, schema: route.schema as RouteInfo['schema'] })
    })
    return app
  }, make)
  return { ...actual, default: wrapped }
})

/** Methods a client sends; a wildcard route answering every method is probed as GET and POST. */
const PROBED_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
const CHUNK = 48

function routesOf(t: TestApp): RouteInfo[] {
  const seen = new Set<string>()
  const out: RouteInfo[] = []
  for (const route of registered.get(t.app) ?? []) {
    if (!PROBED_METHODS.has(route.method)) continue
    const key = `${route.method} ${route.url}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(route)
  }
  // Deletions and endings last, so the rows they remove serve the other routes first.
  return out.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'))
}

describe.each(DB_KINDS)('bad input on every route (%s)', (kind) => {
  let t: TestApp
  const cookies: Record<string, string> = {}
  const known: Known = {}
  let customerId: string
  let tillKey: string
  let integrationKey: string
  let requestNo = 0
  let idByRoute: [RegExp, string][] = []

  const call = (who: string | null, method: string, url: string, body?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: who ? { cookie: cookies[who]! } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    })

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { WECOM_ADMIN_IDS: 'hq' } })
    t.world.users.set('hq', { userid: 'hq', name: '总部运营', position: '', storeId: 'S002', avatar: '' })
    for (const who of ['lina', 'hq']) cookies[who] = await signIn(t, who)

    // Real rows for well-formed requests to reach: a customer, a reply, an outfit, a coupon…
    const customers = (await call('lina', 'GET', '/api/customers')).json<CustomerList>()
    customerId = customers.items[0]!.externalUserId
    const library = (await call('lina', 'GET', '/api/replies')).json<ReplyLibrary>()
    const page = (await call('lina', 'GET', '/api/catalog/products?limit=2')).json<CatalogPage>()
    const products = await Promise.all(
      page.items.map(async (p) => (await call('lina', 'GET', `/api/catalog/products/${p.id}`)).json<ProductDetail>()),
    )
    const bundle = (await call('lina', 'GET', '/api/bundles?scope=corp')).json<BundleList>().bundles[0]!
    const template = (await call('hq', 'GET', '/api/coupon-templates')).json<{ templates: CouponTemplate[] }>().templates[0]!
    const issued = await call('lina', 'POST', `/api/coupons/${template.id}/issue`, {
      externalUserId: customerId,
      idempotencyKey: 'bad-input-setup',
    })
    const issuance = issued.json<Issuance>()
    const send = (
      await call('lina', 'POST', `/api/bundles/${bundle.id}/sends`, { externalUserId: customerId })
    ).json<BundleSend>()
    const task = (await call('lina', 'GET', '/api/tasks')).json<TaskList>().items[0]
    const campaign = await call('hq', 'POST', '/api/campaigns', {
      name: '回访',
      startsOn: '2026-11-25',
      endsOn: '2026-11-30',
      audience: {},
      content: null,
      storeIds: ['S001'],
    })
    const key = (await call('hq', 'POST', '/api/stores/S001/api-keys', { label: '收银台' })).json<{ id: string; key: string }>()
    tillKey = key.key
    const scopes = ['stock', 'orders', 'members', 'products']
    integrationKey = (await call('hq', 'POST', '/api/integration-keys', { name: 'ERP', scopes })).json<{ key: string }>().key
    // The one the DELETE probes revoke, so the key the feed's probes send stays good.
    const revocable = (await call('hq', 'POST', '/api/integration-keys', { name: 'Old', scopes })).json<{ id: string }>()
    const chatId = t.demo.groups[0]!.chatId
    Object.assign(known, {
      externalUserId: customerId,
      chatId,
      guideUserId: 'lina',
      storeId: 'S001',
      'storeIds[]': 'S001',
      groupId: library.groups[0]!.id,
      productId: products[0]!.id,
      skuId: products[0]!.skus[0]!.id,
      'items[]': { productId: products[0]!.id, skuId: products[0]!.skus[0]!.id },
      templateId: template.id,
      taskId: task?.id ?? 'none',
      keyId: key.id,
      code: issuance.code,
      token: new URL(send.message.msgtype === 'news' ? send.message.news.link : 'http://x/l/none').pathname.slice(3),
    })
    // `:id` names a different thing on each route.
    idByRoute = [
      [/^\/api\/(replies)\//, library.replies[0]!.id],
      [/^\/api\/reply-groups\//, library.groups[0]!.id],
      [/^\/api\/bundles\//, bundle.id],
      [/^\/api\/bundle-sends\//, send.id],
      [/^\/api\/(coupon-templates|coupons)\//, template.id],
      [/^\/api\/issuances\//, issuance.issuanceId],
      [/^\/api\/campaigns\//, campaign.json<{ campaign: { id: string } }>().campaign.id],
      [/^\/api\/stores\//, 'S001'],
      [/^\/api\/integration-keys\//, revocable.id],
      [/^\/api\/catalog\/products\//, products[0]!.id],
      [/^\/(api\/)?media\//, library.assets[0]?.id ?? 'none'],
    ]
  })

  afterAll(async () => {
    await t?.close()
  })

  const knownFor = (route: RouteInfo): Known => ({ ...known, id: idByRoute.find(([re]) => re.test(route.url))?.[1] ?? 'abc' })

  async function send(who: string | null, probe: Probe) {
    requestNo += 1
    // Each from its own address, so per-address rate limits leave the checks to run.
    const n = requestNo
    const headers: Record<string, string> = { 'x-store-key': tillKey, ...probe.headers }
    // The live feed's key where the feed reads one (the till reads Authorization first).
    if (probe.url.startsWith('/api/integration/')) headers.authorization ??= `Bearer ${integrationKey}`
    if (who) headers.cookie = cookies[who]!
    const res = await t.app.inject({
      method: probe.method as 'GET',
      url: probe.url,
      headers,
      remoteAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      ...(probe.payload === undefined ? {} : { payload: probe.payload }),
    })
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body }
  }

  /** What is wrong with an answer, if anything. */
  function problemOf(probe: Probe, status: number, contentType: string, body: string): string | null {
    const where = `${probe.label} → ${status}`
    if (status >= 500) return `${where}: ${body.slice(0, 300)}`
    const path = probe.url.split('?')[0]!
    if (status >= 400 && status !== 429 && path.startsWith('/api/') && !path.startsWith('/api/docs')) {
      let parsed: unknown = null
      try {
        parsed = JSON.parse(body)
      } catch {
        // not JSON: reported below
      }
      if (!isErrorBody(parsed)) return `${where} without {error:{code,message}}: ${body.slice(0, 200)}`
    }
    if (contentType.includes('html') && HTML_FRAGMENTS.some((f) => body.includes(f))) return `${where}: HTML fragment in a page`
    return null
  }

  async function probeAll(who: string | null) {
    const problems: string[] = []
    let sent = 0
    for (const route of routesOf(t)) {
      let probes = probesFor(route, route.method, knownFor(route))
      // Every broken field goes to whoever reaches the code behind the route: the guide, head
      // office where the guide is refused (the desk), and nobody where no session is needed.
      // The others get the broken requests as a whole.
      const fieldsToo =
        who === 'lina' ||
        (who === 'hq' && (await send('lina', probes[0]!)).status === 403) ||
        (who === null && (await send(null, probes[0]!)).status !== 401)
      if (!fieldsToo) probes = probes.filter((p) => p.kind === 'request')
      for (let i = 0; i < probes.length; i += CHUNK) {
        const results = await Promise.all(
          probes.slice(i, i + CHUNK).map(async (probe) => {
            const res = await send(who, probe)
            return problemOf(probe, res.status, res.contentType, res.body)
          }),
        )
        sent += results.length
        problems.push(...results.filter((p): p is string => p !== null))
      }
      // A route that ends sessions (sign-out, revocation) must not end the rest of the run.
      for (const [name, cookie] of Object.entries(cookies)) {
        if (cookie && (await call(name, 'GET', '/api/me')).statusCode === 401) cookies[name] = await signIn(t, name)
      }
    }
    return { problems, sent }
  }

  it('finds the routes, schemas and all', () => {
    const routes = routesOf(t)
    expect(routes.length).toBeGreaterThan(60)
    const withBody = routes.filter((r) => hasBody(r.method) && r.schema?.body)
    expect(withBody.length).toBeGreaterThan(20)
    expect(routes.some((r) => r.url === '/api/customers/:externalUserId/notes' && r.schema?.body)).toBe(true)
  })

  it.each([
    ['a guide', 'lina', 5000],
    ['head office', 'hq', 1000],
  ])('never answers %s with a 5xx, and every 4xx says what was wrong', { timeout: 300_000 }, async (_label, who, least) => {
    const { problems, sent } = await probeAll(who)
    expect(sent).toBeGreaterThan(least)
    expect(problems).toEqual([])
  })

  it('never answers someone signed out with a 5xx', { timeout: 300_000 }, async () => {
    const { problems } = await probeAll(null)
    expect(problems).toEqual([])
  })

  it('refuses control characters and unpaired surrogates in text, naming the field', async () => {
    const note = (text: string) => call('lina', 'POST', `/api/customers/${customerId}/notes`, { id: crypto.randomUUID(), text })
    for (const text of ['a\u0000b', 'a\u0007b', '\ud800', 'x\u007f']) {
      const res = await note(text)
      expect(res.statusCode, JSON.stringify(text)).toBe(400)
      expect(res.json().error.message).toMatch(/body\/text must not .*control characters/)
    }
    // Multi-line text keeps its line breaks; a name does not.
    expect((await note('第一行\n第二行\t完')).statusCode).toBe(201)
    const tag = await call('lina', 'POST', `/api/customers/${customerId}/personal-tags`, { add: ['a\nb'] })
    expect(tag.statusCode).toBe(400)
    expect(tag.json().error.message).toMatch(/body\/add\/0 must not/)
    for (const q of ['%00', '%01', '%7F']) {
      const search = await call('lina', 'GET', `/api/customers?q=a${q}b`)
      expect(search.statusCode, q).toBe(400)
    }
    // A URL cannot carry an unpaired surrogate: its invalid UTF-8 arrives as U+FFFD, which is text.
    expect((await call('lina', 'GET', '/api/customers?q=a%ED%A0%80b')).statusCode).toBe(200)
  })

  it('refuses cursors holding numbers no query can use', async () => {
    const cursor = (text: string) => Buffer.from(text).toString('base64url')
    const urls = [
      (n: string) => `/api/customers/${customerId}/timeline?cursor=${cursor(`[${n},"e:1"]`)}`,
      (n: string) => `/api/tasks?status=done&cursor=${cursor(`["done",${n},"t1"]`)}`,
      (n: string) => `/api/customers?sort=added&cursor=${cursor(`["added",${n},"wm1"]`)}`,
    ]
    for (const url of urls) {
      for (const n of ['1e400', '9007199254740993', '1.5']) {
        const res = await call('lina', 'GET', url(n))
        expect(res.statusCode, `${url(n)} (${n})`).toBe(400)
        expect(res.json().error.message).toMatch(/cursor/)
      }
    }
    const audit = await call('hq', 'GET', `/api/manage/audit?cursor=${cursor('[1e400,"a"]')}`)
    expect(audit.statusCode).toBe(400)
  })

  it('keeps SQL and HTML as the text it was given, and gives it back as JSON', async () => {
    const text = [...SQL_FRAGMENTS, ...HTML_FRAGMENTS, '👩‍👩‍👧 \u202eabc e\u0301'].join('\n')
    const created = await call('lina', 'POST', `/api/customers/${customerId}/notes`, { id: crypto.randomUUID(), text })
    expect(created.statusCode, created.body).toBe(201)
    const timeline = await call('lina', 'GET', `/api/customers/${customerId}/timeline?kind=note`)
    expect(timeline.headers['content-type']).toMatch(/^application\/json/)
    expect(timeline.json<TimelinePage>().items.some((e) => e.note?.text === text)).toBe(true)
    // The guides table the fragment names is still there.
    expect((await call('lina', 'GET', '/api/me')).statusCode).toBe(200)
  })

  it('escapes what a manager typed on the customer pages (coupon and lookbook)', async () => {
    const tpl = await call('hq', 'POST', '/api/coupon-templates', {
      name: HTML_FRAGMENTS[0],
      description: `${HTML_FRAGMENTS[1]} ${SQL_FRAGMENTS[0]}`,
      kind: 'amount_off',
      value: 2000,
      threshold: 0,
      totalStock: 10,
      perCustomerLimit: 5,
      guideWeeklyQuota: 10,
      validDays: 30,
    })
    expect(tpl.statusCode, tpl.body).toBe(201)
    // Chenjing, whom the runs above left alone: a page refuses text her own remarks hold.
    cookies.chenjing ??= await signIn(t, 'chenjing')
    const customers = (await call('chenjing', 'GET', '/api/customers')).json<CustomerList>()
    const pageCustomerId = customers.items[0]!.externalUserId
    const issued = await call('chenjing', 'POST', `/api/coupons/${tpl.json<CouponTemplate>().id}/issue`, {
      externalUserId: pageCustomerId,
      idempotencyKey: 'bad-input-escape',
    })
    expect(issued.statusCode, issued.body).toBe(201)
    const coupon = await call(null, 'GET', new URL(issued.json<Issuance>().claimUrl).pathname)
    const bundle = await call('hq', 'POST', '/api/bundles', {
      scope: 'corp',
      title: HTML_FRAGMENTS[0],
      note: HTML_FRAGMENTS[1],
      items: (known['items[]'] ? [known['items[]'], await secondItem()] : []) as unknown[],
    })
    expect(bundle.statusCode, bundle.body).toBe(201)
    const sent = await call('chenjing', 'POST', `/api/bundles/${bundle.json<Bundle>().id}/sends`, {
      externalUserId: pageCustomerId,
    })
    expect(sent.statusCode, sent.body).toBe(201)
    const message = sent.json<BundleSend>().message
    const lookbook = await call(null, 'GET', new URL(message.msgtype === 'news' ? message.news.link : 'http://x/').pathname)
    for (const page of [coupon, lookbook]) {
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-type']).toMatch(/text\/html/)
      for (const fragment of HTML_FRAGMENTS) expect(page.body).not.toContain(fragment)
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })

  async function secondItem(): Promise<unknown> {
    const page = (await call('lina', 'GET', '/api/catalog/products?limit=2')).json<CatalogPage>()
    const detail = (await call('lina', 'GET', `/api/catalog/products/${page.items[1]!.id}`)).json<ProductDetail>()
    return { productId: detail.id, skuId: detail.skus[0]!.id }
  }
})
