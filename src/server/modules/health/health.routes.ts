import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema, type Health } from '../../../shared/health'
import type { AppContext } from '../../context'
import { iso, isoOrNull } from '../../db/sql'
import { sessionOf } from '../../http/auth'
import { roleOf } from '../guides/roles'

/**
 * Liveness for load balancers and monitors (anonymous, cheap), and for admins also what
 * this instance last saw go wrong with WeCom: a refused IP or a missing API permission is
 * a set-up problem they can fix, so it is said to them here rather than to guides.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const health: Health = { status: 'ok', db: ctx.db.kind, wecom: { mode: ctx.config.wecom.mode } }
  app.get('/api/health', { schema: { response: { 200: HealthSchema } } }, async (request, reply) => {
    // In a preview this is the guide's identity: a manager looking as a guide sees what a guide sees.
    const session = sessionOf(request, ctx.signer)
    if (!session || (await roleOf(ctx, session.userId)) !== 'admin') return health
    reply.header('cache-control', 'private, no-store')
    const { lastError, lastSuccessAt } = ctx.wecom.status()
    return {
      ...health,
      wecom: {
        mode: ctx.config.wecom.mode,
        lastError: lastError && { ...lastError, at: iso(lastError.at) },
        lastSuccessAt: isoOrNull(lastSuccessAt),
      },
    }
  })
}
