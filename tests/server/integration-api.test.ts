import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../src/server/context'
import type { BundlesService } from '../../src/server/modules/bundles/bundles.service'
import { SuggestionsService } from '../../src/server/modules/bundles/suggestions.service'
import type { CustomersService } from '../../src/server/modules/customers/customers.service'
import { importFile } from '../../src/server/modules/crm-import/importer'
import { IntegrationKeysService } from '../../src/server/modules/integration/integration-keys.service'
import type { CustomerProfile } from '../../src/shared/customer'
import {
  INTEGRATION_SCOPES,
  type BatchResult,
  type IntegrationKeyCreated,
  type IntegrationKeyList,
  type IntegrationScope,
  type OrderResult,
} from '../../src/shared/integration'
import type { GuideStats } from '../../src/shared/stats'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

const HOUR = 3_600_000
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'integration')

describe.each(DB_KINDS)('the integration API (%s)', (kind) => {
  let t: TestApp
  const cookies: Record<string, string> = {}
  /** A key for every kind, and one for stock only. */
  let key: string
  let stockOnly: IntegrationKeyCreated
  let sku: { id: string; productId: string; styleCode: string; color: string; size: string }

  const desk = (who: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload ? { payload } : {}) })
  const feed = (method: 'PUT' | 'POST', what: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method,
      url: `/api/integration/${what}`,
      headers: { authorization: `Bearer ${key}`, ...headers },
      payload,
    })
  const makeKey = async (name: string, scopes: IntegrationScope[]) => {
    const res = await desk('hq', 'POST', '/api/integration-keys', { name, scopes })
    expect(res.statusCode).toBe(201)
    return res.json<IntegrationKeyCreated>()
  }
  const quantityOf = async (storeId: string, skuId: string) => {
    const row = await t.testDb.db.kysely
      .selectFrom('store_stock')
      .select('quantity')
      .where('store_id', '=', storeId)
      .where('sku_id', '=', skuId)
      .executeTakeFirst()
    return row ? Number(row.quantity) : null
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { WECOM_ADMIN_IDS: 'hq' } })
    t.world.users.set('hq', { userid: 'hq', name: '总部运营', position: '', storeId: 'S002', avatar: '' })
    for (const who of ['hq', 'wanglei', 'lina']) cookies[who] = await signIn(t, who)
    key = (await makeKey('ERP', ['stock', 'orders', 'members', 'products'])).key
    stockOnly = await makeKey('WMS', ['stock'])
    const row = await t.testDb.db.kysely
      .selectFrom('product_skus as k')
      .innerJoin('products as p', 'p.id', 'k.product_id')
      .select(['k.id', 'k.product_id', 'p.style_code', 'k.color', 'k.size'])
      .orderBy('k.id')
      .executeTakeFirstOrThrow()
    sku = { id: row.id, productId: row.product_id, styleCode: row.style_code, color: row.color, size: row.size }
  })
  afterAll(async () => {
    await t?.close()
  })

  describe('keys', () => {
    it('turns an address away after 20 refused keys in a minute; a good key elsewhere, or a minute later, is served', async () => {
      // From the start of a minute, so the test's requests share one window.
      t.clock.advance(60_000 - (t.clock.now() % 60_000))
      const send = (remoteAddress: string, bearer: string | null, what = 'stock') =>
        t.app.inject({
          method: 'PUT',
          url: `/api/integration/${what}`,
          remoteAddress,
          headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
          payload: {
            mode: 'delta',
            rows: [{ store_id: 'S001', style_code: sku.styleCode, color: sku.color, size: sku.size, quantity: 0 }],
          },
        })
      for (let i = 0; i < 20; i++) {
        expect((await send('203.0.113.9', i % 2 ? 'gsi_wrong' : null)).statusCode).toBe(401)
      }
      const refused = await send('203.0.113.9', key)
      expect(refused.statusCode).toBe(429)
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
      expect(refused.json().error.message).toMatch(/wrong integration key/)
      expect((await send('203.0.113.10', key)).statusCode).toBe(200)
      // A key out of its scope is a 403 and not counted: it is a key of ours.
      for (let i = 0; i < 25; i++) expect((await send('203.0.113.11', stockOnly.key, 'members')).statusCode).toBe(403)
      expect((await send('203.0.113.11', stockOnly.key)).statusCode).toBe(200)
      t.clock.advance(60_000)
      expect((await send('203.0.113.9', key)).statusCode).toBe(200)
    })

    it('are made, listed and revoked by head office only, shown once, kept hashed and audited', async () => {
      for (const who of ['wanglei', 'lina']) {
        expect((await desk(who, 'GET', '/api/integration-keys')).statusCode).toBe(403)
        expect((await desk(who, 'POST', '/api/integration-keys', { name: 'POS', scopes: ['orders'] })).statusCode).toBe(403)
        expect((await desk(who, 'DELETE', `/api/integration-keys/${stockOnly.id}`)).statusCode).toBe(403)
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/integration-keys' })).statusCode).toBe(401)

      const made = await makeKey('POS', ['orders', 'stock'])
      expect(made).toMatchObject({ name: 'POS', scopes: ['stock', 'orders'] })
      expect(made.key).toMatch(/^gsi_/)
      const stored = await t.testDb.db.kysely
        .selectFrom('integration_keys')
        .selectAll()
        .where('id', '=', made.id)
        .executeTakeFirstOrThrow()
      expect(JSON.stringify(stored)).not.toContain(made.key)

      const list = (await desk('hq', 'GET', '/api/integration-keys')).json<IntegrationKeyList>()
      expect(list.items.find((k) => k.id === made.id)).toMatchObject({
        name: 'POS',
        createdBy: 'hq',
        createdByName: '总部运营',
        revokedAt: null,
      })
      expect(JSON.stringify(list)).not.toContain(made.key)

      // A moment later, so the log's order is the order things happened.
      t.clock.advance(1000)
      expect((await desk('hq', 'DELETE', `/api/integration-keys/${made.id}`)).statusCode).toBe(204)
      expect((await desk('hq', 'DELETE', `/api/integration-keys/${made.id}`)).statusCode).toBe(204)
      expect((await desk('hq', 'DELETE', '/api/integration-keys/ik_none')).statusCode).toBe(404)
      const after = (await desk('hq', 'GET', '/api/integration-keys')).json<IntegrationKeyList>()
      expect(after.items.find((k) => k.id === made.id)?.revokedAt).not.toBeNull()

      const audit = await t.testDb.db.kysely
        .selectFrom('audit_log')
        .select(['actor_id', 'action', 'after'])
        .where('entity', '=', 'integration_key')
        .where('entity_id', '=', made.id)
        .orderBy('at')
        .execute()
      // Revoking twice is audited once; the key itself never reaches the log.
      expect(audit.map((a) => [a.actor_id, a.action])).toEqual([
        ['hq', 'create'],
        ['hq', 'retire'],
      ])
      expect(JSON.stringify(audit)).not.toContain(made.key)
      const log = await desk('wanglei', 'GET', '/api/manage/audit')
      expect(log.statusCode).toBe(200)
      expect(log.json<{ items: { entity: string; summary: string }[] }>().items).toContainEqual(
        expect.objectContaining({ entity: 'integration_key', summary: 'POS' }),
      )
    })

    it('refuse a missing, unknown or revoked key (401), a kind outside its scope (403) and a guide’s cookie', async () => {
      const body = {
        mode: 'absolute',
        rows: [{ store_id: 'S001', style_code: sku.styleCode, color: sku.color, size: sku.size, quantity: 1 }],
      }
      const put = (headers: Record<string, string>) =>
        t.app.inject({ method: 'PUT', url: '/api/integration/stock', headers, payload: body })
      expect((await put({})).statusCode).toBe(401)
      expect((await put({ authorization: 'Bearer gsi_nothing' })).statusCode).toBe(401)
      expect((await put({ authorization: 'Basic abc' })).statusCode).toBe(401)
      expect((await put({ cookie: cookies.hq! })).statusCode).toBe(401)
      expect((await put({ cookie: cookies.lina! })).json()).toMatchObject({ error: { code: 'unauthorized' } })

      const revoked = await makeKey('Old ERP', ['stock'])
      expect((await put({ authorization: `Bearer ${revoked.key}` })).statusCode).toBe(200)
      await desk('hq', 'DELETE', `/api/integration-keys/${revoked.id}`)
      expect((await put({ authorization: `Bearer ${revoked.key}` })).statusCode).toBe(401)

      // In scope for stock, not for orders.
      expect((await put({ authorization: `Bearer ${stockOnly.key}` })).statusCode).toBe(200)
      const order = await t.app.inject({
        method: 'POST',
        url: '/api/integration/orders',
        headers: { authorization: `Bearer ${stockOnly.key}` },
        payload: {
          order_id: 'X',
          member_id: 'X',
          purchased_at: '2026-11-25T10:00:00Z',
          lines: [{ line_no: 1, name: 'x', price: 1 }],
        },
      })
      expect(order.statusCode).toBe(403)
      expect(order.json().error.message).toMatch(/WMS may write stock, not orders/)
      // Refused before the body is read: a bad body from a stranger is still a 401.
      expect(
        (await t.app.inject({ method: 'PUT', url: '/api/integration/members', payload: { nonsense: true } })).statusCode,
      ).toBe(401)
    })

    it('need no Origin of ours (server to server) but still only JSON', async () => {
      const body = {
        mode: 'delta',
        rows: [{ store_id: 'S001', style_code: sku.styleCode, color: sku.color, size: sku.size, quantity: 0 }],
      }
      expect((await feed('PUT', 'stock', body, { origin: 'https://erp.example.com' })).statusCode).toBe(200)
      const form = await t.app.inject({
        method: 'PUT',
        url: '/api/integration/stock',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'mode=delta',
      })
      expect(form.statusCode).toBe(415)
      // The desk's key management is a browser write: a foreign Origin is refused there.
      const foreign = await t.app.inject({
        method: 'POST',
        url: '/api/integration-keys',
        headers: { cookie: cookies.hq!, origin: 'https://evil.example.com' },
        payload: { name: 'X', scopes: ['stock'] },
      })
      expect(foreign.statusCode).toBe(403)
    })
  })

  describe('stock', () => {
    const row = (quantity: number, storeId = 'S001') => ({
      store_id: storeId,
      style_code: sku.styleCode,
      color: sku.color,
      size: sku.size,
      quantity,
    })

    it('sets, adds and clamps at 0, answering row by row; a bad row keeps the good ones', async () => {
      const set = await feed('PUT', 'stock', {
        mode: 'absolute',
        rows: [row(7), row(3, 'S999'), { ...row(1), style_code: 'NOPE' }],
      })
      expect(set.statusCode).toBe(200)
      expect(set.json<BatchResult>()).toMatchObject({
        rejected: 2,
        rows: [
          { index: 0, ok: true, error: null },
          { index: 1, ok: false, error: 'unknown store S999' },
          { index: 2, ok: false, error: expect.stringMatching(/unknown SKU NOPE/) },
        ],
      })
      expect(await quantityOf('S001', sku.id)).toBe(7)

      const delta = await feed('PUT', 'stock', { mode: 'delta', rows: [row(-2)] })
      expect(delta.json<BatchResult>()).toMatchObject({ updated: 1, rejected: 0 })
      expect(await quantityOf('S001', sku.id)).toBe(5)
      // Sold more than the store held: kept at 0.
      await feed('PUT', 'stock', { mode: 'delta', rows: [row(-50)] })
      expect(await quantityOf('S001', sku.id)).toBe(0)
      // An absolute quantity below 0 is the row's problem, not the batch's.
      const negative = await feed('PUT', 'stock', { mode: 'absolute', rows: [row(-1), row(4, 'S002')] })
      expect(negative.json<BatchResult>().rows.map((r) => r.ok)).toEqual([false, true])
      expect(negative.json<BatchResult>().rows[0]!.error).toMatch(/quantity must be at least 0/)
      // The same SKU twice in one batch: the first stands.
      const twice = await feed('PUT', 'stock', { mode: 'absolute', rows: [row(2), row(9)] })
      expect(twice.json<BatchResult>().rows[1]!.error).toMatch(/repeats store and SKU .* from row 0/)
      expect(await quantityOf('S001', sku.id)).toBe(2)
    })

    it('loses no change when deltas for one store arrive at once', async () => {
      await feed('PUT', 'stock', { mode: 'absolute', rows: [row(10)] })
      const results = await Promise.all(
        Array.from({ length: 12 }, () => feed('PUT', 'stock', { mode: 'delta', rows: [row(1), row(-1, 'S002')] })),
      )
      expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(200))
      expect(await quantityOf('S001', sku.id)).toBe(22)
    })

    it('leaves a store’s SKUs a batch does not name alone (a batch is not a snapshot)', async () => {
      const before = await t.testDb.db.kysely
        .selectFrom('store_stock')
        .select(['sku_id', 'quantity'])
        .where('store_id', '=', 'S001')
        .orderBy('sku_id')
        .execute()
      expect(before.length).toBeGreaterThan(1)
      await feed('PUT', 'stock', { mode: 'absolute', rows: [row(11)] })
      const after = await t.testDb.db.kysely
        .selectFrom('store_stock')
        .select(['sku_id', 'quantity'])
        .where('store_id', '=', 'S001')
        .orderBy('sku_id')
        .execute()
      expect(after.map((r) => r.sku_id)).toEqual(before.map((r) => r.sku_id))
    })

    it('writes a 1,000-row batch and refuses a larger one whole', async () => {
      const stores = (await t.testDb.db.kysely.selectFrom('stores').select('id').orderBy('id').execute()).map((r) => r.id)
      const perStore = Math.ceil(1000 / stores.length)
      const skus = await t.testDb.db.kysely
        .selectFrom('product_skus as k')
        .innerJoin('products as p', 'p.id', 'k.product_id')
        .select(['p.style_code', 'k.color', 'k.size'])
        .orderBy('k.id')
        .limit(perStore)
        .execute()
      expect(skus.length).toBe(perStore)
      const rows = stores
        .flatMap((store, s) =>
          skus.map((k, i) => ({
            store_id: store,
            style_code: k.style_code,
            color: k.color,
            size: k.size,
            quantity: 100 + s + i,
          })),
        )
        .slice(0, 1000)
      expect(rows).toHaveLength(1000)
      const res = await feed('PUT', 'stock', { mode: 'absolute', rows })
      expect(res.statusCode).toBe(200)
      const result = res.json<BatchResult>()
      expect(result.rows).toHaveLength(1000)
      expect(result.rows.filter((r) => !r.ok)).toEqual([])
      expect(result.inserted + result.updated).toBe(1000)
      // The same batch again changes nothing.
      expect((await feed('PUT', 'stock', { mode: 'absolute', rows })).json<BatchResult>()).toMatchObject({
        inserted: 0,
        updated: 0,
        rejected: 0,
      })

      const tooMany = await feed('PUT', 'stock', { mode: 'absolute', rows: [...rows, rows[0]!] })
      expect(tooMany.statusCode).toBe(400)
      expect(tooMany.json().error.message).toMatch(/rows must NOT have more than 1000 items/)
    })

    it('shows in the next suggestions read, within the 60 s their candidates are kept', async () => {
      const ctx = { db: t.testDb.db, now: t.clock.now } as unknown as AppContext
      const suggestions = new SuggestionsService(ctx, {} as CustomersService, {} as BundlesService)
      await feed('PUT', 'stock', { mode: 'absolute', rows: [row(6)] })
      expect((await suggestions.candidates('S001')).skuById.get(sku.id)?.stock).toBe(6)
      const cached = await suggestions.candidates('S001')
      expect(await suggestions.candidates('S001')).toBe(cached)
      await feed('PUT', 'stock', { mode: 'delta', rows: [row(-4)] })
      expect((await suggestions.candidates('S001')).skuById.get(sku.id)?.stock).toBe(2)
    })
  })

  describe('members and products', () => {
    it('upsert with the CSV kinds’ checks, row by row', async () => {
      const members = await feed('PUT', 'members', {
        rows: [
          { member_id: 'API-M1', name: '周女士', phone: '13800138000', level: '金卡', points: 10, style_preferences: ['通勤'] },
          { member_id: 'API-M2', name: '吴女士', phone: '12345' },
          { member_id: 'bad id!', name: '郑女士' },
        ],
      })
      expect(members.statusCode).toBe(200)
      expect(members.json<BatchResult>().rows.map((r) => r.ok)).toEqual([true, false, false])
      expect(members.json<BatchResult>().rows[1]!.error).toMatch(/phone/)
      const m1 = await t.testDb.db.kysely.selectFrom('members').selectAll().where('id', '=', 'API-M1').executeTakeFirstOrThrow()
      expect(m1).toMatchObject({ name: '周女士', level: 'gold' })
      const again = await feed('PUT', 'members', { rows: [{ member_id: 'API-M1', name: '周女士', level: 'platinum' }] })
      expect(again.json<BatchResult>()).toMatchObject({ inserted: 0, updated: 1 })

      const products = await feed('PUT', 'products', {
        rows: [
          {
            product_id: 'API-P1',
            style_code: 'API-S1',
            name: '针织开衫',
            category: '上装',
            price: 599,
            materials: ['羊毛'],
            season: '26W',
            tags: ['通勤', '温柔'],
            description: '短款，可配高腰裙',
          },
          { product_id: 'API-P2', style_code: 'API-S1', name: '撞款', category: 'top', price: 1 },
          { product_id: 'API-P3', style_code: 'API-S3', name: '无品类', category: 'hat', price: 1 },
        ],
      })
      expect(products.json<BatchResult>().rows.map((r) => r.ok)).toEqual([true, false, false])
      expect(products.json<BatchResult>().rows[1]!.error).toMatch(/style_code API-S1 is used at row 0/)
      const p1 = await t.testDb.db.kysely.selectFrom('products').selectAll().where('id', '=', 'API-P1').executeTakeFirstOrThrow()
      expect(p1).toMatchObject({
        category: 'top',
        price_fen: 59900,
        season: '26W',
        tags: '["通勤","温柔"]',
        description: '短款，可配高腰裙',
      })
    })

    it('refuses a body of the wrong shape whole, naming the field', async () => {
      const res = await feed('PUT', 'products', {
        rows: [{ product_id: 'P', style_code: 'S', name: 'n', category: 'top', price: '1' }],
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toMatch(/rows\/0\/price/)
      expect((await feed('PUT', 'members', { rows: [] })).statusCode).toBe(400)
      // Over the feed's 4 MB: a 413 from the length alone; without a key, a 401 before that.
      const huge = JSON.stringify({ rows: [{ member_id: 'A', name: 'x'.repeat(5 * 1024 * 1024) }] })
      const big = await t.app.inject({
        method: 'PUT',
        url: '/api/integration/members',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: huge,
      })
      expect(big.statusCode).toBe(413)
      expect(big.json()).toMatchObject({ error: { code: 'payload_too_large' } })
      const stranger = await t.app.inject({
        method: 'PUT',
        url: '/api/integration/members',
        headers: { 'content-type': 'application/json' },
        payload: huge,
      })
      expect(stranger.statusCode).toBe(401)
      expect((await feed('PUT', 'members', { rows: [{ member_id: 'A', name: 'B', extra: 1 }] })).statusCode).toBe(400)
    })
  })

  describe('orders', () => {
    /** A member bound to a customer only lina follows: her tasks are lina's. */
    let member: { id: string; externalUserId: string }

    beforeAll(async () => {
      const rows = await t.testDb.db.kysely
        .selectFrom('members as m')
        .innerJoin('wecom_follows as f', 'f.external_user_id', 'm.external_user_id')
        .select(['m.id', 'm.external_user_id', 'f.user_id'])
        .where('m.external_user_id', 'is not', null)
        .execute()
      const followers = new Map<string, Set<string>>()
      for (const r of rows) followers.set(r.id, (followers.get(r.id) ?? new Set()).add(r.user_id))
      const only = rows.find((r) => r.user_id === 'lina' && followers.get(r.id)!.size === 1)!
      member = { id: only.id, externalUserId: only.external_user_id! }
    })

    const order = (id: string, overrides: Record<string, unknown> = {}) => ({
      order_id: id,
      member_id: member.id,
      store_id: 'S001',
      purchased_at: new Date(t.clock.value - HOUR).toISOString(),
      guide_user_id: 'lina',
      lines: [
        { line_no: 1, product_id: sku.productId, name: '真丝衬衫', color: sku.color, size: sku.size, quantity: 1, price: 899 },
        { line_no: 2, name: '丝巾', quantity: 2, price: 100 },
      ],
      ...overrides,
    })
    const stats = async () => (await desk('lina', 'GET', '/api/stats/me?period=day')).json<GuideStats>()
    const profile = async () => (await desk('lina', 'GET', `/api/customers/${member.externalUserId}`)).json<CustomerProfile>()

    it('shows at once in her purchases, the guide’s numbers and her tasks', async () => {
      await profile()
      const before = await stats()
      // An open repurchase task the purchase makes moot.
      await t.testDb.db.kysely
        .insertInto('tasks')
        .values({
          id: 'task-api-repurchase',
          guide_id: 'lina',
          external_user_id: member.externalUserId,
          kind: 'repurchase',
          due_date: '2026-11-25',
          note_id: null,
          title: '复购提醒',
          done_at: null,
          created_at: t.clock.value - 10 * 24 * HOUR,
          status: 'todo',
          reason: 'test',
          skip_reason: null,
          payload: null,
          campaign_id: null,
        })
        .execute()

      const res = await feed('POST', 'orders', order('API-O1'))
      expect(res.statusCode).toBe(200)
      expect(res.json<OrderResult>()).toEqual({
        order_id: 'API-O1',
        result: 'created',
        lines: [
          { index: 0, ok: true, error: null },
          { index: 1, ok: true, error: null },
        ],
      })

      const purchase = (await profile()).member!.recentPurchases.find((p) => p.orderId === 'API-O1')
      expect(purchase).toMatchObject({ totalFen: 89900 + 20000 })
      const timeline = await desk('lina', 'GET', `/api/customers/${member.externalUserId}/timeline`)
      expect(timeline.statusCode).toBe(200)
      expect(timeline.body).toContain('API-O1')
      const after = await stats()
      expect(after.orders).toBe(before.orders + 1)
      expect(after.salesFen).toBe(before.salesFen + 109900)

      const tasks = await t.testDb.db.kysely
        .selectFrom('tasks')
        .select(['id', 'kind', 'status', 'guide_id', 'reason'])
        .where('external_user_id', '=', member.externalUserId)
        .execute()
      expect(tasks.find((x) => x.id === 'task-api-repurchase')?.status).toBe('done')
      expect(tasks.filter((x) => x.kind === 'after_purchase' && x.reason.includes('API-O1'))).toEqual([
        expect.objectContaining({ guide_id: 'lina', status: 'todo' }),
      ])
    })

    it('is idempotent by order id: the same order again changes nothing', async () => {
      const body = order('API-O2')
      expect((await feed('POST', 'orders', body)).json<OrderResult>().result).toBe('created')
      const tasksBefore = await t.testDb.db.kysely.selectFrom('tasks').select('id').execute()
      const repeat = await feed('POST', 'orders', body)
      expect(repeat.statusCode).toBe(200)
      expect(repeat.json<OrderResult>()).toMatchObject({ result: 'unchanged', lines: [{ ok: true }, { ok: true }] })
      expect(await t.testDb.db.kysely.selectFrom('tasks').select('id').execute()).toHaveLength(tasksBefore.length)
      const stored = await t.testDb.db.kysely.selectFrom('order_items').selectAll().where('order_id', '=', 'API-O2').execute()
      expect(stored).toHaveLength(2)
    })

    it('takes a return (a line returned) and a cancellation (every line returned)', async () => {
      const body = order('API-O3')
      await feed('POST', 'orders', body)
      const total = async () =>
        Number(
          (await t.testDb.db.kysely.selectFrom('orders').select('total_fen').where('id', '=', 'API-O3').executeTakeFirstOrThrow())
            .total_fen,
        )
      expect(await total()).toBe(109900)
      const returned = await feed('POST', 'orders', {
        ...body,
        lines: [body.lines[0], { ...body.lines[1], returned: true }],
      })
      expect(returned.json<OrderResult>().result).toBe('updated')
      expect(await total()).toBe(89900)
      const cancelled = await feed('POST', 'orders', { ...body, status: 'cancelled' })
      expect(cancelled.json<OrderResult>().result).toBe('updated')
      expect(await total()).toBe(0)
      expect((await feed('POST', 'orders', { ...body, status: 'cancelled' })).json<OrderResult>().result).toBe('unchanged')
    })

    it('answers line by line: a bad line is reported, the good ones written', async () => {
      const res = await feed(
        'POST',
        'orders',
        order('API-O4', {
          lines: [
            { line_no: 1, name: '衬衫', price: 100 },
            { line_no: 2, product_id: 'NO-SUCH-PRODUCT', name: '裤子', price: 100 },
            { line_no: 3, name: '裙子', price: -5 },
            { line_no: 1, name: '又一件', price: 100 },
          ],
        }),
      )
      expect(res.statusCode).toBe(200)
      const result = res.json<OrderResult>()
      expect(result.result).toBe('created')
      expect(result.lines.map((l) => l.ok)).toEqual([true, false, false, false])
      expect(result.lines[1]!.error).toBe('unknown product NO-SUCH-PRODUCT')
      expect(result.lines[3]!.error).toMatch(/repeats order line API-O4#1 from row 0/)

      const unknown = await feed('POST', 'orders', order('API-O5', { member_id: 'NOBODY' }))
      expect(unknown.json<OrderResult>()).toMatchObject({
        result: 'rejected',
        lines: [{ ok: false, error: 'unknown member NOBODY' }, { ok: false }],
      })
      expect(await t.testDb.db.kysely.selectFrom('orders').select('id').where('id', '=', 'API-O5').execute()).toEqual([])
    })
  })
})

describe.each(DB_KINDS)('the example feed in tests/fixtures/integration (%s)', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(kind, { seed: false, env: { WECOM_ADMIN_IDS: 'hq' } })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('is accepted row by row on a database that holds only the CSV example feed', async () => {
    for (const what of ['stores', 'products', 'skus', 'stock']) {
      expect((await importFile(t.testDb.db, what, path.join(FIXTURES, '..', 'import', `${what}.csv`))).rejected).toEqual([])
    }
    const { key } = await new IntegrationKeysService(t.ctx).create('hq', { name: 'POS', scopes: [...INTEGRATION_SCOPES] })
    const send = async (method: 'PUT' | 'POST', what: string, file: string) => {
      const res = await t.app.inject({
        method,
        url: `/api/integration/${what}`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: await readFile(path.join(FIXTURES, file), 'utf8'),
      })
      expect(res.statusCode, file).toBe(200)
      const body = res.json<BatchResult | OrderResult>()
      const rows = 'rows' in body ? body.rows : body.lines
      expect(
        rows.filter((r) => !r.ok),
        file,
      ).toEqual([])
      return body
    }
    await send('PUT', 'products', 'products.json')
    await send('PUT', 'members', 'members.json')
    await send('PUT', 'stock', 'stock-absolute.json')
    await send('PUT', 'stock', 'stock-delta.json')
    expect(await send('POST', 'orders', 'order.json')).toMatchObject({ result: 'created' })
    expect(await send('POST', 'orders', 'order.json')).toMatchObject({ result: 'unchanged' })
    expect(await send('POST', 'orders', 'order-return.json')).toMatchObject({ result: 'updated' })
    expect(await send('POST', 'orders', 'order-cancel.json')).toMatchObject({ result: 'updated' })
    const order = await t.testDb.db.kysely.selectFrom('orders').selectAll().executeTakeFirstOrThrow()
    expect(Number(order.total_fen)).toBe(0)
  })
})
