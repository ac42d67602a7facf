import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { RedemptionRequestSchema, RedemptionSchema } from '../../../shared/coupons'
import type { StoresService } from '../stores/stores.service'
import type { RedemptionService } from './redemption.service'

/** The till: a coupon used once, at a store its key names (keys are made in stores/). */
export const redemptionRoutes: FastifyPluginAsyncTypebox<{ service: RedemptionService; stores: StoresService }> = async (
  app,
  { service, stores },
) => {
  // The till: a store's API key, never a guide's session.
  app.post(
    '/api/redemptions',
    { schema: { body: RedemptionRequestSchema, response: { 200: RedemptionSchema } } },
    async (request) => {
      const header = String(request.headers.authorization ?? '')
      const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? (request.headers['x-store-key'] as string | undefined)
      const storeId = await stores.storeForKey(key)
      return service.redeem(storeId, request.body.code, request.body.orderId)
    },
  )
}
