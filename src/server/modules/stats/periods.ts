/**
 * The maths behind a guide's numbers, kept pure so it can be tested without a database:
 * her periods as China's calendar has them (UTC+8 all year), commission, rank, and when
 * a store's evening report is due.
 */
import { addDays, shanghaiDate } from '../../../shared/dates'
import type { StatsPeriod } from '../../../shared/stats'

const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

export interface PeriodRange {
  period: StatsPeriod
  /** First and last China day of the period, both included (YYYY-MM-DD). */
  from: string
  to: string
  /** Instants: the start of `from` in China, and the start of the day after `to` (excluded). */
  fromMs: number
  toMs: number
  /** Every day of the period, oldest first: one point each in the sparkline. */
  days: string[]
}

/** Midnight in China at the start of `date`, as epoch milliseconds. */
export function chinaDayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS
}

/**
 * The China day an instant falls on, counted in whole days since 1970-01-01 (China).
 * The same number SQL computes as `(ms + 8 h) / 1 day` in integer division.
 */
export function chinaDayNumber(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS)
}

export function dayNumberDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
}

/** The Monday of the week `date` lies in (weeks run Monday to Sunday in China). */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((weekday + 6) % 7))
}

/** YYYY-MM of a date: the month a target is set for. */
export function monthOf(date: string): string {
  return date.slice(0, 7)
}

/** day: today; week: Monday to today; month: the 1st to today. Never a day past today. */
export function periodRange(period: StatsPeriod, now: number): PeriodRange {
  const today = shanghaiDate(now)
  const from = period === 'day' ? today : period === 'week' ? mondayOf(today) : `${monthOf(today)}-01`
  const days: string[] = []
  for (let day = from; day <= today; day = addDays(day, 1)) days.push(day)
  return { period, from, to: today, fromMs: chinaDayStart(from), toMs: chinaDayStart(addDays(today, 1)), days }
}

/**
 * 预估 commission: sales times the store's rate in basis points, rounded half up to the
 * fen. Integer arithmetic, so 0.5 fen never becomes 0.49999 on the way. No rate, none.
 */
export function commissionFen(salesFen: number, basisPoints: number | null): number {
  if (!basisPoints || basisPoints <= 0 || salesFen <= 0) return 0
  return Math.floor((salesFen * basisPoints + 5_000) / 10_000)
}

/**
 * Her place among `guides` by sales, highest first. Ties share a place and the next
 * place is skipped ("1, 2, 2, 4"): a guide never looks better because a colleague sold
 * exactly as much. A guide who sold nothing still ranks (last, with the others at 0).
 */
export function rankAmong(
  sales: ReadonlyMap<string, number>,
  guides: readonly string[],
  me: string,
): { position: number; of: number } {
  const group = guides.includes(me) ? guides : [...guides, me]
  const mine = sales.get(me) ?? 0
  const ahead = group.filter((id) => (sales.get(id) ?? 0) > mine).length
  return { position: ahead + 1, of: group.length }
}

export const DEFAULT_EVENING_REPORT_AT = '21:00'

/** A store's report time as minutes after midnight; anything not `HH:MM` means the default. */
export function reportMinute(reportAt: string | null): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(reportAt ?? '') ?? /^(\d\d):(\d\d)$/.exec(DEFAULT_EVENING_REPORT_AT)!
  return Number(match[1]) * 60 + Number(match[2])
}

/** True from the store's report time until midnight, China time: the day's report may go. */
export function reportDue(reportAt: string | null, now: number): boolean {
  const minuteOfDay = Math.floor(((now + SHANGHAI_OFFSET_MS) % DAY_MS) / 60_000)
  return minuteOfDay >= reportMinute(reportAt)
}
