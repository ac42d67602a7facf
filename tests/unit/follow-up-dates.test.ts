import { describe, expect, it } from 'vitest'
import { followUpPicks, followUpToday } from '../../src/components/memory/follow-up-dates'
import { addDays, addMonths, isBirthday, isCalendarDate, shanghaiDate } from '../../src/shared/dates'

describe('dates in China', () => {
  it('counts the day in Shanghai, whatever the zone of the machine', () => {
    expect(shanghaiDate(Date.parse('2026-11-25T15:59:59Z'))).toBe('2026-11-25')
    expect(shanghaiDate(Date.parse('2026-11-25T16:00:00Z'))).toBe('2026-11-26')
  })

  it('knows a real date from one that only looks like it', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true)
    expect(isCalendarDate('2026-02-29')).toBe(false)
    expect(isCalendarDate('2026-13-01')).toBe(false)
    expect(isCalendarDate('26-1-1')).toBe(false)
  })

  it('adds days across months and years, and months to the end of a shorter month', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15')
  })
})

describe('follow-up quick picks', () => {
  it('are tomorrow, in 3 days, next week and next month, from today in China', () => {
    // 20:00 UTC on 30 Jan is already 31 Jan in Shanghai.
    const now = Date.parse('2026-01-30T20:00:00Z')
    expect(followUpToday(now)).toBe('2026-01-31')
    expect(followUpPicks(now)).toEqual([
      { pick: 'tomorrow', date: '2026-02-01' },
      { pick: 'in3Days', date: '2026-02-03' },
      { pick: 'nextWeek', date: '2026-02-07' },
      { pick: 'nextMonth', date: '2026-02-28' },
    ])
  })
})

describe('isBirthday', () => {
  it('takes a real day with or without a year, 29 February without one or in a leap year', () => {
    for (const ok of ['01-31', '02-29', '2024-02-29', '1990-12-31', '04-30']) expect(isBirthday(ok), ok).toBe(true)
    for (const bad of ['02-30', '02-31', '04-31', '2023-02-29', '2020-04-31', '13-01', '00-10', '1-1', '2024-2-29'])
      expect(isBirthday(bad), bad).toBe(false)
  })
})
