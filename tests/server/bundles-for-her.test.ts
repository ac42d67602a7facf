/**
 * An outfit as it reaches one customer: in her sizes, without what she avoids, and with
 * nothing private on the card or the page she opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Bundle, BundleList, BundleSend, Suggestions } from '../../src/shared/bundles'
import type { ProductDetail } from '../../src/shared/catalog'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

const REMARK = '郑安琪QX 静安 S码'
const DESCRIPTION = '孕期XQ 怕冷，老公姓王'
const PHONE = '13912345678'

describe.each(DB_KINDS)('outfits for one customer (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let herId: string
  let otherId: string

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    const followedByLinaOnly = t.demo.customers.filter((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')
    herId = followedByLinaOnly[0]!.externalUserId
    otherId = followedByLinaOnly[1]!.externalUserId
    // What the guide keeps about her, each with a marker no product, store or brand has.
    expect(
      (await call('PATCH', `/api/customers/${herId}/wecom-remark`, { remark: REMARK, description: DESCRIPTION })).statusCode,
    ).toBe(200)
    expect(
      (
        await call('PATCH', `/api/customers/${herId}/facts`, {
          sizeTop: 'S',
          sizeDress: 'S',
          sizeBottom: '26',
          sizeShoes: '39',
          phone: PHONE,
          colorsAvoided: [],
          materialsAvoided: [],
        })
      ).statusCode,
    ).toBe(200)
    expect((await call('POST', `/api/customers/${herId}/personal-tags`, { add: ['爱砍价QX'] })).statusCode).toBe(200)
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, cookie: string | null = lina) =>
    t.app.inject({ method, url, payload: payload as object, headers: cookie ? { cookie } : {} })
  const db = () => t.testDb.db.kysely

  const brandBundles = async () => ((await call('GET', '/api/bundles?scope=corp')).json() as BundleList).bundles
  const suggestions = async (id = herId) => {
    const response = await call('GET', `/api/customers/${id}/bundle-suggestions`)
    expect(response.statusCode, response.body).toBe(200)
    return response.json() as Suggestions
  }
  const send = async (bundleId: string, body: Record<string, unknown>) => {
    const response = await call('POST', `/api/bundles/${bundleId}/sends`, body)
    return response
  }
  const page = async (sent: BundleSend) => (await call('GET', new URL(sent.link).pathname, undefined, null)).body

  /** Suggestions read stock at most a minute old: let that minute pass after changing it. */
  const stockSettles = () => t.clock.advance(61_000)

  /** Puts stock on every size of these styles at her guide's store (the demo sells some out). */
  async function stockUp(productIds: string[]): Promise<void> {
    const skus = await db().selectFrom('product_skus').select('id').where('product_id', 'in', productIds).execute()
    for (const { id } of skus) {
      await db().updateTable('store_stock').set({ quantity: 3 }).where('store_id', '=', 'S001').where('sku_id', '=', id).execute()
    }
  }

  describe('nothing private reaches her', () => {
    it('keeps her remark, description, tags and phone off the card and the lookbook', async () => {
      const bundle = (await brandBundles()).find((b) => b.items.length >= 3)!
      const created = await call('POST', '/api/bundles', {
        scope: 'personal',
        title: '为您挑的一套通勤搭配',
        note: '周末也能穿，配你的小白鞋',
        items: bundle.items.map((i) => ({ productId: i.productId, skuId: i.skuId })),
      })
      expect(created.statusCode, created.body).toBe(201)
      const response = await send((created.json() as Bundle).id, { externalUserId: herId })
      expect(response.statusCode, response.body).toBe(201)
      const sent = response.json() as BundleSend
      const html = await page(sent)
      expect(html).toContain('为您挑的一套通勤搭配')
      // The link's random token may spell a two-letter marker by chance ('…gQXaz…'): it is
      // not text of hers, so it is taken out before looking.
      const outgoing = [JSON.stringify(sent.message), html].map((text) => text.replace(/\/l\/[\w-]+/g, '/l/TOKEN'))
      for (const marker of ['郑安琪', 'QX', 'XQ', '孕期', '怕冷', '老公', PHONE, PHONE.slice(-4), '爱砍价']) {
        for (const text of outgoing) expect(text).not.toContain(marker)
      }
    })

    it('refuses a title that holds a customer’s remark, to her, to another customer and in a group', async () => {
      const bundle = (await brandBundles())[0]!
      const items = bundle.items.map((i) => ({ productId: i.productId, skuId: i.skuId }))
      const named = (await call('POST', '/api/bundles', { scope: 'personal', title: '为郑安琪QX搭配', items })).json() as Bundle
      const described = (
        await call('POST', '/api/bundles', { scope: 'personal', title: '秋冬搭配', note: '孕期XQ也能穿', items })
      ).json() as Bundle
      // Another customer's remark typed in one run: her name still counts.
      expect((await call('PATCH', `/api/customers/${otherId}/wecom-remark`, { remark: '王梓萱静安M码' })).statusCode).toBe(200)
      const unspaced = (
        await call('POST', '/api/bundles', { scope: 'personal', title: '给王梓萱的搭配', items })
      ).json() as Bundle
      const group = t.demo.groups.find((g) => g.owner === 'lina' || g.staff.includes('lina'))!
      for (const [bundleId, body] of [
        [unspaced.id, { externalUserId: herId }],
        [named.id, { externalUserId: herId }],
        [named.id, { externalUserId: otherId }],
        [named.id, { chatId: group.chatId }],
        [described.id, { externalUserId: herId }],
      ] as const) {
        const refused = await send(bundleId, body)
        expect(refused.statusCode, refused.body).toBe(422)
        expect(refused.json().error.code).toBe('private_text')
      }
      // The refusal names the words, for the guide to change them.
      expect((await send(named.id, { externalUserId: herId })).json().error).toMatchObject({ detail: '郑安琪QX' })
      // Nothing was prepared: no link exists for a refused send.
      const sends = await db()
        .selectFrom('bundle_sends')
        .select('id')
        .where('bundle_id', 'in', [named.id, described.id, unspaced.id])
        .execute()
      expect(sends).toHaveLength(0)
    })
  })

  describe('her sizes', () => {
    it('offers and sends a brand outfit in her top and shoe size, and her lookbook shows them', async () => {
      const bundle = (await brandBundles()).find(
        (b) => b.items.some((i) => i.category === 'shoes' && i.size !== '39') && b.items.some((i) => i.category === 'top'),
      )!
      await stockUp(bundle.items.map((i) => i.productId))
      const fit = (await suggestions()).fits.find((f) => f.bundleId === bundle.id)!
      expect(fit.allHers).toBe(true)
      const shoes = fit.pieces.find((p) => p.item.category === 'shoes')!
      const top = fit.pieces.find((p) => p.item.category === 'top')!
      expect(shoes).toMatchObject({ fit: 'hers', item: { size: '39' } })
      expect(top).toMatchObject({ fit: 'hers', item: { size: 'S' } })
      // The card's picture is drawn from the pieces as she gets them.
      expect((await call('GET', fit.collageUrl, undefined, null)).statusCode).toBe(200)

      const response = await send(bundle.id, { externalUserId: herId })
      expect(response.statusCode, response.body).toBe(201)
      const html = await page(response.json() as BundleSend)
      const sizesOf = (name: string) => {
        const at = html.indexOf(name)
        return html.slice(at, at + 600)
      }
      expect(sizesOf(shoes.item.name)).toMatch(/39/)
      expect(sizesOf(top.item.name)).toMatch(/· S</)
      // The collage drawn for her (her colours) is a real one.
      const collage = /<img[^>]+src="(\/media\/collages\/[0-9a-f]+\.png)"/.exec(html)![1]!
      expect((await call('GET', collage, undefined, null)).statusCode).toBe(200)
    })

    it('flags a piece whose size is sold out and says 合你的尺码 only when every piece is hers', async () => {
      const bundle = (await brandBundles()).find((b) => b.items.some((i) => i.category === 'shoes'))!
      await stockUp(bundle.items.map((i) => i.productId))
      const shoes = bundle.items.find((i) => i.category === 'shoes')!
      const sizes39 = await db()
        .selectFrom('product_skus')
        .select('id')
        .where('product_id', '=', shoes.productId)
        .where('size', '=', '39')
        .execute()
      await db()
        .updateTable('store_stock')
        .set({ quantity: 0 })
        .where('store_id', '=', 'S001')
        .where(
          'sku_id',
          'in',
          sizes39.map((s) => s.id),
        )
        .execute()
      stockSettles()
      const ranked = await suggestions()
      const fit = ranked.fits.find((f) => f.bundleId === bundle.id)!
      const piece = fit.pieces.find((p) => p.item.productId === shoes.productId)!
      expect(piece).toMatchObject({ fit: 'hers_no_stock', item: { size: '39', stock: 0 }, alternative: { size: '38' } })
      expect(fit.allHers).toBe(false)
      const offered = ranked.bundles.find((b) => b.bundle.id === bundle.id)
      expect(offered?.reasons.some((r) => r.code === 'fits_size') ?? false).toBe(false)

      // She chose the alternative in her preview: that is what goes out.
      const items = fit.pieces.map((p) => ({
        productId: p.item.productId,
        skuId: p === piece ? piece.alternative!.skuId : p.item.skuId,
      }))
      const response = await send(bundle.id, { externalUserId: herId, items })
      expect(response.statusCode, response.body).toBe(201)
      const html = await page(response.json() as BundleSend)
      const at = html.indexOf(shoes.name)
      expect(html.slice(at, at + 600)).toMatch(/38/)
    })

    it('refuses preview items that are not the bundle’s pieces', async () => {
      const [a, b] = await brandBundles()
      const wrong = b!.items.map((i) => ({ productId: i.productId, skuId: i.skuId }))
      expect((await send(a!.id, { externalUserId: herId, items: wrong })).statusCode).toBe(400)
      const foreignSku = a!.items.map((i, index) => ({
        productId: i.productId,
        skuId: index === 0 ? b!.items[0]!.skuId : i.skuId,
      }))
      expect((await send(a!.id, { externalUserId: herId, items: foreignSku })).statusCode).toBe(400)
    })
  })

  describe('what she avoids', () => {
    it('never suggests a piece or an outfit of a material or colour she avoids', async () => {
      expect(
        (await call('PATCH', `/api/customers/${otherId}/facts`, { materialsAvoided: ['羊毛'], colorsAvoided: ['黑色'] }))
          .statusCode,
      ).toBe(200)
      const profile = (await call('GET', `/api/customers/${otherId}`)).json() as { facts: { materialsAvoided: string[] } }
      expect(profile.facts.materialsAvoided).toEqual(['羊毛'])
      const ranked = await suggestions(otherId)
      expect(ranked.products.length).toBeGreaterThan(0)
      const details = await Promise.all(
        ranked.products.map(async (p) => (await call('GET', `/api/catalog/products/${p.productId}`)).json() as ProductDetail),
      )
      for (const detail of details) expect(detail.materials.some((m) => m.includes('羊毛'))).toBe(false)
      const woolly = new Set<string>()
      for (const fit of ranked.fits) {
        if (fit.pieces.some((p) => p.avoided !== null)) woolly.add(fit.bundleId)
        // A piece she could wear never goes out in black.
        for (const p of fit.pieces) if (p.avoided === null) expect(p.item.color).not.toBe('黑色')
      }
      expect(woolly.size).toBeGreaterThan(0)
      for (const offered of ranked.bundles) expect(woolly.has(offered.bundle.id)).toBe(false)
    })
  })
})
