import { describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/demo/data'
import { BUNDLE_MAX_ITEMS, BUNDLE_MIN_ITEMS } from '../../src/shared/bundles'
import { PRODUCT_CATEGORIES } from '../../src/shared/catalog'
import { EXTERNAL_USER_ID_PATTERN } from '../../src/shared/ids'

describe('demo data', () => {
  const demo = buildDemoData(Date.UTC(2026, 10, 25))
  const productById = new Map(demo.products.map((p) => [p.id, p]))

  it('has one brand, two stores, three guides (one a manager), ~60 customers and ~200 styles', () => {
    expect(demo.stores).toHaveLength(2)
    expect(demo.guides).toHaveLength(3)
    expect(demo.guides.filter((g) => g.role === 'manager')).toHaveLength(1)
    expect(demo.customers).toHaveLength(60)
    expect(demo.products.length).toBeGreaterThanOrEqual(180)
    expect(demo.products.length).toBeLessThanOrEqual(220)
    expect(demo.groups.length).toBeGreaterThanOrEqual(1)
  })

  it('is the same on every run and uses WeCom-shaped ids', () => {
    const again = buildDemoData(Date.UTC(2026, 10, 25))
    expect(again.customers.map((c) => c.externalUserId)).toEqual(demo.customers.map((c) => c.externalUserId))
    expect(again.products.flatMap((p) => p.stock)).toEqual(demo.products.flatMap((p) => p.stock))
    expect(again.bundles).toEqual(demo.bundles)
    const pattern = new RegExp(EXTERNAL_USER_ID_PATTERN)
    for (const c of demo.customers) expect(c.externalUserId).toMatch(pattern)
    expect(new Set(demo.customers.map((c) => c.externalUserId)).size).toBe(60)
  })

  it('gives every guide customers, members with sizes and orders, and some customers without a member record', () => {
    for (const g of demo.guides)
      expect(demo.customers.filter((c) => c.follows.some((f) => f.userId === g.userId)).length).toBeGreaterThan(10)
    expect(demo.members.length).toBeGreaterThan(45)
    expect(demo.members.length).toBeLessThan(60)
    expect(demo.orders.length).toBeGreaterThan(100)
  })

  it('buys every order line as an existing style, in one of its colours and sizes', () => {
    for (const order of demo.orders) {
      for (const item of order.items) {
        const style = productById.get(item.productId)
        expect(style, item.productId).toBeDefined()
        expect(style!.name).toBe(item.name)
        expect(style!.colors.map((c) => c.name)).toContain(item.color)
        expect(style!.skus.some((s) => s.color === item.color && s.size === item.size)).toBe(true)
      }
    }
  })

  it('spreads styles over every category, with unique codes and names, sizes that fit the category and pictures', () => {
    expect(new Set(demo.products.map((p) => p.styleCode)).size).toBe(demo.products.length)
    expect(new Set(demo.products.map((p) => p.name)).size).toBe(demo.products.length)
    for (const category of PRODUCT_CATEGORIES)
      expect(demo.products.filter((p) => p.category === category).length).toBeGreaterThanOrEqual(10)
    const styleVocabulary = new Set(['通勤', '度假', '法式', '极简', '休闲', '优雅', '甜美', '运动', '复古'])
    for (const p of demo.products) {
      expect(p.id).toBe(`P${p.styleCode}`)
      expect(p.styleCode).toMatch(/^QL\d\d[SW]\d{3}$/)
      expect(p.priceFen % 1000).toBe(900)
      expect(p.priceFen).toBeGreaterThanOrEqual(19900)
      expect(p.priceFen).toBeLessThanOrEqual(399900)
      expect(p.tags.length).toBeGreaterThan(0)
      for (const tag of p.tags) expect(styleVocabulary.has(tag)).toBe(true)
      expect(p.description.length).toBeGreaterThan(4)
      const expected =
        p.category === 'bottom'
          ? ['25', '26', '27', '28', '29', '30']
          : p.category === 'shoes'
            ? ['35', '36', '37', '38', '39']
            : p.category === 'bag' || p.category === 'accessory'
              ? ['均码']
              : ['XS', 'S', 'M', 'L', 'XL']
      expect(p.sizes).toEqual(expected)
      expect(p.skus).toHaveLength(p.colors.length * p.sizes.length)
      expect(p.images.length).toBeGreaterThan(p.colors.length)
      expect(p.images.some((i) => i.url.endsWith('-detail.svg'))).toBe(true)
      expect(p.imageUrl).toBe(p.images[0]!.url)
    }
    const skuIds = demo.products.flatMap((p) => p.skus.map((s) => s.id))
    expect(new Set(skuIds).size).toBe(skuIds.length)
  })

  it('stocks every SKU at both stores, with some sizes sold out', () => {
    const stock = demo.products.flatMap((p) => p.stock)
    for (const p of demo.products) {
      for (const sku of p.skus) {
        for (const store of demo.stores) {
          const rows = p.stock.filter((s) => s.skuId === sku.id && s.storeId === store.id)
          expect(rows).toHaveLength(1)
          expect(rows[0]!.quantity).toBeGreaterThanOrEqual(0)
          expect(rows[0]!.quantity).toBeLessThanOrEqual(8)
        }
      }
    }
    expect(stock).toHaveLength(demo.products.reduce((n, p) => n + p.skus.length, 0) * demo.stores.length)
    const soldOut = stock.filter((s) => s.quantity === 0).length / stock.length
    expect(soldOut).toBeGreaterThan(0.1)
    expect(soldOut).toBeLessThan(0.3)
  })

  it('has about twenty corporate bundles and a guide’s own, each of existing SKUs of its styles', () => {
    const corp = demo.bundles.filter((b) => b.scope === 'corp')
    expect(corp.length).toBeGreaterThanOrEqual(18)
    expect(corp.length).toBeLessThanOrEqual(24)
    for (const b of corp) expect(b.ownerId).toBeNull()
    const personal = demo.bundles.filter((b) => b.scope === 'personal')
    expect(personal.length).toBeGreaterThanOrEqual(1)
    for (const b of personal) expect(demo.guides.map((g) => g.userId)).toContain(b.ownerId)
    expect(new Set(demo.bundles.map((b) => b.id)).size).toBe(demo.bundles.length)
    for (const b of demo.bundles) {
      expect(b.id).toMatch(/^b_demo_\d\d$/)
      expect(b.title.length).toBeGreaterThan(0)
      expect(b.title.length).toBeLessThanOrEqual(40)
      expect(b.note.length).toBeLessThanOrEqual(200)
      expect(b.items.length).toBeGreaterThanOrEqual(BUNDLE_MIN_ITEMS)
      expect(b.items.length).toBeLessThanOrEqual(BUNDLE_MAX_ITEMS)
      for (const item of b.items) {
        const style = productById.get(item.productId)
        expect(style, `${b.id} ${item.productId}`).toBeDefined()
        expect(style!.skus.map((s) => s.id)).toContain(item.skuId)
      }
      expect(new Set(b.items.map((i) => i.productId)).size).toBe(b.items.length)
    }
  })
})
