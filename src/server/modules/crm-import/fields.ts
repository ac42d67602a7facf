/**
 * Field parsers for CRM files: each returns the value or throws a FieldError whose
 * message becomes the row's rejection reason. Lenient where spreadsheets are messy
 * (spaces, "¥", thousands separators, Chinese level names), strict about meaning.
 */
import { MEMBER_LEVELS, type MemberLevel } from '../../../shared/customer'
import { isExternalUserId } from '../../../shared/ids'

export class FieldError extends Error {
  override name = 'FieldError'
}

export function text(value: string, column: string, options: { max: number; required?: boolean }): string | null {
  const v = value.trim()
  if (!v) {
    if (options.required) throw new FieldError(`${column} is empty`)
    return null
  }
  if (v.length > options.max) throw new FieldError(`${column} is longer than ${options.max} characters`)
  return v
}

export function required(value: string, column: string, max: number): string {
  return text(value, column, { max, required: true })!
}

const KEY_RE = /^[A-Za-z0-9_.:-]{1,64}$/

/** An external key (member id, order id, product id): letters, digits and `_.:-`. */
export function key(value: string, column: string, options: { required?: boolean } = {}): string | null {
  const v = value.trim()
  if (!v) {
    if (options.required) throw new FieldError(`${column} is empty`)
    return null
  }
  if (!KEY_RE.test(v)) throw new FieldError(`${column} "${v}" may only hold letters, digits and _ . : -`)
  return v
}

export function integer(value: string, column: string, options: { min?: number; max?: number; fallback?: number } = {}): number {
  const v = value.trim().replace(/,/g, '')
  if (!v) {
    if (options.fallback !== undefined) return options.fallback
    throw new FieldError(`${column} is empty`)
  }
  if (!/^-?\d+$/.test(v)) throw new FieldError(`${column} "${value.trim()}" is not a whole number`)
  const n = Number(v)
  if (options.min !== undefined && n < options.min) throw new FieldError(`${column} must be at least ${options.min}`)
  if (options.max !== undefined && n > options.max) throw new FieldError(`${column} must be at most ${options.max}`)
  return n
}

/** Yuan as written in a spreadsheet ("1,299.00", "¥899") → fen. */
export function money(value: string, column: string, options: { fallback?: number } = {}): number {
  const v = value.trim().replace(/[¥￥,\s]/g, '')
  if (!v) {
    if (options.fallback !== undefined) return options.fallback
    throw new FieldError(`${column} is empty`)
  }
  if (!/^\d+(\.\d{1,2})?$/.test(v)) throw new FieldError(`${column} "${value.trim()}" is not an amount in yuan`)
  const fen = Math.round(Number(v) * 100)
  if (fen > 100_000_000_00) throw new FieldError(`${column} is implausibly large`)
  return fen
}

const LEVEL_ALIASES: Record<string, MemberLevel> = {
  普通: 'normal',
  普通会员: 'normal',
  银卡: 'silver',
  银卡会员: 'silver',
  金卡: 'gold',
  金卡会员: 'gold',
  铂金: 'platinum',
  铂金会员: 'platinum',
  白金: 'platinum',
}

export function level(value: string, column: string): MemberLevel {
  const v = value.trim()
  if (!v) return 'normal'
  const lower = v.toLowerCase()
  if ((MEMBER_LEVELS as readonly string[]).includes(lower)) return lower as MemberLevel
  const alias = LEVEL_ALIASES[v]
  if (alias) return alias
  throw new FieldError(`${column} "${v}" is not one of ${MEMBER_LEVELS.join(', ')} (or 普通/银卡/金卡/铂金)`)
}

/** A mainland mobile number, stored as 11 digits; "+86 138-0013-8000" is accepted. */
export function phone(value: string, column: string): string | null {
  const v = value.trim()
  if (!v) return null
  const digits = v.replace(/[\s-]/g, '').replace(/^(\+?86)/, '')
  if (!/^1\d{10}$/.test(digits)) throw new FieldError(`${column} "${v}" is not a mobile number`)
  return digits
}

