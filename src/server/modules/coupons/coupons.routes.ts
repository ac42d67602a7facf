import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  CouponOffersSchema,
  CouponTemplateCreateSchema,
  CouponTemplateListSchema,
  CouponTemplateSchema,
  CouponTemplateUpdateSchema,
  CustomerCouponsSchema,
  IssuanceSchema,
  IssueRequestSchema,
  RedemptionRequestSchema,
  RedemptionSchema,
} from '../../../shared/coupons'
import { ExternalUserIdParamsSchema } from '../../../shared/customer'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { customerPageHeaders } from '../../http/customer-page'
import { requireSession } from '../../http/auth'
import { publicOrigin } from '../../http/origin'
import { renderClaimGone, renderClaimPage, type ClaimView } from './claim-page'
import { renderCouponCover } from './coupon-cover'
import type { CouponsService } from './coupons.service'

export const couponsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: CouponsService }> = async (
  app,
  { ctx, service },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId
  const origin = (request: Parameters<typeof publicOrigin>[1]) => publicOrigin(ctx.config, request)

  app.get('/api/coupon-templates', { schema: { response: { 200: CouponTemplateListSchema } } }, async (request, reply) => {
    reply.header('cache-control', 'private, no-store')
    return { templates: await service.listTemplates(guide(request)) }
  })

  app.post(
    '/api/coupon-templates',
    { schema: { body: CouponTemplateCreateSchema, response: { 201: CouponTemplateSchema } } },
    async (request, reply) => reply.status(201).send(await service.createTemplate(guide(request), request.body)),
  )

  app.patch(
    '/api/coupon-templates/:id',
    { schema: { params: IdParamsSchema, body: CouponTemplateUpdateSchema, response: { 200: CouponTemplateSchema } } },
    async (request) => service.updateTemplate(guide(request), request.params.id, request.body),
  )

  app.delete('/api/coupon-templates/:id', { schema: { params: IdParamsSchema } }, async (request, reply) => {
    await service.deleteTemplate(guide(request), request.params.id)
    return reply.status(204).send()
  })

  app.post(
    '/api/coupons/:templateId/issue',
    {
      schema: {
        params: Type.Object({ templateId: IdParamsSchema.properties.id }),
        body: IssueRequestSchema,
        response: { 200: IssuanceSchema, 201: IssuanceSchema },
      },
    },
    async (request, reply) => {
      const { issuance, created } = await service.issue(guide(request), request.params.templateId, request.body, origin(request))
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

  app.post(
    '/api/stores/:id/api-keys',
    {
      schema: {
        params: IdParamsSchema,
        body: Type.Object({ label: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createStoreKey(guide(request), request.params.id, request.body.label ?? '')),
  )

  // The till: a store's API key, never a guide's session.
  app.post(
    '/api/redemptions',
    { schema: { body: RedemptionRequestSchema, response: { 200: RedemptionSchema } } },
    async (request) => {
      const header = String(request.headers.authorization ?? '')
      const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? (request.headers['x-store-key'] as string | undefined)
      const storeId = await service.storeForKey(key)
      return service.redeem(storeId, request.body.code, request.body.orderId)
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
    const found = await service.claim(request.params.code, origin(request), request.method === 'GET')
    if (!found) return reply.status(404).send(renderClaimGone(ctx.config.brandName))
    const { issuance, template } = found
    const stores = JSON.parse(template.store_ids) as string[]
    const storeNames = stores.length
      ? (await ctx.db.kysely.selectFrom('stores').select('name').where('id', 'in', stores).execute()).map((s) => s.name)
      : []
    const guideRow = await ctx.db.kysely
      .selectFrom('guides as g')
      .leftJoin('stores as s', 's.id', 'g.store_id')
      .select(['g.name', 's.name as store'])
      .where('g.user_id', '=', issuance.guide.userId)
      .executeTakeFirst()
    const terms = [
      storeNames.length ? `限${storeNames.join('、')}使用` : '全部门店可用',
      ...(template.online === 1 ? ['线上商城同样可用'] : []),
      '每笔订单限用一张，不与其他优惠券同时使用',
      ...(template.description ? [template.description] : []),
    ]
    const view: ClaimView = {
      brand: ctx.config.brandName,
      name: issuance.name,
      kind: issuance.kind,
      value: issuance.value,
      threshold: issuance.threshold,
      code: issuance.code,
      status: issuance.status,
      validFrom: issuance.validFrom,
      validUntil: issuance.validUntil,
      terms,
      guideName: guideRow?.name ?? issuance.guide.name,
      storeName: guideRow?.store ?? null,
      redeemedAt: issuance.redeemedAt,
      lang: 'zh',
    }
    return reply.send(await renderClaimPage(view, new Date(ctx.now())))
  })
}
