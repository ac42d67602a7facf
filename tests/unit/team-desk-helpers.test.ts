import { describe, expect, it } from 'vitest'
import {
  bpToPercentText,
  currentMonth,
  fenToYuanText,
  isClockTime,
  parsePercent,
  parseYuan,
  shiftMonth,
} from '../../src/components/desk/team/target-form'
import { nextSort, sentCount, sortGuides, targetShare, teamBlocks } from '../../src/components/desk/team/team-table'
import type { TeamGuideStats, TeamStats, TeamTotals } from '../../src/shared/team'

const zero = {
  salesFen: 0,
  orders: 0,
  customersAdded: 0,
  customersLost: 0,
  tasksDone: 0,
  tasksOverdue: 0,
  repliesSent: 0,
  bundlesSent: 0,
  bundlesOpened: 0,
  couponsSent: 0,
  couponsClaimed: 0,
  couponsRedeemed: 0,
  targetFen: null,
  commissionFen: 0,
  series: [],
}
const guide = (userId: string, name: string, storeId: string | null, extra: Partial<TeamGuideStats> = {}): TeamGuideStats => ({
  ...zero,
  userId,
  name,
  storeId,
  ...extra,
})
const totals = (extra: Partial<TeamTotals> = {}): TeamTotals => ({ ...zero, ...extra })
const collator = new Intl.Collator('zh-CN')

describe('the team table', () => {
  it('rounds the share of a target to the nearest percent, and has none without a target', () => {
    expect(targetShare(296, 10_000)).toBe(3)
    expect(targetShare(294, 10_000)).toBe(3)
    expect(targetShare(249, 10_000)).toBe(2)
    expect(targetShare(62_500, 100_000)).toBe(63)
    expect(targetShare(150_000, 100_000)).toBe(150)
    expect(targetShare(5, null)).toBeNull()
    expect(targetShare(5, 0)).toBeNull()
  })

  it('counts replies, bundles and coupons together as sent', () => {
    expect(sentCount({ ...zero, repliesSent: 3, bundlesSent: 2, couponsSent: 1 })).toBe(6)
  })

  it('flips the column clicked again, and starts another with the biggest first', () => {
    expect(nextSort({ field: 'salesFen', direction: 'desc' }, 'salesFen')).toEqual({ field: 'salesFen', direction: 'asc' })
    expect(nextSort({ field: 'salesFen', direction: 'asc' }, 'salesFen')).toEqual({ field: 'salesFen', direction: 'desc' })
    expect(nextSort({ field: 'salesFen', direction: 'asc' }, 'orders')).toEqual({ field: 'orders', direction: 'desc' })
  })

  it('sorts either way, ties by name, and rows without a target last either way', () => {
    const rows = [
      guide('a', 'Bo', 's1', { salesFen: 100, targetFen: 1000 }),
      guide('b', 'Al', 's1', { salesFen: 100 }),
      guide('c', 'Cy', 's1', { salesFen: 300, targetFen: 1000 }),
    ]
    expect(sortGuides(rows, { field: 'salesFen', direction: 'desc' }, collator).map((r) => r.userId)).toEqual(['c', 'b', 'a'])
    expect(sortGuides(rows, { field: 'salesFen', direction: 'asc' }, collator).map((r) => r.userId)).toEqual(['b', 'a', 'c'])
    expect(sortGuides(rows, { field: 'targetPercent', direction: 'desc' }, collator).map((r) => r.userId)).toEqual([
      'c',
      'a',
      'b',
    ])
    expect(sortGuides(rows, { field: 'targetPercent', direction: 'asc' }, collator).map((r) => r.userId)).toEqual(['a', 'c', 'b'])
  })

  it('groups by store with a subtotal when there are several, guides of no listed store last', () => {
    const stats: TeamStats = {
      period: 'month',
      from: '2026-11-01',
      to: '2026-11-30',
      guides: [guide('a', 'A', 's1'), guide('b', 'B', 's2'), guide('c', 'C', null)],
      stores: [
        { id: 's2', name: 'Two', totals: totals() },
        { id: 's1', name: 'One', totals: totals() },
      ],
      totals: totals(),
    }
    const blocks = teamBlocks(stats, { field: 'salesFen', direction: 'desc' }, collator)
    expect(blocks.map((b) => [b.store?.id ?? null, b.guides.map((g) => g.userId)])).toEqual([
      ['s2', ['b']],
      ['s1', ['a']],
      [null, ['c']],
    ])
    const one = teamBlocks({ ...stats, stores: stats.stores.slice(0, 1) }, { field: 'salesFen', direction: 'desc' }, collator)
    expect(one).toHaveLength(1)
    expect(one[0]?.store).toBeNull()
  })
})

