/**
 * How the team table reads: its sortable columns, the order of its rows, the share of a
 * target. Pure: the component and the tests pass the numbers in.
 */
import type { TeamGuideStats, TeamStats, TeamTotals } from '@/shared/team'

/** The numbers a row and a totals row both have. */
export type TeamNumbers = Omit<TeamTotals, 'series'>

/**
 * Every column she can sort by: the contract's numbers, plus 发送 (replies, bundles and
 * coupons sent together) and 目标完成 (sales as a share of the target).
 */
export const TEAM_SORT_FIELDS = [
  'salesFen',
  'targetPercent',
  'orders',
  'customersAdded',
  'customersLost',
  'tasksDone',
  'tasksOverdue',
  'sent',
  'bundlesOpened',
  'couponsClaimed',
  'couponsRedeemed',
  'commissionFen',
] as const
export type TeamSortField = (typeof TEAM_SORT_FIELDS)[number]
export type SortDirection = 'asc' | 'desc'
export interface TeamSort {
  field: TeamSortField
  direction: SortDirection
}
export const DEFAULT_TEAM_SORT: TeamSort = { field: 'salesFen', direction: 'desc' }

/** Sales as a whole percent of the target, rounded to the nearest (2.96 % reads 3 %); null without one. */
export function targetShare(salesFen: number, targetFen: number | null): number | null {
  if (targetFen === null || targetFen <= 0) return null
  return Math.round((salesFen / targetFen) * 100)
}

/** 发送: every reply, bundle and coupon that went out. */
export function sentCount(row: TeamNumbers): number {
  return row.repliesSent + row.bundlesSent + row.couponsSent
}

export function sortValue(row: TeamNumbers, field: TeamSortField): number | null {
  if (field === 'sent') return sentCount(row)
  if (field === 'targetPercent') return targetShare(row.salesFen, row.targetFen)
  return row[field]
}

/** A click on a header: the same column flips, another starts with the biggest first. */
export function nextSort(current: TeamSort, field: TeamSortField): TeamSort {
  if (current.field === field) return { field, direction: current.direction === 'desc' ? 'asc' : 'desc' }
  return { field, direction: 'desc' }
}

/** Rows in the asked order; a row without a value (no target) goes last either way, ties by name. */
export function sortGuides(rows: readonly TeamGuideStats[], sort: TeamSort, collator: Intl.Collator): TeamGuideStats[] {
  const sign = sort.direction === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = sortValue(a, sort.field)
    const y = sortValue(b, sort.field)
    if (x !== y) {
      if (x === null) return 1
      if (y === null) return -1
      return (x - y) * sign
    }
    return collator.compare(a.name, b.name) || a.userId.localeCompare(b.userId)
  })
}

export interface TeamBlock {
  /** The store whose subtotal closes the block; null: no subtotal (one store, or guides without one). */
  store: { id: string; name: string; totals: TeamTotals } | null
  guides: TeamGuideStats[]
}

/**
 * The table's rows. With several stores, each store's guides together, closed by its
 * subtotal, in the order the answer lists the stores; guides of no listed store last.
 */
export function teamBlocks(stats: TeamStats, sort: TeamSort, collator: Intl.Collator): TeamBlock[] {
  if (stats.stores.length <= 1) return [{ store: null, guides: sortGuides(stats.guides, sort, collator) }]
  const listed = new Set(stats.stores.map((store) => store.id))
  const blocks: TeamBlock[] = stats.stores.map((store) => ({
    store,
    guides: sortGuides(
      stats.guides.filter((guide) => guide.storeId === store.id),
      sort,
      collator,
    ),
  }))
  const others = stats.guides.filter((guide) => guide.storeId === null || !listed.has(guide.storeId))
  if (others.length) blocks.push({ store: null, guides: sortGuides(others, sort, collator) })
  return blocks
}
