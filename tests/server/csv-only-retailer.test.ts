import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile, importText, type ImportReport } from '../../src/server/modules/crm-import/importer'
import { Canvas } from '../../src/server/modules/media/png'
import type { Bundle, BundleSend, Suggestions } from '../../src/shared/bundles'
import type { CatalogFacets, CatalogPage, ProductDetail } from '../../src/shared/catalog'
import type { CustomerProfile } from '../../src/shared/customer'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import { DB_KINDS } from '../helpers/db'

/**
 * A retailer whose only source is her CRM's CSV exports (no demo seed, real mode against a
 * WeCom stand-in): from an empty database, the example feed in tests/fixtures/import gives
 * her guide a working outfit composer — the customer's sizes, the stock of the guide's own
 * store, and the pictures, fetched from the retailer's picture host and served by the app.
 */
const FEED = path.join(__dirname, '..', 'fixtures', 'import')
const feed = (name: string) => path.join(FEED, name)

/** The placeholder host product_images.csv names; the test points it at its own server. */
const PICTURE_HOST = 'https://img.example.com'
/** 栀子花开～, one of lina's WeCom customers in the demo world; customers.csv binds her to M20260001. */
const HER = 'wmA2aB78a0ax6ICImDsZd3BNCLyUETdK'

/** The retailer's picture host: each picture a different colour, so each is its own stored asset. */
const PICTURES: Record<string, Buffer> = {
  '/ql26s001/main.png': new Canvas(6, 8, '#cfc3ae').toPng(),
  '/ql26s001/oat-detail.png': new Canvas(6, 8, '#b5a27f').toPng(),
  '/ql26s001/oat.png': new Canvas(6, 8, '#d8cbb3').toPng(),
  '/ql26s001/black.png': new Canvas(6, 8, '#222222').toPng(),
  '/ql26s002/cream.png': new Canvas(6, 8, '#f3eee3').toPng(),
}
let host: Server
let base = ''

beforeAll(async () => {
  host = createServer((request, response) => {
    const body = PICTURES[request.url ?? '']
    if (!body) return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'image/png' }).end(body)
  })
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())))

