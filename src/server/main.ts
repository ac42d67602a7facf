/**
 * `npm start` / `npm run serve`: read the configuration, open and migrate the database,
 * check it belongs to this mode (src/server/startup.ts), seed the demo on a fresh simulator
 * install, and serve app + API.
 */
import { buildApp } from './app'
import { migrateToLatest, openDb, type Db } from './db'
import { DEMO_TILL_KEYS } from './demo/coupons'
import { ConfigError, loadConfig, type Config } from './env'
import { prepareDatabase, type PreparedDatabase } from './startup'

async function main(): Promise<void> {
  let config: Config
  let db: Db | undefined
  let prepared: PreparedDatabase
  try {
    config = loadConfig()
    db = openDb(config.database)
    await migrateToLatest(db)
    prepared = await prepareDatabase(db, config, Date.now())
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`)
      await db?.close()
      process.exit(1)
    }
    throw error
  }
  const { demo } = prepared
  if (prepared.seeded) {
    console.log(
      'Seeded the demo data (one brand, two stores, three guides, 60 customers, 150 quick replies, 200 styles, 22 bundles, 5 coupon templates).',
    )
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
    // Anyone who reaches a simulator can sign in as any guide.
    console.log(
      config.host === '127.0.0.1' || config.host === 'localhost' || config.host === '::1'
        ? `Listening on ${config.host} only (set HOST=0.0.0.0 to open the demo to your network).`
        : `Listening on ${config.host}: anyone who can reach it can sign in as any guide.`,
    )
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
