/**
 * Rate limits (issue 14): per IP on sign-in, the till and the customer pages, counted where
 * every instance sees them (the database, or Redis when REDIS_URL is set), answered 429 with
 * Retry-After and our error body, and X-Forwarded-For believed only behind TRUST_PROXY.
 * Member lookups per guide are in member-candidates.test.ts.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { buildDemoData } from '../../src/server/demo/data'
import { loadConfig } from '../../src/server/env'
import type { RateLimits } from '../../src/server/http/rate-limits'
import { FIXED_NOW, SESSION_SECRET, TestClock } from '../helpers/app'
import { createTestDb, DB_KINDS, type DbKind, type TestDb } from '../helpers/db'

const MINUTE = 60_000
const SMALL: RateLimits = {
  auth: { max: 3, windowMs: MINUTE },
  redemptions: { max: 2, windowMs: MINUTE },
  customerPages: { max: 2, windowMs: MINUTE },
  memberLookups: { max: 2, windowMs: MINUTE },
}
const demo = buildDemoData(FIXED_NOW)

interface Setup {
  testDb: TestDb
  clock: TestClock
  apps: FastifyInstance[]
  close(): Promise<void>
}

/** Two instances on one database (and one Redis when given), as behind a load balancer. */
async function twoInstances(kind: DbKind, env: Record<string, string> = {}): Promise<Setup> {
  const testDb = await createTestDb(kind)
  const clock = new TestClock()
  const config = loadConfig({ SESSION_SECRET, ...env }, { persistSecrets: false, cwd: '/tmp/guide-sidebar-tests' })
  const prefix = `gs-test:${randomBytes(6).toString('hex')}:`
  const apps: FastifyInstance[] = []
  for (let i = 0; i < 2; i++) {
    const { app } = await buildApp({
      config,
      db: testDb.db,
      demo,
      now: clock.now,
      distDir: '/nonexistent',
      eveningReportMs: 0,
      weeklyRankingMs: 0,
      taskJobMs: 0,
      couponSweepMs: 0,
      rateLimits: SMALL,
      rateLimitRedisPrefix: prefix,
    })
    await app.ready()
    apps.push(app)
  }
  return {
    testDb,
    clock,
    apps,
    close: async () => {
      for (const app of apps) await app.close()
      await testDb.drop()
      if (env.REDIS_URL) await deleteRedisKeys(env.REDIS_URL, prefix)
    },
  }
}

/** This run's keys go with it, so a rerun (CI, or one shared Redis) starts from nothing. */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
    expect(await redis.keys(`${prefix}*`)).toEqual([])
  } finally {
    redis.disconnect()
  }
}

const login = (app: FastifyInstance, remoteAddress = '203.0.113.7', headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: '/api/auth/login', remoteAddress, headers })

function expectLimited(res: Awaited<ReturnType<typeof login>>) {
  expect(res.statusCode).toBe(429)
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
  expect(res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/try again in \d+ s/) } })
}

const kinds: { name: string; kind: DbKind; env?: Record<string, string> }[] = DB_KINDS.map((kind) => ({ name: kind, kind }))
if (process.env.TEST_REDIS_URL) kinds.push({ name: 'redis', kind: 'sqlite', env: { REDIS_URL: process.env.TEST_REDIS_URL } })

describe.each(kinds)('rate limits ($name)', ({ kind, env }) => {
  let s: Setup
  beforeAll(async () => {
    s = await twoInstances(kind, env)
  })
  afterAll(() => s.close())

  it('limits sign-in per IP across two instances, with Retry-After, until the window passes', async () => {
    const [a, b] = s.apps as [FastifyInstance, FastifyInstance]
    const ip = '203.0.113.10'
    expect((await login(a, ip)).statusCode).toBe(302)
    expect((await login(b, ip)).statusCode).toBe(302)
    // The callback counts in the same bucket as the login.
    expect((await a.inject({ method: 'GET', url: '/api/auth/callback?code=x&state=y', remoteAddress: ip })).statusCode).toBe(400)
    const refused = await login(b, ip)
    expectLimited(refused)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60)
    expectLimited(await login(a, ip))
    // Another address is not affected.
    expect((await login(a, '203.0.113.11')).statusCode).toBe(302)
    // Nor is another bucket.
    expect((await a.inject({ method: 'GET', url: '/c/NOSUCHCODE1', remoteAddress: ip })).statusCode).toBe(404)

    s.clock.advance(MINUTE)
    expect((await login(b, ip)).statusCode).toBe(302)
  })

  it('limits the till, the coupon page and the lookbook page per IP', async () => {
    const [a, b] = s.apps as [FastifyInstance, FastifyInstance]
    const ip = '198.51.100.20'
    const redeem = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/api/redemptions',
        remoteAddress: ip,
        headers: { authorization: 'Bearer wrong-key' },
        payload: { code: 'NOSUCHCODE', orderId: 'o-1' },
      })
    expect((await redeem(a)).statusCode).toBe(401)
    expect((await redeem(b)).statusCode).toBe(401)
    expectLimited(await redeem(a))

    const page = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, remoteAddress: ip })
    expect((await page(a, '/c/GUESS00001')).statusCode).toBe(404)
    expect((await page(b, '/l/guess-token-2')).statusCode).toBe(404)
    // /c/ and /l/ share one count: guessing either costs the same.
    const third = await page(a, '/l/guess-token-3')
    expect(third.statusCode).toBe(429)
    expect(third.headers['retry-after']).toBeDefined()
  })

  it('believes X-Forwarded-For only when TRUST_PROXY names the proxy', async () => {
    const a = s.apps[0]!
    // Not behind a configured proxy: a client cannot pick a new address per request.
    const spoof = (n: number) => login(a, '192.0.2.50', { 'x-forwarded-for': `203.0.113.${100 + n}` })
    expect((await spoof(1)).statusCode).toBe(302)
    expect((await spoof(2)).statusCode).toBe(302)
    expect((await spoof(3)).statusCode).toBe(302)
    expectLimited(await spoof(4))
  })
})

describe('rate limits behind a trusted proxy', () => {
  let s: Setup
  beforeAll(async () => {
    s = await twoInstances('sqlite', { TRUST_PROXY: '10.0.0.1' })
  })
  afterAll(() => s.close())

  it('counts the forwarded client address from the proxy, and the peer address from anyone else', async () => {
    const a = s.apps[0]!
    const viaProxy = (client: string) => login(a, '10.0.0.1', { 'x-forwarded-for': client })
    for (let i = 0; i < 3; i++) expect((await viaProxy('203.0.113.1')).statusCode).toBe(302)
    expectLimited(await viaProxy('203.0.113.1'))
    // Another customer behind the same proxy has her own count.
    expect((await viaProxy('203.0.113.2')).statusCode).toBe(302)
    // A peer that is not the proxy does not choose its address.
    const direct = (client: string) => login(a, '192.0.2.9', { 'x-forwarded-for': client })
    for (let i = 0; i < 3; i++) expect((await direct(`198.51.100.${i}`)).statusCode).toBe(302)
    expectLimited(await direct('198.51.100.99'))
  })
})
