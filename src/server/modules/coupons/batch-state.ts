/**
 * What a batch of sends of one coupon decides with, as read (`IssuanceRepository.batchQuery`):
 * rows of (scope, subject, n), turned here into her holds, each guide's weekly count, the
 * issuances the batch's keys already made and the coupon's overdue reservations.
 */

/** Scopes of the quota and batch reads' rows besides a template id (no id looks like these). */
export const USED = ' used'
export const MADE = ' made'
export const OVERDUE = ' overdue '

/** What `quotaCountsMany` is asked: a batch of sends of one coupon, at `now` (lists need not repeat a value). */
export interface QuotaAsk {
  templateId: string
  guideIds: readonly string[]
  externalUserIds: readonly string[]
  now: number
  weekStart: number
}

/** Her holds of the coupon by customer, and each guide's count this week. */
export interface QuotaCountMaps {
  holds: Map<string, number>
  guideUsed: Map<string, number>
}

/** `quotaQuery`'s rows as counts (PostgreSQL answers counts as strings, or as JSON numbers). */
export function quotaCountsFrom(
  rows: readonly { scope: string; subject: string; n: number | string }[],
  templateId: string,
): QuotaCountMaps {
  const counts = { holds: new Map<string, number>(), guideUsed: new Map<string, number>() }
  for (const row of rows) {
    if (row.scope === USED) counts.guideUsed.set(row.subject, Number(row.n))
    else if (row.scope === templateId) counts.holds.set(row.subject, Number(row.n))
  }
  return counts
}

/** What a batch reads: the quota's ask (its lists without repeats), and the batch's keys as (guide, key). */
export interface BatchAsk extends QuotaAsk {
  keys: readonly (readonly [string, string])[]
}

/** `BatchAsk`'s lists, for a query built once (`prepareQuery`). */
export const BATCH_LISTS = { guideIds: 'list', externalUserIds: 'list', keys: 'pairs' } as const

/** The quota counts, the ids of what the batch's keys made, and this coupon's overdue reservations. */
export interface BatchState extends QuotaCountMaps {
  made: string[]
  overdue: string[]
}

/** `batchQuery`'s rows as the batch's state. */
export function batchStateFrom(
  rows: readonly { scope: string; subject: string; n: number | string }[],
  templateId: string,
): BatchState {
  const state: BatchState = { ...quotaCountsFrom(rows, templateId), made: [], overdue: [] }
  for (const row of rows) {
    if (row.scope === MADE) state.made.push(row.subject)
    else if (row.scope === OVERDUE + templateId) state.overdue.push(row.subject)
  }
  return state
}
