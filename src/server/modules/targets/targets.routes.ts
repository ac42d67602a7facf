import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { TargetsQuerySchema, TargetsSchema, TargetsUpdateSchema } from '../../../shared/team'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { TargetsService } from './targets.service'

/** The desk's monthly targets: her stores' and their guides' (managers and head office only). */
export const targetsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: TargetsService }> = async (
  app,
  { ctx, service },
) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  app.get('/api/targets', { schema: { querystring: TargetsQuerySchema, response: { 200: TargetsSchema } } }, async (request) => {
    const { userId } = requireSession(request, ctx.signer)
    return service.targets(userId, request.query)
  })

  app.put('/api/targets', { schema: { body: TargetsUpdateSchema, response: { 200: TargetsSchema } } }, async (request) => {
    const { userId } = requireSession(request, ctx.signer)
    return service.update(userId, request.body)
  })
}