/** "05-12" or "1990-05-12" (a year is kept when given). */
export function birthday(value: string, column: string): string | null {
  const v = value.trim().replace(/\//g, '-')
  if (!v) return null
  const m = /^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$/.exec(v)
  if (!m) throw new FieldError(`${column} "${value.trim()}" is not a date like 05-12 or 1990-05-12`)
  const month = Number(m[2])
  const day = Number(m[3])
  const year = m[1] ? Number(m[1]) : 2000
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || (m[1] && (year < 1900 || year > 2100))) {
    throw new FieldError(`${column} "${value.trim()}" is not a real date`)
  }
  const md = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  return m[1] ? `${m[1]}-${md}` : md
}

/** An instant: ISO 8601, or "2026-11-25 14:30[:00]" / "2026/11/25" read as China time. */
export function instant(value: string, column: string): number {
  const v = value.trim()
  if (!v) throw new FieldError(`${column} is empty`)
  let ms: number
  const local = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v)
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = local
    ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h) - 8, Number(mi), Number(s))
    const check = new Date(ms + 8 * 3600_000)
    if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1)
      throw new FieldError(`${column} "${v}" is not a real date`)
  } else {
    ms = Date.parse(v)
    if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(ms)) throw new FieldError(`${column} "${v}" is not a date and time`)
  }
  if (ms < Date.UTC(2000, 0, 1) || ms > Date.now() + 86_400_000) throw new FieldError(`${column} "${v}" is out of range`)
  return ms
}

export function boolean(value: string, column: string): boolean {
  const v = value.trim().toLowerCase()
  if (['', '0', 'false', 'no', 'n', '否'].includes(v)) return false
  if (['1', 'true', 'yes', 'y', '是'].includes(v)) return true
  throw new FieldError(`${column} "${value.trim()}" is not yes/no`)
}

/** "通勤|度假" or "通勤、度假" or "通勤；度假". */
export function list(value: string, column: string, options: { max: number; itemMax: number }): string[] {
  const items = value
    .split(/[|、;；]/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length > options.max) throw new FieldError(`${column} has more than ${options.max} entries`)
  for (const item of items) if (item.length > options.itemMax) throw new FieldError(`${column} entry "${item}" is too long`)
  return [...new Set(items)]
}

export function externalUserId(value: string, column: string, options: { required?: boolean } = {}): string | null {
  const v = value.trim()
  if (!v) {
    if (options.required) throw new FieldError(`${column} is empty`)
    return null
  }
  if (!isExternalUserId(v)) throw new FieldError(`${column} "${v}" is not a WeCom external user id`)
  return v
}

const CATEGORIES = ['top', 'bottom', 'dress', 'outerwear', 'shoes', 'bag', 'accessory'] as const
const CATEGORY_ALIASES: Record<string, (typeof CATEGORIES)[number]> = {
  上装: 'top',
  上衣: 'top',
  下装: 'bottom',
  裤装: 'bottom',
  裙装: 'dress',
  连衣裙: 'dress',
  外套: 'outerwear',
  鞋: 'shoes',
  鞋履: 'shoes',
  包: 'bag',
  包袋: 'bag',
  配饰: 'accessory',
}

export function category(value: string, column: string): string {
  const v = value.trim()
  const lower = v.toLowerCase()
  if ((CATEGORIES as readonly string[]).includes(lower)) return lower
  const alias = CATEGORY_ALIASES[v]
  if (alias) return alias
  throw new FieldError(`${column} "${v}" is not one of ${CATEGORIES.join(', ')}`)
}

export function url(value: string, column: string): string | null {
  const v = value.trim()
  if (!v) return null
  if (v.startsWith('/') && !v.startsWith('//')) return v
  try {
    const u = new URL(v)
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.href
  } catch {
    // fall through
  }
  throw new FieldError(`${column} "${v}" is not an http(s) URL or a path`)
}

/** A colour swatch: "#1F1F1F", "1f1f1f" or "#222", kept as "#1f1f1f". */
export function hexColor(value: string, column: string): string | null {
  const v = value.trim().replace(/^#/, '').toLowerCase()
  if (!v) return null
  if (/^[0-9a-f]{6}$/.test(v)) return `#${v}`
  if (/^[0-9a-f]{3}$/.test(v)) return `#${[...v].map((c) => c + c).join('')}`
  throw new FieldError(`${column} "${value.trim()}" is not a colour like #1F1F1F`)
}
