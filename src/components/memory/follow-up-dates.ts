/** The follow-up dates a guide picks most, counted from today in China (as the server judges). */
import { addDays, addMonths, shanghaiDate } from '@/shared/dates'

export type FollowUpPick = 'tomorrow' | 'in3Days' | 'nextWeek' | 'nextMonth'

export function followUpToday(now: number = Date.now()): string {
  return shanghaiDate(now)
}

export function followUpPicks(now: number = Date.now()): { pick: FollowUpPick; date: string }[] {
  const today = followUpToday(now)
  return [
    { pick: 'tomorrow', date: addDays(today, 1) },
    { pick: 'in3Days', date: addDays(today, 3) },
    { pick: 'nextWeek', date: addDays(today, 7) },
    { pick: 'nextMonth', date: addMonths(today, 1) },
  ]
}
