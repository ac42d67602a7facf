import type { GuideStats, StatsPeriod } from '@/shared/stats'
import { http } from './http'

/** The signed-in guide's numbers for today, this week or this month. */
export async function fetchMyStats(period: StatsPeriod, options: { signal?: AbortSignal } = {}): Promise<GuideStats> {
  return (await http.get<GuideStats>('/stats/me', { params: { period }, signal: options.signal })).data
}
