import type { CatalogFacets, CatalogPage, CatalogQuery, ProductDetail } from '../../../shared/catalog'
import type { Db } from '../../db'
import { ApiError } from '../../http/errors'
import { GuidesRepository } from '../guides/guides.repository'
import { CatalogRepository } from './catalog.repository'

/** The catalogue as the signed-in guide's store sees it: stock is always her store's. */
export class CatalogService {
  private readonly repo: CatalogRepository
  private readonly guides: GuidesRepository

  constructor(db: Db) {
    this.repo = new CatalogRepository(db)
    this.guides = new GuidesRepository(db)
  }

  async search(userId: string, query: CatalogQuery): Promise<CatalogPage> {
    const { minPriceFen, maxPriceFen } = query
    if (minPriceFen !== undefined && maxPriceFen !== undefined && minPriceFen > maxPriceFen) {
      throw ApiError.badRequest('minPriceFen must not be above maxPriceFen')
    }
    return this.repo.search(await this.guides.storeIdOf(userId), query)
  }

  async facets(userId: string): Promise<CatalogFacets> {
    return this.repo.facets(await this.guides.storeIdOf(userId))
  }

  async detail(userId: string, productId: string): Promise<ProductDetail> {
    const product = await this.repo.detail(productId, await this.guides.storeIdOf(userId))
    if (!product) throw ApiError.notFound('No such product')
    return product
  }
}
