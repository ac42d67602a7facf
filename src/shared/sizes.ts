/**
 * Which of a customer's sizes a piece of clothing is bought in. Plain constants and a
 * function, no schema, so the app can import it without TypeBox.
 */
export type ProductCategoryName = 'top' | 'bottom' | 'dress' | 'outerwear' | 'shoes' | 'bag' | 'accessory'

export interface CustomerSizes {
  top: string | null
  bottom: string | null
  dress: string | null
  shoes: string | null
}

/** Bags and accessories come in one size: null, as there is no size of hers to match. */
export function sizeForCategory(category: ProductCategoryName, sizes: CustomerSizes | null | undefined): string | null {
  if (!sizes) return null
  switch (category) {
    case 'top':
    case 'outerwear':
      return sizes.top
    case 'bottom':
      return sizes.bottom
    case 'dress':
      return sizes.dress ?? sizes.top
    case 'shoes':
      return sizes.shoes
    default:
      return null
  }
}
