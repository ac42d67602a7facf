/**
 * Apps for API tests: the simulator (its own WeCom, in-process) or real mode pointed at a
 * separate WeCom stand-in. Both run the production WeCom client; only where its requests
 * go differs.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyCookie from '@fastify/cookie'
import { buildApp, injectFetch, type BuildAppOptions, type BuiltApp } from '../../src/server/app'
import { buildDemoData, type DemoData } from '../../src/server/demo/data'
import { seedDemo } from '../../src/server/demo/seed'
import { loadConfig, type Config } from '../../src/server/env'
import type { SessionLimits } from '../../src/server/modules/sessions/sessions.service'
import { wecomApiPlugin } from '../../src/server/simulator/wecom-api'
import { SimulatorWorld } from '../../src/server/simulator/world'
import { createTestDb, type DbKind, type TestDb } from './db'

export const FIXED_NOW = Date.UTC(2026, 10, 25, 4, 0, 0)

/** A clock tests can move forward. */
export class TestClock {
  constructor(public value = FIXED_NOW) {}
  now = () => this.value
  advance(ms: number): void {
    this.value += ms
  }
}

export interface TestApp extends BuiltApp {
  config: Config
  testDb: TestDb
  world: SimulatorWorld
  demo: DemoData
  clock: TestClock
  /** A stand-in WeCom server (real mode only). */
  wecomServer: FastifyInstance | null
  close(): Promise<void>
}

export const REAL_CORP_ID = 'ww1234567890abcdef'
export const REAL_AGENT_ID = '1000005'
export const REAL_SECRET = 'real-mode-test-secret'
export const SESSION_SECRET = 'x'.repeat(40)

export interface TestAppOptions {
  mode?: 'simulator' | 'real'
  seed?: boolean
  env?: Record<string, string>
  /** Run the evening-report check on a timer this often (off unless asked). */
  eveningReportMs?: number
  /** Run the scheduled WeCom resync on a timer this often (off unless asked). */
  wecomResyncMs?: number
  /**
   * How long sessions last. Not given: a year, since many tests move the clock by days and
   * keep the cookie they signed in with; the session tests ask for production's limits.
   */
  sessionLimits?: SessionLimits
  /** A build to serve (see `fakeDist`); none by default. */
  distDir?: string
  /** Budgets on WeCom calls bogus ids and codes cost (production's unless given). */
  failureBudgets?: BuildAppOptions['failureBudgets']
}

const TEST_SESSION_LIMITS: SessionLimits = { maxMs: 365 * 86_400_000, idleMs: 365 * 86_400_000 }

/** The WeCom stand-in as its own Fastify instance, like qyapi.weixin.qq.com. */
export async function createWecomStandIn(world: SimulatorWorld): Promise<FastifyInstance> {
  const server = Fastify()
  await server.register(fastifyCookie)
  await server.register(wecomApiPlugin, { world })
  await server.ready()
  return server
}

export async function createTestApp(kind: DbKind, options: TestAppOptions = {}): Promise<TestApp> {
  const mode = options.mode ?? 'simulator'
  const clock = new TestClock()
  const testDb = await createTestDb(kind)
  const demo = buildDemoData(clock.value)
  if (options.seed !== false) await seedDemo(testDb.db, demo, clock.value)

  const env: Record<string, string> =
    mode === 'real'
      ? {
          WECOM_CORP_ID: REAL_CORP_ID,
          WECOM_AGENT_ID: REAL_AGENT_ID,
          WECOM_SECRET: REAL_SECRET,
          WECOM_API_BASE: 'http://wecom.test',
          PUBLIC_URL: 'https://sidebar.example.com',
          SESSION_SECRET,
          ...options.env,
        }
      : { SESSION_SECRET, ...options.env }
  const config = loadConfig(env, { persistSecrets: false, cwd: '/tmp/guide-sidebar-tests' })
  const world = SimulatorWorld.fromDemo(demo, {
    corpId: config.wecom.corpId,
    agentId: config.wecom.agentId,
    secret: config.wecom.secret,
    now: clock.now,
  })

  let wecomServer: FastifyInstance | null = null
  let built: BuiltApp
  if (mode === 'real') {
    wecomServer = await createWecomStandIn(world)
    const standIn = wecomServer
    built = await buildApp({
      config,
      db: testDb.db,
      now: clock.now,
      fetch: injectFetch(() => standIn),
      wecomBusyBackoffMs: [0, 0, 0],
      distDir: options.distDir ?? '/nonexistent',
      eveningReportMs: options.eveningReportMs ?? 0,
      wecomResyncMs: options.wecomResyncMs ?? 0,
      wecomResyncPauseMs: 0,
      sessionLimits: options.sessionLimits ?? TEST_SESSION_LIMITS,
      failureBudgets: options.failureBudgets,
    })
  } else {
    let self: FastifyInstance | null = null
    built = await buildApp({
      config,
      db: testDb.db,
      now: clock.now,
      world,
      demo,
      fetch: injectFetch(() => self!),
      wecomBusyBackoffMs: [0, 0, 0],
      distDir: options.distDir ?? '/nonexistent',
      eveningReportMs: options.eveningReportMs ?? 0,
      wecomResyncMs: options.wecomResyncMs ?? 0,
      wecomResyncPauseMs: 0,
      sessionLimits: options.sessionLimits ?? TEST_SESSION_LIMITS,
      failureBudgets: options.failureBudgets,
    })
    self = built.app
  }
  await built.app.ready()
  return {
    ...built,
    world,
    config,
    testDb,
    demo,
    clock,
    wecomServer,
    close: async () => {
      await built.app.close()
      await wecomServer?.close()
      await testDb.drop()
    },
  }
}