describe('the targets form', () => {
  it('reads yuan as fen without floating point, empty as clearing it', () => {
    expect(parseYuan('0.29')).toEqual({ ok: true, value: 29 })
    expect(parseYuan('12,345.5')).toEqual({ ok: true, value: 1_234_550 })
    expect(parseYuan(' 80000 ')).toEqual({ ok: true, value: 8_000_000 })
    expect(parseYuan('.5')).toEqual({ ok: true, value: 50 })
    expect(parseYuan('')).toEqual({ ok: true, value: null })
    expect(parseYuan('100000000')).toEqual({ ok: true, value: 10_000_000_000 })
  })

  it('refuses what is not a target', () => {
    expect(parseYuan('-5')).toEqual({ ok: false, problem: 'negative' })
    expect(parseYuan('1.234')).toEqual({ ok: false, problem: 'decimals' })
    expect(parseYuan('100000000.01')).toEqual({ ok: false, problem: 'tooLarge' })
    expect(parseYuan('abc')).toEqual({ ok: false, problem: 'format' })
    expect(parseYuan('.')).toEqual({ ok: false, problem: 'format' })
    expect(parseYuan('1e5')).toEqual({ ok: false, problem: 'format' })
  })

  it('reads a rate as basis points, one decimal, up to 50 %', () => {
    expect(parsePercent('3')).toEqual({ ok: true, value: 300 })
    expect(parsePercent('2.5')).toEqual({ ok: true, value: 250 })
    expect(parsePercent('0')).toEqual({ ok: true, value: 0 })
    expect(parsePercent('')).toEqual({ ok: true, value: null })
    expect(parsePercent('2.55')).toEqual({ ok: false, problem: 'decimals' })
    expect(parsePercent('50.1')).toEqual({ ok: false, problem: 'tooLarge' })
  })

  it('shows what the server keeps the way she would type it', () => {
    expect(fenToYuanText(1_234_500)).toBe('12345')
    expect(fenToYuanText(1_234_550)).toBe('12345.5')
    expect(fenToYuanText(1_234_505)).toBe('12345.05')
    expect(fenToYuanText(0)).toBe('0')
    expect(fenToYuanText(null)).toBe('')
    expect(bpToPercentText(300)).toBe('3')
    expect(bpToPercentText(250)).toBe('2.5')
    expect(bpToPercentText(null)).toBe('')
  })

  it("takes this month from China's calendar and steps over year ends", () => {
    // 2026-11-30 17:00 UTC is already 1 December in Shanghai.
    expect(currentMonth(Date.UTC(2026, 10, 30, 17))).toBe('2026-12')
    expect(currentMonth(Date.UTC(2026, 10, 30, 15))).toBe('2026-11')
    expect(shiftMonth('2026-12', 1)).toBe('2027-01')
    expect(shiftMonth('2026-01', -1)).toBe('2025-12')
    expect(shiftMonth('2026-05', -17)).toBe('2024-12')
  })

  it('takes a 24-hour HH:MM only', () => {
    expect(isClockTime('21:00')).toBe(true)
    expect(isClockTime('9:00')).toBe(false)
    expect(isClockTime('24:00')).toBe(false)
  })
})
