import { describe, expect, it } from 'vitest'
import { distinctReasons, fitNotes, needsConfirm, sentSizes } from '../../src/components/bundles/bundle-display'
import type { BundleFit, BundleItem, Reason } from '../../src/shared/bundles'

const size: Reason = { code: 'fits_size', detail: 'S', at: null }
const minimal: Reason = { code: 'likes_style', detail: '极简', at: null }
const commute: Reason = { code: 'likes_style', detail: '通勤', at: null }
const color: Reason = { code: 'likes_color', detail: '燕麦色', at: null }
const coat: Reason = { code: 'completes_purchase', detail: '双面羊毛大衣', at: '2026-10-01T00:00:00Z' }

describe('distinctReasons', () => {
  it('says once what every outfit shares, and keeps each card’s own', () => {
    const { shared, own } = distinctReasons([
      [size, minimal],
      [size, commute],
      [size, minimal, color],
    ])
    expect(shared).toEqual([size])
    expect(own).toEqual([[minimal], [commute], [minimal, color]])
  })

  it('shows another reason on a card that would repeat the one above', () => {
    const { own } = distinctReasons([[coat, minimal, size], [coat, minimal, color], [commute]])
    expect(own[0]).toEqual([coat, minimal, size])
    expect(own[1]).toEqual([coat, color])
    // A single outfit keeps everything.
    expect(distinctReasons([[size, minimal]])).toEqual({ shared: [], own: [[size, minimal]] })
  })
})

function item(productId: string, category: BundleItem['category'], itemSize: string, stock = 2): BundleItem {
  return {
    productId,
    skuId: `${productId}-${itemSize}`,
    styleCode: productId,
    name: `单品${productId}`,
    category,
    color: '黑色',
    size: itemSize,
    priceFen: 10000,
    imageUrl: null,
    stock,
  }
}

describe('fit notes', () => {
  const fit: BundleFit = {
    bundleId: 'b',
    allHers: false,
    totalFen: 40000,
    collageUrl: '/media/collages/b.png',
    pieces: [
      { item: item('top', 'top', 'S'), fit: 'hers', herSize: 'S', alternative: null, avoided: null },
      {
        item: item('shoes', 'shoes', '39', 0),
        fit: 'hers_no_stock',
        herSize: '39',
        alternative: { skuId: 'shoes-38', color: '黑色', size: '38', stock: 1 },
        avoided: null,
      },
      { item: item('skirt', 'bottom', '27'), fit: 'not_her_size', herSize: '26', alternative: null, avoided: null },
      { item: item('bag', 'bag', '均码'), fit: 'one_size', herSize: null, alternative: null, avoided: null },
      { item: item('coat', 'outerwear', 'M'), fit: 'size_unknown', herSize: null, alternative: null, avoided: null },
    ],
  }

  it('lists the sizes chosen for her, with the switched alternative', () => {
    expect(sentSizes(fit, [])).toBe('按她的尺码：S · 39 · 27')
    expect(sentSizes(fit, ['shoes'])).toBe('按她的尺码：S · 38 · 27')
  })

  it('flags what is not her size in stock and notes what is not known, once', () => {
    expect(fitNotes(fit, []).map((n) => [n.text, n.warn, n.action])).toEqual([
      ['单品shoes 39 码门店缺货，可调货', true, '换成有货的 38'],
      ['单品skirt 没有 26 码，将发 27', true, null],
      ['还不知道她的外套尺码，按搭配原尺码发', false, null],
    ])
    expect(needsConfirm(fit, ['shoes']).map((n) => n.productId)).toEqual(['skirt'])
  })
})
