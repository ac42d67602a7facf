/**
 * Coupon issuing under load: `POST /api/coupons/:id/issue` (reserve: lock, checks, stock,
 * insert) at 20 requests in flight, as throughput and p99 beside `GET /api/health` in the
 * same run, in process (Fastify inject, so the figures are the API's, not the network's).
 * Reported, no budget: the concurrency tests hold correctness, this says what it costs.
 */
import { randomUUID } from 'node:crypto'
import { addFollowedCustomers, createTestApp, signIn } from '../helpers/app'
import type { DbKind } from '../helpers/db'
import { percentile } from './percentile'

const IN_FLIGHT = 20

async function drive(
  seconds: number,
  request: () => Promise<number>,
): Promise<{ perSecond: number; p99Ms: number; failures: number }> {
  const latencies: number[] = []
  let failures = 0
  const end = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        const started = performance.now()
        const status = await request()
        latencies.push(performance.now() - started)
        if (status >= 300) failures++
      }
    }),
  )
  return { perSecond: latencies.length / seconds, p99Ms: percentile(latencies, 99), failures }
}

export interface CouponBenchReport {
  db: DbKind
  health: { perSecond: number; p99Ms: number }
  issue: { perSecond: number; p99Ms: number; failures: number }
  ratio: number
}

export async function measureCoupons(kind: DbKind, seconds = 5): Promise<CouponBenchReport> {
  const t = await createTestApp(kind)
  try {
    const lina = await signIn(t, 'lina')
    const manager = await signIn(t, 'wanglei')
    const template = (
      await t.app.inject({
        method: 'POST',
        url: '/api/coupon-templates',
        headers: { cookie: manager },
        payload: {
          name: '压测券',
          kind: 'no_threshold',
          value: 1000,
          threshold: 0,
          totalStock: 10_000_000,
          perCustomerLimit: 100,
          guideWeeklyQuota: 100_000,
          validDays: 7,
        },
      })
    ).json() as { id: string }
    const ids = await addFollowedCustomers(t, 'lina', 1000, 'bench')
    let next = 0
    const health = await drive(seconds, async () => (await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode)
    const issue = await drive(seconds, async () => {
      const externalUserId = ids[next++ % ids.length]!
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/coupons/${template.id}/issue`,
        headers: { cookie: lina },
        payload: { externalUserId, idempotencyKey: randomUUID() },
      })
      return response.statusCode
    })
    return { db: kind, health, issue, ratio: issue.perSecond / health.perSecond }
  } finally {
    await t.close()
  }
}
