/**
 * The server for the profile benchmark, in its own process: a database with 100k cached
 * customers of one guide (eight in ten members with three orders each, as in a real book), the app listening on a free
 * port, and a line of JSON on stdout saying where and with which session cookie.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { buildApp } from '../../src/server/app'
import { migrateToLatest, openDb } from '../../src/server/db'
import { loadConfig } from '../../src/server/env'
import { searchText } from '../../src/server/modules/customers/search-key'
import { SessionsService } from '../../src/server/modules/sessions/sessions.service'

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000)
const GUIDE = 'benchguide'
const now = Date.now()
const databaseUrl = process.env.BENCH_DATABASE_URL
const dataDir = mkdtempSync(path.join(tmpdir(), 'gs-bench-'))
const env: Record<string, string> = {
  SESSION_SECRET: 'bench-session-secret-that-is-long-enough',
  DATA_DIR: dataDir,
  PORT: '0',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
}
const config = loadConfig(env, { persistSecrets: false })
let schema: string | undefined
if (config.database.kind === 'postgres') {
  schema = `bench_${randomBytes(4).toString('hex')}`
  const pg = await import('pg')
  const admin = new pg.default.Client({ connectionString: config.database.url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
}
const db = openDb(config.database, { searchPath: schema, poolSize: 20 })
await migrateToLatest(db)

const ids: string[] = []
await db.kysely.insertInto('stores').values({ id: 'S1', name: '基准门店', city: '上海' }).execute()
await db.kysely
  .insertInto('guides')
  .values({
    user_id: GUIDE,
    name: '基准导购',
    avatar: null,
    store_id: 'S1',
    role: 'guide',
    customers_synced_at: now,
    created_at: now,
    updated_at: now,
  })
  .execute()
await db.kysely
  .insertInto('products')
  .values({
    id: 'P1',
    style_code: 'QLBENCH',
    name: '双面羊毛大衣',
    category: 'outerwear',
    price_fen: 259900,
    image_url: null,
    created_at: now,
  })
  .execute()

const tags = JSON.stringify([
  { groupName: '客户价值', name: '高净值', type: 'corp', tagId: 'etAAA' },
  { groupName: '风格偏好', name: '通勤', type: 'corp', tagId: 'etBBB' },
  { groupName: '', name: '爱穿裙子', type: 'personal', tagId: null },
])
const BATCH = 500
for (let start = 0; start < CUSTOMERS; start += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, CUSTOMERS - start) }, (_, i) => start + i)
  const rows = batch.map((n) => `wmBench${String(n).padStart(25, '0')}`)
  ids.push(...rows)
  await db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('wecom_customers')
      .values(
        rows.map((id, i) => ({
          external_user_id: id,
          name: `客户${batch[i]}`,
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
    await trx
      .insertInto('wecom_follows')
      .values(
        rows.map((id, i) => ({
          external_user_id: id,
          user_id: GUIDE,
          remark: `张女士${batch[i]}`,
          description: '喜欢宽松版型',
          tags,
          added_at: now - batch[i]! * 1000,
          add_way: 1,
          state: null,
          remark_mobiles: '[]',
          // Written with every save in a live book; left empty, startup would fill them all.
          search_text: searchText(`客户${batch[i]}`, `张女士${batch[i]}`),
          search_phones: '',
          updated_at: now,
        })),
      )
      .execute()
    const members = rows.filter((_, i) => batch[i]! % 10 < 8)
    if (members.length) {
      await trx
        .insertInto('members')
        .values(
          members.map((id) => ({
            id: `M${id}`,
            external_user_id: id,
            phone: null,
            name: '张女士',
            level: 'gold',
            points: 1200,
            store_id: 'S1',
            size_top: 'M',
            size_bottom: '27',
            size_dress: 'M',
            size_shoes: '37',
            style_preferences: '["通勤","度假"]',
            birthday: '05-12',
            created_at: now,
            updated_at: now,
          })),
        )
        .execute()
      await trx
        .insertInto('orders')
        .values(
          members.flatMap((id) =>
            [0, 1, 2].map((o) => ({
              id: `O${id}${o}`,
              member_id: `M${id}`,
              store_id: 'S1',
              purchased_at: now - o * 86_400_000 * 30,
              total_fen: 259900,
              created_at: now,
            })),
          ),
        )
        .execute()
      await trx
        .insertInto('order_items')
        .values(
          members.flatMap((id) =>
            [0, 1, 2].map((o) => ({
              order_id: `O${id}${o}`,
              line_no: 1,
              product_id: 'P1',
              name: '双面羊毛大衣',
              color: '燕麦色',
              size: 'M',
              quantity: 1,
              price_fen: 259900,
              returned: 0,
            })),
          ),
        )
        .execute()
    }
  })
}

// "Warm cache": every customer freshly read from WeCom, however long seeding took.
await db.kysely.updateTable('wecom_customers').set({ fetched_at: Date.now() }).execute()
// A live database has planner statistics (autovacuum on PostgreSQL, `pragma optimize` on SQLite).
await sql`analyze`.execute(db.kysely)

const profileCacheSize = process.env.BENCH_PROFILE_CACHE === 'off' ? 0 : undefined
const { app, ctx } = await buildApp({ config, db, distDir: '/nonexistent', profileCacheSize })
await app.listen({ port: 0, host: '127.0.0.1' })
// Listening starts the server's own jobs (today's tasks for all 100k customers, search
// keys, order credits): measured alongside, they would steal the CPU the requests need.
const jobsStarted = Date.now()
await ctx.background.idle()
process.stderr.write(`bench server: startup jobs done in ${((Date.now() - jobsStarted) / 1000).toFixed(1)} s\n`)
const address = app.server.address()
const port = typeof address === 'object' && address ? address.port : 0
// A session row as a sign-in makes it: every request below pays its lookup, as in production.
const cookie = `gs_session=${await new SessionsService(ctx).start(GUIDE, undefined)}`
// The sample mixes member and WeCom-only profiles in the proportions of the book.
const sample = Array.from({ length: 2000 }, (_, i) => ids[(i * 7919) % ids.length]!)
// BENCH_CPU_PROFILE=file.cpuprofile records the server's CPU while it is under load
// (seeding excluded), for finding where a request's time goes.
const profileFile = process.env.BENCH_CPU_PROFILE
const inspector = profileFile ? await import('node:inspector/promises') : null
const session = inspector ? new inspector.Session() : null
if (session) {
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
}
console.log(JSON.stringify({ port, cookie, sample, db: db.kind }))

process.on('SIGTERM', async () => {
  if (session && profileFile) {
    const { profile } = await session.post('Profiler.stop')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(profileFile, JSON.stringify(profile))
  }
  await app.close()
  await db.close()
  if (schema && config.database.kind === 'postgres') {
    const pg = await import('pg')
    const admin = new pg.default.Client({ connectionString: config.database.url })
    await admin.connect()
    await admin.query(`drop schema ${schema} cascade`)
    await admin.end()
  }
  process.exit(0)
})
