import { describe, expect, it } from 'vitest'
import { lookbookToken, newSendId, readLookbookToken } from '../../src/server/modules/bundles/lookbook-token'
import { scoreBundle, scoreProduct, type Candidate, type Shopper } from '../../src/server/modules/bundles/recommend'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 25)

function product(id: string, category: Candidate['category'], extra: Partial<Candidate> = {}): Candidate {
  const sizes = category === 'bottom' ? ['26', '27', '28'] : category === 'shoes' ? ['36', '37'] : ['S', 'M', 'L']
  return {
    id,
    name: id,
    category,
    tags: [],
    season: '26S',
    materials: ['棉'],
    skus: sizes.map((size) => ({ id: `${id}-${size}`, color: '燕麦色', size, stock: 3 })),
    ...extra,
  }
}

const shopper: Shopper = {
  sizes: { top: 'M', bottom: '27', dress: 'M', shoes: '37' },
  styles: ['通勤'],
  colorsLiked: ['燕麦'],
  colorsAvoided: ['荧光'],
  materialsAvoided: ['羊毛'],
  purchases: [{ productId: 'coat', name: '双面羊毛大衣', category: 'outerwear', at: NOW - 30 * DAY, returned: false }],
  now: NOW,
  newestSeason: '26S',
}

describe('scoreProduct', () => {
  it('picks her size in stock and says why in a few words', () => {
    const scored = scoreProduct(product('knit', 'top', { tags: ['通勤'] }), shopper)
    expect(scored.skuId).toBe('knit-M')
    expect(scored.reasons.map((r) => r.code)).toEqual(['completes_purchase', 'fits_size', 'likes_style', 'likes_color'])
    expect(scored.reasons[0]!.detail).toBe('双面羊毛大衣')
  })

  it('ranks a piece without her size in stock below one with it', () => {
    const soldOut = product('a', 'top')
    soldOut.skus = soldOut.skus.map((s) => (s.size === 'M' ? { ...s, stock: 0 } : s))
    const inStock = product('b', 'top')
    expect(scoreProduct(soldOut, shopper).score).toBeLessThan(scoreProduct(inStock, shopper).score)
    expect(scoreProduct(soldOut, shopper).reasons.some((r) => r.code === 'fits_size')).toBe(false)
  })

  it('marks what she already owns and never suggests colours or materials she avoids', () => {
    expect(scoreProduct(product('coat', 'outerwear'), shopper).bought).toBe(true)
    const neon = product('neon', 'top')
    neon.skus = neon.skus.map((s) => ({ ...s, color: '荧光绿' }))
    expect(scoreProduct(neon, shopper).excluded).toBe(true)
    expect(scoreProduct(product('merino', 'top', { materials: ['美利奴羊毛'] }), shopper).excluded).toBe(true)
    expect(scoreProduct(product('plain', 'top'), shopper).excluded).toBe(false)
    // A style that also comes in a colour she wears is suggested in that colour.
    const mixed = product('mixed', 'top')
    mixed.skus = [...mixed.skus.map((s) => ({ ...s, color: '荧光绿', id: `${s.id}-n` })), ...mixed.skus]
    expect(scoreProduct(mixed, shopper)).toMatchObject({ excluded: false, skuId: 'mixed-M' })
  })

  it('does not complete a purchase from long ago or one she returned', () => {
    const old: Shopper = {
      ...shopper,
      purchases: [
        { productId: 'x', name: '旧大衣', category: 'outerwear', at: NOW - 400 * DAY, returned: false },
        { productId: 'y', name: '退掉的大衣', category: 'outerwear', at: NOW - 3 * DAY, returned: true },
      ],
    }
    expect(scoreProduct(product('knit', 'top'), old).reasons.some((r) => r.code === 'completes_purchase')).toBe(false)
  })
})

describe('scoreBundle', () => {
  it('prefers a bundle in her sizes to one with a piece she owns', () => {
    const fresh = scoreBundle(
      {
        items: [
          { product: product('t', 'top'), skuId: 't-M' },
          { product: product('b', 'bottom'), skuId: 'b-27' },
        ],
      },
      shopper,
    )
    const owned = scoreBundle(
      {
        items: [
          { product: product('t', 'top'), skuId: 't-M' },
          { product: product('coat', 'outerwear'), skuId: 'coat-M' },
        ],
      },
      shopper,
    )
    expect(fresh.score).toBeGreaterThan(owned.score)
    expect(fresh.reasons[0]!.code).toBe('completes_purchase')
    expect(fresh.reasons.some((r) => r.code === 'fits_size')).toBe(true)
  })

  it('claims her size only when every piece goes out in her size from stock', () => {
    const shoes = product('s', 'shoes')
    shoes.skus = shoes.skus.map((s) => (s.size === '37' ? { ...s, stock: 0 } : s))
    const scored = scoreBundle(
      {
        items: [
          { product: product('t', 'top'), skuId: 't-S' },
          { product: shoes, skuId: 's-36' },
        ],
      },
      shopper,
    )
    expect(scored.fit.allHers).toBe(false)
    expect(scored.reasons.some((r) => r.code === 'fits_size')).toBe(false)
  })

  it('leaves out a bundle with a piece she would not wear', () => {
    const scored = scoreBundle(
      {
        items: [
          { product: product('t', 'top'), skuId: 't-M' },
          { product: product('w', 'bottom', { materials: ['羊毛'] }), skuId: 'w-27' },
        ],
      },
      shopper,
    )
    expect(scored.excluded).toBe(true)
  })
})

describe('lookbook tokens', () => {
  const secret = 's'.repeat(40)
  it('round-trips and refuses any change', () => {
    const id = newSendId()
    const token = lookbookToken(secret, id)
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(readLookbookToken(secret, token)).toBe(id)
    for (let i = 0; i < token.length; i++) {
      const flipped = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1)
      expect(readLookbookToken(secret, flipped)).toBeNull()
    }
    expect(readLookbookToken('t'.repeat(40), token)).toBeNull()
    expect(readLookbookToken(secret, `${token}A`)).toBeNull()
  })
})
