/** Numbers, money and dates in the guide's locale. Pure: tests pass `now` and `locale`. */
import type { AppLocale } from '.'

const DAY = 24 * 3600 * 1000

/**
 * Intl formatters are costly to make (each one loads locale data; her profile formats a
 * few dozen dates and prices, which cost ~150 ms on a slow phone when each made its own)
 * and cheap to reuse, so there is one per locale and options.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>()

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined
  if (!formatter) {
    formatter = make()
    formatters.set(key, formatter)
  }
  return formatter
}

export function formatMoney(fen: number, target: AppLocale): string {
  const yuan = fen / 100
  const whole = Number.isInteger(yuan)
  return cached(
    `money:${target}:${whole}`,
    () =>
      new Intl.NumberFormat(target, {
        style: 'currency',
        currency: 'CNY',
        currencyDisplay: 'narrowSymbol',
        minimumFractionDigits: whole ? 0 : 2,
        maximumFractionDigits: 2,
      }),
  ).format(yuan)
}

export function formatNumber(value: number, target: AppLocale): string {
  return cached(`number:${target}`, () => new Intl.NumberFormat(target)).format(value)
}

export function formatDate(iso: string, target: AppLocale, now: number = Date.now()): string {
  const date = new Date(iso)
  const sameYear = date.getFullYear() === new Date(now).getFullYear()
  return cached(
    `date:${target}:${sameYear}`,
    () =>
      new Intl.DateTimeFormat(
        target,
        sameYear ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' },
      ),
  ).format(date)
}

type RelativeUnit = 'minute' | 'hour' | 'day' | 'month' | 'year'

/**
 * Relative times, worded as `Intl.RelativeTimeFormat(locale, { numeric: 'auto' })` words
 * them (a unit test holds the two together). Our own because the first Intl formatter of
 * a page loads its locale data: ~200 ms of a slow phone's CPU, spent between her profile's
 * arrival and her name on screen (tests/bench/name-paint.ts).
 */
const RELATIVE: Record<AppLocale, { now: string; ago: (n: number, unit: RelativeUnit) => string }> = {
  'zh-CN': {
    now: '现在',
    ago: (n, unit) => {
      if (n === 1) return { minute: '1分钟前', hour: '1小时前', day: '昨天', month: '上个月', year: '去年' }[unit]
      if (n === 2 && unit === 'day') return '前天'
      return `${n}${{ minute: '分钟', hour: '小时', day: '天', month: '个月', year: '年' }[unit]}前`
    },
  },
  'en-US': {
    now: 'now',
    ago: (n, unit) => {
      if (n === 1)
        return { minute: '1 minute ago', hour: '1 hour ago', day: 'yesterday', month: 'last month', year: 'last year' }[unit]
      return `${n} ${unit}s ago`
    },
  },
}

/** "12天前", "3个月前", "now": coarse on purpose, a guide wants a feel, not a timestamp. */
export function formatRelative(iso: string, target: AppLocale, now: number = Date.now()): string {
  const then = new Date(iso).getTime()
  const startOfToday = new Date(now)
  startOfToday.setHours(0, 0, 0, 0)
  const days = Math.round((startOfToday.getTime() - new Date(then).setHours(0, 0, 0, 0)) / DAY)
  const words = RELATIVE[target]
  if (days <= 0) {
    const minutes = Math.floor((now - then) / 60000)
    if (minutes < 1) return words.now
    if (minutes < 60) return words.ago(minutes, 'minute')
    return words.ago(Math.round(minutes / 60), 'hour')
  }
  if (days < 30) return words.ago(days, 'day')
  if (days < 365) return words.ago(Math.round(days / 30), 'month')
  return words.ago(Math.round(days / 365), 'year')
}
