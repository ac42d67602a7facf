/** A piece of an outfit being composed: which SKU it goes out as, its picture and its choices. */
import type { CustomerSizes } from '@/shared/sizes'
import type { ProductDetail, Sku } from '@/shared/catalog'
import { herSizeFor } from './bundle-display'

export interface Piece {
  product: ProductDetail
  skuId: string
}

/** The SKU a piece starts as: the one asked for, else her size in stock, else her size, else anything in stock. */
export function defaultSku(
  product: ProductDetail,
  sizes: CustomerSizes | null | undefined,
  preferred: string | null = null,
): string {
  if (preferred && product.skus.some((s) => s.id === preferred)) return preferred
  const size = herSizeFor(product.category, sizes)
  const inStock = product.skus.filter((s) => s.stock > 0)
  return (
    (size ? inStock.find((s) => s.size === size) : undefined)?.id ??
    (size ? product.skus.find((s) => s.size === size) : undefined)?.id ??
    inStock[0]?.id ??
    product.skus[0]!.id
  )
}

export function skuOf(piece: Piece): Sku {
  return piece.product.skus.find((s) => s.id === piece.skuId) ?? piece.product.skus[0]!
}

/** What the chosen colour and size sells for (a size can be priced apart from its style). */
export function priceOf(piece: Piece): number {
  return skuOf(piece).priceFen
}

/** The picture of the colour chosen (its main one before a close-up or a worn one), else the product's own. */
export function imageOf(piece: Piece): string | null {
  const color = skuOf(piece).color
  const ofColor = piece.product.images.filter((i) => i.color === color)
  return (ofColor.find((i) => i.kind === 'main') ?? ofColor[0])?.url ?? piece.product.imageUrl
}

/** The sizes offered: those of the colour chosen. */
export function sizesOf(piece: Piece): Sku[] {
  const color = skuOf(piece).color
  return piece.product.skus.filter((s) => s.color === color)
}

/** Switching colour keeps the size when the new colour has it, else takes one in stock. */
export function skuInColor(piece: Piece, color: string): string | null {
  const size = skuOf(piece).size
  const same = piece.product.skus.filter((s) => s.color === color)
  return (same.find((s) => s.size === size) ?? same.find((s) => s.stock > 0) ?? same[0])?.id ?? null
}

/** The style most of the pieces share (ties by name), to name a new outfit after. */
export function sharedStyle(pieces: readonly Piece[]): string | null {
  const counts = new Map<string, number>()
  for (const piece of pieces) for (const tag of piece.product.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1)
  const [style] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? []
  return style ?? null
}

/** The list with the piece at `index` moved one place up (-1) or down (1). */
export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const next = [...list]
  const [piece] = next.splice(index, 1)
  next.splice(index + by, 0, piece!)
  return next
}
