import { describe, expect, it } from 'vitest'
import {
  averageOrderFen,
  formatYuanShort,
  sparklineArea,
  sparklinePath,
  targetPercent,
} from '../../src/components/stats/stats-display'

describe('money on the numbers tab', () => {
  it('keeps small sums exact and says large ones the short way', () => {
    expect(formatYuanShort(129900, 'zh-CN')).toBe('¥1,299')
    expect(formatYuanShort(999_999, 'zh-CN')).toBe('¥9,999.99')
    expect(formatYuanShort(1_200_000, 'zh-CN')).toBe('¥1.2万')
    expect(formatYuanShort(1_000_000, 'zh-CN')).toBe('¥1万')
    expect(formatYuanShort(1_234_500, 'en-US')).toBe('¥12.3K')
  })

  it('averages an order in whole fen, and has none without orders', () => {
    expect(averageOrderFen(100000, 3)).toBe(33333)
    expect(averageOrderFen(0, 0)).toBeNull()
  })

  it('gives the share of the target in whole percent, past 100 too, and none without a target', () => {
    expect(targetPercent(62_500, 100_000)).toBe(62)
    expect(targetPercent(150_000, 100_000)).toBe(150)
    expect(targetPercent(5, null)).toBeNull()
    expect(targetPercent(5, 0)).toBeNull()
  })
})

describe('sparkline path', () => {
  it('spreads the days across the width, zero on the bottom and the best day on top', () => {
    // 100 × 20 box, 2 kept free top and bottom: y runs from 18 (zero) to 2 (the maximum).
    expect(sparklinePath([0, 50, 100], 100, 20)).toBe('M0,18 L50,10 L100,2')
    expect(sparklinePath([100, 0, 0, 100], 90, 20)).toBe('M0,2 L30,18 L60,18 L90,2')
  })

  it('measures from zero, so a steady run of sales is not drawn as a slump', () => {
    expect(sparklinePath([80, 100], 10, 20)).toBe('M0,5.2 L10,2')
  })

  it('draws a flat line for a flat series, a point for one day, nothing for none', () => {
    expect(sparklinePath([0, 0, 0], 100, 20)).toBe('M0,18 L50,18 L100,18')
    expect(sparklinePath([300], 100, 20)).toBe('M50,2')
    expect(sparklinePath([], 100, 20)).toBe('')
  })

  it('closes the fill under the line down to the bottom edge', () => {
    expect(sparklineArea([0, 100], 100, 20)).toBe('M0,18 L100,2 L100,20 L0,20 Z')
    expect(sparklineArea([100], 100, 20)).toBe('')
  })
})
