/**
 * Rate limits (@fastify/rate-limit) where guessing or hammering costs us: sign-in (each
 * OAuth callback is a WeCom call), the till, the customer pages behind bearer links, and
 * member lookups by phone. Counts are shared by every instance: in Redis when REDIS_URL is
 * set, else in the database. Windows are fixed and aligned to the clock (ctx.now), so tests
 * move them with the test clock.
 */
import fastifyRateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Redis } from 'ioredis'
import type { Db } from '../db'
import { deleteExpiredRateLimits, hitRateLimit, readRateLimit } from '../db/rate-limits'
import { sessionOf } from './auth'
import { ApiError } from './errors'
import type { Signer } from './session'

export interface Limit {
  max: number
  windowMs: number
}

export interface RateLimits {
  /** Per client IP on /api/auth/*: each callback costs a WeCom call, from a corp-wide budget. */
  auth: Limit
  /** Per client IP on POST /api/redemptions (the tills). */
  redemptions: Limit
  /** Per client IP on /c/ and /l/, whose links are bearer tokens. */
  customerPages: Limit
  /** Per guide on member lookups by phone, which show a member's name, level and store. */
  memberLookups: Limit
}

const MINUTE = 60_000

/**
 * Generous enough for a store's guides behind one NAT signing in at opening time, a head
 * office till server redeeming for many stores, and customers on a carrier's shared
 * address; small enough that guessing codes or probing phones goes nowhere.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  auth: { max: 60, windowMs: MINUTE },
  redemptions: { max: 300, windowMs: MINUTE },
  customerPages: { max: 120, windowMs: MINUTE },
  memberLookups: { max: 30, windowMs: 60 * MINUTE },
}

type Bucket = keyof RateLimits

/** Which bucket a route counts in, by its path pattern. */
export function bucketOf(url: string): Bucket | null {
  if (url.startsWith('/api/auth/')) return 'auth'
  if (url === '/api/redemptions') return 'redemptions'
  if (url.startsWith('/c/') || url.startsWith('/l/')) return 'customerPages'
  if (url === '/api/customers/:externalUserId/member-candidates') return 'memberLookups'
  return null
}

export interface Counter {
  hit(key: string, windowMs: number): Promise<{ current: number; ttl: number }>
  read(key: string, windowMs: number): Promise<{ current: number; ttl: number }>
}

const windowStartOf = (now: number, windowMs: number) => Math.floor(now / windowMs) * windowMs

/** Counts in the database's rate_limits table. */
export class DbCounter implements Counter {
  private hits = 0

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    /** Forget ended windows every this many hits (per instance). */
    private readonly sweepEvery = 500,
  ) {}

  async hit(key: string, windowMs: number) {
    const now = this.now()
    const counted = await hitRateLimit(this.db.kysely, key, windowStartOf(now, windowMs), windowMs)
    if (++this.hits % this.sweepEvery === 0) await deleteExpiredRateLimits(this.db.kysely, now)
    return { current: counted.count, ttl: Math.max(0, counted.windowStart + windowMs - now) }
  }

  async read(key: string) {
    const now = this.now()
    const row = await readRateLimit(this.db.kysely, key, now)
    return { current: row.count, ttl: Math.max(0, row.expiresAt - now) }
  }
}

/** Counts in Redis, one key per window (its name holds the window, so a reset needs no clock in Redis). */
export class RedisCounter implements Counter {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number,
    private readonly prefix = 'gs:rl:',
  ) {}

  async hit(key: string, windowMs: number) {
    const now = this.now()
    const start = windowStartOf(now, windowMs)
    const name = `${this.prefix}${key}:${start}`
    // Kept twice the window: long enough to count it whole, whatever Redis's clock says.
    const results = await this.redis
      .multi()
      .incr(name)
      .pexpire(name, windowMs * 2)
      .exec()
    const failed = results?.find(([error]) => error)
    if (!results || failed) throw failed?.[0] ?? new Error('Redis did not run the rate-limit count')
    return { current: Number(results[0]![1]), ttl: start + windowMs - now }
  }

  async read(key: string, windowMs: number) {
    const now = this.now()
    const start = windowStartOf(now, windowMs)
    const value = await this.redis.get(`${this.prefix}${key}:${start}`)
    return { current: Number(value ?? 0), ttl: value === null ? 0 : start + windowMs - now }
  }
}

/** The plugin's store interface over a Counter; every route shares it (keys name their bucket). */
function storeFor(counter: Counter, onError: (error: unknown) => void) {
  class SharedStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      counter.hit(key, timeWindow).then(
        (result) => callback(null, result),
        (error: unknown) => {
          onError(error)
          callback(error instanceof Error ? error : new Error(String(error)))
        },
      )
    }
    read(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      counter.read(key, timeWindow).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      )
    }
    child(): FastifyRateLimitStore {
      return this
    }
  }
  return SharedStore
}

export interface RateLimitOptions {
  counter: Counter
  limits: RateLimits
  signer: Signer
}

/**
 * Register before any route: routes are given their bucket as they are added. A store
 * that fails (Redis or the database away) lets the request through, logged: the limits
 * guard against abuse, they must not take the service down with them.
 */
export async function registerRateLimits(app: FastifyInstance, { counter, limits, signer }: RateLimitOptions): Promise<void> {
  const keyOf: Record<Bucket, (request: FastifyRequest) => string | Promise<string>> = {
    auth: (request) => `auth:${request.ip}`,
    redemptions: (request) => `redemptions:${request.ip}`,
    customerPages: (request) => `pages:${request.ip}`,
    // Per guide; a request without a session is refused by the route, counted by its IP.
    memberLookups: async (request) => {
      // Awaited: reading a session may come to ask the database (revocable sessions).
      const userId = (await Promise.resolve(sessionOf(request, signer)))?.userId
      return userId ? `members:guide:${userId}` : `members:ip:${request.ip}`
    },
  }
  app.addHook('onRoute', (route) => {
    const bucket = bucketOf(route.url)
    if (!bucket || route.config?.rateLimit === false) return
    const limit = limits[bucket]
    route.config = {
      ...route.config,
      rateLimit: { max: limit.max, timeWindow: limit.windowMs, keyGenerator: keyOf[bucket] },
    }
  })
  await app.register(fastifyRateLimit, {
    global: false,
    store: storeFor(counter, (error) => app.log.warn({ err: error }, 'Rate-limit count failed; letting the request through')),
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate_limited', `Too many requests; try again in ${Math.max(1, Math.ceil(context.ttl / 1000))} s`),
  })
}
