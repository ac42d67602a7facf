/**
 * The server for the profile benchmark, in its own process: a database with 100k cached
 * customers of one guide (eight in ten members with three orders each, as in a real book), the app listening on a free
 * port, and a line of JSON on stdout saying where and with which session cookie.
 */
import { searchText } from '../../src/server/modules/customers/search-key'
import { SessionsService } from '../../src/server/modules/sessions/sessions.service'
import { analyzeAsProduction, listenWhenIdle, openBenchDatabase, serveUntilStopped } from './bench-server'

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000)
const GUIDE = 'benchguide'
const now = Date.now()
const bench = await openBenchDatabase()
const { db } = bench

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
await analyzeAsProduction(db)

const profileCacheSize = process.env.BENCH_PROFILE_CACHE === 'off' ? 0 : undefined
const built = await listenWhenIdle(bench, { profileCacheSize })
// A session row as a sign-in makes it: every request below pays its lookup, as in production.
const cookie = `gs_session=${await new SessionsService(built.ctx).start(GUIDE, undefined)}`
// The sample mixes member and WeCom-only profiles in the proportions of the book.
const sample = Array.from({ length: 2000 }, (_, i) => ids[(i * 7919) % ids.length]!)
await serveUntilStopped(bench, built, { port: built.port, cookie, sample })
