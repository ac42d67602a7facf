import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema, type Health, type WecomLastError } from '../../../shared/health'
import type { AppContext } from '../../context'
import { iso, isoOrNull } from '../../db/sql'
import { sessionOf } from '../../http/auth'
import { CONFIG_ERRCODES } from '../../wecom/errors'
import { roleOf } from '../guides/roles'
import { wecomAdvice } from './wecom-advice'
import type { WecomSetupService } from './wecom-setup.service'

/**
 * Liveness for load balancers and monitors (anonymous, cheap: no database read), and for
 * admins also what went wrong with WeCom: a refused IP or a missing API permission is a
 * set-up problem they can fix, so it is said to them here, in words, rather than to guides.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; setup: WecomSetupService }> = async (
  app,
  { ctx, setup },
) => {
  const health: Health = { status: 'ok', db: ctx.db.kind, wecom: { mode: ctx.config.wecom.mode } }
  app.get('/api/health', { schema: { response: { 200: HealthSchema } } }, async (request, reply) => {
    // In a preview this is the guide's identity: a manager looking as a guide sees what a guide sees.
    const session = sessionOf(request, ctx.signer)
    if (!session || (await roleOf(ctx, session.userId)) !== 'admin') return health
    reply.header('cache-control', 'private, no-store')
    const { lastError: seenHere, lastSuccessAt } = ctx.wecom.status()
    // A set-up refusal this instance saw is in the shared record until it is over; its memory may be out of date.
    const shared = await setup.latest()
    const local = seenHere && seenHere.errcode !== null && CONFIG_ERRCODES.has(seenHere.errcode) ? null : seenHere
    const last = shared ?? local
    const lastError: WecomLastError | null = last && { ...last, at: iso(last.at), message: wecomAdvice(last) }
    return { ...health, wecom: { mode: ctx.config.wecom.mode, lastError, lastSuccessAt: isoOrNull(lastSuccessAt) } }
  })
}
