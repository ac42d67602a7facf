/**
 * Ranking pieces and bundles for one customer: her sizes in stock at the guide's store,
 * her styles and colours, and what completes what she bought. A piece made of a material
 * she avoids, or only in colours she avoids, is never suggested. Pure, so it is tested on
 * its own; the service feeds it rows.
 */
import type { Reason } from '../../../shared/bundles'
import type { ProductCategory } from '../../../shared/catalog'
import { sizeForCategory } from '../../../shared/sizes'
import { fitBundle, sameWord, type FitResult } from './fit'

export interface CandidateSku {
  id: string
  color: string
  size: string
  stock: number
}

export interface Candidate {
  id: string
  name: string
  category: ProductCategory
  tags: string[]
  season: string | null
  materials: string[]
  skus: CandidateSku[]
}

export interface Purchase {
  productId: string | null
  name: string
  category: ProductCategory | null
  at: number
  returned: boolean
}

export interface Shopper {
  sizes: { top: string | null; bottom: string | null; dress: string | null; shoes: string | null }
  styles: string[]
  colorsLiked: string[]
  colorsAvoided: string[]
  materialsAvoided: string[]
  purchases: Purchase[]
  now: number
  /** The newest season in the catalogue, for "new in". */
  newestSeason: string | null
}

export interface Scored {
  score: number
  reasons: Reason[]
  /** Her size in a colour she does not avoid, with stock at the store, when there is one. */
  skuId: string | null
  bought: boolean
  /** Made of something she avoids, or only in colours she avoids: never suggested. */
  excluded: boolean
}

const ONE_SIZE = '均码'
const DAY = 86_400_000
/** Purchases this recent are the ones a new piece can complete. */
const COMPLETES_WINDOW_DAYS = 240

/** What a stylist adds to a piece she already owns. */
const COMPLEMENTS: Record<ProductCategory, ProductCategory[]> = {
  top: ['bottom', 'outerwear', 'shoes', 'bag'],
  bottom: ['top', 'outerwear', 'shoes'],
  dress: ['outerwear', 'shoes', 'bag', 'accessory'],
  outerwear: ['top', 'bottom', 'dress'],
  shoes: ['dress', 'bottom'],
  bag: ['dress', 'accessory'],
  accessory: ['dress', 'top'],
}

export function sizeFor(category: ProductCategory, sizes: Shopper['sizes']): string | null {
  return sizeForCategory(category, sizes) ?? (category === 'bag' || category === 'accessory' ? ONE_SIZE : null)
}

export function scoreProduct(product: Candidate, shopper: Shopper): Scored {
  const reasons: Reason[] = []
  let score = 0
  const bought = shopper.purchases.some((p) => p.productId === product.id && !p.returned)
  const avoided = (color: string) => shopper.colorsAvoided.some((c) => sameWord(color, c))
  const wearable = product.skus.filter((s) => !avoided(s.color))
  const excluded =
    (product.skus.length > 0 && wearable.length === 0) ||
    product.materials.some((m) => shopper.materialsAvoided.some((a) => sameWord(m, a)))

  const size = sizeFor(product.category, shopper.sizes)
  const inStock = wearable.filter((s) => s.stock > 0)
  const liked = (s: CandidateSku) => shopper.colorsLiked.some((c) => sameWord(s.color, c))
  const pick = (list: CandidateSku[]) => list.find(liked) ?? list[0] ?? null
  let sku: CandidateSku | null = null
  if (size) {
    const fits = inStock.filter((s) => s.size === size)
    sku = pick(fits)
    if (sku) {
      score += 3
      if (size !== ONE_SIZE) reasons.push({ code: 'fits_size', detail: size, at: null })
    } else if (wearable.some((s) => s.size === size)) {
      score -= 1.5
    } else {
      score -= 3
    }
  } else if (inStock.length > 0) {
    score += 1
    reasons.push({ code: 'in_stock', detail: '', at: null })
  }

  const style = product.tags.find((t) => shopper.styles.includes(t))
  if (style) {
    score += 2
    reasons.push({ code: 'likes_style', detail: style, at: null })
  }
  const color = wearable.find(liked)
  if (color) {
    score += 1.5
    reasons.push({ code: 'likes_color', detail: color.color, at: null })
  }

  const complement = shopper.purchases
    .filter(
      (p) =>
        !p.returned &&
        p.category !== null &&
        p.productId !== product.id &&
        shopper.now - p.at <= COMPLETES_WINDOW_DAYS * DAY &&
        COMPLEMENTS[p.category].includes(product.category),
    )
    .sort((a, b) => b.at - a.at)[0]
  if (complement) {
    score += 2.5
    reasons.push({ code: 'completes_purchase', detail: complement.name, at: new Date(complement.at).toISOString() })
  }
  if (shopper.newestSeason && product.season === shopper.newestSeason) {
    score += 0.5
    if (reasons.length < 2) reasons.push({ code: 'new_in', detail: product.season, at: null })
  }
  return { score, reasons: orderReasons(reasons), skuId: sku?.id ?? pick(inStock)?.id ?? null, bought, excluded }
}

const REASON_ORDER: Reason['code'][] = ['completes_purchase', 'fits_size', 'likes_style', 'likes_color', 'in_stock', 'new_in']

function orderReasons(reasons: Reason[]): Reason[] {
  return [...reasons].sort((a, b) => REASON_ORDER.indexOf(a.code) - REASON_ORDER.indexOf(b.code))
}

export interface BundleCandidate {
  items: { product: Candidate; skuId: string }[]
}

export interface ScoredBundle {
  score: number
  reasons: Reason[]
  /** Each piece as it would go to her. */
  fit: FitResult
  /** A piece she would not wear: the bundle is not suggested for her. */
  excluded: boolean
}

/**
 * A bundle suits her when its pieces do: the mean of their scores, a bonus when every
 * piece goes out in her size from the store's stock, a penalty for pieces she already owns.
 */
export function scoreBundle(bundle: BundleCandidate, shopper: Shopper): ScoredBundle {
  const fit = fitBundle(bundle.items, shopper)
  if (bundle.items.length === 0) return { score: -10, reasons: [], fit, excluded: false }
  const scored = bundle.items.map((item) => ({ item, scored: scoreProduct(item.product, shopper) }))
  let score = scored.reduce((sum, s) => sum + s.scored.score, 0) / scored.length
  const reasons: Reason[] = []
  // The claim is made only when it is true of every piece as sent.
  const herSize = shopper.sizes.top ?? shopper.sizes.dress ?? shopper.sizes.bottom ?? shopper.sizes.shoes
  if (fit.allHers && herSize) {
    score += 1.5
    reasons.push({ code: 'fits_size', detail: herSize, at: null })
  }
  const owned = scored.filter((s) => s.scored.bought).length
  score -= owned * 4
  for (const code of ['completes_purchase', 'likes_style', 'likes_color'] as const) {
    const found = scored.map((s) => s.scored.reasons.find((r) => r.code === code)).find((r) => r !== undefined)
    if (found && !reasons.some((r) => r.code === code)) reasons.push(found)
  }
  return { score, reasons: orderReasons(reasons).slice(0, 3), fit, excluded: fit.avoided }
}
