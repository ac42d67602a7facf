/**
 * What every benchmark server (a server in its own process, driven by autocannon from the
 * bench) shares: a fresh database (a schema of its own on PostgreSQL), the app listening
 * once its start-up jobs are done, and a clean stop on SIGTERM.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp, type BuildAppOptions, type BuiltApp } from '../../src/server/app'
import { migrateToLatest, openDb, type Db } from '../../src/server/db'
import { loadConfig, type Config } from '../../src/server/env'
import { sql } from 'kysely'

export interface BenchDatabase {
  config: Config
  db: Db
  /** PostgreSQL: the schema made for this run, dropped when it stops. */
  schema?: string
}

async function adminQuery(config: Config, statement: string): Promise<void> {
  if (config.database.kind !== 'postgres') return
  const pg = await import('pg')
  const admin = new pg.default.Client({ connectionString: config.database.url })
  await admin.connect()
  await admin.query(statement)
  await admin.end()
}

/** SQLite in a temporary folder, or PostgreSQL at BENCH_DATABASE_URL in a new schema; migrated. */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const databaseUrl = process.env.BENCH_DATABASE_URL
  const config = loadConfig(
    {
      SESSION_SECRET: 'bench-session-secret-that-is-long-enough',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gs-bench-')),
      PORT: '0',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    { persistSecrets: false },
  )
  const schema = config.database.kind === 'postgres' ? `bench_${randomBytes(4).toString('hex')}` : undefined
  if (schema) await adminQuery(config, `create schema ${schema}`)
  const db = openDb(config.database, { searchPath: schema, poolSize: 20 })
  await migrateToLatest(db)
  return { config, db, schema }
}

/**
 * Table statistics as production has them once the data is in: PostgreSQL's autovacuum
 * analyses on its own, the app never runs ANALYZE on SQLite. Not there by accident: the
 * better-sqlite3 build keeps STAT4 samples, and with them SQLite compiles a statement
 * again whenever a value bound to an indexed column changes (every request), which in
 * the coupon bench cost 13 % of the server's CPU and no plan was better for it.
 */
export async function analyzeAsProduction(db: Db): Promise<void> {
  if (db.kind === 'postgres') await sql`analyze`.execute(db.kysely)
}

/**
 * The app on a free loopback port, measured only once its own start-up jobs (today's
 * tasks, search keys, order credits) are done: alongside, they would steal the CPU the
 * requests need.
 */
export async function listenWhenIdle(
  bench: BenchDatabase,
  options: Pick<BuildAppOptions, 'profileCacheSize'> = {},
): Promise<BuiltApp & { port: number }> {
  const built = await buildApp({ config: bench.config, db: bench.db, distDir: '/nonexistent', ...options })
  await built.app.listen({ port: 0, host: '127.0.0.1' })
  const jobsStarted = Date.now()
  await built.ctx.background.idle()
  process.stderr.write(`bench server: startup jobs done in ${((Date.now() - jobsStarted) / 1000).toFixed(1)} s\n`)
  const address = built.app.server.address()
  return { ...built, port: typeof address === 'object' && address ? address.port : 0 }
}

/**
 * Tells the bench where to send its load (one line of JSON on stdout), then serves until
 * SIGTERM: closes the app, the database and the run's schema. BENCH_CPU_PROFILE=file.cpuprofile
 * records the server's CPU while it is under load (seeding excluded).
 */
export async function serveUntilStopped(
  bench: BenchDatabase,
  built: BuiltApp,
  ready: Record<string, unknown>,
  beforeStop: () => Promise<void> = async () => {},
): Promise<void> {
  const profileFile = process.env.BENCH_CPU_PROFILE
  const inspector = profileFile ? await import('node:inspector/promises') : null
  const session = inspector ? new inspector.Session() : null
  if (session) {
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
  }
  console.log(JSON.stringify({ ...ready, db: bench.db.kind }))
  process.on('SIGTERM', async () => {
    if (session && profileFile) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(profileFile, JSON.stringify(profile))
    }
    await beforeStop()
    await built.app.close()
    await bench.db.close()
    if (bench.schema) await adminQuery(bench.config, `drop schema ${bench.schema} cascade`)
    process.exit(0)
  })
}
