// Long: every rule that writes a task, with its defaults, read together in one place (the issue asks for one module).
/**
 * The rules that write a guide's tasks from what we know about a customer. Pure: they take
 * `today` (China's calendar day, YYYY-MM-DD) and `now`, and what was read about her, and
 * answer the tasks that should exist. The generator (task-generator.service.ts) reads the
 * data set-based and writes what these answer; the demo and the tests call them directly.
 *
 * Every task has a dedupe key — kind, customer and what it is about (the birthday's year,
 * the order, the last order, the issuance…) — and its id is derived from that key, so the
 * same reason for the same customer is one row whoever runs the rules, how often, and on
 * which instance: writing it again is a no-op.
 */
import { createHash } from 'node:crypto'
import type { TaskKind, TaskSuggestion } from '../../../shared/tasks'
import { addDays, isCalendarDate, shanghaiDate } from '../../../shared/dates'

const DAY_MS = 86_400_000

/**
 * A task is written once it is due within this many days: a week lets the guide see her
 * week coming (a birthday next Friday) without the list filling with next month.
 */
export const LOOKAHEAD_DAYS = 7
/**
 * An open task past its due date stays on her list (overdue) this many days, then
 * expires: a care message a week late is no longer care, and a list of stale tasks is
 * one she stops reading. Rules never write a task that would already be expired.
 */
export const GRACE_DAYS = 3
/** Birthday wishes (and the birthday coupon) go out 3 days ahead, so a coupon can still be used on the day. */
export const BIRTHDAY_LEAD_DAYS = 3
/** Three days after a purchase she has worn it once or twice: the moment to ask how it fits. */
export const CARE_AFTER_DAYS = 3
/** A month on, the first wash and a few wears are behind her: the fit check, and a natural next conversation. */
export const FIT_CHECK_AFTER_DAYS = 30
/** No purchase and nobody wrote to her for a season (90 days): she is drifting away. */
export const DORMANT_DAYS = 90
/** A coupon she holds that ends within 3 days: still time to remind her and for her to come in. */
export const COUPON_WARNING_DAYS = 3
/**
 * A send completes her open tasks due at most this many days ahead: a message sent a few
 * days early served the purpose, one sent two weeks before her birthday did not.
 */
export const AUTO_DONE_AHEAD_DAYS = 3
/** Orders on the same China day are one visit; a usual interval shorter than a week is not a rhythm. */
export const MIN_INTERVAL_DAYS = 7

/** Kinds a send from her guide completes (a note's follow-up is the guide's own promise: she ticks it). */
export const SERVED_KINDS: readonly TaskKind[] = [
  'birthday',
  'after_purchase',
  'repurchase',
  'dormant',
  'coupon_expiring',
  'campaign',
]
/** Kinds a purchase completes: what they wanted was for her to buy again. */
export const PURCHASE_KINDS: readonly TaskKind[] = ['repurchase', 'dormant', 'campaign']

export interface OrderFact {
  id: string
  purchasedAt: number
}

export interface CouponFact {
  issuanceId: string
  /** The guide who sent it. */
  guideId: string
  templateName: string
  validUntil: number
}

/** What the rules know about one customer and the guide her tasks go to. */
export interface CustomerSnapshot {
  externalUserId: string
  guideId: string
  /** Guides that follow her (the one who sent a coupon gets its reminder while she still does). */
  followers: readonly string[]
  /** 'MM-DD' or 'YYYY-MM-DD': her own fact, else the member record's. */
  birthday: string | null
  /** Her orders up to now, any order. */
  orders: readonly OrderFact[]
  /** The last time any guide wrote to her (a reply, outfit or coupon sent, a note). */
  lastContactAt: number | null
  /** When her guide added her on WeCom. */
  addedAt: number | null
  /** Coupons she holds and has not used (sent or claimed). */
  coupons: readonly CouponFact[]
}

export interface ReplyHint {
  id: string
  title: string
  stages: readonly string[]
  tags: readonly string[]
}

/** What tasks can suggest sending: the brand's replies and its birthday coupon, if any is live. */
export interface SuggestionSource {
  birthdayCouponId: string | null
  replies: readonly ReplyHint[]
}

