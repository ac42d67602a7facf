import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MeSchema, PreviewStartSchema } from '../../../shared/auth'
import type { AppContext } from '../../context'
import { ownSessionOf } from '../../http/auth'
import { ApiError } from '../../http/errors'
import { PREVIEW_COOKIE, PREVIEW_TTL_SECONDS, createPreviewToken } from '../../http/session'
import { requireGuideInScope, requireTeamScope } from '../guides/roles'
import type { AuthService } from '../auth/auth.service'

/**
 * A manager sees exactly what a guide sees: POST sets a preview grant beside her session
 * (the session itself is not touched), every request then acts as the guide and every
 * write is refused (http/auth.ts); DELETE gives her own view back.
 */
export const previewRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; auth: AuthService }> = async (app, { ctx, auth }) => {
  const secure = (ctx.config.publicUrl ?? '').startsWith('https:')
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' }

  app.post('/api/preview', { schema: { body: PreviewStartSchema, response: { 200: MeSchema } } }, async (request, reply) => {
    const own = ownSessionOf(request, ctx.signer)
    if (!own) throw ApiError.unauthorized()
    const scope = await requireTeamScope(ctx, own.userId)
    const guide = await requireGuideInScope(ctx, scope, request.body.guideUserId)
    const manager = await auth.me(own.userId)
    reply.setCookie(PREVIEW_COOKIE, createPreviewToken(ctx.signer, own.userId, guide.user_id), {
      ...cookie,
      maxAge: PREVIEW_TTL_SECONDS,
    })
    reply.header('cache-control', 'no-store')
    return {
      userId: guide.user_id,
      name: guide.name,
      role: 'guide' as const,
      preview: { by: own.userId, name: manager?.name ?? own.userId },
    }
  })

  app.delete('/api/preview', async (request, reply) => {
    if (!ownSessionOf(request, ctx.signer)) throw ApiError.unauthorized()
    reply.clearCookie(PREVIEW_COOKIE, cookie)
    return reply.status(204).send()
  })
}
