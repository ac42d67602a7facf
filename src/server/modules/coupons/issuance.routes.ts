import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CouponOffersSchema, CustomerCouponsSchema, IssuanceSchema, IssueRequestSchema } from '../../../shared/coupons'
import { ExternalUserIdParamsSchema } from '../../../shared/customer'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { customerPageHeaders } from '../../http/customer-page'
import { requireSession } from '../../http/auth'
import { publicOrigin } from '../../http/origin'
import { renderClaimGone, renderClaimPage, type ClaimView } from './claim-page'
import { renderCouponCover } from './coupon-cover'
import type { IssuanceService } from './issuance.service'

/** Sending a coupon to her, what she holds, and her page with its card's picture. */
export const issuanceRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: IssuanceService }> = async (
  app,
  { ctx, service },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId
  const origin = (request: Parameters<typeof publicOrigin>[1]) => publicOrigin(ctx.config, request)

  app.post(
    '/api/coupons/:templateId/issue',
    {
      schema: {
        params: Type.Object({ templateId: IdParamsSchema.properties.id }),
        body: IssueRequestSchema,
        response: { 200: IssuanceSchema, 201: IssuanceSchema },
      },
      // The flash-sale path: the check that her kept session still counts runs while her
      // send waits for its batch; the batch waits for it before it judges (batch-decider.ts).
      config: { deferSessionCheck: true },
    },
    async (request, reply) => {
      const session = requireSession(request, ctx.signer)
      const signedIn = session.check?.()
      // Awaited by the batch; should the send fail before it gets there, nobody else does.
      signedIn?.catch(() => undefined)
      const { issuance, created } = await service.issue(
        session.userId,
        request.params.templateId,
        request.body,
        origin(request),
        signedIn,
      )
      return reply.status(created ? 201 : 200).send(issuance)
    },
  )

  app.post(
    '/api/issuances/:id/confirm',
    { schema: { params: IdParamsSchema, response: { 200: IssuanceSchema } } },
    async (request) => service.confirm(guide(request), request.params.id, origin(request)),
  )

  app.post(
    '/api/issuances/:id/release',
    { schema: { params: IdParamsSchema, response: { 200: IssuanceSchema } } },
    async (request) => service.release(guide(request), request.params.id, origin(request)),
  )

  app.get(
    '/api/customers/:externalUserId/coupons',
    { schema: { params: ExternalUserIdParamsSchema, response: { 200: CustomerCouponsSchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store')
      return { coupons: await service.customerCoupons(guide(request), request.params.externalUserId, origin(request)) }
    },
  )

  app.get(
    '/api/customers/:externalUserId/coupon-offers',
    { schema: { params: ExternalUserIdParamsSchema, response: { 200: CouponOffersSchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store')
      return { offers: await service.offers(guide(request), request.params.externalUserId) }
    },
  )

  app.get<{ Params: { kind: string } }>('/media/coupon-cover/:kind', async (request, reply) => {
    const kind = /^(amount_off|percent_off|no_threshold)\.png$/.exec(request.params.kind)?.[1] as ClaimView['kind'] | undefined
    if (!kind) return reply.status(404).send({ error: { code: 'not_found', message: 'No such picture' } })
    return reply
      .type('image/png')
      .header('cache-control', 'public, max-age=86400')
      .send(await renderCouponCover(kind))
  })

  // Her coupon: opening it claims it. Unknown and given-back codes look alike.
  app.get<{ Params: { code: string } }>('/c/:code', async (request, reply) => {
    customerPageHeaders(reply)
    const view = await service.claimPage(request.params.code, origin(request), request.method === 'GET')
    if (!view) return reply.status(404).send(renderClaimGone(ctx.config.brandName))
    return reply.send(await renderClaimPage(view, new Date(ctx.now())))
  })
}
