/**
 * The targets and settings forms: what she types (元, %, HH:MM) against what the API keeps
 * (fen, basis points), and the month she is looking at. Pure, so tests pass the text and the clock in.
 */

/** ¥100,000,000: the most a target may be (the contract's limit, in yuan). */
export const MAX_TARGET_YUAN = 100_000_000
/** 50 %: the highest commission rate the API accepts (5000 bp). */
export const MAX_COMMISSION_PERCENT = 50

export type InputProblem = 'format' | 'negative' | 'tooLarge' | 'decimals'
export type Parsed = { ok: true; value: number | null } | { ok: false; problem: InputProblem }

/**
 * A decimal typed by hand, as a whole number of `1 / 10^decimals` units, without floating
 * point on the way (0.29 元 is 29 fen, never 28.999…). Empty: null (clears it).
 */
function parseDecimal(text: string, decimals: number, max: number): Parsed {
  const cleaned = text.replace(/[,，\s]/g, '')
  if (cleaned === '') return { ok: true, value: null }
  if (/^-\d*(\.\d*)?$/.test(cleaned) && /\d/.test(cleaned)) return { ok: false, problem: 'negative' }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned)
  if (!match || !/\d/.test(cleaned)) return { ok: false, problem: 'format' }
  const whole = match[1] ?? ''
  const fraction = match[2] ?? ''
  if (fraction.length > decimals) return { ok: false, problem: 'decimals' }
  const scale = 10 ** decimals
  const value = Number(whole || '0') * scale + Number(fraction.padEnd(decimals, '0') || '0')
  if (value > max * scale) return { ok: false, problem: 'tooLarge' }
  return { ok: true, value }
}

/** 元 as typed → fen; up to two decimals, 0 … ¥1亿. */
export function parseYuan(text: string): Parsed {
  return parseDecimal(text, 2, MAX_TARGET_YUAN)
}

/** Percent as typed → basis points; one decimal, 0 … 50 %. */
export function parsePercent(text: string): Parsed {
  const parsed = parseDecimal(text, 1, MAX_COMMISSION_PERCENT)
  return parsed.ok && parsed.value !== null ? { ok: true, value: parsed.value * 10 } : parsed
}

/** fen → what the 元 field shows: 1234500 → "12345", 1234550 → "12345.5", null → "". */
export function fenToYuanText(fen: number | null): string {
  if (fen === null) return ''
  const yuan = Math.trunc(fen / 100)
  const cents = Math.abs(fen % 100)
  return cents === 0 ? String(yuan) : `${yuan}.${String(cents).padStart(2, '0').replace(/0$/, '')}`
}

/** Basis points → what the % field shows: 300 → "3", 250 → "2.5", null → "". */
export function bpToPercentText(bp: number | null): string {
  if (bp === null) return ''
  const tenths = Math.round(bp / 10)
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)
}

/** The month it is in China ('YYYY-MM'): targets are China's calendar months. */
export function currentMonth(now: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(
    new Date(now),
  )
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}`
}

/** 'YYYY-MM' moved by whole months. */
export function shiftMonth(month: string, delta: number): string {
  const [year, mon] = month.split('-').map(Number) as [number, number]
  const index = year * 12 + (mon - 1) + delta
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** 'HH:MM' on a 24-hour clock, as the settings keep it. */
export function isClockTime(text: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text)
}