export interface TaskPayload {
  suggestion: TaskSuggestion | null
  /** For kinds a purchase completes: a purchase after this instant means she came back. */
  basis?: number
}

export interface TaskDraft {
  id: string
  key: string
  guideId: string
  externalUserId: string
  kind: TaskKind
  dueDate: string
  title: string
  reason: string
  payload: TaskPayload
  noteId: string | null
  campaignId: string | null
}

/** A manager's campaign: who, by when, what to say. Stored as tasks (one a customer). */
export interface CampaignDraft {
  campaignId: string
  title: string
  reason: string
  dueDate: string
  suggestion: TaskSuggestion | null
  externalUserIds: readonly string[]
}

/** The task id for a dedupe key: short, opaque, the same on every instance. */
export function taskId(key: string): string {
  return `t_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`
}

// --- Days ---------------------------------------------------------------------------------

function dayOf(ms: number): string {
  return shanghaiDate(ms)
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
}

/** '12月8日', or '2025年12月8日' when not in `today`'s year. */
export function chineseDay(date: string, today?: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const short = `${month}月${day}日`
  return today && today.slice(0, 4) === date.slice(0, 4) ? short : today ? `${year}年${short}` : short
}

/** Her birthday as 'MM-DD', from 'MM-DD' or 'YYYY-MM-DD'; null when it is not one. */
export function monthDay(birthday: string | null): string | null {
  if (!birthday) return null
  const match = /^(?:\d{4}-)?(\d{2})-(\d{2})$/.exec(birthday.trim())
  if (!match) return null
  const month = Number(match[1])
  const day = Number(match[2])
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  return `${match[1]}-${match[2]}`
}

/** Her birthday in `year`: a day past the month's end (02-29 in a year without one) falls on its last day. */
export function birthdayIn(year: number, birthday: string | null): string | null {
  const md = monthDay(birthday)
  if (!md) return null
  const [month, day] = md.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const date = `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`
  return isCalendarDate(date) ? date : null
}

/** Her next birthday on or after `today`. */
export function nextBirthday(birthday: string | null, today: string): string | null {
  const year = Number(today.slice(0, 4))
  const thisYear = birthdayIn(year, birthday)
  if (!thisYear) return null
  return thisYear >= today ? thisYear : birthdayIn(year + 1, birthday)
}

/**
 * Her usual interval: the median gap, in days, between the China days she bought on
 * (several orders one day are one visit). Null with fewer than two such days; never
 * under MIN_INTERVAL_DAYS. The median, not the mean: one long absence should not make
 * her usual rhythm look slow.
 */
export function usualIntervalDays(orders: readonly OrderFact[]): number | null {
  const days = [...new Set(orders.map((o) => dayOf(o.purchasedAt)))].sort()
  if (days.length < 2) return null
  const gaps = days
    .slice(1)
    .map((day, i) => daysBetween(days[i]!, day))
    .sort((a, b) => a - b)
  const mid = Math.floor(gaps.length / 2)
  const median = gaps.length % 2 ? gaps[mid]! : Math.round((gaps[mid - 1]! + gaps[mid]!) / 2)
  return Math.max(MIN_INTERVAL_DAYS, median)
}

function lastOrder(orders: readonly OrderFact[]): OrderFact | null {
  let last: OrderFact | null = null
  for (const order of orders) {
    if (!last || order.purchasedAt > last.purchasedAt || (order.purchasedAt === last.purchasedAt && order.id > last.id)) {
      last = order
    }
  }
  return last
}

/** Orders in the 365 days up to `now`. */
export function ordersLastYear(orders: readonly OrderFact[], now: number): number {
  return orders.filter((o) => o.purchasedAt <= now && o.purchasedAt > now - 365 * DAY_MS).length
}

/** Due within the window rules write in: not already expired, not further ahead than the look-ahead. */
function inWindow(due: string, today: string): boolean {
  return due >= addDays(today, -GRACE_DAYS) && due <= addDays(today, LOOKAHEAD_DAYS)
}

