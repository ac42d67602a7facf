/** The catalog picker's filters, beside the search box: what she chose, and the query they make. */
import type { CatalogQuery, CatalogSort, ProductCategory } from '@/shared/catalog'

export const PRICE_BANDS = {
  any: {},
  upTo500: { maxPriceFen: 50_000 },
  from500: { minPriceFen: 50_000, maxPriceFen: 100_000 },
  from1000: { minPriceFen: 100_000, maxPriceFen: 200_000 },
  from2000: { minPriceFen: 200_000 },
} satisfies Record<string, Pick<CatalogQuery, 'minPriceFen' | 'maxPriceFen'>>
export type PriceBand = keyof typeof PRICE_BANDS
export const BAND_KEYS = Object.keys(PRICE_BANDS) as PriceBand[]

export interface CatalogFilters {
  category: ProductCategory | null
  inStock: boolean
  /** Only her size, where the profile knows it for the category. */
  herSize: boolean
  band: PriceBand
  tag: string | null
  sort: CatalogSort
}

export const NO_FILTERS: Readonly<CatalogFilters> = {
  category: null,
  inStock: false,
  herSize: false,
  band: 'any',
  tag: null,
  sort: 'relevance',
}