describe.each(DB_KINDS)('a retailer with only CSV exports (%s)', (kind) => {
  let t: TestApp
  let cookie: string
  const reports: Record<string, ImportReport> = {}

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } })
  const getJson = async <T>(url: string): Promise<T> => {
    const res = await get(url)
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200)
    return res.json<T>()
  }
  const suggestions = () => getJson<Suggestions>(`/api/customers/${HER}/bundle-suggestions`)
  const product = (id: string) => getJson<ProductDetail>(`/api/catalog/products/${id}`)
  const skuId = (detail: ProductDetail, color: string, size: string) =>
    detail.skus.find((k) => k.color === color && k.size === size)!.id
  /** The stored picture a row of product_images.csv became, by the path it was fetched from. */
  const assetOf = async (picturePath: string) =>
    (
      await t.testDb.db.kysely
        .selectFrom('product_images')
        .select('url')
        .where('source_url', '=', `${base}${picturePath}`)
        .executeTakeFirstOrThrow()
    ).url

  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real', seed: false })
    const now = t.clock.value
    // Nothing but the schema: whatever the composer shows below came from the files.
    for (const table of ['stores', 'guides', 'members', 'products', 'product_skus', 'media_assets'] as const) {
      const row = await t.testDb.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(row.n), table).toBe(0)
    }
    // In the order the import README gives: what a row points at is imported before it.
    for (const what of ['stores', 'guides', 'members', 'products', 'skus', 'stock']) {
      reports[what] = await importFile(t.testDb.db, what, feed(`${what}.csv`), { now })
    }
    const pictures = (await readFile(feed('product_images.csv'), 'utf8')).replaceAll(PICTURE_HOST, base)
    reports.product_images = await importText(t.testDb.db, 'product_images', pictures, {
      now,
      imageFetch: { allowHosts: ['127.0.0.1'] },
    })
    reports.customers = await importFile(t.testDb.db, 'customers', feed('customers.csv'), { now })
    cookie = await signIn(t, 'lina')
  })
  afterAll(() => t?.close())

  it('imports every file of the feed without a rejected row', () => {
    expect(
      Object.fromEntries(Object.entries(reports).map(([what, r]) => [what, [r.rows, r.rejected, r.ignoredColumns]])),
    ).toEqual({
      stores: [2, [], []],
      guides: [3, [], []],
      members: [2, [], []],
      products: [2, [], []],
      skus: [5, [], []],
      stock: [5, [], []],
      product_images: [5, [], []],
      customers: [1, [], []],
    })
    // The customer the file binds is lina's in the WeCom world, not only a made-up id.
    expect(t.demo.customers.find((c) => c.externalUserId === HER)?.follows.map((f) => f.userId)).toContain('lina')
  })

  it('shows lina her customer with the member record and sizes from members.csv', async () => {
    const profile = await getJson<CustomerProfile>(`/api/customers/${HER}`)
    expect(profile.member).toMatchObject({ memberId: 'M20260001', level: 'gold', points: 1280, storeName: '上海静安嘉里中心店' })
    expect(profile.facts.sizes).toEqual({ top: 'M', bottom: '27', dress: 'M', shoes: '39' })
    expect(profile.facts.preferredStore).toEqual({ id: 'S1', name: '上海静安嘉里中心店' })
  })

  it('lists the imported styles with their SKU grid and the stock of lina’s store (S1), not another’s', async () => {
    const facets = await getJson<CatalogFacets>('/api/catalog/facets')
    expect(facets.storeId).toBe('S1')
    // The shirt's M is no longer sold (在售 否): not a size the composer offers.
    expect(facets.sizes).toEqual([
      { category: 'top', sizes: ['S'] },
      { category: 'outerwear', sizes: ['S', 'M'] },
    ])
    expect(facets.priceFen).toEqual({ min: 89900, max: 259900 })

    // Each colour's swatch from skus.csv's 色值, given on one size of it and serving all.
    const page = await getJson<CatalogPage>('/api/catalog/products')
    expect(page.total).toBe(2)
    expect(
      page.items.map((p) => [
        p.styleCode,
        p.name,
        p.category,
        p.priceFen,
        p.colors.map((c) => `${c.name} ${c.hex}`),
        p.sizesInStock,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['QL26S001', '双面羊毛大衣', 'outerwear', 259900, ['燕麦色 #d8cbb3', '黑色 #1f1f1f'], ['S', 'M']],
        ['QL26S002', '真丝衬衫', 'top', 89900, ['奶白 #f3eee3'], ['S']],
      ]),
    )

    const coat = await product('P1')
    expect(coat.materials).toEqual(['羊毛'])
    expect(coat.skus.map((k) => [k.color, k.size, k.stock, k.priceFen])).toEqual([
      ['燕麦色', 'S', 3, 259900],
      ['燕麦色', 'M', 1, 259900],
      // Her size in black: none at S1 (S2 holds 4), shown as such, at the SKU's own price.
      ['黑色', 'M', 0, 239900],
    ])
    const shirt = await product('P2')
    expect(shirt.skus.map((k) => [k.color, k.size, k.stock])).toEqual([['奶白', 'S', 2]])

    // The composer's "her size" filter: her outerwear size M is in stock here; her top size is not made.
    const herCoats = await getJson<CatalogPage>('/api/catalog/products?category=outerwear&size=M')
    expect(herCoats.items.map((p) => p.id)).toEqual(['P1'])
    const herTops = await getJson<CatalogPage>('/api/catalog/products?category=top&size=M')
    expect(herTops.total).toBe(0)
  })

  it('suggests her sizes for her, from what lina’s store holds', async () => {
    const coat = await product('P1')
    const shirt = await product('P2')
    const suggested = await suggestions()
    // The composer preselects SKUs from these.
    expect(suggested.sizes).toEqual({ top: 'M', bottom: '27', dress: 'M', shoes: '39' })
    expect(suggested.products.map((p) => p.productId)).toEqual(['P1', 'P2'])
    const [coatPick, shirtPick] = suggested.products
    // Her size M in the colour S1 has it in; black M would have to be ordered in.
    // Pictured in that colour (its main picture, not its detail one), as the composer adds it.
    const oatMain = coat.images.find((i) => i.color === '燕麦色' && i.kind === 'main')!.url
    expect(oatMain).not.toBe(coat.imageUrl)
    expect(coatPick).toMatchObject({ skuId: skuId(coat, '燕麦色', 'M'), priceFen: 259900, imageUrl: oatMain })
    expect(coatPick!.reasons).toContainEqual({ code: 'fits_size', detail: 'M', at: null })
    // The shirt is not sold in her size any more: offered in what is in stock, never as hers.
    expect(shirtPick).toMatchObject({ skuId: skuId(shirt, '奶白', 'S'), priceFen: 89900, imageUrl: shirt.imageUrl })
    expect(shirtPick!.reasons.map((r) => r.code)).not.toContain('fits_size')
    expect(coatPick!.score).toBeGreaterThan(shirtPick!.score)
  })

  it('serves the pictures it fetched from the retailer’s host, a style’s and each colour’s main one', async () => {
    const coat = await product('P1')
    const shirt = await product('P2')
    const [styleMain, oatDetail, oatMain, blackMain, creamMain] = await Promise.all(
      ['/ql26s001/main.png', '/ql26s001/oat-detail.png', '/ql26s001/oat.png', '/ql26s001/black.png', '/ql26s002/cream.png'].map(
        assetOf,
      ),
    )
    expect(coat.images).toEqual([
      { url: styleMain, color: null, kind: 'main' },
      { url: oatDetail, color: '燕麦色', kind: 'detail' },
      { url: oatMain, color: '燕麦色', kind: 'main' },
      { url: blackMain, color: '黑色', kind: 'main' },
    ])
    // In lists and cards a style shows its main picture of no one colour, else its first main.
    expect(coat.imageUrl).toBe(styleMain)
    expect(shirt.images).toEqual([{ url: creamMain, color: '奶白', kind: 'main' }])
    expect(shirt.imageUrl).toBe(creamMain)

    const served = {
      [styleMain!]: '/ql26s001/main.png',
      [oatDetail!]: '/ql26s001/oat-detail.png',
      [oatMain!]: '/ql26s001/oat.png',
    }
    Object.assign(served, { [blackMain!]: '/ql26s001/black.png', [creamMain!]: '/ql26s002/cream.png' })
    for (const [url, source] of Object.entries(served)) {
      expect(url).toMatch(/^\/media\/assets\/[A-Za-z0-9_-]+$/)
      // Served by the app itself (customers' lookbooks load them without a session).
      const res = await t.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type']).toBe('image/png')
      expect(res.rawPayload.equals(PICTURES[source]!), `${url} is ${source}`).toBe(true)
    }
  })

  it('sends an outfit lina composes in her size, from S1’s stock, each piece with its colour’s main picture', async () => {
    const coat = await product('P1')
    const shirt = await product('P2')
    const blackMain = await assetOf('/ql26s001/black.png')
    const oatMain = await assetOf('/ql26s001/oat.png')
    const creamMain = await assetOf('/ql26s002/cream.png')

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/bundles',
      headers: { cookie },
      payload: {
        scope: 'personal',
        title: '通勤大衣配真丝衬衫',
        items: [
          { productId: 'P1', skuId: skuId(coat, '黑色', 'M') },
          { productId: 'P2', skuId: skuId(shirt, '奶白', 'S') },
        ],
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    const bundle = created.json<Bundle>()
    expect(bundle.items.map((i) => [i.styleCode, i.color, i.size, i.stock, i.priceFen, i.imageUrl])).toEqual([
      ['QL26S001', '黑色', 'M', 0, 239900, blackMain],
      ['QL26S002', '奶白', 'S', 2, 89900, creamMain],
    ])

    const fit = (await suggestions()).fits.find((f) => f.bundleId === bundle.id)!
    expect(fit).toBeDefined()
    const [coatPiece, shirtPiece] = fit.pieces
    // Black M is not at S1; her size in the colour it has goes out, with that colour's main
    // picture (not its close-up listed before it, nor the style's).
    expect(coatPiece).toMatchObject({ fit: 'hers', herSize: 'M', avoided: null })
    expect(coatPiece!.item).toMatchObject({ color: '燕麦色', size: 'M', stock: 1, priceFen: 259900, imageUrl: oatMain })
    expect(shirtPiece).toMatchObject({ fit: 'not_her_size', herSize: 'M' })
    expect(shirtPiece!.item).toMatchObject({ color: '奶白', size: 'S', stock: 2, imageUrl: creamMain })
    // Not every piece is hers, so the app must not say 合你的尺码.
    expect(fit.allHers).toBe(false)
    expect(fit.totalFen).toBe(259900 + 89900)

    // The card's collage draws the stored pictures.
    const collage = await t.app.inject({ method: 'GET', url: fit.collageUrl })
    expect(collage.statusCode).toBe(200)
    expect(collage.headers['content-type']).toBe('image/png')

    // One tap sends it to her: the card as resolved to her sizes on the server, and the page
    // its link opens, where each piece leads with its colour's main picture.
    const sent = await t.app.inject({
      method: 'POST',
      url: `/api/bundles/${bundle.id}/sends`,
      headers: { cookie },
      payload: { externalUserId: HER },
    })
    expect(sent.statusCode, sent.body).toBe(201)
    const card = sent.json<BundleSend>()
    expect(card.message).toEqual({
      msgtype: 'news',
      news: expect.objectContaining({ title: '通勤大衣配真丝衬衫', imgUrl: `https://sidebar.example.com${fit.collageUrl}` }),
    })
    const lookbook = await t.app.inject({ method: 'GET', url: new URL(card.link).pathname })
    expect(lookbook.statusCode).toBe(200)
    const mains = [...lookbook.body.matchAll(/<li class="item">\s*<div class="media"><img src="([^"]+)"/g)].map((m) => m[1])
    expect(mains).toEqual([oatMain, creamMain])
    expect(lookbook.body).toContain('燕麦色 · M')
  })

  it('shows a stock change from the till in her next suggestions', async () => {
    const coat = await product('P1')
    // stock-delta.csv: S1 sells its oat M and receives two black M.
    const delta = await importFile(t.testDb.db, 'stock', feed('stock-delta.csv'), { now: t.clock.value })
    expect(delta.rejected).toEqual([])
    const after = await product('P1')
    expect(after.skus.map((k) => [k.color, k.size, k.stock])).toEqual([
      ['燕麦色', 'S', 3],
      ['燕麦色', 'M', 0],
      ['黑色', 'M', 2],
    ])
    const suggested = await suggestions()
    // Within the suggestions' cache minute: the import moved S1's counter, so this is read fresh.
    expect(suggested.products.find((p) => p.productId === 'P1')).toMatchObject({
      skuId: skuId(coat, '黑色', 'M'),
      priceFen: 239900,
    })
    const fit = suggested.fits[0]!
    expect(fit.pieces[0]).toMatchObject({ fit: 'hers', item: { color: '黑色', size: 'M', stock: 2 } })
    expect(fit.pieces[0]!.item.imageUrl).toBe(await assetOf('/ql26s001/black.png'))
  })
})
