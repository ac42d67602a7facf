import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { BundleSendCreateSchema, BundleSendSchema } from '../../../shared/bundles'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { customerPageHeaders } from '../../http/customer-page'
import { publicOrigin } from '../../http/origin'
import { renderLookbookGone, renderLookbookPage } from './lookbook-page'
import type { SendsService } from './sends.service'

const SendParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{16}$' }) })

/** A bundle sent from the guide's app, and the lookbook page its link opens for the customer. */
export const sendsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: SendsService }> = async (
  app,
  { ctx, service },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId

  app.post(
    '/api/bundles/:id/sends',
    { schema: { params: IdParamsSchema, body: BundleSendCreateSchema, response: { 201: BundleSendSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createSend(guide(request), request.params.id, request.body, publicOrigin(ctx.config, request))),
  )

  app.post(
    '/api/bundle-sends/:id/confirm',
    { schema: { params: SendParams, response: { 200: BundleSendSchema } } },
    async (request) => service.confirmSend(guide(request), request.params.id, publicOrigin(ctx.config, request)),
  )
  app.post(
    '/api/bundle-sends/:id/cancel',
    { schema: { params: SendParams, response: { 200: BundleSendSchema } } },
    async (request) => service.cancelSend(guide(request), request.params.id, publicOrigin(ctx.config, request)),
  )

  // The customer's page: no login, nothing in the URL but the token, the same answer for
  // every link that is not a live one.
  app.get<{ Params: { token: string } }>('/l/:token', async (request, reply) => {
    const view = await service.openLookbook(request.params.token, { record: request.method === 'GET' })
    customerPageHeaders(reply)
    if (!view) return reply.status(404).send(renderLookbookGone(ctx.config.brandName))
    return reply.send(renderLookbookPage(view))
  })
}