// --- Suggestions ----------------------------------------------------------------------------

function replyWhere(source: SuggestionSource, match: (r: ReplyHint) => boolean): TaskSuggestion | null {
  const reply = source.replies.find(match)
  return reply ? { type: 'reply', id: reply.id } : null
}

/**
 * What a task suggests sending. Replies are found by what the brand's library says they
 * are for (a stage, a tag) and, among those, a word of the title; none found: just talk.
 */
export function suggestionFor(kind: TaskKind, variant: 'care' | 'fit' | null, source: SuggestionSource): TaskSuggestion | null {
  switch (kind) {
    case 'birthday':
      if (source.birthdayCouponId) return { type: 'coupon', id: source.birthdayCouponId }
      return (
        replyWhere(source, (r) => r.stages.includes('birthday_month') && r.title.includes('生日')) ??
        replyWhere(source, (r) => r.stages.includes('birthday_month'))
      )
    case 'after_purchase': {
      const word = variant === 'fit' ? '一个月' : '关怀'
      return (
        replyWhere(source, (r) => r.stages.includes('after_purchase') && r.title.includes(word)) ??
        replyWhere(source, (r) => r.stages.includes('after_purchase'))
      )
    }
    case 'repurchase':
      return replyWhere(source, (r) => r.tags.includes('复购'))
    case 'dormant':
      return replyWhere(source, (r) => r.tags.includes('沉睡'))
    default:
      return null
  }
}

// --- The rules --------------------------------------------------------------------------------

interface RuleInput {
  customer: CustomerSnapshot
  today: string
  now: number
  suggestions: SuggestionSource
}

function draft(
  customer: CustomerSnapshot,
  key: string,
  fields: Pick<TaskDraft, 'kind' | 'dueDate' | 'title' | 'reason' | 'payload'> & Partial<TaskDraft>,
): TaskDraft {
  return {
    id: taskId(key),
    key,
    guideId: customer.guideId,
    externalUserId: customer.externalUserId,
    noteId: null,
    campaignId: null,
    ...fields,
  }
}

/** What the guide knows about her buying, in a few words: the last purchase and how often she came. */
export function purchaseSummary(orders: readonly OrderFact[], today: string, now: number): string {
  const last = lastOrder(orders.filter((o) => o.purchasedAt <= now))
  if (!last) return '还没有购买记录'
  return `上次购买 ${chineseDay(dayOf(last.purchasedAt), today)} · 近一年 ${ordersLastYear(orders, now)} 次`
}

/**
 * `birthday`: due BIRTHDAY_LEAD_DAYS before her next birthday, written once that is
 * within the look-ahead. Keyed by the birthday's year: one a year.
 */
export function birthdayTask({ customer, today, now, suggestions }: RuleInput): TaskDraft | null {
  const birthday = nextBirthday(customer.birthday, today)
  if (!birthday) return null
  const due = addDays(birthday, -BIRTHDAY_LEAD_DAYS)
  if (due > addDays(today, LOOKAHEAD_DAYS)) return null
  return draft(customer, `birthday:${customer.externalUserId}:${birthday.slice(0, 4)}`, {
    kind: 'birthday',
    dueDate: due,
    title: `生日祝福（${chineseDay(birthday)}）`,
    reason: `生日 ${chineseDay(birthday)} · ${purchaseSummary(customer.orders, today, now)}`,
    payload: { suggestion: suggestionFor('birthday', null, suggestions) },
  })
}

/** `after_purchase`: a care message CARE_AFTER_DAYS after each purchase and a fit check FIT_CHECK_AFTER_DAYS after. */
export function afterPurchaseTasks({ customer, today, suggestions }: RuleInput): TaskDraft[] {
  const out: TaskDraft[] = []
  for (const order of customer.orders) {
    const bought = dayOf(order.purchasedAt)
    for (const [variant, days] of [
      ['care', CARE_AFTER_DAYS],
      ['fit', FIT_CHECK_AFTER_DAYS],
    ] as const) {
      const due = addDays(bought, days)
      if (!inWindow(due, today)) continue
      out.push(
        draft(customer, `after_purchase:${variant}:${customer.externalUserId}:${order.id}`, {
          kind: 'after_purchase',
          dueDate: due,
          title: variant === 'care' ? '购后关怀：问问穿着合不合适' : '购后一个月回访：版型、洗护、搭配',
          reason: `${chineseDay(bought, today)} 购买 · 订单 ${order.id}`,
          payload: { suggestion: suggestionFor('after_purchase', variant, suggestions) },
        }),
      )
    }
  }
  return out
}

