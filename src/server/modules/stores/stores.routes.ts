import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { StoreListSchema } from '../../../shared/memory'
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
}
