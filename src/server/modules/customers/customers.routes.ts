import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CustomerListQuerySchema, CustomerListSchema, ExternalUserIdParamsSchema } from '../../../shared/customer'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { CustomersService } from './customers.service'

export const customersRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: CustomersService }> = async (
  app,
  { ctx, service },
) => {
  app.get(
    '/api/customers',
    { schema: { querystring: CustomerListQuerySchema, response: { 200: CustomerListSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      reply.header('cache-control', 'private, no-store')
      return service.list(userId, request.query)
    },
  )

  app.get(
    '/api/customers/:externalUserId',
    // The 200 body is CustomerProfileSchema, serialized by the service (and often served
    // from its cache), so no response schema re-serializes it here.
    { schema: { params: ExternalUserIdParamsSchema } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      reply.header('cache-control', 'private, no-store').type('application/json; charset=utf-8')
      // Already JSON (shaped by CustomerProfileSchema, often from the profile cache): sent as is.
      return reply.send(await service.getProfileJson(userId, request.params.externalUserId))
    },
  )
}
