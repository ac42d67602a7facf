/**
 * The demo's week of tasks: the rules run over the demo data as they would have each day
 * of the last seven, and each guide dealt with what was due — most done, a few skipped
 * with a reason, some left to go overdue or expire. Then every guide is made to have an
 * open task of each kind (a recorded birthday next week, a purchase yesterday, a customer
 * due back, one silent for 90 days, a coupon about to lapse) where the data alone gave
 * her none, and a note's follow-up or two. The demo's campaigns (campaigns.ts) write
 * their tasks in the same replay, from the day each started. Driven by `now` only.
 */
import { createHash } from 'node:crypto'
import { addDays, shanghaiDate } from '../../shared/dates'
import type { TaskKind } from '../../shared/tasks'
import type { Db } from '../db'
import { TaskGenerator } from '../modules/tasks/task-generator.service'
import {
  LOOKAHEAD_DAYS,
  followUpTask,
  nextBirthday,
  primaryGuides,
  repurchaseTask,
  type FollowFact,
} from '../modules/tasks/rules'
import { TasksRepository } from '../modules/tasks/tasks.repository'
import { demoCampaignDrafts, demoCampaigns, playDemoCampaign, skipOneDemoTask, writeDemoCampaigns } from './campaigns'
import type { DemoData } from './data'

const DAY = 86_400_000
const HOUR = 3_600_000
const WEEK = 7
const SKIP_REASONS = ['客户出差，下周再联系', '已经电话聊过了', '客户说最近不需要']
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
/** A past promotion's coupon some customers still hold: issuing is over, using is not. */
const PAST_PROMO_TEMPLATE = 'ct_demo_double11'

function hash(text: string): number {
  return parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16)
}

