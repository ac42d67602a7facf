import type { CatalogFacets, CatalogPage, CatalogQuery, ProductDetail } from '@/shared/catalog'
import { http } from './http'

/**
 * One page of the catalogue as her store sees it (stock is always the guide's store's).
 * Pass `signal` to cancel a search she has already typed past.
 */
export async function searchCatalog(query: CatalogQuery, signal?: AbortSignal): Promise<CatalogPage> {
  // Empty values are left out: the server reads `q=` as a search for nothing.
  const params = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ''))
  return (await http.get<CatalogPage>('/catalog/products', { params, signal })).data
}

/** What the filter bar can offer: style tags, sizes per category, the price range, her store. */
export async function fetchCatalogFacets(): Promise<CatalogFacets> {
  return (await http.get<CatalogFacets>('/catalog/facets')).data
}

export async function fetchProduct(id: string): Promise<ProductDetail> {
  return (await http.get<ProductDetail>(`/catalog/products/${encodeURIComponent(id)}`)).data
}
