import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { StoreListSchema } from '../../../shared/memory'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { StoresService } from './stores.service'

export const storesRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: StoresService }> = async (
  app,
  { ctx, service },
) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  app.get('/api/stores', { schema: { response: { 200: StoreListSchema } } }, async (request) => {
    requireSession(request, ctx.signer)
    return service.list()
  })

  // A till key is a secret shown once: never kept by a cache on the way.
  app.post(
    '/api/stores/:id/api-keys',
    {
      schema: {
        params: IdParamsSchema,
        body: Type.Object({ label: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      return reply.status(201).send(await service.createKey(userId, request.params.id, request.body.label ?? ''))
    },
  )
}
