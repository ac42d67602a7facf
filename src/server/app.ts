/**
 * The API as a Fastify instance, without listening: main.ts starts it, tests `inject` into it.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Redis } from 'ioredis'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { ClientConfig } from '../shared/wecom'
import { BackgroundTasks, type AppContext } from './context'
import type { Db } from './db'
import { buildDemoData, type DemoData } from './demo/data'
import { SIMULATOR_API_PATH, type Config } from './env'
import { registerBodyTypes } from './http/body-types'
import { registerOriginCheck } from './http/csrf'
import { registerSecurityHeaders } from './http/security-headers'
import { answerFrameworkError, registerErrorHandler } from './http/error-handler'
import { requestIdOf, safeLoggerOptions } from './http/logging'
import { DbCounter, DEFAULT_RATE_LIMITS, RedisCounter, registerRateLimits, type RateLimits } from './http/rate-limits'
import { DEFAULT_BUDGETS, FailureBudgets, type BudgetLimits } from './http/budgets'
import { schedulePeriodic } from './periodic'
import { registerSimulatorBadge } from './http/simulator-badge'
import { registerOpenApi } from './http/openapi'
import { registerValidation } from './http/validation'
import { Signer } from './http/session'
import { authRoutes } from './modules/auth/auth.routes'
import { callbacksRoutes } from './modules/callbacks/callbacks.routes'
import { CallbacksService } from './modules/callbacks/callbacks.service'
import { ResyncService } from './modules/callbacks/resync.service'
import { TransfersService } from './modules/callbacks/transfers.service'
import { AuthService } from './modules/auth/auth.service'
import { previewRoutes } from './modules/preview/preview.routes'
import { refuseWritesInPreview, registerSessions } from './http/auth'
import { sessionsRoutes } from './modules/sessions/sessions.routes'
import { SessionsService, type SessionLimits } from './modules/sessions/sessions.service'
import { bundlesRoutes } from './modules/bundles/bundles.routes'
import { BundlesService } from './modules/bundles/bundles.service'
import { sendsRoutes } from './modules/bundles/sends.routes'
import { SendsService } from './modules/bundles/sends.service'
import { SuggestionsService } from './modules/bundles/suggestions.service'
import { campaignsRoutes } from './modules/campaigns/campaigns.routes'
import { CampaignsService } from './modules/campaigns/campaigns.service'
import { catalogRoutes } from './modules/catalog/catalog.routes'
import { CatalogService } from './modules/catalog/catalog.service'
import { IssuanceRepository } from './modules/coupons/issuance.repository'
import { issuanceRoutes } from './modules/coupons/issuance.routes'
import { IssuanceService } from './modules/coupons/issuance.service'
import { RedemptionRepository } from './modules/coupons/redemption.repository'
import { redemptionRoutes } from './modules/coupons/redemption.routes'
import { RedemptionService } from './modules/coupons/redemption.service'
import { TemplatesRepository } from './modules/coupons/templates.repository'
import { templatesRoutes } from './modules/coupons/templates.routes'
import { TemplatesService } from './modules/coupons/templates.service'
import { customersRoutes } from './modules/customers/customers.routes'
import { fillMissingSearchKeys } from './modules/customers/customers.repository'
import { CustomersService } from './modules/customers/customers.service'
import { groupsRoutes } from './modules/groups/groups.routes'
import { GroupsService } from './modules/groups/groups.service'
import { healthRoutes } from './modules/health/health.routes'
import { WecomSetupService } from './modules/health/wecom-setup.service'
import { isWecomClient, jssdkRoutes, signPageForWecom } from './modules/jssdk/jssdk.routes'
import { mediaAssetRoutes } from './modules/media/assets.routes'
import { demoArtRoutes } from './modules/media/demo-art.routes'
import { mediaRoutes } from './modules/media/media.routes'
import { MediaService } from './modules/media/media.service'
import { memoryRoutes } from './modules/customers/memory.routes'
import { AuditService } from './modules/replies/audit.service'
import { repliesRoutes } from './modules/replies/replies.routes'
import { RepliesService } from './modules/replies/replies.service'
import { ReplyEditingService } from './modules/replies/reply-editing.service'
import { ReplySendsService } from './modules/replies/reply-sends.service'
import { MemoryService } from './modules/customers/memory.service'
import { creditOrders } from './modules/stats/attribution.repository'
import { statsRoutes } from './modules/stats/stats.routes'
import { StatsService } from './modules/stats/stats.service'
import { teamRoutes } from './modules/team/team.routes'
import { TeamService } from './modules/team/team.service'
import { EveningReportService } from './modules/reports/evening-report.service'
import { WeeklyRankingService } from './modules/reports/weekly-ranking.service'
import { storesRoutes } from './modules/stores/stores.routes'
import { StoresService } from './modules/stores/stores.service'
import { targetsRoutes } from './modules/targets/targets.routes'
import { TargetsService } from './modules/targets/targets.service'
import { tasksRoutes } from './modules/tasks/tasks.routes'
import { TasksService } from './modules/tasks/tasks.service'
import { createPageFallback, loadWebAssets, registerStatic } from './modules/web/web'
import { integrationRoutes } from './modules/integration/integration.routes'
import { IntegrationKeysService } from './modules/integration/integration-keys.service'
import { IntegrationService } from './modules/integration/integration.service'
import { detectLocale } from '../shared/locale'
import { simulatorRoutes } from './simulator/routes'
import { wecomApiPlugin } from './simulator/wecom-api'
import { SimulatorWorld } from './simulator/world'
import { WecomClient, type FetchLike } from './wecom/client'

export const DEFAULT_DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist')

export interface BuildAppOptions {
  config: Config
  db: Db
  /** How the WeCom client reaches WeCom; tests route it into a stand-in. */
  fetch?: FetchLike
  /** Assembled profiles kept per instance (0 turns the cache off; the benchmark measures both). */
  profileCacheSize?: number
  /** Waits between retries of WeCom's "busy"; tests pass zeros. */
  wecomBusyBackoffMs?: readonly number[]
  logger?: FastifyServerOptions['logger']
  distDir?: string
  now?: () => number
  /** Simulator mode: the WeCom world to play. Made from the demo data when not given. */
  world?: SimulatorWorld
  demo?: DemoData
  /** Upload reply images to WeCom ahead of their expiry this often (off when not given). */
  mediaRenewalMs?: number
  /** Give back unconfirmed coupon reservations this often (default a minute; 0 turns it off). */
  couponSweepMs?: number
  /**
   * Check for due evening reports this often. Not given: every minute once the server
   * listens (tests inject without listening, so it stays off there); 0: never.
   */
  eveningReportMs?: number
  /** Check for due weekly rankings this often; like eveningReportMs (every minute once listening; 0: never). */
  weeklyRankingMs?: number
  /**
   * Write, expire and complete every guide's tasks this often (the rules are daily; an
   * hour catches the day's turn and what changed). Not given: hourly, and once, when the
   * server listens (tests inject without listening, so it stays off there); 0: never.
   */
  taskJobMs?: number
  /**
   * Check this often whether the nightly resync (every guide's customers read from WeCom
   * again, so a missed callback heals) is due. Not given: every minute once the server
   * listens (tests inject without listening, so it stays off there); 0: never. Instances
   * share one run a China day (modules/callbacks/resync.service.ts).
   */
  wecomResyncMs?: number
  /** The hour, China time, after which the day's resync is due (default 3, i.e. 03:00). */
  wecomResyncHour?: number
  /** The resync's pause between WeCom calls (default 500 ms); tests pass 0. */
  wecomResyncPauseMs?: number
  /** Rate limits per bucket (src/server/http/rate-limits.ts); tests set small ones. Default DEFAULT_RATE_LIMITS. */
  rateLimits?: Partial<RateLimits>
  /** Budgets on WeCom calls bogus ids and codes could cost (src/server/http/budgets.ts); tests set small ones. */
  failureBudgets?: Partial<BudgetLimits>
  /** Prefix of the rate-limit keys in Redis (REDIS_URL); tests keep their runs apart with it. */
  rateLimitRedisPrefix?: string
  /** How long a session lasts (default 12 h from sign-in, 4 h idle: modules/sessions); tests that move the clock by days lengthen it. */
  sessionLimits?: SessionLimits
}