/** `repurchase`: at her usual interval after her last order, once she has bought on two days or more. */
export function repurchaseTask({ customer, today, now, suggestions }: RuleInput): TaskDraft | null {
  const interval = usualIntervalDays(customer.orders)
  const last = lastOrder(customer.orders)
  if (interval === null || !last) return null
  const due = addDays(dayOf(last.purchasedAt), interval)
  if (!inWindow(due, today)) return null
  return draft(customer, `repurchase:${customer.externalUserId}:${last.id}`, {
    kind: 'repurchase',
    dueDate: due,
    title: '复购提醒：到了她常来的时候',
    reason: `平均 ${interval} 天来一次 · ${purchaseSummary(customer.orders, today, now)}`,
    payload: { suggestion: suggestionFor('repurchase', null, suggestions), basis: last.purchasedAt },
  })
}

/**
 * `dormant`: no purchase and nobody wrote to her for DORMANT_DAYS; her becoming a WeCom
 * contact is a sign of life too (a long-time member added last week is not dormant).
 * Keyed by that last sign of life: once per silence. Due the day she crosses the line,
 * or today for one silent since before the rules ran.
 */
export function dormantTask({ customer, today, now, suggestions }: RuleInput): TaskDraft | null {
  const signs = [lastOrder(customer.orders)?.purchasedAt, customer.lastContactAt, customer.addedAt].filter(
    (x): x is number => typeof x === 'number' && x > 0 && x <= now,
  )
  if (signs.length === 0) return null
  const lastSign = Math.max(...signs)
  const crossed = addDays(dayOf(lastSign), DORMANT_DAYS)
  if (crossed > today) return null
  const silent = daysBetween(dayOf(lastSign), today)
  return draft(customer, `dormant:${customer.externalUserId}:${dayOf(lastSign)}`, {
    kind: 'dormant',
    dueDate: crossed < addDays(today, -GRACE_DAYS) ? today : crossed,
    title: '唤醒：很久没有联系了',
    reason: `${silent} 天没有购买也没有联系 · ${purchaseSummary(customer.orders, today, now)}`,
    payload: { suggestion: suggestionFor('dormant', null, suggestions), basis: lastSign },
  })
}

/**
 * `coupon_expiring`: a coupon she holds unused ends within COUPON_WARNING_DAYS; due the
 * day before its last day (or today, if that is already its last). It goes to the guide
 * who sent it while she still follows her, else to her guide.
 */
export function couponExpiringTasks({ customer, today, now }: RuleInput): TaskDraft[] {
  return customer.coupons
    .filter((c) => c.validUntil > now)
    .flatMap((coupon) => {
      const lastDay = dayOf(coupon.validUntil)
      if (lastDay > addDays(today, COUPON_WARNING_DAYS)) return []
      const dayBefore = addDays(lastDay, -1)
      const guideId = customer.followers.includes(coupon.guideId) ? coupon.guideId : customer.guideId
      return [
        draft(customer, `coupon_expiring:${customer.externalUserId}:${coupon.issuanceId}`, {
          guideId,
          kind: 'coupon_expiring',
          dueDate: dayBefore < today ? today : dayBefore,
          title: `优惠券快到期：${coupon.templateName}`,
          reason: `${coupon.templateName} · ${chineseDay(lastDay, today)} 到期，还没有使用`,
          payload: { suggestion: null },
        }),
      ]
    })
}

