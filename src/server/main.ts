/**
 * `npm start` / `npm run serve`: read the configuration, open and migrate the database,
 * seed the demo on a fresh simulator install, and serve app + API.
 */
import { buildApp } from './app'
import { migrateToLatest, openDb } from './db'
import { buildDemoData } from './db/seed/demo-data'
import { hasCatalog, hasReplies, isEmpty, seedDemo, seedDemoCatalog, seedDemoReplies } from './db/seed/demo'
import { DEMO_TILL_KEYS, hasCoupons, seedDemoCoupons } from './db/seed/demo-coupons'
import { buildDemoReplies } from './db/seed/demo-replies'
import { ConfigError, loadConfig, type Config } from './env'

async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`)
      process.exit(1)
    }
    throw error
  }

  const db = openDb(config.database)
  await migrateToLatest(db)
  const now = Date.now()
  const demo = config.wecom.mode === 'simulator' ? buildDemoData(now) : undefined
  if (demo && (await isEmpty(db))) {
    await seedDemo(db, demo, now)
    console.log(
      'Seeded the demo data (one brand, two stores, three guides, 60 customers, 150 quick replies, 200 styles, 22 bundles, 5 coupon templates).',
    )
  } else if (demo) {
    if (!(await hasReplies(db))) {
      // A demo database from before quick replies existed.
      const manager = demo.guides.find((g) => g.role === 'manager') ?? demo.guides[0]!
      await seedDemoReplies(db, buildDemoReplies(), manager.userId, now)
    }
    // A demo database from before the catalogue (SKUs, pictures, stock) and bundles existed.
    if (!(await hasCatalog(db))) await seedDemoCatalog(db, demo, now)
    if (!(await hasCoupons(db.kysely))) {
      const manager = demo.guides.find((g) => g.role === 'manager') ?? demo.guides[0]!
      await seedDemoCoupons(db.kysely, manager.userId, now)
    }
  }

  const { app } = await buildApp({
    config,
    db,
    demo,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    mediaRenewalMs: 3600 * 1000,
  })
  await app.listen({ port: config.port, host: config.host })

  const local = config.publicUrl ?? `http://localhost:${config.port}`
  const where = config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'PostgreSQL'
  console.log(`\nGuide Sidebar is running: ${local}/  (${where})`)
  if (config.wecom.mode === 'simulator') {
    console.log(`Simulator mode (no WeCom credentials). Open the WeCom simulator: ${local}/simulator/`)
    const keys = Object.entries(DEMO_TILL_KEYS).map(([store, key]) => `${store} ${key}`)
    console.log(`Demo till keys for POST /api/redemptions (Authorization: Bearer <key>): ${keys.join(', ')}\n`)
  } else {
    console.log(`WeCom mode for corp ${config.wecom.corpId}, agent ${config.wecom.agentId}.\n`)
  }

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'Shutting down')
    await app.close()
    await db.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
