import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { importText } from '../../src/server/modules/crm-import/importer'
import { MediaRepository } from '../../src/server/modules/media/media.repository'
import { Canvas } from '../../src/server/modules/media/png'
import { DB_KINDS, createTestDb, type TestDb } from '../helpers/db'

/**
 * `npm run import -- product_images`: a style's pictures, fetched once from the retailer's
 * picture host, checked by their bytes, stored by content where every instance reads them.
 */
const NOW = Date.UTC(2026, 10, 25, 4)
const PRODUCTS =
  'product_id,style_code,name,category,price\nP1,QL26S001,双面羊毛大衣,outerwear,2599\nP2,QL26S002,真丝衬衫,top,899\n'

const coat = new Canvas(4, 6, '#d8cbb3').toPng()
const coatBlack = new Canvas(4, 6, '#222222').toPng()
/** SOI, a SOF0 with 2×3 px, EOI: the smallest JPEG the content check accepts. */
const shirt = Buffer.from([
  0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x03, 0x00, 0x02, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
  0xff, 0xd9,
])

/** The retailer's picture host: what it serves, and how often each path was asked for. */
const served: Record<string, { type: string; body: Buffer | string; status?: number }> = {
  '/coat.png': { type: 'image/png', body: coat },
  '/coat-black.png': { type: 'image/png', body: coatBlack },
  // The same picture under another name: stored once.
  '/coat-copy.png': { type: 'image/png', body: coat },
  '/shirt.jpg': { type: 'image/jpeg', body: shirt },
  '/page.png': { type: 'text/html', body: '<html>not found</html>' },
  '/gone.png': { type: 'text/plain', body: 'gone', status: 404 },
}
const asked = new Map<string, number>()
let host: Server
let base = ''

beforeAll(async () => {
  host = createServer((request, response) => {
    const path = request.url ?? ''
    asked.set(path, (asked.get(path) ?? 0) + 1)
    const item = served[path]
    if (!item) return response.writeHead(404).end()
    response.writeHead(item.status ?? 200, { 'content-type': item.type }).end(item.body)
  })
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())))

