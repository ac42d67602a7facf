import { expect } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { CouponTemplate } from '../../src/shared/coupons'

/**
 * A coupon made as a manager makes one for a load test: no threshold, stock 1,000, limits
 * high enough not to matter unless `extra` sets them.
 */
export async function loadTestTemplate(
  app: FastifyInstance,
  manager: string,
  name: string,
  extra: Record<string, unknown>,
): Promise<CouponTemplate> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/coupon-templates',
    headers: { cookie: manager },
    payload: {
      name,
      kind: 'no_threshold',
      value: 1000,
      threshold: 0,
      totalStock: 1000,
      perCustomerLimit: 100,
      guideWeeklyQuota: 100_000,
      validDays: 7,
      ...extra,
    },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as CouponTemplate
}
