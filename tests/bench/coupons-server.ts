/**
 * The server for the coupon benchmark, in its own process: the flash-sale case, a whole
 * brand sending one coupon at once. 50 guides, each with a book of 1,000 customers (remarks,
 * descriptions, member records, as in a real book), one hot template with stock for the
 * whole run, and a line of JSON on stdout saying where, with each guide's session cookie.
 */
import { SessionsService } from '../../src/server/modules/sessions/sessions.service'
import { analyzeAsProduction, listenWhenIdle, openBenchDatabase, serveUntilStopped } from './bench-server'

const GUIDES = Number(process.env.BENCH_GUIDES ?? 50)
const BOOK = Number(process.env.BENCH_BOOK ?? 1000)
const now = Date.now()
const bench = await openBenchDatabase()
const { db } = bench

await db.kysely.insertInto('stores').values({ id: 'S1', name: '基准门店', city: '上海' }).execute()
const guideIds = Array.from({ length: GUIDES }, (_, g) => `benchguide${g}`)
await db.kysely
  .insertInto('guides')
  .values([
    ...guideIds.map((id, g) => ({
      user_id: id,
      name: `导购${g}`,
      avatar: null,
      store_id: 'S1',
      role: 'guide' as const,
      customers_synced_at: now,
      created_at: now,
      updated_at: now,
    })),
    {
      user_id: 'benchmanager',
      name: '基准店长',
      avatar: null,
      store_id: 'S1',
      role: 'manager' as const,
      customers_synced_at: now,
      created_at: now,
      updated_at: now,
    },
  ])
  .execute()

const books: string[][] = []
for (const [g, guide] of guideIds.entries()) {
  const rows = Array.from({ length: BOOK }, (_, n) => `wmC${String(g).padStart(3, '0')}${String(n).padStart(22, '0')}`)
  books.push(rows)
  await db.kysely.transaction().execute(async (trx) => {
    for (let start = 0; start < rows.length; start += 500) {
      const batch = rows.slice(start, start + 500)
      await trx
        .insertInto('wecom_customers')
        .values(
          batch.map((id) => ({
            external_user_id: id,
            name: '顾客',
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
          batch.map((id, i) => ({
            external_user_id: id,
            user_id: guide,
            remark: `张女士${g}x${start + i} 静安`,
            description: '喜欢宽松版型',
            tags: '[]',
            added_at: now - i * 1000,
            add_way: 1,
            state: null,
            remark_mobiles: '["13800138000"]',
            updated_at: now,
          })),
        )
        .execute()
      const members = batch.filter((_, i) => i % 10 < 8)
      await trx
        .insertInto('members')
        .values(
          members.map((id) => ({
            id: `M${id}`,
            external_user_id: id,
            phone: '13900139000',
            name: '张女士',
            level: 'gold',
            points: 1200,
            store_id: 'S1',
            size_top: 'M',
            size_bottom: '27',
            size_dress: 'M',
            size_shoes: '37',
            style_preferences: '[]',
            birthday: '05-12',
            created_at: now,
            updated_at: now,
          })),
        )
        .execute()
    }
  })
}
await analyzeAsProduction(db)

const { app, ctx, port, ...built } = await listenWhenIdle(bench)
// Session rows as a sign-in makes them: every request below pays its lookup, as in production.
const sessions = new SessionsService(ctx)
const cookies = await Promise.all(guideIds.map(async (id) => `gs_session=${await sessions.start(id, undefined)}`))
const manager = `gs_session=${await sessions.start('benchmanager', undefined)}`
/** A coupon template made as a manager makes one; its id. */
async function newTemplate(payload: Record<string, unknown>): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/coupon-templates', headers: { cookie: manager }, payload })
  if (created.statusCode !== 201) throw new Error(`template: ${created.statusCode} ${created.body}`)
  return (created.json() as { id: string }).id
}
const templateId = await newTemplate({
  name: '十点闪购券',
  description: '全场满额可用',
  kind: 'no_threshold',
  value: 1000,
  threshold: 0,
  totalStock: 10_000_000,
  perCustomerLimit: 100,
  guideWeeklyQuota: 100_000,
  validDays: 7,
})

// A live brand has sent coupons before: last month's, one to each customer in her book.
// Without them the issuances table is empty when analysed, and PostgreSQL keeps plans
// made for an empty table (a scan) through the whole run.
const pastId = await newTemplate({
  name: '上月会员券',
  kind: 'no_threshold',
  value: 500,
  threshold: 0,
  totalStock: 1_000_000,
  perCustomerLimit: 1,
  guideWeeklyQuota: 100_000,
  validDays: 30,
})
const monthAgo = now - 30 * 86_400_000
for (const [g, book] of books.entries()) {
  await db.kysely
    .insertInto('coupon_issuances')
    .values(
      book.map((customer, n) => ({
        id: `ci_past_${g}_${n}`,
        template_id: pastId,
        code: `P${String(g).padStart(3, '0')}${String(n).padStart(6, '0')}`,
        guide_id: guideIds[g]!,
        external_user_id: customer,
        idempotency_key: `past-${g}-${n}`,
        status: n % 3 === 0 ? ('redeemed' as const) : ('sent' as const),
        reserved_until: null,
        issued_at: monthAgo + n * 1000,
        sent_at: monthAgo + n * 1000,
        claimed_at: null,
        redeemed_at: n % 3 === 0 ? monthAgo + n * 2000 : null,
        redeemed_store_id: n % 3 === 0 ? 'S1' : null,
        released_at: null,
        release_reason: null,
        valid_from: null,
        valid_until: monthAgo + 30 * 86_400_000,
        order_id: null,
      })),
    )
    .execute()
}
await analyzeAsProduction(db)
// Each guide sends to her own customers: (cookie, customer) pairs, guides interleaved.
const pairs = Array.from({ length: GUIDES * BOOK }, (_, i) => {
  const g = i % GUIDES
  return { guide: g, customer: books[g]![Math.floor(i / GUIDES) % BOOK]! }
})
await serveUntilStopped(bench, { app, ctx, ...built }, { port, cookies, pairs, templateId }, async () => {
  const issued = await db.kysely
    .selectFrom('coupon_issuances')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  process.stderr.write(`bench server: ${Number(issued.n)} issuances\n`)
})
