/**
 * The customer list's query as the repository takes it: filters turned into instants and
 * values ("within 30 days" is since this moment 30 days ago; a birthday month is China's),
 * and the opaque cursor, which names its sort.
 */
import type { CustomerListQuery, CustomerSort } from '../../../shared/customer'
import { shanghaiDate } from '../../../shared/dates'
import { hasControlCharacters } from '../../../shared/text'
import { ApiError } from '../../http/errors'
import type { CustomerFilter, ListCursor } from './customers.repository'

const DAY_MS = 24 * 3600 * 1000

/** The query's filters as the database compares them; this / next month turn over at midnight in Shanghai. */
export function listFilter(query: CustomerListQuery, now: number): CustomerFilter {
  const daysAgo = (days: number) => now - days * DAY_MS
  const filter: CustomerFilter = { q: query.q, tag: query.tag, level: query.level, addWay: query.source }
  switch (query.lastPurchase) {
    case 'never':
      filter.purchase = { kind: 'never' }
      break
    case 'within30':
      filter.purchase = { kind: 'since', at: daysAgo(30) }
      break
    case 'within90':
      filter.purchase = { kind: 'since', at: daysAgo(90) }
      break
    case 'over180':
      filter.purchase = { kind: 'before', at: daysAgo(180) }
      break
  }
  switch (query.lastContact) {
    case 'within7':
      filter.contact = { kind: 'since', since: daysAgo(7) }
      break
    case 'within30':
      filter.contact = { kind: 'since', since: daysAgo(30) }
      break
    case 'over30':
      filter.contact = { kind: 'ever-but-not-since', since: daysAgo(30) }
      break
    case 'never':
      filter.contact = { kind: 'never' }
      break
  }
  if (query.birthdayMonth !== undefined) filter.birthdayMonth = birthdayMonthOf(query.birthdayMonth, now)
  if (query.hasCoupon !== undefined) filter.coupon = { held: query.hasCoupon, now }
  return filter
}

/** `this`, `next` or `1`…`12` → `01`…`12`, in China's calendar. */
export function birthdayMonthOf(value: string, now: number): string {
  const thisMonth = Number(shanghaiDate(now).slice(5, 7))
  const month = value === 'this' ? thisMonth : value === 'next' ? (thisMonth % 12) + 1 : Number(value)
  return String(month).padStart(2, '0')
}

/** Opaque to the app; it names its sort, so a cursor is never read against another order. */
export function encodeCursor(sort: CustomerSort, cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([sort, cursor.key, cursor.externalUserId])).toString('base64url')
}

export function decodeCursor(raw: string | undefined, sort: CustomerSort): ListCursor | undefined {
  if (!raw) return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    value = null
  }
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    typeof value[0] !== 'string' ||
    !Number.isSafeInteger(value[1]) ||
    typeof value[2] !== 'string' ||
    hasControlCharacters(value[2])
  ) {
    throw ApiError.badRequest('cursor is not one this API returned')
  }
  if (value[0] !== sort)
    throw ApiError.badRequest(`cursor belongs to sort=${String(value[0])}, not sort=${sort}; start again without it`)
  return { key: value[1] as number, externalUserId: value[2] }
}
