/**
 * The guide's customer list at 10,000 customers of one guide (WeCom allows a member 20,000):
 * `GET /api/customers`, first page, per query shape — the default order, each sort, a
 * typical filter with a search, every filter at once, and a page after the first — as
 * p50 / p95 in process (Fastify inject: the API's figures, not the network's). Budget: the
 * first page p95 ≤ 50 ms on SQLite for the default order, each sort and the typical filter
 * with a search; PostgreSQL is reported.
 *
 * Her customers are written straight into the cache as a sync would, with what the filters
 * look at: remarks with their search keys, corporate and personal tags, where they came
 * from, member records (levels, birthdays) with 0–8 orders each, facts, coupons held and
 * sends and notes of hers.
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { searchPhones, searchText } from '../../src/server/modules/customers/search-key'
import { addFollowedCustomers, createTestApp, signIn, type TestApp } from '../helpers/app'
import type { DbKind } from '../helpers/db'
import { percentile } from './percentile'

export const CUSTOMER_LIST_BUDGET_MS = 50
export const GUIDE_CUSTOMERS = 10_000
const DAY = 86_400_000
const SAMPLES = 200

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = '婷雨晴静怡欣悦琳雪丽娜敏慧佳颖倩洁燕玲芳文雅思梦诗涵可馨子萱一诺若彤梓'
const DISTRICTS = ['静安', '徐汇', '浦东', '长宁', '黄浦', '闵行', '']
const LEVELS = ['normal', 'normal', 'silver', 'silver', 'gold', 'platinum'] as const

/** A small deterministic generator: the same customers on every run. */
function rng(seed: number) {
  let state = seed
  return {
    next: () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31
      return state / 2 ** 31
    },
    int(min: number, max: number) {
      return min + Math.floor(this.next() * (max - min + 1))
    },
    pick<T>(list: readonly T[]): T {
      return list[Math.floor(this.next() * list.length)]!
    },
  }
}

export interface SeededGuide {
  ids: string[]
  corpTagId: string
  personalTag: string
  /** The last four digits of one of her phones. */
  phoneTail: string
}

