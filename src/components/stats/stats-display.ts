/**
 * How her numbers read: money the way a shop floor says it (¥1.2万), the average order, the
 * share of her target, and the sparkline's SVG path. Pure: tests pass the numbers in.
 */
import { formatMoney } from '@/i18n/format'
import type { AppLocale } from '@/i18n'

/** Yuan without decimals from ¥10,000 up, in the locale's short form ("¥1.2万", "¥12K"). */
export function formatYuanShort(fen: number, target: AppLocale): string {
  if (Math.abs(fen) < 1_000_000) return formatMoney(fen, target)
  return new Intl.NumberFormat(target, {
    style: 'currency',
    currency: 'CNY',
    currencyDisplay: 'narrowSymbol',
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).format(fen / 100)
}

/** Sales over orders in whole fen; null when there were no orders (shown as —). */
export function averageOrderFen(salesFen: number, orders: number): number | null {
  return orders > 0 ? Math.round(salesFen / orders) : null
}

/** Her sales as a whole percent of the target (may pass 100); null without a target. */
export function targetPercent(salesFen: number, targetFen: number | null): number | null {
  if (targetFen === null || targetFen <= 0) return null
  return Math.floor((salesFen / targetFen) * 100)
}

/**
 * The sparkline's line through one value a day, in a `width` × `height` box with `pad`
 * kept free at top and bottom so the stroke is not cut. The lowest value sits on the
 * bottom (or zero, when every value is positive, so a good day does not look like a bad
 * one); a flat series is a flat line. Empty: no path.
 */
export function sparklinePath(values: readonly number[], width: number, height: number, pad = 2): string {
  if (values.length === 0) return ''
  const low = Math.min(0, ...values)
  const high = Math.max(...values)
  const span = high - low
  const usable = height - pad * 2
  const y = (v: number) => (span === 0 ? height - pad : pad + usable - ((v - low) / span) * usable)
  const x = (i: number) => (values.length === 1 ? width / 2 : (i / (values.length - 1)) * width)
  const round = (n: number) => Math.round(n * 10) / 10
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${round(x(i))},${round(y(v))}`).join(' ')
}

/** The same line closed down to the bottom edge, for the soft fill under it. */
export function sparklineArea(values: readonly number[], width: number, height: number, pad = 2): string {
  const line = sparklinePath(values, width, height, pad)
  if (!line || values.length < 2) return ''
  return `${line} L${width},${height} L0,${height} Z`
}
