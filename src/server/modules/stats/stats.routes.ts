import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { GuideStatsSchema, StatsQuerySchema } from '../../../shared/stats'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { StatsService } from './stats.service'

/** The signed-in guide's own numbers; whose they are comes from the session, never the request. */
export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: StatsService }> = async (
  app,
  { ctx, service },
) => {
  app.get(
    '/api/stats/me',
    {
      schema: { querystring: StatsQuerySchema, response: { 200: GuideStatsSchema } },
      // Signed out is 401 whatever the query says.
      onRequest: async (request) => {
        requireSession(request, ctx.signer)
      },
    },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      reply.header('cache-control', 'private, no-store')
      return service.forGuide(userId, request.query.period ?? 'day')
    },
  )
}
