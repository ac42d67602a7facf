import { describe, expect, it } from 'vitest'
import {
  defaultSku,
  imageOf,
  moved,
  type Piece,
  sharedStyle,
  sizesOf,
  skuInColor,
  skuOf,
  priceOf,
} from '../../src/components/bundles/bundle-piece'
import type { ProductDetail, Sku } from '../../src/shared/catalog'

function sku(color: string, size: string, stock: number, priceFen = 10000): Sku {
  return { id: `${color}-${size}`, color, colorHex: null, size, stock, priceFen }
}

function product(overrides: Partial<ProductDetail> = {}): ProductDetail {
  return {
    id: 'p1',
    styleCode: 'S1',
    name: '羊毛大衣',
    category: 'top',
    priceFen: 10000,
    imageUrl: '/main.jpg',
    season: null,
    tags: [],
    colors: [],
    sizesInStock: [],
    description: '',
    materials: [],
    images: [{ url: '/black.jpg', color: '黑色', kind: 'main' }],
    skus: [sku('黑色', 'S', 0), sku('黑色', 'M', 2), sku('白色', 'S', 1), sku('白色', 'L', 0)],
    ...overrides,
  }
}

const sizes = { top: 'S', bottom: '27', dress: null, shoes: '37' }

describe('defaultSku', () => {
  it('keeps the SKU asked for when the product has it', () => {
    expect(defaultSku(product(), sizes, '白色-L')).toBe('白色-L')
    expect(defaultSku(product(), sizes, 'gone')).toBe('白色-S')
  })

  it('prefers her size in stock, then her size, then anything in stock, then the first', () => {
    expect(defaultSku(product(), sizes)).toBe('白色-S')
    expect(defaultSku(product({ skus: [sku('黑色', 'S', 0), sku('黑色', 'M', 2)] }), sizes)).toBe('黑色-S')
    expect(defaultSku(product(), null)).toBe('黑色-M')
    expect(defaultSku(product({ skus: [sku('黑色', 'M', 0), sku('黑色', 'L', 0)] }), null)).toBe('黑色-M')
  })
})

describe('a piece’s choices', () => {
  const piece: Piece = { product: product(), skuId: '黑色-S' }

  it('falls back to the first SKU when the chosen one is gone', () => {
    expect(skuOf(piece).id).toBe('黑色-S')
    expect(skuOf({ ...piece, skuId: 'gone' }).id).toBe('黑色-S')
  })

  it('shows the picture of the colour chosen, else the product’s own', () => {
    expect(imageOf(piece)).toBe('/black.jpg')
    expect(imageOf({ ...piece, skuId: '白色-S' })).toBe('/main.jpg')
    // A close-up listed first does not stand for the colour when a main picture of it exists.
    const detailFirst = product({
      images: [
        { url: '/black-detail.jpg', color: '黑色', kind: 'detail' },
        { url: '/black-main.jpg', color: '黑色', kind: 'main' },
      ],
    })
    expect(imageOf({ product: detailFirst, skuId: '黑色-S' })).toBe('/black-main.jpg')
  })

  it('is priced by the colour and size chosen, which can differ from the style', () => {
    const p = product({ skus: [sku('黑色', 'S', 1), sku('黑色', 'XL', 1, 12900)] })
    expect(priceOf({ product: p, skuId: '黑色-S' })).toBe(10000)
    expect(priceOf({ product: p, skuId: '黑色-XL' })).toBe(12900)
  })

  it('offers the sizes of the colour chosen', () => {
    expect(sizesOf(piece).map((s) => s.size)).toEqual(['S', 'M'])
  })

  it('keeps the size when switching colour, else takes one in stock, else the first', () => {
    expect(skuInColor(piece, '白色')).toBe('白色-S')
    expect(skuInColor({ ...piece, skuId: '黑色-M' }, '白色')).toBe('白色-S')
    const noneInStock = product({ skus: [sku('黑色', 'M', 1), sku('白色', 'S', 0), sku('白色', 'L', 0)] })
    expect(skuInColor({ product: noneInStock, skuId: '黑色-M' }, '白色')).toBe('白色-S')
    expect(skuInColor(piece, '红色')).toBeNull()
  })
})

describe('sharedStyle', () => {
  it('names the style most pieces share, ties by name, none without tags', () => {
    const tagged = (tags: string[]): Piece => ({ product: product({ tags }), skuId: '黑色-S' })
    expect(sharedStyle([tagged(['通勤', '极简']), tagged(['通勤'])])).toBe('通勤')
    expect(sharedStyle([tagged(['通勤']), tagged(['极简'])])).toBe(['通勤', '极简'].sort((a, b) => a.localeCompare(b))[0])
    expect(sharedStyle([tagged([])])).toBeNull()
  })
})

describe('moved', () => {
  it('moves one place up or down', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c'])
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b'])
  })
})
