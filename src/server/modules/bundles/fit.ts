/**
 * An outfit in her size: each piece of a bundle resolved to the SKU she would be sent —
 * her size for its category, in a colour the piece comes in (the outfit's own colour
 * first, then colours she likes, never one she avoids), in stock at the guide's store
 * when possible. A piece that cannot be hers in stock says so, with the nearest choice,
 * so the guide sees it before anything is sent. Pure: the service feeds it rows.
 */
import type { FittedPiece, PieceFit } from '../../../shared/bundles'
import type { ProductCategory } from '../../../shared/catalog'
import { sizeForCategory, type CustomerSizes } from '../../../shared/sizes'
import { LETTER_SIZES } from '../catalog/size-order'

export interface FitSku {
  id: string
  color: string
  size: string
  stock: number
}

export interface FitProduct {
  id: string
  category: ProductCategory
  materials: string[]
  /** In the catalogue's order (colour by colour, sizes small to large). */
  skus: FitSku[]
}

export interface FitShopper {
  sizes: CustomerSizes
  colorsLiked: string[]
  colorsAvoided: string[]
  materialsAvoided: string[]
}

/** Same colour or material when one name holds the other ('羊毛' in '美利奴羊毛'). */
export const sameWord = (a: string, b: string) => a.length > 0 && b.length > 0 && (a.includes(b) || b.includes(a))

/** How far apart two sizes are on their scale; Infinity when they are not on one scale. */
export function sizeDistance(a: string, b: string): number {
  if (a === b) return 0
  const na = Number(a)
  const nb = Number(b)
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return Math.abs(na - nb)
  const ia = LETTER_SIZES.indexOf(a.toUpperCase())
  const ib = LETTER_SIZES.indexOf(b.toUpperCase())
  return ia >= 0 && ib >= 0 ? Math.abs(ia - ib) : Infinity
}

const ONE_SIZE = /^(均码|F|FREE|ONE ?SIZE|OS)$/i

/** Bags, scarves and 均码 knits fit everyone. */
function oneSize(product: FitProduct): boolean {
  return product.category === 'bag' || product.category === 'accessory' || product.skus.every((s) => ONE_SIZE.test(s.size))
}

/** Colours to try, best first: the outfit's own, then hers, then the rest; none she avoids. */
function colourOrder(product: FitProduct, chosen: FitSku | undefined, shopper: FitShopper): string[] {
  const colours = [...new Set(product.skus.map((s) => s.color))]
  const avoided = (c: string) => shopper.colorsAvoided.some((a) => sameWord(c, a))
  const liked = (c: string) => shopper.colorsLiked.some((l) => sameWord(c, l))
  const rank = (c: string) => (c === chosen?.color ? 0 : liked(c) ? 1 : 2)
  return colours.filter((c) => !avoided(c)).sort((x, y) => rank(x) - rank(y))
}

function nearest(skus: FitSku[], size: string, colours: string[]): FitSku | null {
  let best: FitSku | null = null
  let bestKey = Infinity
  for (const sku of skus) {
    const colourRank = colours.indexOf(sku.color)
    if (colourRank < 0) continue
    const distance = sizeDistance(size, sku.size)
    if (!Number.isFinite(distance)) continue
    // Size first (a nearer size matters more than the colour), then the colour's rank.
    const key = distance * 100 + colourRank
    if (key < bestKey) {
      best = sku
      bestKey = key
    }
  }
  return best
}

/**
 * One piece resolved for her. `chosenSkuId` is the SKU the outfit was made with; it is
 * what a customer whose size is unknown gets, and the colour tried first.
 */
export function fitPiece(product: FitProduct, chosenSkuId: string, shopper: FitShopper): FittedPiece {
  const chosen = product.skus.find((s) => s.id === chosenSkuId)
  const materialAvoided = product.materials.find((m) => shopper.materialsAvoided.some((a) => sameWord(m, a))) ?? null
  const colours = colourOrder(product, chosen, shopper)
  const colourAvoided = colours.length === 0
  const result = (skuId: string, fit: PieceFit, alternative: FitSku | null = null): FittedPiece => ({
    productId: product.id,
    skuId,
    fit,
    alternativeSkuId: alternative && alternative.id !== skuId ? alternative.id : null,
    avoided: materialAvoided
      ? { kind: 'material', detail: materialAvoided }
      : colourAvoided
        ? { kind: 'color', detail: chosen?.color ?? '' }
        : null,
  })
  // Every colour is one she avoids: the outfit's own SKU, flagged.
  const usable = colourAvoided ? (chosen ? [chosen.color] : []) : colours
  const inColours = (list: FitSku[]) => usable.flatMap((c) => list.filter((s) => s.color === c))
  const candidates = inColours(product.skus)
  if (candidates.length === 0) return result(chosenSkuId, 'size_unknown')

  if (oneSize(product)) {
    const sku = candidates.find((s) => s.stock > 0) ?? candidates[0]!
    return result(sku.id, 'one_size')
  }
  const size = sizeForCategory(product.category, shopper.sizes)
  if (!size) return result(chosen && usable.includes(chosen.color) ? chosen.id : candidates[0]!.id, 'size_unknown')

  const hers = candidates.filter((s) => s.size === size)
  const hersInStock = hers.find((s) => s.stock > 0)
  if (hersInStock) return result(hersInStock.id, 'hers')
  const inStock = candidates.filter((s) => s.stock > 0)
  if (hers.length > 0) {
    // Her size can be ordered in from another store; the nearest size here is offered.
    return result(hers[0]!.id, 'hers_no_stock', nearest(inStock, size, usable))
  }
  // The style is not made in her size: the nearest one, in stock if any is.
  const closest = nearest(inStock, size, usable) ?? nearest(candidates, size, usable) ?? candidates[0]!
  return result(closest.id, 'not_her_size')
}

export interface FitResult {
  pieces: FittedPiece[]
  /** Every piece is hers in stock (or one size), and at least one is sized: "合你的尺码". */
  allHers: boolean
  /** A piece is made of something she avoids, or comes only in colours she avoids. */
  avoided: boolean
}

export function fitBundle(items: { product: FitProduct; skuId: string }[], shopper: FitShopper): FitResult {
  const pieces = items.map((i) => fitPiece(i.product, i.skuId, shopper))
  const sized = pieces.some((p) => p.fit === 'hers')
  return {
    pieces,
    allHers: sized && pieces.every((p) => (p.fit === 'hers' || p.fit === 'one_size') && p.avoided === null),
    avoided: pieces.some((p) => p.avoided !== null),
  }
}
