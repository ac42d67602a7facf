import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CustomerListQuerySchema,
  CustomerListSchema,
  CustomerProfileSchema,
  ExternalUserIdParamsSchema,
} from '../../../shared/customer'
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
    { schema: { params: ExternalUserIdParamsSchema, response: { 200: CustomerProfileSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      reply.header('cache-control', 'private, no-store')
      return service.getProfile(userId, request.params.externalUserId)
    },
  )
}
