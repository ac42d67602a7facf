import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CatalogFacetsSchema, CatalogPageSchema, CatalogQuerySchema, ProductDetailSchema } from '../../../shared/catalog'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { ApiError } from '../../http/errors'
import { CatalogRepository } from './catalog.repository'

/** The catalogue as the signed-in guide's store sees it: stock is always her store's. */
export const catalogRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const repo = new CatalogRepository(ctx.db)

  app.get(
    '/api/catalog/products',
    { schema: { querystring: CatalogQuerySchema, response: { 200: CatalogPageSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      const { minPriceFen, maxPriceFen } = request.query
      if (minPriceFen !== undefined && maxPriceFen !== undefined && minPriceFen > maxPriceFen) {
        throw ApiError.badRequest('minPriceFen must not be above maxPriceFen')
      }
      reply.header('cache-control', 'private, no-store')
      return repo.search(await repo.storeOf(userId), request.query)
    },
  )

  app.get('/api/catalog/facets', { schema: { response: { 200: CatalogFacetsSchema } } }, async (request, reply) => {
    const { userId } = requireSession(request, ctx.signer)
    reply.header('cache-control', 'private, no-store')
    return repo.facets(await repo.storeOf(userId))
  })

  app.get(
    '/api/catalog/products/:id',
    { schema: { params: IdParamsSchema, response: { 200: ProductDetailSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      const product = await repo.detail(request.params.id, await repo.storeOf(userId))
      if (!product) throw ApiError.notFound('No such product')
      reply.header('cache-control', 'private, no-store')
      return product
    },
  )
}
