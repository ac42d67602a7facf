import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CatalogFacetsSchema, CatalogPageSchema, CatalogQuerySchema, ProductDetailSchema } from '../../../shared/catalog'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { CatalogService } from './catalog.service'

/** The catalogue as the signed-in guide's store sees it: stock is always her store's. */
export const catalogRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: CatalogService }> = async (
  app,
  { ctx, service },
) => {
  app.get(
    '/api/catalog/products',
    { schema: { querystring: CatalogQuerySchema, response: { 200: CatalogPageSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      const page = await service.search(userId, request.query)
      reply.header('cache-control', 'private, no-store')
      return page
    },
  )

  app.get('/api/catalog/facets', { schema: { response: { 200: CatalogFacetsSchema } } }, async (request, reply) => {
    const { userId } = requireSession(request, ctx.signer)
    const facets = await service.facets(userId)
    reply.header('cache-control', 'private, no-store')
    return facets
  })

  app.get(
    '/api/catalog/products/:id',
    { schema: { params: IdParamsSchema, response: { 200: ProductDetailSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      const product = await service.detail(userId, request.params.id)
      reply.header('cache-control', 'private, no-store')
      return product
    },
  )
}
