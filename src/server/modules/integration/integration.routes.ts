import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  BatchResultSchema,
  IntegrationKeyCreateSchema,
  IntegrationKeyCreatedSchema,
  IntegrationKeyListSchema,
  IntegrationKeyParamsSchema,
  MemberBatchSchema,
  OrderResultSchema,
  OrderSchema,
  ProductBatchSchema,
  StockBatchSchema,
  type IntegrationScope,
} from '../../../shared/integration'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { ApiError } from '../../http/errors'
import type { IntegrationKeysService } from './integration-keys.service'
import type { IntegrationService } from './integration.service'

/** A thousand rows of the longest kind (members) with room to spare; the app's default is 1 MiB. */
const BATCH_BODY_LIMIT = 4 * 1024 * 1024

/** The key a system sent: `Authorization: Bearer <key>`, as the tills send theirs. */
function keyOf(request: FastifyRequest): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]
}

export const integrationRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext
  keys: IntegrationKeysService
  service: IntegrationService
}> = async (app, { ctx, keys, service }) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  // Head office's key management, from the app: a session and its browser checks, like every desk write.
  app.get('/api/integration-keys', { schema: { response: { 200: IntegrationKeyListSchema } } }, async (request) => {
    const { userId } = requireSession(request, ctx.signer)
    return keys.list(userId)
  })

  app.post(
    '/api/integration-keys',
    { schema: { body: IntegrationKeyCreateSchema, response: { 201: IntegrationKeyCreatedSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      return reply.status(201).send(await keys.create(userId, request.body))
    },
  )

  app.delete('/api/integration-keys/:id', { schema: { params: IntegrationKeyParamsSchema } }, async (request, reply) => {
    const { userId } = requireSession(request, ctx.signer)
    await keys.revoke(userId, request.params.id)
    return reply.status(204).send()
  })

  // The live feed: a system's key, never a session. Checked when the request arrives,
  // before its body is read, so a caller without a key cannot make us parse megabytes.
  const keyed = (scope: IntegrationScope) => ({
    bodyLimit: BATCH_BODY_LIMIT,
    onRequest: async (request: FastifyRequest) => {
      // Refused keys are counted per address; a key in good standing never uses the budget.
      const budget = ctx.budgets.badKeys(request.ip)
      await budget.check()
      try {
        await keys.authenticate(keyOf(request), scope)
      } catch (error) {
        if (error instanceof ApiError && error.statusCode === 401) await budget.missed()
        throw error
      }
    },
  })

  app.put(
    '/api/integration/stock',
    { ...keyed('stock'), schema: { body: StockBatchSchema, response: { 200: BatchResultSchema } } },
    async (request) => service.stock(request.body),
  )

  app.post(
    '/api/integration/orders',
    { ...keyed('orders'), schema: { body: OrderSchema, response: { 200: OrderResultSchema } } },
    async (request) => service.order(request.body),
  )

  app.put(
    '/api/integration/members',
    { ...keyed('members'), schema: { body: MemberBatchSchema, response: { 200: BatchResultSchema } } },
    async (request) => service.members(request.body),
  )

  app.put(
    '/api/integration/products',
    { ...keyed('products'), schema: { body: ProductBatchSchema, response: { 200: BatchResultSchema } } },
    async (request) => service.products(request.body),
  )
}