/**
 * Another instance of a real-mode test app: the same database, WeCom stand-in and clock,
 * its own memory (caches, the WeCom client), as a second server behind a load balancer
 * or the same one after a restart. Closed by the caller, before `t.close()`.
 */
export async function createSecondInstance(t: TestApp, options: Partial<BuildAppOptions> = {}): Promise<BuiltApp> {
  const standIn = t.wecomServer
  if (!standIn) throw new Error('createSecondInstance needs a real-mode test app')
  const built = await buildApp({
    config: t.config,
    db: t.testDb.db,
    now: t.clock.now,
    fetch: injectFetch(() => standIn),
    wecomBusyBackoffMs: [0, 0, 0],
    distDir: '/nonexistent',
    eveningReportMs: 0,
    weeklyRankingMs: 0,
    taskJobMs: 0,
    couponSweepMs: 0,
    wecomResyncMs: 0,
    wecomResyncPauseMs: 0,
    sessionLimits: TEST_SESSION_LIMITS,
    ...options,
  })
  await built.app.ready()
  return built
}

/** Parse Set-Cookie headers into name → {value, attributes}. */
export function parseSetCookies(header: string | string[] | undefined): Map<string, { value: string; attributes: string[] }> {
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header]
  const out = new Map<string, { value: string; attributes: string[] }>()
  for (const line of list) {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim())
    const eq = pair!.indexOf('=')
    out.set(pair!.slice(0, eq), { value: pair!.slice(eq + 1), attributes })
  }
  return out
}

/** Go through OAuth as `userId` and return the Cookie header of the signed-in browser. */
export async function signIn(t: TestApp, userId: string, returnTo = '/'): Promise<string> {
  const login = await t.app.inject({ method: 'GET', url: `/api/auth/login?return=${encodeURIComponent(returnTo)}` })
  const oauth = parseSetCookies(login.headers['set-cookie']).get('gs_oauth')!
  const state = new URL(login.headers.location as string, 'http://x').searchParams.get('state')!
  const code = t.world.issueCode(userId)
  const callback = await t.app.inject({
    method: 'GET',
    url: `/api/auth/callback?code=${code}&state=${state}`,
    headers: { cookie: `gs_oauth=${oauth.value}` },
  })
  const session = parseSetCookies(callback.headers['set-cookie']).get('gs_session')
  if (callback.statusCode !== 302 || !session) throw new Error(`sign-in failed: ${callback.statusCode} ${callback.body}`)
  // A first sign-in resyncs her customers in the background: let it finish, so a test that
  // writes customers straight into the cache next does not race it (the resync would end
  // follows WeCom does not list).
  await t.ctx.background.idle()
  return `gs_session=${session.value}`
}

/**
 * Customers a guide follows, written straight into the WeCom cache as a sync would (fresh,
 * so no request goes to WeCom): for tests and benchmarks that need many of them.
 */
export async function addFollowedCustomers(t: TestApp, userId: string, count: number, prefix: string): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `wm${prefix}${String(i).padStart(5, '0')}`)
  const now = t.clock.value
  const db = t.testDb.db.kysely
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100)
    await db
      .insertInto('wecom_customers')
      .values(
        chunk.map((id) => ({
          external_user_id: id,
          name: `客户${id.slice(-4)}`,
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
          user_id: userId,
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
