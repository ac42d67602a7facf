import { describe, expect, it } from 'vitest'
import { fitBundle, fitPiece, sizeDistance, type FitProduct, type FitShopper } from '../../src/server/modules/bundles/fit'

/** A style in these colours and sizes; `stock` gives each colour's stock by size (default 2). */
function style(
  id: string,
  category: FitProduct['category'],
  colors: string[],
  sizes: string[],
  stock: (color: string, size: string) => number = () => 2,
  materials: string[] = ['棉'],
): FitProduct {
  return {
    id,
    category,
    materials,
    skus: colors.flatMap((color, c) =>
      sizes.map((size) => ({ id: `${id}-${c}-${size}`, color, size, stock: stock(color, size) })),
    ),
  }
}

const her: FitShopper = {
  sizes: { top: 'S', bottom: '26', dress: 'S', shoes: '39' },
  colorsLiked: ['雾霾蓝'],
  colorsAvoided: ['荧光'],
  materialsAvoided: ['真丝'],
}

const TOPS = ['XS', 'S', 'M', 'L', 'XL']
const SHOES = ['35', '36', '37', '38', '39']

describe('fitPiece', () => {
  it('sends her size in the outfit’s colour when the store has it', () => {
    const top = style('top', 'top', ['燕麦色', '雾霾蓝'], TOPS)
    expect(fitPiece(top, 'top-0-M', her)).toMatchObject({ skuId: 'top-0-S', fit: 'hers', alternativeSkuId: null, avoided: null })
  })

  it('takes another colour of the piece, hers first, before giving up on her size in stock', () => {
    const top = style('top', 'top', ['燕麦色', '黑色', '雾霾蓝'], TOPS, (color, size) =>
      color === '燕麦色' && size === 'S' ? 0 : 2,
    )
    expect(fitPiece(top, 'top-0-M', her)).toMatchObject({ skuId: 'top-2-S', fit: 'hers' })
  })

  it('sends shoes in 39, not the outfit’s 37', () => {
    const shoes = style('shoes', 'shoes', ['奶白'], SHOES)
    expect(fitPiece(shoes, 'shoes-0-37', her)).toMatchObject({ skuId: 'shoes-0-39', fit: 'hers' })
  })

  it('flags her size sold out at the store and offers the nearest size in stock', () => {
    const shoes = style('shoes', 'shoes', ['奶白'], SHOES, (_c, size) => (size === '39' ? 0 : size === '37' ? 0 : 1))
    expect(fitPiece(shoes, 'shoes-0-37', her)).toMatchObject({
      skuId: 'shoes-0-39',
      fit: 'hers_no_stock',
      alternativeSkuId: 'shoes-0-38',
    })
  })

  it('sends the nearest size when the style is not made in hers', () => {
    const skirt = style('skirt', 'bottom', ['黑色'], ['27', '28', '29'])
    expect(fitPiece(skirt, 'skirt-0-28', her)).toMatchObject({ skuId: 'skirt-0-27', fit: 'not_her_size' })
  })

  it('keeps the outfit’s own size when hers is not recorded, and one size for bags', () => {
    const noSizes: FitShopper = { ...her, sizes: { top: null, bottom: null, dress: null, shoes: null } }
    expect(fitPiece(style('top', 'top', ['黑色'], TOPS), 'top-0-M', noSizes)).toMatchObject({
      skuId: 'top-0-M',
      fit: 'size_unknown',
    })
    expect(fitPiece(style('bag', 'bag', ['黑色', '奶白'], ['均码']), 'bag-1-均码', her)).toMatchObject({
      skuId: 'bag-1-均码',
      fit: 'one_size',
    })
  })

  it('never picks a colour she avoids, and says when a piece is made of what she avoids', () => {
    const top = style('top', 'top', ['荧光绿', '黑色'], TOPS)
    expect(fitPiece(top, 'top-0-M', her)).toMatchObject({ skuId: 'top-1-S', avoided: null })
    expect(fitPiece(style('neon', 'top', ['荧光黄'], TOPS), 'neon-0-M', her).avoided).toEqual({ kind: 'color', detail: '荧光黄' })
    expect(
      fitPiece(
        style('silk', 'top', ['黑色'], TOPS, () => 2, ['桑蚕丝', '真丝']),
        'silk-0-M',
        her,
      ).avoided,
    ).toEqual({
      kind: 'material',
      detail: '真丝',
    })
  })
})

describe('fitBundle', () => {
  it('is all hers only when every piece is hers in stock', () => {
    const top = style('top', 'top', ['燕麦色'], TOPS)
    const bag = style('bag', 'bag', ['黑色'], ['均码'])
    const soldOut = style('shoes', 'shoes', ['奶白'], SHOES, (_c, size) => (size === '39' ? 0 : 1))
    const inStock = style('shoes', 'shoes', ['奶白'], SHOES)
    const items = (shoes: FitProduct) => [
      { product: top, skuId: 'top-0-M' },
      { product: shoes, skuId: 'shoes-0-37' },
      { product: bag, skuId: 'bag-0-均码' },
    ]
    expect(fitBundle(items(inStock), her).allHers).toBe(true)
    expect(fitBundle(items(soldOut), her).allHers).toBe(false)
    expect(fitBundle([{ product: bag, skuId: 'bag-0-均码' }], her).allHers).toBe(false)
  })
})

describe('sizeDistance', () => {
  it('measures letters and numbers on their own scales', () => {
    expect(sizeDistance('S', 'M')).toBe(1)
    expect(sizeDistance('xs', 'XL')).toBe(4)
    expect(sizeDistance('39', '37')).toBe(2)
    expect(sizeDistance('S', '27')).toBe(Infinity)
  })
})
