import { describe, expect, it } from 'vitest'
import { rowWindow } from '../../src/composables/useWindowedRows'
import { canShareToCustomers, wecomVersion } from '../../src/wecom'

const base = { count: 10_000, rowHeight: 64, scrollTop: 0, viewportHeight: 640, listTop: 200, overscan: 5 }

describe('rowWindow', () => {
  it('renders the rows in view and a few either side, at the top of the page', () => {
    // The list starts 200 px down: 440 px of it are in view, rows 0–6, plus 5 below.
    expect(rowWindow(base)).toEqual({ start: 0, end: 12, before: 0, after: (10_000 - 12) * 64 })
  })

  it('follows the scroll: 10,000 rows, a few dozen in the page, the rest as space', () => {
    const w = rowWindow({ ...base, scrollTop: 200 + 64 * 5000 + 10 })
    expect(w.start).toBe(5000 - 5)
    expect(w.end).toBe(5000 + 11 + 5)
    expect(w.end - w.start).toBeLessThan(30)
    expect(w.before).toBe(w.start * 64)
    expect(w.before + (w.end - w.start) * 64 + w.after).toBe(10_000 * 64)
  })

  it('stops at the last row and never goes negative', () => {
    expect(rowWindow({ ...base, count: 3, scrollTop: 5000 })).toEqual({ start: 3, end: 3, before: 192, after: 0 })
    expect(rowWindow({ ...base, count: 30, scrollTop: 200 + 64 * 28 })).toMatchObject({ start: 23, end: 30, after: 0 })
    expect(rowWindow({ ...base, count: 0 })).toEqual({ start: 0, end: 0, before: 0, after: 0 })
    expect(rowWindow({ ...base, viewportHeight: -1 })).toMatchObject({ start: 0, end: 5 })
  })
})

describe('canShareToCustomers', () => {
  const ua = (version: string) => `Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 wxwork/${version} MicroMessenger/7.0.1`
  it('needs WeCom 4.1.10 or later, where 群发 takes the customers she picked', () => {
    expect(wecomVersion(ua('4.1.30'))).toEqual([4, 1, 30])
    expect(canShareToCustomers(ua('4.1.30'))).toBe(true)
    expect(canShareToCustomers(ua('4.1.10'))).toBe(true)
    expect(canShareToCustomers(ua('4.2'))).toBe(true)
    expect(canShareToCustomers(ua('4.1.9'))).toBe(false)
    expect(canShareToCustomers(ua('3.1.20'))).toBe(false)
    expect(canShareToCustomers('Mozilla/5.0 (Windows NT 10.0) Chrome/120')).toBe(false)
  })
})
