import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { enUSDesk } from '../../src/i18n/desk.en-US'
import { zhCNDesk } from '../../src/i18n/desk.zh-CN'
import { enUS } from '../../src/i18n/en-US'
import { formatDate, formatMoney, formatRelative } from '../../src/i18n/format'
import { detectLocale, translate } from '../../src/i18n'
import { zhCN } from '../../src/i18n/zh-CN'
import { NOW } from '../helpers/fixtures'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

/** Every source file outside the desk: what a guide's screens can show. */
function sidebarSources(dir = path.resolve(import.meta.dirname, '../../src')): string[] {
  const desk = ['i18n', 'components/desk', 'components/manage', 'pages/manage', 'server'].map((d) =>
    path.resolve(import.meta.dirname, '../../src', d),
  )
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (desk.includes(full)) return []
    if (entry.isDirectory()) return sidebarSources(full)
    return /\.(vue|ts)$/.test(entry.name) ? [full] : []
  })
}

describe('messages', () => {
  it('has every key in both languages, with the same placeholders', () => {
    expect(Object.keys(enUS).sort()).toEqual(Object.keys(zhCN).sort())
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(enUS[key]), key).toEqual(placeholders(zhCN[key]))
    }
  })

  it('has every desk key in both languages, and none in the sidebar dictionary too', () => {
    expect(Object.keys(enUSDesk).sort()).toEqual(Object.keys(zhCNDesk).sort())
    for (const key of Object.keys(zhCNDesk) as (keyof typeof zhCNDesk)[]) {
      expect(placeholders(enUSDesk[key]), key).toEqual(placeholders(zhCNDesk[key]))
      expect(key in zhCN, key).toBe(false)
    }
  })

  it('keeps the words a guide can see in the dictionary she loads: no screen outside the desk uses a desk-only key', () => {
    const deskKeys = new Set(Object.keys(zhCNDesk))
    const files = sidebarSources()
    expect(files.length).toBeGreaterThan(50)
    const misplaced = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/'([\w.]+)'/g)]
        .filter((m) => deskKeys.has(m[1]!))
        .map((m) => `${path.relative(process.cwd(), file)}: ${m[1]}`),
    )
    expect(misplaced).toEqual([])
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'customer.orderCount', { count: 3 })).toBe('累计 3 单')
    expect(translate('en-US', 'customer.orderCount', { count: 3 })).toBe('3 orders')
    expect(translate('zh-CN', 'customer.orderCount')).toBe('累计 {count} 单')
  })
})

describe('detectLocale', () => {
  it('is Chinese by default, English when chosen or when WeCom runs in English', () => {
    expect(detectLocale('', 'Mozilla/5.0 wxwork/4.1.30 Language/zh')).toBe('zh-CN')
    expect(detectLocale('', 'Mozilla/5.0 (X11) Chrome/120')).toBe('zh-CN')
    expect(detectLocale('', 'Mozilla/5.0 wxwork/4.1.30 MicroMessenger/7.0.1 Language/en ColorScheme/Light')).toBe('en-US')
    expect(detectLocale('a=1; gs_lang=en-US', 'wxwork Language/zh')).toBe('en-US')
    expect(detectLocale('gs_lang=zh-CN', 'wxwork Language/en')).toBe('zh-CN')
    expect(detectLocale('gs_lang=fr-FR', '')).toBe('zh-CN')
  })
})

describe('formatting', () => {
  it('formats yuan from fen', () => {
    expect(formatMoney(129900, 'zh-CN')).toBe('¥1,299')
    expect(formatMoney(12990, 'zh-CN')).toBe('¥129.90')
    expect(formatMoney(0, 'en-US')).toBe('¥0')
  })

  it('says how long ago, coarsely', () => {
    const ago = (ms: number) => new Date(NOW - ms).toISOString()
    expect(formatRelative(ago(20_000), 'zh-CN', NOW)).toBe('现在')
    expect(formatRelative(ago(5 * 60_000), 'en-US', NOW)).toBe('5 minutes ago')
    expect(formatRelative(ago(3 * 86_400_000), 'zh-CN', NOW)).toBe('3天前')
    expect(formatRelative(ago(400 * 86_400_000), 'en-US', NOW)).toBe('last year')
  })

  it('words relative times exactly as Intl.RelativeTimeFormat does, in both languages', () => {
    const units = [
      ['minute', 60_000, [1, 2, 3, 59]],
      ['hour', 3_600_000, [1, 2, 5, 23]],
      ['day', 86_400_000, [1, 2, 3, 29]],
      ['month', 30 * 86_400_000, [1, 2, 11]],
      ['year', 365 * 86_400_000, [1, 2, 5]],
    ] as const
    // Noon, so whole hours back stay today and whole days back land on their calendar day.
    const noon = new Date(2026, 5, 15, 12).getTime()
    for (const target of ['zh-CN', 'en-US'] as const) {
      const intl = new Intl.RelativeTimeFormat(target, { numeric: 'auto' })
      expect(formatRelative(new Date(noon).toISOString(), target, noon)).toBe(intl.format(0, 'second'))
      for (const [unit, ms, counts] of units) {
        for (const n of counts) {
          if (unit === 'hour' && n > 11) continue
          expect(formatRelative(new Date(noon - n * ms).toISOString(), target, noon), `${n} ${unit}`).toBe(intl.format(-n, unit))
        }
      }
    }
  })

  it('leaves the year out for dates this year', () => {
    expect(formatDate('2026-03-02T04:00:00.000Z', 'zh-CN', NOW)).toBe('3月2日')
    expect(formatDate('2025-03-02T04:00:00.000Z', 'zh-CN', NOW)).toBe('2025年3月2日')
  })
})