export interface BuiltApp {
  app: FastifyInstance
  ctx: AppContext
  world: SimulatorWorld | null
  customers: CustomersService
  /** The evening reports' check, for tests that move the clock and run it. */
  eveningReports: EveningReportService
  /** The weekly rankings' check, likewise. */
  weeklyRankings: WeeklyRankingService
  /** The nightly WeCom resync's check, likewise. */
  resync: ResyncService
}

export async function buildApp(options: BuildAppOptions): Promise<BuiltApp> {
  const { config, db } = options
  const trustProxy = config.trustProxy ?? false
  const app = Fastify({
    // Secrets, codes and phone numbers never reach the log (http/logging.ts).
    logger: safeLoggerOptions(options.logger ?? false),
    // Per-request lines would drown the log; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    // X-Forwarded-For is believed only from the proxies TRUST_PROXY names.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    // Fastify's default, said out loud: JSON bodies are small forms and lists; anything
    // larger is refused from its content-length, before it is read.
    bodyLimit: 1024 * 1024,
    // A URL the router cannot read answers like any other bad request.
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Set-up refusals are kept in the database, so an admin sees them from any instance.
  const wecomSetup = new WecomSetupService(db)
  const wecom = new WecomClient({
    corpId: config.wecom.corpId,
    agentId: config.wecom.agentId,
    secret: config.wecom.secret,
    apiBase: config.wecom.apiBase,
    fetch: options.fetch,
    now: options.now,
    busyBackoffMs: options.wecomBusyBackoffMs,
    onWarning: (message, detail) => app.log.warn(detail, message),
    setupErrors: wecomSetup,
  })
  // Shared by every instance: in Redis when configured, else in the database.
  const now = options.now ?? Date.now
  let counter: DbCounter | RedisCounter = new DbCounter(db, now)
  if (config.redisUrl) {
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 })
    redis.on('error', (error) => app.log.warn({ err: error }, 'Redis (rate limits) is unreachable'))
    app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())))
    counter = new RedisCounter(redis, now, options.rateLimitRedisPrefix)
  }
  const ctx: AppContext = {
    config,
    db,
    wecom,
    budgets: new FailureBudgets(counter, { ...DEFAULT_BUDGETS, ...options.failureBudgets }, (error) =>
      app.log.warn({ err: error }, 'WeCom budget count failed; letting the call through'),
    ),
    signer: new Signer(config.sessionSecret),
    now,
    log: app.log,
    background: new BackgroundTasks(() => app.log),
  }

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  if (db.changes) db.changes.warn = (message, error) => app.log.warn({ err: error }, message)
  await app.register(fastifyCookie)
  if (config.wecom.mode === 'simulator') registerSimulatorBadge(app)
  // CSP, HSTS (https only), nosniff and the referrer policy: http/security-headers.ts.
  registerSecurityHeaders(app, config)
  registerErrorHandler(app)
  // A cross-site write is refused before it costs a session lookup.
  registerOriginCheck(app, config)
  const sessions = new SessionsService(ctx, options.sessionLimits)
  registerSessions(app, ctx.signer, (id, defer) => sessions.resolve(id, defer))
  app.addHook('onRequest', async (request) => refuseWritesInPreview(request, ctx.signer))
  registerValidation(app)
  registerBodyTypes(app)
  // Before any route: the description is collected from the routes as they are added.
  await registerOpenApi(app, config)
  // Before any route: each is given its bucket as it is added.
  await registerRateLimits(app, { counter, signer: ctx.signer, limits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits } })

  const customers = new CustomersService(ctx, { profileCacheSize: options.profileCacheSize })
  // Customers cached before the search kept its keys (an upgraded database) become findable
  // once the server is up; every write keeps them current after that.
  app.server.once('listening', () => ctx.background.run('fill customer search keys', () => fillMissingSearchKeys(db.kysely)))
  await app.register(healthRoutes, { ctx, setup: wecomSetup })
  await app.register(authRoutes, { ctx, sessions })
  await app.register(sessionsRoutes, { ctx, service: sessions })
  await app.register(previewRoutes, { ctx, auth: new AuthService(ctx) })
  await app.register(jssdkRoutes, { ctx })
  await app.register(customersRoutes, { ctx, service: customers })
  await app.register(groupsRoutes, { ctx, service: new GroupsService(ctx, customers) })
  const transfers = new TransfersService(ctx)
  await app.register(callbacksRoutes, { ctx, service: new CallbacksService(ctx, customers, transfers) })
  const resync = new ResyncService(ctx, transfers, { pauseMs: options.wecomResyncPauseMs, hour: options.wecomResyncHour })
  schedulePeriodic(app, ctx, {
    name: 'wecom resync',
    everyMs: options.wecomResyncMs,
    defaultMs: 60_000,
    run: () => resync.runDue(),
  })
  app.addHook('onClose', async () => resync.stop())
  const tasks = new TasksService(ctx, customers)
  await app.register(memoryRoutes, { ctx, service: new MemoryService(ctx, customers, tasks) })
  const stores = new StoresService(ctx)
  await app.register(storesRoutes, { ctx, service: stores })
  await app.register(targetsRoutes, { ctx, service: new TargetsService(ctx) })
  await app.register(integrationRoutes, {
    ctx,
    keys: new IntegrationKeysService(ctx),
    service: new IntegrationService(ctx),
  })
  await app.register(tasksRoutes, { ctx, service: tasks })
  await app.register(campaignsRoutes, { ctx, service: new CampaignsService(ctx) })
  schedulePeriodic(app, ctx, {
    name: 'write tasks',
    everyMs: options.taskJobMs,
    defaultMs: 3_600_000,
    runAtStart: true,
    run: () => tasks.generateAll(),
  })
  const media = new MediaService(ctx)
  const replies = new RepliesService(ctx, media)
  await app.register(repliesRoutes, {
    ctx,
    replies,
    editing: new ReplyEditingService(ctx, replies, media),
    sends: new ReplySendsService(ctx, replies, customers, media),
    audit: new AuditService(ctx),
  })
  await app.register(mediaAssetRoutes, { ctx, media })
  await app.register(mediaRoutes, { ctx, media })
  if (options.mediaRenewalMs) {
    const renew = () => ctx.background.run('renew media', () => media.renewDue())
    // After listening: in simulator mode WeCom is this very server, reached over loopback.
    app.server.once('listening', renew)
    const timer = setInterval(renew, options.mediaRenewalMs)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  }
  await app.register(demoArtRoutes)
  await app.register(catalogRoutes, { ctx, service: new CatalogService(db) })
  const bundles = new BundlesService(ctx)
  const bundleSuggestions = new SuggestionsService(ctx, customers, bundles)
  await app.register(bundlesRoutes, { ctx, service: bundles, suggestions: bundleSuggestions })
  const bundleSends = new SendsService(ctx, customers, bundles, bundleSuggestions, {
    miniprogram: config.lookbookMiniprogram ?? null,
  })
  await app.register(sendsRoutes, { ctx, service: bundleSends })
  const couponTemplates = new TemplatesRepository(db)
  const issuance = new IssuanceService(ctx, customers, couponTemplates, new IssuanceRepository(db))
  await app.register(templatesRoutes, { ctx, service: new TemplatesService(ctx, couponTemplates) })
  await app.register(issuanceRoutes, { ctx, service: issuance })
  await app.register(redemptionRoutes, {
    service: new RedemptionService(ctx, couponTemplates, new RedemptionRepository(db)),
    stores,
  })
  const sweepMs = options.couponSweepMs ?? 60_000
  if (sweepMs > 0) {
    const sweep = setInterval(() => ctx.background.run('release coupon reservations', () => issuance.releaseExpired()), sweepMs)
    sweep.unref()
    app.addHook('onClose', async () => clearInterval(sweep))
  }

  const stats = new StatsService(ctx)
  await app.register(statsRoutes, { ctx, service: stats })
  await app.register(teamRoutes, { ctx, service: new TeamService(ctx, stats) })
  // Orders written before their customer was bound or followed get their guide once one is known.
  app.server.once('listening', () => ctx.background.run('credit orders', () => creditOrders(db.kysely)))
  const eveningReports = new EveningReportService(ctx, stats)
  schedulePeriodic(app, ctx, {
    name: 'evening reports',
    everyMs: options.eveningReportMs,
    defaultMs: 60_000,
    run: () => eveningReports.sendDue(),
  })
  const weeklyRankings = new WeeklyRankingService(ctx)
  schedulePeriodic(app, ctx, {
    name: 'weekly rankings',
    everyMs: options.weeklyRankingMs,
    defaultMs: 60_000,
    run: () => weeklyRankings.sendDue(),
  })

  let world: SimulatorWorld | null = null
  if (config.wecom.mode === 'simulator') {
    const demo = options.demo ?? buildDemoData(ctx.now())
    world =
      options.world ??
      SimulatorWorld.fromDemo(demo, {
        corpId: config.wecom.corpId,
        agentId: config.wecom.agentId,
        secret: config.wecom.secret,
        now: ctx.now,
      })
    await app.register(wecomApiPlugin, { prefix: SIMULATOR_API_PATH, world })
    await app.register(simulatorRoutes, { world, demo })
  }

  const clientConfig: ClientConfig = { corpId: config.wecom.corpId, agentId: config.wecom.agentId, mode: config.wecom.mode }
  const assets = loadWebAssets(options.distDir ?? DEFAULT_DIST_DIR, clientConfig)
  await registerStatic(app, assets)
  const pageFallback = createPageFallback(assets, config.dataDir, config.wecom.mode === 'simulator', async (request) => ({
    locale: detectLocale(request.headers.cookie ?? '', request.headers['user-agent'] ?? ''),
    wecom: isWecomClient(request),
    signature: await signPageForWecom(ctx, request),
  }))
  app.setNotFoundHandler(async (request, reply) => {
    if (await pageFallback(request, reply)) return reply
    return reply
      .status(404)
      .send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } })
  })

  app.addHook('onClose', async () => {
    await ctx.background.idle()
  })
  return { app, ctx, world, customers, eveningReports, weeklyRankings, resync }
}

/** A fetch that answers from `app.inject`, for a server that is its own WeCom (simulator tests). */
export function injectFetch(target: () => FastifyInstance): FetchLike {
  return async (input, init) => {
    const url = new URL(input)
    const response = await target().inject({
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      url: url.pathname + url.search,
      headers: init?.headers as Record<string, string> | undefined,
      payload: typeof init?.body === 'string' ? init.body : init?.body instanceof Uint8Array ? Buffer.from(init.body) : undefined,
    })
    const headers = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value))
    }
    return new Response(new Uint8Array(response.rawPayload), { status: response.statusCode, headers })
  }
}
