import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CouponTemplateCreateSchema,
  CouponTemplateListSchema,
  CouponTemplateSchema,
  CouponTemplateUpdateSchema,
} from '../../../shared/coupons'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { TemplatesService } from './templates.service'

/** The manager's coupon templates: `/api/coupon-templates…`. */
export const templatesRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: TemplatesService }> = async (
  app,
  { ctx, service },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId

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
}
