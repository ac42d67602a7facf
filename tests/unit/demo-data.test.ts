import { describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/db/seed/demo-data'
import { EXTERNAL_USER_ID_PATTERN } from '../../src/shared/ids'

describe('demo data', () => {
  const demo = buildDemoData(Date.UTC(2026, 10, 25))

  it('has one brand, two stores, three guides (one a manager), ~60 customers and ~100 products', () => {
    expect(demo.stores).toHaveLength(2)
    expect(demo.guides).toHaveLength(3)
    expect(demo.guides.filter((g) => g.role === 'manager')).toHaveLength(1)
    expect(demo.customers).toHaveLength(60)
    expect(demo.products.length).toBeGreaterThanOrEqual(90)
    expect(demo.products.length).toBeLessThanOrEqual(120)
    expect(demo.groups.length).toBeGreaterThanOrEqual(1)
  })

  it('is the same on every run and uses WeCom-shaped ids', () => {
    const again = buildDemoData(Date.UTC(2026, 10, 25))
    expect(again.customers.map((c) => c.externalUserId)).toEqual(demo.customers.map((c) => c.externalUserId))
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
    const productIds = new Set(demo.products.map((p) => p.id))
    for (const order of demo.orders) for (const item of order.items) expect(productIds.has(item.productId)).toBe(true)
  })
})