function demoCode(seed: string): string {
  const digest = createHash('sha256').update(seed).digest()
  return Array.from(digest.subarray(0, 12), (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('')
}

/** The end of a China calendar day, as coupons keep it. */
function endOfDay(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`) + DAY - 1
}

export async function seedDemoTasks(db: Db, data: DemoData, now: number): Promise<void> {
  const today = shanghaiDate(now)
  const follows: FollowFact[] = data.customers.flatMap((c) =>
    c.follows.map((f) => ({ externalUserId: c.externalUserId, userId: f.userId, addedAt: f.createtime * 1000 })),
  )
  const primary = primaryGuides(follows, new Set(data.guides.map((g) => g.userId)))
  const memberOf = new Map(data.members.map((m) => [m.externalUserId, m]))
  // Each guide's own customers who are members, in a fixed order; each is used for one thing.
  const book = new Map(
    data.guides.map((g) => [
      g.userId,
      [...primary]
        .filter(([customer, guide]) => guide === g.userId && memberOf.has(customer))
        .map(([customer]) => customer)
        .sort(),
    ]),
  )
  const used = new Set<string>()
  const take = (guideId: string, fits: (customer: string) => boolean = () => true): string | null => {
    const customer = (book.get(guideId) ?? []).find((c) => !used.has(c) && fits(c)) ?? null
    if (customer) used.add(customer)
    return customer
  }
  const ordersOf = (customer: string) => {
    const member = memberOf.get(customer)!
    return data.orders.filter((o) => o.memberId === member.id).map((o) => ({ id: o.id, purchasedAt: o.purchasedAt }))
  }
  // Silent for over 90 days: kept for a dormant task of their own, so notes and the campaign go to others first.
  const quiet = (customer: string) => {
    const added = follows.filter((f) => f.externalUserId === customer).map((f) => f.addedAt ?? 0)
    const signs = [...ordersOf(customer).map((o) => o.purchasedAt), ...added]
    return Math.max(0, ...signs) < now - 92 * DAY
  }
  const takeBusy = (guideId: string, fits: (customer: string) => boolean = () => true) =>
    take(guideId, (c) => fits(c) && !quiet(c)) ?? take(guideId, fits)

  const tasks = new TasksRepository(db)
  const generator = new TaskGenerator(db)
  await writeNotes(db, tasks, data, takeBusy, now)
  const campaigns = demoCampaigns(data, now)
  await writeDemoCampaigns(db, campaigns, now)
  await playDemoCampaign(db, data, campaigns[0]!, now)

  for (let back = WEEK; back >= 0; back--) {
    const at = now - back * DAY
    await generator.run({ now: at, follows, campaigns: demoCampaignDrafts(data, campaigns, at) })
    if (back > 0) await actOnDueTasks(tasks, shanghaiDate(at), at)
  }
  await skipOneDemoTask(db, data, campaigns[0]!, now)

  // Where the data gave a guide no open task of a kind, give her one.
  const open = new Set((await tasks.summary()).filter((s) => s.status === 'todo').map((s) => `${s.guideId}:${s.kind}`))
  const missing = (guideId: string, kind: TaskKind) => !open.has(`${guideId}:${kind}`)
  const crafted = new Crafted(db, data, now)
  for (const guide of data.guides) {
    const g = guide.userId
    if (missing(g, 'birthday')) {
      // One whose own birthday wrote no task this week (the same year's task would be this one).
      const far = (customer: string) => {
        const next = nextBirthday(memberOf.get(customer)!.birthday, addDays(today, -WEEK - 1))
        return !next || next > addDays(today, LOOKAHEAD_DAYS + 5)
      }
      const customer = takeBusy(g, far)
      if (customer) await crafted.birthday(customer, addDays(today, 4))
    }
    if (missing(g, 'after_purchase')) {
      const customer = takeBusy(g)
      if (customer) await crafted.order(customer, g, now - DAY, 'a')
    }
    if (missing(g, 'dormant')) {
      const customer = take(g, quiet)
      if (customer) await crafted.order(customer, g, now - 90 * DAY, 'd')
    }
    if (missing(g, 'repurchase')) {
      const extra = [now - 118 * DAY, now - 58 * DAY]
      const fits = (customer: string) => {
        const orders = [...ordersOf(customer), ...extra.map((at, i) => ({ id: `x${i}`, purchasedAt: at }))]
        const snapshot = {
          externalUserId: customer,
          guideId: g,
          followers: [g],
          birthday: null,
          orders,
          lastContactAt: null,
          addedAt: null,
          coupons: [],
        }
        const task = repurchaseTask({ customer: snapshot, today, now, suggestions: { birthdayCouponId: null, replies: [] } })
        return task !== null && task.dueDate >= today && task.dueDate <= addDays(today, LOOKAHEAD_DAYS)
      }
      const customer = take(g, fits)
      if (customer) for (const [i, at] of extra.entries()) await crafted.order(customer, g, at, `r${i}`)
    }
    if (missing(g, 'coupon_expiring')) {
      // One only she follows: a shared customer's coupon timeline is where other demos look.
      const customer = takeBusy(g, (c) => follows.filter((f) => f.externalUserId === c).length === 1)
      if (customer) await crafted.coupon(customer, g, addDays(today, 2))
    }
  }
  await generator.run({ now, follows, campaigns: demoCampaignDrafts(data, campaigns, now) })
}

/** What a guide did with a task due that day: decided once per task, so replaying the week changes nothing. */
async function actOnDueTasks(tasks: TasksRepository, day: string, at: number): Promise<void> {
  for (const task of await tasks.openDueBy(day)) {
    const roll = hash(task.id)
    const when = at - (roll % 6) * HOUR
    if (roll % 10 < 6) await tasks.complete(task.id, task.guide_id, when)
    else if (roll % 10 === 6) await tasks.skip(task.id, task.guide_id, SKIP_REASONS[roll % SKIP_REASONS.length]!, when)
  }
}

/** Two notes a guide with a follow-up: one from last week now overdue (or done), one for tomorrow. */
async function writeNotes(
  db: Db,
  tasks: TasksRepository,
  data: DemoData,
  take: (guideId: string) => string | null,
  now: number,
): Promise<void> {
  const today = shanghaiDate(now)
  const notes = [
    { ago: 6, due: -2, text: '说下周出差回来，想看看羊绒大衣的新色，回来后约她到店试穿' },
    { ago: 1, due: 1, text: '问了真丝衬衫的 S 码，到货后第一时间告诉她' },
  ]
  for (const guide of data.guides) {
    for (const [n, note] of notes.entries()) {
      const customer = take(guide.userId)
      if (!customer) continue
      const createdAt = now - note.ago * DAY - 3 * HOUR
      const id = `note_demo_${guide.userId}_${n}`
      const dueDate = addDays(today, note.due)
      await db.kysely
        .insertInto('customer_notes')
        .values({
          id,
          external_user_id: customer,
          author_id: guide.userId,
          text: note.text,
          next_follow_up: dueDate,
          outcome: null,
          created_at: createdAt,
        })
        .execute()
      await tasks.insertMany(
        [followUpTask({ noteId: id, guideId: guide.userId, externalUserId: customer, dueDate, text: note.text })],
        createdAt,
      )
    }
  }
}

/** Rows written so that a guide has an open task of a kind. */
class Crafted {
  constructor(
    private readonly db: Db,
    private readonly data: DemoData,
    private readonly now: number,
  ) {}

  /** The guide recorded her birthday (the fact wins over the member record's). */
  async birthday(customer: string, date: string): Promise<void> {
    await this.db.kysely
      .insertInto('customer_facts')
      .values({
        external_user_id: customer,
        size_top: null,
        size_bottom: null,
        size_dress: null,
        size_shoes: null,
        fit_notes: null,
        style_preferences: null,
        colors_liked: null,
        colors_avoided: null,
        birthday: date.slice(5),
        phone: null,
        preferred_store_id: null,
        updated_at: this.now,
      })
      .onConflict((oc) => oc.column('external_user_id').doUpdateSet({ birthday: date.slice(5) }))
      .execute()
  }

  /** An order of one garment, credited to her guide (no seller on record, nobody else served her). */
  async order(customer: string, guideId: string, at: number, suffix: string): Promise<void> {
    const member = this.data.members.find((m) => m.externalUserId === customer)!
    const product = this.data.products[hash(`${customer}${suffix}`) % this.data.products.length]!
    const sku = product.skus[0]!
    const id = `W${member.id.slice(1)}${suffix}`
    await this.db.kysely
      .insertInto('orders')
      .values({
        id,
        member_id: member.id,
        store_id: member.storeId,
        purchased_at: at,
        total_fen: product.priceFen,
        created_at: this.now,
        guide_user_id: null,
        credited_guide_id: guideId,
      })
      .execute()
    await this.db.kysely
      .insertInto('order_items')
      .values({
        order_id: id,
        line_no: 1,
        product_id: product.id,
        name: product.name,
        color: sku.color,
        size: sku.size,
        quantity: 1,
        price_fen: product.priceFen,
        returned: 0,
      })
      .execute()
  }

  /** A coupon of a past promotion she was sent and has not used, ending on `lastDay`. */
  async coupon(customer: string, guideId: string, lastDay: string): Promise<void> {
    const manager = this.data.guides.find((g) => g.role === 'manager') ?? this.data.guides[0]!
    await this.db.kysely
      .insertInto('coupon_templates')
      .values({
        id: PAST_PROMO_TEMPLATE,
        name: '双十一返场券 满 800 减 100',
        description: '返场活动已结束，已领的券在有效期内可用',
        kind: 'amount_off',
        value: 10000,
        threshold: 80000,
        total_stock: 100,
        stock_left: 100,
        per_customer_limit: 1,
        guide_weekly_quota: 20,
        valid_days: 14,
        valid_from: null,
        valid_to: null,
        eligible_levels: '[]',
        eligible_tags: '[]',
        store_ids: '[]',
        online: 1,
        status: 'ended',
        max_orders: null,
        created_by: manager.userId,
        created_at: this.now - 20 * DAY,
        updated_at: this.now - 20 * DAY,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    const sentAt = this.now - 12 * DAY
    await this.db.kysely
      .insertInto('coupon_issuances')
      .values({
        id: `ci_demo_${customer.slice(-8)}`,
        template_id: PAST_PROMO_TEMPLATE,
        code: demoCode(customer),
        guide_id: guideId,
        external_user_id: customer,
        idempotency_key: `demo-${customer}`,
        status: 'sent',
        reserved_until: null,
        issued_at: sentAt,
        sent_at: sentAt,
        claimed_at: null,
        redeemed_at: null,
        redeemed_store_id: null,
        released_at: null,
        release_reason: null,
        valid_from: sentAt,
        valid_until: endOfDay(lastDay),
        order_id: null,
      })
      .execute()
    await this.db.kysely
      .updateTable('coupon_templates')
      .set((eb) => ({ stock_left: eb('stock_left', '-', 1) }))
      .where('id', '=', PAST_PROMO_TEMPLATE)
      .execute()
  }
}
