import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SessionsRevokedSchema, SessionsUserParamsSchema } from '../../../shared/auth'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { SessionsService } from './sessions.service'

/** Head office ends a member's sessions everywhere: a lost phone, a shared account, a suspicion. */
export const sessionsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: SessionsService }> = async (
  app,
  { ctx, service },
) => {
  app.delete(
    '/api/sessions/:userId',
    { schema: { params: SessionsUserParamsSchema, response: { 200: SessionsRevokedSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      reply.header('cache-control', 'no-store')
      return { revoked: await service.revokeMember(userId, request.params.userId) }
    },
  )
}
