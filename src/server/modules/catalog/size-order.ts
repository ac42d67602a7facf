/** The order a shopper reads sizes in, for the catalogue's lists and size pickers. */

export const LETTER_SIZES: readonly string[] = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL']

/** Sizes in the order a shopper reads them: letters by size, numbers ascending, one-size last. */
export function compareSizes(a: string, b: string): number {
  const rank = (s: string): [number, number] => {
    const letter = LETTER_SIZES.indexOf(s.toUpperCase())
    if (letter >= 0) return [0, letter]
    const n = Number.parseFloat(s)
    if (Number.isFinite(n)) return [1, n]
    return [2, 0]
  }
  const [ga, va] = rank(a)
  const [gb, vb] = rank(b)
  return ga - gb || va - vb || a.localeCompare(b)
}

/**
 * A style's SKUs as the size pickers show them: its colours in the order they were listed
 * (their first position), each colour's sizes small to large, whatever order an import's
 * file gave them in. Styles keep the order they come in.
 */
export function inShopperOrder<T extends { productId: string; color: string; size: string; position: number }>(skus: T[]): T[] {
  const colorRank = new Map<string, number>()
  const styleRank = new Map<string, number>()
  skus.forEach((k, i) => {
    if (!styleRank.has(k.productId)) styleRank.set(k.productId, i)
    const key = `${k.productId}\u0000${k.color}`
    if (!colorRank.has(key)) colorRank.set(key, i)
  })
  return [...skus].sort(
    (a, b) =>
      styleRank.get(a.productId)! - styleRank.get(b.productId)! ||
      colorRank.get(`${a.productId}\u0000${a.color}`)! - colorRank.get(`${b.productId}\u0000${b.color}`)! ||
      compareSizes(a.size, b.size) ||
      a.position - b.position,
  )
}