/** `campaign`: one task a customer of a manager's campaign, for her guide. */
export function campaignTasks(customer: CustomerSnapshot, campaigns: readonly CampaignDraft[], now: number): TaskDraft[] {
  return campaigns
    .filter((c) => c.externalUserIds.includes(customer.externalUserId))
    .map((c) =>
      draft(customer, `campaign:${c.campaignId}:${customer.externalUserId}`, {
        kind: 'campaign',
        dueDate: c.dueDate,
        title: c.title,
        reason: c.reason,
        campaignId: c.campaignId,
        payload: { suggestion: c.suggestion, basis: now },
      }),
    )
}

const FOLLOW_UP_TITLE_LENGTH = 40

/** `follow_up`: the date a guide set on her note; the task goes to her, one a note. */
export function followUpTask(input: {
  noteId: string
  guideId: string
  externalUserId: string
  dueDate: string
  text: string
}): TaskDraft {
  const { text } = input
  const title = text.length > FOLLOW_UP_TITLE_LENGTH ? `${text.slice(0, FOLLOW_UP_TITLE_LENGTH)}…` : text
  return {
    id: taskId(`follow_up:${input.externalUserId}:${input.noteId}`),
    key: `follow_up:${input.externalUserId}:${input.noteId}`,
    guideId: input.guideId,
    externalUserId: input.externalUserId,
    kind: 'follow_up',
    dueDate: input.dueDate,
    title,
    reason: '笔记里约好的跟进',
    payload: { suggestion: null },
    noteId: input.noteId,
    campaignId: null,
  }
}

/** Every task the data calls for today (follow-ups are written with their note, not here). */
export function tasksFor(
  customer: CustomerSnapshot,
  context: { today: string; now: number; suggestions: SuggestionSource; campaigns?: readonly CampaignDraft[] },
): TaskDraft[] {
  const orders = customer.orders.filter((o) => o.purchasedAt <= context.now)
  const input: RuleInput = {
    customer: { ...customer, orders },
    today: context.today,
    now: context.now,
    suggestions: context.suggestions,
  }
  return [
    birthdayTask(input),
    ...afterPurchaseTasks(input),
    repurchaseTask(input),
    dormantTask(input),
    ...couponExpiringTasks(input),
    ...campaignTasks(input.customer, context.campaigns ?? [], context.now),
  ].filter((t): t is TaskDraft => t !== null)
}

// --- Whose, and when they are done ------------------------------------------------------------

export interface FollowFact {
  externalUserId: string
  userId: string
  addedAt: number | null
}

/**
 * Her primary guide when several follow her: the one who added her first (she came to the
 * brand through her), among guides we know; ties (and unknown add dates, which count as
 * last) go to the smaller user id, so every instance picks the same guide.
 */
export function primaryGuides(follows: readonly FollowFact[], knownGuides: ReadonlySet<string>): Map<string, string> {
  const best = new Map<string, FollowFact>()
  for (const follow of follows) {
    if (!knownGuides.has(follow.userId)) continue
    const current = best.get(follow.externalUserId)
    if (!current || earlier(follow, current)) best.set(follow.externalUserId, follow)
  }
  return new Map([...best].map(([customer, follow]) => [customer, follow.userId]))
}

function earlier(a: FollowFact, b: FollowFact): boolean {
  const at = a.addedAt ?? Number.MAX_SAFE_INTEGER
  const bt = b.addedAt ?? Number.MAX_SAFE_INTEGER
  return at !== bt ? at < bt : a.userId < b.userId
}

export interface OpenTaskFact {
  id: string
  kind: TaskKind
  basis: number | null
  createdAt: number
}

/** Open tasks a purchase completed: she bought after what the task was waiting on. */
export function doneByPurchase(open: readonly OpenTaskFact[], orders: readonly OrderFact[], now: number): string[] {
  const last = lastOrder(orders.filter((o) => o.purchasedAt <= now))
  if (!last) return []
  return open.filter((t) => PURCHASE_KINDS.includes(t.kind) && last.purchasedAt > (t.basis ?? t.createdAt)).map((t) => t.id)
}

/** The day a task open on `today` has expired if it was due before. */
export function expiredBefore(today: string): string {
  return addDays(today, -GRACE_DAYS)
}
