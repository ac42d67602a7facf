/**
 * Calendar days as guides and customers live them: in China (UTC+8 all year, no daylight
 * saving), whatever zone the server or the browser runs in. Dates are `YYYY-MM-DD`.
 */

const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

/** The day `ms` falls on in Shanghai. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)
}

/** A real calendar date: 2026-02-30 matches the pattern but is not one. */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false
  const parsed = new Date(`${date}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date
}

/** A birthday as `YYYY-MM-DD` or `MM-DD`: a real day (29 February only in a leap year, or with no year). */
export function isBirthday(value: string): boolean {
  return isCalendarDate(/^\d{2}-\d{2}$/.test(value) ? `2000-${value}` : value)
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** The same day `months` later, or that month's last day (01-31 + 1 month → 02-28). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(year, month - 1 + months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(day, lastDay))
  return target.toISOString().slice(0, 10)
}