describe.each(DB_KINDS)('CRM import of product pictures (%s)', (kind) => {
  let t: TestDb
  beforeEach(async () => {
    t = await createTestDb(kind)
    asked.clear()
    await importText(t.db, 'products', PRODUCTS, { now: NOW })
  })
  afterEach(() => t.drop())

  /** The test's host is on loopback, which only an allowed host may be. */
  const run = (text: string, allowHosts = ['127.0.0.1']) =>
    importText(t.db, 'product_images', text, { now: NOW + 1000, imageFetch: { allowHosts, timeoutMs: 2000 } })
  const pictures = () =>
    t.db.kysely
      .selectFrom('product_images')
      .select(['product_id', 'position', 'url', 'color', 'kind', 'source_url', 'asset_id'])
      .orderBy('product_id')
      .orderBy('position')
      .execute()
  const productImage = async (id: string) =>
    (await t.db.kysely.selectFrom('products').select('image_url').where('id', '=', id).executeTakeFirstOrThrow()).image_url

  it('fetches each picture once, keeps it by content, and gives the style its main picture', async () => {
    const file =
      '\uFEFF款号,序号,图片地址,颜色,类型\n' +
      `QL26S001,1,${base}/coat-black.png,黑色,主图\n` + // 2
      `QL26S001,2,${base}/coat.png,,main\n` + // 3
      `QL26S001,3,${base}/coat-copy.png,,细节图\n` + // 4: the same bytes as line 3
      `QL26S002,1,${base}/shirt.jpg,,模特图\n` + // 5
      `QL26S002,2,${base}/shirt.jpg,奶白,\n` + // 6: the same address again
      `QL26S009,1,${base}/coat.png,,\n` + // 7: unknown style
      `QL26S002,3,${base}/gone.png,,\n` + // 8: 404
      `QL26S002,4,${base}/page.png,,\n` + // 9: not a picture
      `QL26S002,5,/images/shirt.jpg,,\n` + // 10: a path, not an address
      `QL26S002,6,${base}/shirt.jpg,,封面\n` + // 11: unknown kind
      `QL26S002,7,http://10.1.2.3/shirt.jpg,,\n` // 12: a private address, not allowed
    const report = await run(file)
    expect(report).toMatchObject({ kind: 'product_images', rows: 11, inserted: 5, updated: 0 })
    expect(report.rejected.map((r) => r.line)).toEqual([7, 8, 9, 10, 11, 12])
    const reasons = report.rejected.map((r) => r.reason)
    expect(reasons[0]).toBe('unknown style_code QL26S009')
    expect(reasons[1]).toContain('answered 404')
    expect(reasons[2]).toContain('is not a JPEG or PNG picture')
    expect(reasons[3]).toContain('full http(s) address')
    expect(reasons[4]).toContain('kind "封面"')
    expect(reasons[5]).toContain('private address')

    const rows = await pictures()
    expect(rows.map((r) => [r.product_id, r.position, r.color, r.kind])).toEqual([
      ['P1', 1, '黑色', 'main'],
      ['P1', 2, null, 'main'],
      ['P1', 3, null, 'detail'],
      ['P2', 1, null, 'on_model'],
      ['P2', 2, '奶白', 'main'],
    ])
    for (const r of rows) expect(r.url).toBe(`/media/assets/${r.asset_id}`)
    expect(rows[1]!.source_url).toBe(`${base}/coat.png`)
    // Stored by content: the copy is the same stored picture; the shirt once for two rows.
    expect(rows[2]!.asset_id).toBe(rows[1]!.asset_id)
    expect(rows[4]!.asset_id).toBe(rows[3]!.asset_id)
    const assets = await t.db.kysely.selectFrom('media_assets').select(['id', 'mime', 'width', 'height', 'data']).execute()
    expect(assets).toHaveLength(3)
    const stored = assets.find((a) => a.id === rows[1]!.asset_id)!
    expect(stored).toMatchObject({ mime: 'image/png', width: 4, height: 6 })
    expect(Buffer.from(stored.data).equals(coat)).toBe(true)
    expect(asked.get('/shirt.jpg')).toBe(1)

    // A style's picture in lists: its main picture of no one colour; else its first.
    expect(await productImage('P1')).toBe(rows[1]!.url)
    expect(await productImage('P2')).toBe(rows[4]!.url)
    // The catalogue's counter moved, so the suggestions' cache reads again.
    const counter = await t.db.kysely.selectFrom('catalog_changes').select('version').where('scope', '=', '*').executeTakeFirst()
    expect(Number(counter?.version)).toBeGreaterThan(0)

    // The same file again fetches nothing it already has and writes nothing.
    asked.clear()
    const again = await run(file)
    expect(again).toMatchObject({ inserted: 0, updated: 0 })
    expect(again.rejected.map((r) => r.line)).toEqual([7, 8, 9, 10, 11, 12])
    expect([...asked.keys()].sort()).toEqual(['/gone.png', '/page.png'])
  })

  it('keeps the same bytes once when they arrive at the same moment', async () => {
    const media = new MediaRepository(t.db)
    const kept = await Promise.all([1, 2, 3].map((n) => media.keep(coat, `coat-${n}.png`, 'import', NOW)))
    expect(new Set(kept.map((k) => k.id)).size).toBe(1)
    expect(await t.db.kysely.selectFrom('media_assets').select('id').execute()).toEqual([{ id: kept[0]!.id }])
  })

  it('moves a position to another picture, and refuses private addresses unless the host is allowed', async () => {
    await run(`style_code,position,url\nQL26S001,1,${base}/coat.png\n`)
    const report = await run(`style_code,position,url,color\nQL26S001,1,${base}/coat-black.png,黑色\n`)
    expect(report).toMatchObject({ inserted: 0, updated: 1, rejected: [] })
    const [row] = await pictures()
    expect(row).toMatchObject({ color: '黑色', source_url: `${base}/coat-black.png` })
    // Her only picture shows one colour: still the style's picture, as nothing better exists.
    expect(await productImage('P1')).toBe(row!.url)

    const refused = await run(`style_code,position,url\nQL26S002,1,${base}/shirt.jpg\n`, [])
    expect(refused.rejected).toHaveLength(1)
    expect(refused.rejected[0]!.reason).toMatch(/127\.0\.0\.1 is a private address/)
    expect(asked.has('/shirt.jpg')).toBe(false)
  })
})
