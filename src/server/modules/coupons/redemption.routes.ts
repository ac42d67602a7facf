import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { RedemptionRequestSchema, RedemptionSchema } from '../../../shared/coupons'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { RedemptionService } from './redemption.service'

/** A store's till keys, and the till itself. */
export const redemptionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: RedemptionService }> = async (
  app,
  { ctx, service },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId

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
}
