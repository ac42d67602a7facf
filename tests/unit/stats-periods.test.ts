import { describe, expect, it } from 'vitest'
import {
  chinaDayNumber,
  chinaDayStart,
  commissionFen,
  dayNumberDate,
  mondayOf,
  periodRange,
  rankAmong,
  reportDue,
  reportMinute,
} from '../../src/server/modules/stats/periods'

/** An instant given as China wall time, `2026-11-29 23:30`. */
const china = (wall: string) => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`)

describe('a guide’s periods, in China’s calendar', () => {
  it('starts the week on Monday: a Sunday belongs to the week before, a Monday starts one', () => {
    expect(mondayOf('2026-11-29')).toBe('2026-11-23') // Sunday
    expect(mondayOf('2026-11-30')).toBe('2026-11-30') // Monday
    expect(mondayOf('2026-11-25')).toBe('2026-11-23') // Wednesday
    expect(mondayOf('2027-01-01')).toBe('2026-12-28') // a week across the new year
  })

  it('gives day, week and month from their first day to today, with one day each in the series', () => {
    const now = china('2026-11-25 12:00')
    expect(periodRange('day', now)).toMatchObject({ from: '2026-11-25', to: '2026-11-25', days: ['2026-11-25'] })
    expect(periodRange('week', now)).toMatchObject({
      from: '2026-11-23',
      to: '2026-11-25',
      days: ['2026-11-23', '2026-11-24', '2026-11-25'],
    })
    const month = periodRange('month', now)
    expect(month).toMatchObject({ from: '2026-11-01', to: '2026-11-25' })
    expect(month.days).toHaveLength(25)
  })

  it('counts Sunday 23:30 in its own week, and the instants run midnight to midnight in China', () => {
    const sunday = periodRange('week', china('2026-11-29 23:30'))
    expect(sunday).toMatchObject({ from: '2026-11-23', to: '2026-11-29' })
    expect(sunday.fromMs).toBe(Date.parse('2026-11-22T16:00:00Z'))
    expect(sunday.toMs).toBe(Date.parse('2026-11-29T16:00:00Z'))
    expect(china('2026-11-29 23:30')).toBeLessThan(sunday.toMs)
    // 00:10 on Monday in China is still Sunday in UTC, but a new week here.
    expect(periodRange('week', china('2026-11-30 00:10'))).toMatchObject({ from: '2026-11-30', to: '2026-11-30' })
  })

  it('turns the month and the year on China’s midnight', () => {
    expect(periodRange('month', Date.parse('2026-12-31T15:59:59Z'))).toMatchObject({ from: '2026-12-01', to: '2026-12-31' })
    const newYear = periodRange('month', Date.parse('2026-12-31T16:00:00Z'))
    expect(newYear).toMatchObject({ from: '2027-01-01', to: '2027-01-01', days: ['2027-01-01'] })
    expect(periodRange('week', Date.parse('2026-12-31T16:00:00Z'))).toMatchObject({ from: '2026-12-28', to: '2027-01-01' })
    expect(periodRange('month', china('2028-02-29 10:00')).days).toHaveLength(29)
  })

  it('numbers China days as SQL does, and back', () => {
    const start = chinaDayStart('2026-11-25')
    expect(start).toBe(Date.parse('2026-11-24T16:00:00Z'))
    expect(chinaDayNumber(start)).toBe(chinaDayNumber(start + 86_400_000 - 1))
    expect(chinaDayNumber(start - 1)).toBe(chinaDayNumber(start) - 1)
    expect(dayNumberDate(chinaDayNumber(china('2026-11-25 23:59')))).toBe('2026-11-25')
  })
})

describe('预估 commission', () => {
  it('is sales times the rate in basis points, rounded half up to the fen', () => {
    expect(commissionFen(100_000, 300)).toBe(3_000)
    expect(commissionFen(12_345, 300)).toBe(370) // 370.35
    expect(commissionFen(50, 100)).toBe(1) // 0.5 rounds up
    expect(commissionFen(49, 100)).toBe(0) // 0.49 rounds down
    expect(commissionFen(1_650, 250)).toBe(41) // 41.25
    expect(commissionFen(1_660, 250)).toBe(42) // 41.5
  })

  it('is nothing without a rate or without sales', () => {
    expect(commissionFen(100_000, null)).toBe(0)
    expect(commissionFen(100_000, 0)).toBe(0)
    expect(commissionFen(0, 300)).toBe(0)
  })
})

describe('rank', () => {
  const sales = new Map([
    ['a', 500],
    ['b', 900],
    ['c', 500],
  ])

  it('puts the highest sales first, ties sharing a place and the next place skipped', () => {
    const guides = ['a', 'b', 'c', 'd']
    expect(rankAmong(sales, guides, 'b')).toEqual({ position: 1, of: 4 })
    expect(rankAmong(sales, guides, 'a')).toEqual({ position: 2, of: 4 })
    expect(rankAmong(sales, guides, 'c')).toEqual({ position: 2, of: 4 })
    expect(rankAmong(sales, guides, 'd')).toEqual({ position: 4, of: 4 })
  })

  it('counts her in even when she is not on the list', () => {
    expect(rankAmong(sales, [], 'a')).toEqual({ position: 1, of: 1 })
  })
})

describe('when the evening report is due', () => {
  it('is from the store’s time (21:00 unless set) until midnight, China time', () => {
    expect(reportMinute(null)).toBe(21 * 60)
    expect(reportMinute('20:30')).toBe(20 * 60 + 30)
    expect(reportMinute('25:00')).toBe(21 * 60)
    expect(reportDue(null, china('2026-11-25 20:59'))).toBe(false)
    expect(reportDue(null, china('2026-11-25 21:00'))).toBe(true)
    expect(reportDue(null, china('2026-11-25 23:59'))).toBe(true)
    expect(reportDue(null, china('2026-11-26 00:00'))).toBe(false)
    expect(reportDue('08:15', china('2026-11-26 08:15'))).toBe(true)
  })
})
