/**
 * WeCom media ids for the library's images. A guide's send plan carries one for each
 * image; when the chat refuses it (expired early, 40007) the app asks here for a fresh one.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParamsSchema, MediaRefreshSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { MediaService } from './media.service'

export const mediaRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; media: MediaService }> = async (app, { ctx, media }) => {
  app.post('/api/media/:id/refresh', { schema: { params: IdParamsSchema, body: MediaRefreshSchema } }, async (request) => {
    requireSession(request, ctx.signer)
    return { mediaId: await media.replaceRefused(request.params.id, request.body.mediaId) }
  })
}
