/**
 * Who may receive a coupon now, and until when: the week a guide's quota counts in, a
 * coupon's days in Shanghai, and the first reason that refuses her. Pure: the counts come
 * from the caller, read under the template's lock. And what a new reservation holds.
 */
import type { CouponRefusal } from '../../../shared/coupons'
import type { MemberLevel } from '../../../shared/customer'
import { randomUUID } from 'node:crypto'
import { newCode } from './codes'
import type { IssuanceRecord, TemplateRecord } from './coupons.mapper'

/** A reservation the app never confirmed goes back to stock after this long. */
export const RESERVATION_MS = 5 * 60 * 1000
const DAY_MS = 86_400_000
/** China has one time zone and no daylight saving: weeks and dates are UTC+8. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

/** Monday 00:00 in Shanghai of the week `now` falls in. */
export function weekStart(now: number): number {
  const local = now + SHANGHAI_OFFSET_MS
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7
  return dayStart - weekday * DAY_MS - SHANGHAI_OFFSET_MS
}

/** `YYYY-MM-DD` in Shanghai → the first (or, with `end`, the last) millisecond of that day. */
export function shanghaiDay(date: string, end = false): number {
  const start = Date.parse(`${date}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS
  return end ? start + DAY_MS - 1 : start
}

/** From when until when a coupon issued at `now` can be used. */
export function validityOf(template: TemplateRecord, now: number): { from: number | null; until: number | null } {
  if (template.validFrom && template.validTo) {
    return { from: shanghaiDay(template.validFrom), until: shanghaiDay(template.validTo, true) }
  }
  // N days after issue, to the end of that day in Shanghai: 1 day issued at 23:55 runs to
  // the end of tomorrow, never five minutes.
  const days = template.validDays ?? 30
  const local = now + SHANGHAI_OFFSET_MS
  return { from: now, until: Math.floor(local / DAY_MS) * DAY_MS + (days + 1) * DAY_MS - 1 - SHANGHAI_OFFSET_MS }
}

export function isActive(template: TemplateRecord, now: number): boolean {
  if (template.status !== 'active') return false
  return !template.validTo || shanghaiDay(template.validTo, true) >= now
}

export interface CustomerFacts {
  level: MemberLevel | null
  tags: string[]
  /** Orders the CRM has for her; 0 when she is not a member (nothing bought that we know of). */
  orderCount: number
}

export function isEligible(template: TemplateRecord, facts: CustomerFacts): boolean {
  const levels = template.eligibleLevels
  const tags = template.eligibleTags
  if (levels.length && (!facts.level || !levels.includes(facts.level))) return false
  if (tags.length && !tags.some((t) => facts.tags.includes(t))) return false
  return true
}

/** What already counts against this coupon for her and for this guide. */
export interface QuotaCounts {
  /** Her issuances of this coupon that still count against her limit. */
  holds: number
  /** This guide's issuances of this coupon since Monday. */
  guideUsed: number
}

/** Why this guide cannot send this coupon to her now, or null; checked in this order. */
export function refusalReason(
  template: TemplateRecord,
  facts: CustomerFacts,
  counts: QuotaCounts,
  now: number,
): CouponRefusal | null {
  if (!isActive(template, now)) return 'template_inactive'
  if (!isEligible(template, facts)) return 'not_eligible'
  if (template.maxOrders !== null && facts.orderCount > template.maxOrders) return 'too_many_orders'
  if (counts.holds >= template.perCustomerLimit) return 'customer_limit'
  if (counts.guideUsed >= template.guideWeeklyQuota) return 'guide_quota'
  if (template.stockLeft <= 0) return 'out_of_stock'
  return null
}

export const REFUSAL_MESSAGES: Record<CouponRefusal, string> = {
  out_of_stock: 'This coupon has run out',
  customer_limit: 'She already holds as many of this coupon as one customer may',
  guide_quota: 'You have sent your quota of this coupon for this week',
  not_eligible: 'Her member level or tags do not qualify for this coupon',
  too_many_orders: 'This coupon is for customers with fewer orders (a new-customer gift): she has bought too often',
  template_inactive: 'This coupon is paused or has ended',
}

/** A coupon reserved for her by this guide at `now`: held until confirmed, or given back. */
export function newReservation(
  template: TemplateRecord,
  to: { userId: string; externalUserId: string; idempotencyKey: string },
  now: number,
): IssuanceRecord {
  const validity = validityOf(template, now)
  return {
    // Time first, so new issuances land at the end of the id index, not on a random page
    // each (a flash sale's batch commit writes one page there instead of one per send).
    id: `ci_${now.toString(36).padStart(9, '0')}${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    templateId: template.id,
    code: newCode(),
    guideId: to.userId,
    externalUserId: to.externalUserId,
    idempotencyKey: to.idempotencyKey,
    status: 'reserved',
    reservedUntil: now + RESERVATION_MS,
    issuedAt: now,
    sentAt: null,
    claimedAt: null,
    redeemedAt: null,
    redeemedStoreId: null,
    releasedAt: null,
    releaseReason: null,
    validFrom: validity.from,
    validUntil: validity.until,
    orderId: null,
  }
}
