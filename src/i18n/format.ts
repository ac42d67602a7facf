/** Numbers, money and dates in the guide's locale. Pure: tests pass `now` and `locale`. */
import type { AppLocale } from '.'

const DAY = 24 * 3600 * 1000

export function formatMoney(fen: number, target: AppLocale): string {
  const yuan = fen / 100
  return new Intl.NumberFormat(target, {
    style: 'currency',
    currency: 'CNY',
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: Number.isInteger(yuan) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(yuan)
}

export function formatNumber(value: number, target: AppLocale): string {
  return new Intl.NumberFormat(target).format(value)
}

export function formatDate(iso: string, target: AppLocale, now: number = Date.now()): string {
  const date = new Date(iso)
  const sameYear = date.getFullYear() === new Date(now).getFullYear()
  return new Intl.DateTimeFormat(
    target,
    sameYear ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' },
  ).format(date)
}

/** "12 天前", "3 个月前", "today": coarse on purpose, a guide wants a feel, not a timestamp. */
export function formatRelative(iso: string, target: AppLocale, now: number = Date.now()): string {
  const then = new Date(iso).getTime()
  const startOfToday = new Date(now)
  startOfToday.setHours(0, 0, 0, 0)
  const days = Math.round((startOfToday.getTime() - new Date(then).setHours(0, 0, 0, 0)) / DAY)
  const rtf = new Intl.RelativeTimeFormat(target, { numeric: 'auto' })
  if (days <= 0) {
    const minutes = Math.floor((now - then) / 60000)
    if (minutes < 1) return rtf.format(0, 'second')
    if (minutes < 60) return rtf.format(-minutes, 'minute')
    return rtf.format(-Math.round(minutes / 60), 'hour')
  }
  if (days < 30) return rtf.format(-days, 'day')
  if (days < 365) return rtf.format(-Math.round(days / 30), 'month')
  return rtf.format(-Math.round(days / 365), 'year')
}
