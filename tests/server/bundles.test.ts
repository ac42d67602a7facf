import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Bundle, BundleList, BundleSend, Suggestions } from '../../src/shared/bundles'
import type { CatalogFacets, CatalogPage, ProductDetail, ProductSummary } from '../../src/shared/catalog'
import type { TimelinePage } from '../../src/shared/memory'
import { formatYuan } from '../../src/server/http/customer-page'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

describe.each(DB_KINDS)('catalogue and outfit bundles (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let chenjing: string
  let manager: string
  let customerId: string
  let strangerId: string

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    chenjing = await signIn(t, 'chenjing')
    manager = await signIn(t, 'wanglei')
    // A member with known sizes and orders, followed by lina only.
    const customer = t.demo.customers.find(
      (c) =>
        c.follows.length === 1 &&
        c.follows[0]!.userId === 'lina' &&
        t.demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!
    customerId = customer.externalUserId
    strangerId = t.demo.customers.find((c) => !c.follows.some((f) => f.userId === 'lina'))!.externalUserId
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string | null, payload?: unknown) =>
    t.app.inject({ method, url, payload: payload as object, headers: cookie ? { cookie } : {} })
  const catalog = async (query: string, cookie = lina) => {
    const response = await call('GET', `/api/catalog/products?${query}`, cookie)
    expect(response.statusCode, response.body).toBe(200)
    return response.json() as CatalogPage
  }
  const createPersonal = async (items: { productId: string; skuId: string }[], cookie = lina, title = '周末穿搭') =>
    call('POST', '/api/bundles', cookie, { scope: 'personal', title, note: '轻松又有型', items })

  /** Two in-stock pieces of different categories, one SKU each. */
  async function twoPieces(): Promise<{ productId: string; skuId: string }[]> {
    const picked: { productId: string; skuId: string }[] = []
    for (const category of ['top', 'bottom']) {
      const page = await catalog(`category=${category}&inStock=true&limit=5`)
      const detail = (await call('GET', `/api/catalog/products/${page.items[0]!.id}`, lina)).json() as ProductDetail
      const sku = detail.skus.find((s) => s.stock > 0)!
      picked.push({ productId: detail.id, skuId: sku.id })
    }
    return picked
  }

  describe('catalogue', () => {
    it('needs a session', async () => {
      expect((await call('GET', '/api/catalog/products', null)).statusCode).toBe(401)
      expect((await call('GET', '/api/catalog/facets', null)).statusCode).toBe(401)
    })

    it('pages through every style once', async () => {
      const seen = new Set<string>()
      let cursor: string | null = null
      let total = 0
      do {
        const page: CatalogPage = await catalog(`limit=60${cursor ? `&cursor=${cursor}` : ''}`)
        total = page.total
        for (const item of page.items) {
          expect(seen.has(item.id)).toBe(false)
          seen.add(item.id)
        }
        cursor = page.nextCursor
      } while (cursor)
      expect(seen.size).toBe(total)
      expect(total).toBeGreaterThanOrEqual(180)
    })

    it('finds by a piece of the name or the style code, starts-with first', async () => {
      const first = (await catalog('limit=1&category=outerwear')).items[0]!
      const term = first.name.slice(-2)
      const found = await catalog(`q=${encodeURIComponent(term)}&limit=60`)
      expect(found.items.length).toBeGreaterThan(0)
      for (const item of found.items) expect(item.name.includes(term) || item.styleCode.includes(term)).toBe(true)
      const byCode = await catalog(`q=${encodeURIComponent(first.styleCode.toLowerCase())}`)
      expect(byCode.items[0]!.id).toBe(first.id)
      expect((await catalog('q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E6%AC%BE')).total).toBe(0)
    })

    it('filters by category, size in stock at her store, price and tag, and sorts by price', async () => {
      const tops = await catalog('category=top&limit=60')
      expect(tops.items.every((p) => p.category === 'top')).toBe(true)
      const sizeM = await catalog('category=top&size=M&limit=60')
      expect(sizeM.total).toBeGreaterThan(0)
      expect(sizeM.total).toBeLessThanOrEqual(tops.total)
      expect(sizeM.items.every((p) => p.sizesInStock.includes('M'))).toBe(true)
      const band = await catalog('minPriceFen=50000&maxPriceFen=100000&limit=60')
      expect(band.items.every((p) => p.priceFen >= 50000 && p.priceFen <= 100000)).toBe(true)
      const facets = (await call('GET', '/api/catalog/facets', lina)).json() as CatalogFacets
      expect(facets.storeId).toBe('S001')
      const tag = facets.tags[0]!
      const tagged = await catalog(`tag=${encodeURIComponent(tag)}&limit=60`)
      expect(tagged.total).toBeGreaterThan(0)
      expect(tagged.items.every((p) => p.tags.includes(tag))).toBe(true)
      const cheap = await catalog('sort=price_asc&limit=30')
      const prices = cheap.items.map((p) => p.priceFen)
      expect(prices).toEqual([...prices].sort((a, b) => a - b))
    })

    it('refuses bad filters with a clear message', async () => {
      const inverted = await call('GET', '/api/catalog/products?minPriceFen=900&maxPriceFen=100', lina)
      expect(inverted.statusCode).toBe(400)
      expect(inverted.json().error.message).toMatch(/minPriceFen/)
      expect((await call('GET', '/api/catalog/products?category=hat', lina)).statusCode).toBe(400)
      expect((await call('GET', '/api/catalog/products?cursor=zzz', lina)).statusCode).toBe(400)
      expect((await call('GET', '/api/catalog/products/nope', lina)).statusCode).toBe(404)
    })

    it('shows a style with its pictures, SKUs and her store’s stock', async () => {
      const summary: ProductSummary = (await catalog('category=dress&limit=1')).items[0]!
      const detail = (await call('GET', `/api/catalog/products/${summary.id}`, lina)).json() as ProductDetail
      expect(detail.images.length).toBeGreaterThanOrEqual(2)
      expect(detail.skus.length).toBeGreaterThanOrEqual(detail.colors.length)
      const inStock = [...new Set(detail.skus.filter((s) => s.stock > 0).map((s) => s.size))]
      expect([...detail.sizesInStock].sort()).toEqual(inStock.sort())
    })
  })

  describe('a size priced apart from its style (an ERP price override)', () => {
    it('shows that price in the catalogue, in a bundle’s pieces and total, and on her lookbook', async () => {
      const [top, bottom] = await twoPieces()
      const detailOf = async (id: string) => (await call('GET', `/api/catalog/products/${id}`, lina)).json() as ProductDetail
      const before = await detailOf(top!.productId)
      expect(before.skus.every((s) => s.priceFen === before.priceFen)).toBe(true)
      const override = before.priceFen + 3300
      await t.testDb.db.kysely.updateTable('product_skus').set({ price_fen: override }).where('id', '=', top!.skuId).execute()

      const after = await detailOf(top!.productId)
      expect(after.priceFen).toBe(before.priceFen)
      expect(after.skus.find((s) => s.id === top!.skuId)!.priceFen).toBe(override)
      expect(after.skus.filter((s) => s.id !== top!.skuId).every((s) => s.priceFen === before.priceFen)).toBe(true)

      const created = await createPersonal([top!, bottom!], lina, '改价的一套')
      expect(created.statusCode, created.body).toBe(201)
      const bundle = created.json() as Bundle
      const piece = bundle.items.find((i) => i.skuId === top!.skuId)!
      expect(piece.priceFen).toBe(override)
      expect(bundle.totalFen).toBe(bundle.items.reduce((sum, i) => sum + i.priceFen, 0))

      // A send fits each piece to her sizes: priced alike in every size, the page shows it.
      const skus = () => t.testDb.db.kysely.updateTable('product_skus').where('product_id', '=', top!.productId)
      await skus().set({ price_fen: override }).execute()
      const another = t.demo.customers.find(
        (c) => c.externalUserId !== customerId && c.follows.some((f) => f.userId === 'lina'),
      )!.externalUserId
      const sent = await call('POST', `/api/bundles/${bundle.id}/sends`, lina, { externalUserId: another })
      const send = sent.json() as BundleSend
      if (send.message.msgtype !== 'news') throw new Error(`expected news: ${sent.body}`)
      const page = await call('GET', new URL(send.message.news.link).pathname, null)
      expect(page.body).toContain(formatYuan(override))
      await skus().set({ price_fen: null }).execute()
    })
  })

  describe('bundles', () => {
    it('lists the brand’s bundles with their pieces, total and collage', async () => {
      const { bundles } = (await call('GET', '/api/bundles?scope=corp', lina)).json() as BundleList
      expect(bundles.length).toBeGreaterThanOrEqual(15)
      for (const bundle of bundles) {
        expect(bundle.items.length).toBeGreaterThanOrEqual(2)
        expect(bundle.items.length).toBeLessThanOrEqual(6)
        expect(bundle.totalFen).toBe(bundle.items.reduce((sum, i) => sum + i.priceFen, 0))
        expect(bundle.collageUrl).toMatch(/^\/media\/collages\/[0-9a-f]+\.png$/)
      }
    })

    it('draws each bundle once: same pieces, same picture', async () => {
      const { bundles } = (await call('GET', '/api/bundles?scope=corp', lina)).json() as BundleList
      const url = bundles[0]!.collageUrl
      const first = await call('GET', url, null)
      expect(first.statusCode).toBe(200)
      expect(first.headers['content-type']).toBe('image/png')
      expect(first.rawPayload.subarray(0, 8)).toEqual(PNG_SIGNATURE)
      const again = await call('GET', url, null)
      expect(again.rawPayload.equals(first.rawPayload)).toBe(true)
      expect((await call('GET', '/media/collages/0123456789abcdef0123456789abcdef.png', null)).statusCode).toBe(404)
      expect((await call('GET', '/media/collages/..%2Fx.png', null)).statusCode).toBe(404)
    })

    it('keeps a guide’s own bundles to her', async () => {
      const items = await twoPieces()
      const created = await createPersonal(items)
      expect(created.statusCode, created.body).toBe(201)
      const bundle = created.json() as Bundle
      expect(bundle.scope).toBe('personal')
      expect(bundle.items.map((i) => i.skuId)).toEqual(items.map((i) => i.skuId))
      expect((await call('GET', `/api/bundles/${bundle.id}`, chenjing)).statusCode).toBe(404)
      expect((await call('PATCH', `/api/bundles/${bundle.id}`, chenjing, { title: '改掉' })).statusCode).toBe(404)
      const theirs = (await call('GET', '/api/bundles', chenjing)).json() as BundleList
      expect(theirs.bundles.some((b) => b.id === bundle.id)).toBe(false)

      const reordered = await call('PATCH', `/api/bundles/${bundle.id}`, lina, { items: [...items].reverse(), note: '换个顺序' })
      expect(reordered.statusCode).toBe(200)
      expect((reordered.json() as Bundle).items[0]!.skuId).toBe(items[1]!.skuId)
      const retired = await call('PATCH', `/api/bundles/${bundle.id}`, lina, { retired: true })
      expect((retired.json() as Bundle).retired).toBe(true)
      const mine = (await call('GET', '/api/bundles?scope=personal', lina)).json() as BundleList
      expect(mine.bundles.some((b) => b.id === bundle.id)).toBe(false)
    })

    it('lets only managers publish for the brand', async () => {
      const items = await twoPieces()
      const body = { scope: 'corp', title: '本周主推 · 测试', items }
      expect((await call('POST', '/api/bundles', lina, body)).statusCode).toBe(403)
      const created = await call('POST', '/api/bundles', manager, body)
      expect(created.statusCode).toBe(201)
      const id = (created.json() as Bundle).id
      expect((await call('PATCH', `/api/bundles/${id}`, lina, { title: '偷偷改' })).statusCode).toBe(403)
      expect(((await call('GET', `/api/bundles/${id}`, lina)).json() as Bundle).title).toBe('本周主推 · 测试')
    })

    it('refuses bundles that are not 2–6 real pieces, with a message that says why', async () => {
      const [a, b] = await twoPieces()
      const one = await createPersonal([a!])
      expect(one.statusCode).toBe(400)
      const twice = await createPersonal([a!, a!])
      expect(twice.statusCode).toBe(400)
      expect(twice.json().error.message).toMatch(/twice/)
      const wrongSku = await createPersonal([a!, { productId: a!.productId, skuId: b!.skuId }])
      expect(wrongSku.statusCode).toBe(400)
      expect(wrongSku.json().error.message).toMatch(/piece 2/)
      const blank = await createPersonal([a!, b!], lina, '   ')
      expect(blank.statusCode).toBe(400)
      const seven = await createPersonal(Array.from({ length: 7 }, () => a!))
      expect(seven.statusCode).toBe(400)
    })
  })

  describe('sending and the customer’s page', () => {
    let bundle: Bundle
    beforeAll(async () => {
      bundle = ((await call('GET', '/api/bundles?scope=corp', lina)).json() as BundleList).bundles[0]!
    })
    const timeline = async () => ((await call('GET', `/api/customers/${customerId}/timeline`, lina)).json() as TimelinePage).items

    it('sends a link card whose link says nothing about her or the guide, and records the open', async () => {
      const created = await call('POST', `/api/bundles/${bundle.id}/sends`, lina, { externalUserId: customerId })
      expect(created.statusCode, created.body).toBe(201)
      const send = created.json() as BundleSend
      expect(send.status).toBe('pending')
      expect(send.message.msgtype).toBe('news')
      if (send.message.msgtype !== 'news') throw new Error('expected news')
      const { link, imgUrl, title } = send.message.news
      expect(title).toBe(bundle.title)
      expect(link).toMatch(/^http:\/\/[^/]+\/l\/[A-Za-z0-9_-]{32}$/)
      for (const secret of [customerId, 'lina', bundle.id]) expect(link).not.toContain(secret)
      expect(imgUrl).toMatch(/^http:\/\/[^/]+\/media\/collages\/[0-9a-f]+\.png$/)

      const confirmed = await call('POST', `/api/bundle-sends/${send.id}/confirm`, lina)
      expect((confirmed.json() as BundleSend).status).toBe('sent')
      // Confirming twice (a retry) records once.
      await call('POST', `/api/bundle-sends/${send.id}/confirm`, lina)
      expect((await timeline()).filter((e) => e.kind === 'bundle_sent' && e.bundle?.title === bundle.title)).toHaveLength(1)

      const path = new URL(link).pathname
      const page = await call('GET', path, null)
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-type']).toMatch(/text\/html/)
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/)
      expect(page.body).toContain(bundle.items[0]!.name)
      expect(page.body).not.toContain(customerId)
      const opened = (await timeline()).filter((e) => e.kind === 'bundle_opened')
      expect(opened).toHaveLength(1)
      expect(opened[0]!.bundle?.title).toBe(bundle.title)
      // A second look right after is counted but not a new timeline entry.
      await call('GET', path, null)
      expect((await timeline()).filter((e) => e.kind === 'bundle_opened')).toHaveLength(1)
      const after = (await call('GET', `/api/bundles/${bundle.id}`, lina)).json() as Bundle
      expect(after.sent).toBeGreaterThanOrEqual(1)
      expect(after.opened).toBeGreaterThanOrEqual(1)

      // One changed character: the same calm 404 as any unknown link, nothing leaked.
      const token = path.slice(3)
      const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6)
      for (const bad of [`/l/${flipped}`, '/l/short', `/l/${token}x`]) {
        const response = await call('GET', bad, null)
        expect(response.statusCode).toBe(404)
        expect(response.body).not.toContain(bundle.title)
        expect(response.body).not.toContain(bundle.items[0]!.name)
      }
    })

    it('counts a link she opens as sent even when the app never confirmed it', async () => {
      const other = ((await call('GET', '/api/bundles?scope=corp', lina)).json() as BundleList).bundles[1]!
      const send = (
        await call('POST', `/api/bundles/${other.id}/sends`, lina, { externalUserId: customerId })
      ).json() as BundleSend
      expect((await call('GET', new URL(send.link).pathname, null)).statusCode).toBe(200)
      const entries = (await timeline()).filter((e) => e.bundle?.title === other.title)
      expect(entries.map((e) => e.kind).sort()).toEqual(['bundle_opened', 'bundle_sent'])
      // The late confirm adds nothing.
      await call('POST', `/api/bundle-sends/${send.id}/confirm`, lina)
      expect((await timeline()).filter((e) => e.bundle?.title === other.title)).toHaveLength(2)
    })

    it('forgets a cancelled send', async () => {
      const send = (
        await call('POST', `/api/bundles/${bundle.id}/sends`, lina, { externalUserId: customerId })
      ).json() as BundleSend
      expect((await call('POST', `/api/bundle-sends/${send.id}/confirm`, chenjing)).statusCode).toBe(404)
      const cancelled = await call('POST', `/api/bundle-sends/${send.id}/cancel`, lina)
      expect((cancelled.json() as BundleSend).status).toBe('cancelled')
      expect((await call('POST', `/api/bundle-sends/${send.id}/confirm`, lina)).statusCode).toBe(409)
      expect((await call('GET', new URL(send.link).pathname, null)).statusCode).toBe(404)
    })

    it('sends only to her own customers and needs one target', async () => {
      expect((await call('POST', `/api/bundles/${bundle.id}/sends`, lina, { externalUserId: strangerId })).statusCode).toBe(403)
      expect((await call('POST', `/api/bundles/${bundle.id}/sends`, lina, {})).statusCode).toBe(400)
      expect((await call('POST', `/api/bundles/nope/sends`, lina, { externalUserId: customerId })).statusCode).toBe(404)
    })
  })

  describe('suggestions for her', () => {
    it('ranks pieces in her size and leaves out what she bought', async () => {
      const response = await call('GET', `/api/customers/${customerId}/bundle-suggestions`, lina)
      expect(response.statusCode, response.body).toBe(200)
      const suggestions = response.json() as Suggestions
      expect(suggestions.products.length).toBeGreaterThan(0)
      expect(suggestions.bundles.length).toBeGreaterThan(0)
      const scores = suggestions.bundles.map((b) => b.score)
      expect(scores).toEqual([...scores].sort((a, b) => b - a))
      const member = t.demo.members.find((m) => m.externalUserId === customerId)!
      const bought = new Set(
        t.demo.orders.filter((o) => o.memberId === member.id).flatMap((o) => o.items.map((i) => i.productId)),
      )
      for (const product of suggestions.products) {
        expect(bought.has(product.productId)).toBe(false)
        expect(product.skuId).not.toBeNull()
        expect(product.reasons.length).toBeGreaterThan(0)
      }
      const top = suggestions.sizes.top
      if (top) {
        const tops = suggestions.products.filter((p) => p.category === 'top')
        for (const p of tops) {
          const detail = (await call('GET', `/api/catalog/products/${p.productId}`, lina)).json() as ProductDetail
          const sku = detail.skus.find((s) => s.id === p.skuId)!
          expect(sku.stock).toBeGreaterThan(0)
          expect(sku.size).toBe(top)
        }
      }
      expect((await call('GET', `/api/customers/${strangerId}/bundle-suggestions`, lina)).statusCode).toBe(403)
    })
  })

  describe('with a mini program configured', () => {
    let mp: TestApp
    beforeAll(async () => {
      mp = await createTestApp(kind, {
        env: { LOOKBOOK_MINIPROGRAM_APPID: 'wx0123456789abcdef', LOOKBOOK_MINIPROGRAM_PAGE: 'pages/lookbook/index.html' },
      })
    })
    afterAll(() => mp.close())

    it('sends a mini-program card whose page carries only the token', async () => {
      const cookie = await signIn(mp, 'lina')
      const { bundles } = (
        await mp.app.inject({ method: 'GET', url: '/api/bundles?scope=corp', headers: { cookie } })
      ).json() as BundleList
      const response = await mp.app.inject({
        method: 'POST',
        url: `/api/bundles/${bundles[0]!.id}/sends`,
        headers: { cookie },
        payload: { externalUserId: customerId },
      })
      expect(response.statusCode, response.body).toBe(201)
      const send = response.json() as BundleSend
      if (send.message.msgtype !== 'miniprogram') throw new Error(`expected a mini-program card, got ${send.message.msgtype}`)
      expect(send.message.miniprogram.appid).toBe('wx0123456789abcdef')
      expect(send.message.miniprogram.page).toMatch(/^pages\/lookbook\/index\.html\?t=[A-Za-z0-9_-]{32}$/)
      expect(send.message.miniprogram.page.split('=')[1]).toBe(new URL(send.link).pathname.slice(3))
    })
  })
})
