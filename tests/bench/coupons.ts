/**
 * Coupon issuing under load: `POST /api/coupons/:id/issue` (reserve: lock, checks, stock,
 * insert) at 20 requests in flight, as throughput and p99 beside `GET /api/health` in the
 * same run, in process (Fastify inject, so the figures are the API's, not the network's).
 * Reported, no budget: the concurrency tests hold correctness, this says what it costs.
 */
import { randomUUID } from 'node:crypto'
import { createTestApp, signIn, type TestApp } from '../helpers/app'
import type { DbKind } from '../helpers/db'

const IN_FLIGHT = 20

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

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

async function customers(t: TestApp, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `wmbench${String(i).padStart(5, '0')}`)
  const now = t.clock.value
  const db = t.testDb.db.kysely
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100)
    await db
      .insertInto('wecom_customers')
      .values(
        chunk.map((id) => ({
          external_user_id: id,
          name: id,
          avatar: null,
          type: 1,
          gender: 2,
          corp_name: null,
          unionid: null,
          fetched_at: now,
          updated_at: now,
        })),
      )
      .execute()
    await db
      .insertInto('wecom_follows')
      .values(
        chunk.map((id) => ({
          external_user_id: id,
          user_id: 'lina',
          remark: '',
          description: '',
          tags: '[]',
          added_at: now,
          add_way: 1,
          state: null,
          remark_mobiles: '[]',
          updated_at: now,
        })),
      )
      .execute()
  }
  return ids
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
    const ids = await customers(t, 1000)
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