/** Her 10,000 customers and everything about them the list reads. */
export async function seedGuideCustomers(t: TestApp, userId: string, count = GUIDE_CUSTOMERS): Promise<SeededGuide> {
  const db = t.testDb.db.kysely
  const now = t.clock.value
  const random = rng(12)
  const ids = await addFollowedCustomers(t, userId, count, 'cl')
  const corpTags = await db.selectFrom('wecom_corp_tags').select(['tag_id', 'name', 'group_name']).execute()
  const template = { id: `tpl-bench-${randomUUID()}` }
  await db
    .insertInto('coupon_templates')
    .values({
      id: template.id,
      name: '满500减50',
      description: '',
      kind: 'amount_off',
      value: 5000,
      threshold: 50000,
      total_stock: 100_000,
      stock_left: 100_000,
      per_customer_limit: 1,
      guide_weekly_quota: 100_000,
      valid_days: 30,
      valid_from: null,
      valid_to: null,
      eligible_levels: '[]',
      eligible_tags: '[]',
      store_ids: '[]',
      online: 1,
      status: 'active',
      max_orders: null,
      created_by: userId,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const personalTag = '老客户'
  let phoneTail = ''

  for (let i = 0; i < ids.length; i += 250) {
    const chunk = ids.slice(i, i + 250)
    const members: Record<string, unknown>[] = []
    const orders: Record<string, unknown>[] = []
    const facts: Record<string, unknown>[] = []
    const personal: Record<string, unknown>[] = []
    const issuances: Record<string, unknown>[] = []
    const sends: Record<string, unknown>[] = []
    const notes: Record<string, unknown>[] = []
    await db.transaction().execute(async (trx) => {
      for (const id of chunk) {
        const name = `${random.pick([...SURNAMES])}${random.pick([...GIVEN])}${random.next() < 0.5 ? random.pick([...GIVEN]) : ''}`
        const remark = random.next() < 0.7 ? `${name} ${random.pick(DISTRICTS)}`.trim() : ''
        const phone = `13${random.int(100_000_000, 999_999_999)}`
        phoneTail ||= phone.slice(-4)
        const tags = corpTags
          .filter(() => random.next() < 0.15)
          .map((tag) => ({ groupName: tag.group_name, name: tag.name, type: 'corp', tagId: tag.tag_id, source: 'wecom' }))
        await trx.updateTable('wecom_customers').set({ name }).where('external_user_id', '=', id).execute()
        await trx
          .updateTable('wecom_follows')
          .set({
            remark,
            tags: JSON.stringify(tags),
            added_at: now - random.int(0, 900) * DAY - random.int(0, DAY),
            add_way: random.pick([1, 1, 1, 2, 3, 4, 5]),
            search_text: searchText(name, remark),
            search_phones: searchPhones([phone]),
          })
          .where('external_user_id', '=', id)
          .where('user_id', '=', userId)
          .execute()
        if (random.next() < 0.1) personal.push({ external_user_id: id, user_id: userId, name: personalTag, created_at: now })
        if (random.next() < 0.2) {
          const birthday = `${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
          facts.push({ external_user_id: id, birthday, phone, updated_at: now })
        }
        if (random.next() < 0.7) {
          const memberId = `Mcl${id.slice(-5)}`
          members.push({
            id: memberId,
            external_user_id: id,
            phone,
            name,
            level: random.pick(LEVELS),
            points: random.int(0, 9000),
            store_id: null,
            style_preferences: '[]',
            birthday: `${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
            created_at: now,
            updated_at: now,
          })
          const orderCount = random.int(0, 8)
          for (let n = 0; n < orderCount; n++) {
            orders.push({
              id: `Ocl${id.slice(-5)}-${n}`,
              member_id: memberId,
              store_id: null,
              purchased_at: now - random.int(1, 720) * DAY,
              total_fen: random.int(99, 4999) * 100,
              created_at: now,
            })
          }
        }
        if (random.next() < 0.15) {
          issuances.push({
            id: randomUUID(),
            template_id: template.id,
            code: `CL${id.slice(-5)}`,
            guide_id: userId,
            external_user_id: id,
            idempotency_key: randomUUID(),
            status: random.pick(['sent', 'claimed', 'redeemed']),
            issued_at: now - 5 * DAY,
            sent_at: now - 5 * DAY,
            valid_until: now + random.int(-10, 20) * DAY,
          })
        }
        if (random.next() < 0.3) {
          sends.push({
            id: randomUUID(),
            reply_id: 'bench',
            user_id: userId,
            external_user_id: id,
            chat_id: null,
            parts_sent: 1,
            parts_total: 1,
            edited: 0,
            sent_at: now - random.int(0, 120) * DAY,
          })
        }
        if (random.next() < 0.1) {
          notes.push({
            id: randomUUID(),
            external_user_id: id,
            author_id: userId,
            text: '聊过',
            next_follow_up: null,
            outcome: null,
            created_at: now - random.int(0, 120) * DAY,
          })
        }
      }
      if (members.length)
        await trx
          .insertInto('members')
          .values(members as never)
          .execute()
      for (let o = 0; o < orders.length; o += 500)
        await trx
          .insertInto('orders')
          .values(orders.slice(o, o + 500) as never)
          .execute()
      if (facts.length)
        await trx
          .insertInto('customer_facts')
          .values(facts as never)
          .execute()
      if (personal.length)
        await trx
          .insertInto('personal_tags')
          .values(personal as never)
          .execute()
      if (issuances.length)
        await trx
          .insertInto('coupon_issuances')
          .values(issuances as never)
          .execute()
      if (sends.length)
        await trx
          .insertInto('reply_sends')
          .values(sends as never)
          .execute()
      if (notes.length)
        await trx
          .insertInto('customer_notes')
          .values(notes as never)
          .execute()
    })
  }
  return { ids, corpTagId: corpTags[0]?.tag_id ?? 'none', personalTag, phoneTail }
}

export interface ListTiming {
  shape: string
  /** Counts towards the budget (the rest are reported). */
  budgeted: boolean
  p50Ms: number
  p95Ms: number
  total: number
}

export interface CustomerListReport {
  db: DbKind
  customers: number
  timings: ListTiming[]
  ok: boolean
}

export async function measureCustomerList(kind: DbKind): Promise<CustomerListReport> {
  const t = await createTestApp(kind)
  try {
    const lina = await signIn(t, 'lina')
    const get = (query: string) => t.app.inject({ method: 'GET', url: `/api/customers?${query}`, headers: { cookie: lina } })
    // Her list read once from WeCom, as on her first visit; then her 10,000.
    if ((await get('limit=1')).statusCode !== 200) throw new Error('the list did not answer')
    // The company's tags, read from WeCom as the tag picker would.
    await t.app.inject({ method: 'GET', url: '/api/tags', headers: { cookie: lina } })
    const seeded = await seedGuideCustomers(t, 'lina')
    // PostgreSQL plans from statistics: gather them after the bulk write, as autovacuum would.
    if (kind === 'postgres') await sql`analyze`.execute(t.testDb.db.kysely)
    const first = (await get('limit=30')).json() as { nextCursor: string; total: number }

    const shapes: { shape: string; query: string; budgeted: boolean }[] = [
      { shape: 'default (newest added)', query: 'limit=30', budgeted: true },
      { shape: 'sort=lastPurchase', query: 'sort=lastPurchase&limit=30', budgeted: true },
      { shape: 'sort=totalSpend', query: 'sort=totalSpend&limit=30', budgeted: true },
      { shape: 'level + lastPurchase + search', query: `level=gold&lastPurchase=within90&q=zh&limit=30`, budgeted: true },
      { shape: 'search by phone tail', query: `q=${seeded.phoneTail}&limit=30`, budgeted: true },
      {
        shape: 'every filter at once',
        query: `tag=${seeded.corpTagId}&lastContact=over30&birthdayMonth=next&hasCoupon=true&source=1&sort=totalSpend&limit=30`,
        budgeted: false,
      },
      {
        shape: `personal tag, contacted within 30 days`,
        query: `tag=${encodeURIComponent(seeded.personalTag)}&lastContact=within30&limit=30`,
        budgeted: false,
      },
      { shape: 'second page (cursor)', query: `limit=30&cursor=${first.nextCursor}`, budgeted: false },
    ]
    const timings: ListTiming[] = []
    for (const { shape, query, budgeted } of shapes) {
      const latencies: number[] = []
      let total = 0
      for (let i = 0; i < SAMPLES + 10; i++) {
        const started = performance.now()
        const response = await get(query)
        const elapsed = performance.now() - started
        if (response.statusCode !== 200) throw new Error(`${shape}: ${response.statusCode} ${response.body}`)
        total = (response.json() as { total: number }).total
        if (i >= 10) latencies.push(elapsed) // the first few warm the statement cache
      }
      timings.push({ shape, budgeted, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), total })
    }
    const ok = kind !== 'sqlite' || timings.every((x) => !x.budgeted || x.p95Ms <= CUSTOMER_LIST_BUDGET_MS)
    return { db: kind, customers: first.total, timings, ok }
  } finally {
    await t.close()
  }
}

export function formatCustomerList(report: CustomerListReport): string {
  const lines = report.timings.map(
    (x) =>
      `  ${x.shape.padEnd(40)} p50 ${x.p50Ms.toFixed(1).padStart(5)} ms, p95 ${x.p95Ms.toFixed(1).padStart(5)} ms` +
      ` (${x.total} match)${x.budgeted && report.db === 'sqlite' ? ` budget ≤ ${CUSTOMER_LIST_BUDGET_MS} ms` : ''}`,
  )
  return `\nGET /api/customers, first page of 30, ${report.customers} customers of one guide, on ${report.db}:\n${lines.join('\n')}`
}

// `node --import tsx tests/bench/customers.ts`: this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL
  for (const kind of process.env.BENCH_DATABASE_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
    const report = await measureCustomerList(kind)
    console.log(formatCustomerList(report))
  }
}
