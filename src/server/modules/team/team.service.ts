/**
 * The manager's desk: her team's numbers, the people in it and the content they sent.
 *
 * Who is on the team: everyone the guides list puts in the stores asked for — guides and
 * the store's managers alike (a manager sells on the floor too, and her own 数据 tab counts
 * her like any guide). People in no store (head office, someone not yet placed) are on no
 * store's team, so not in the numbers; the members list still names them to head office.
 * Each row's numbers are her own tab's (stats.service.ts defines them), read for the whole
 * team at once by StatsService.forTeam.
 *
 * Totals are the sums of the rows, commission included (stores' rates differ). Targets:
 * a store's target is its own ('store' scope) when set, else the sum of its people's
 * targets, null when neither exists; the grand total adds the stores' targets so worked
 * out, null when no store has one.
 */
import type { StatsPeriod } from '../../../shared/stats'
import type { ContentUsage, TeamMembers, TeamStats, TeamTotals } from '../../../shared/team'
import { TEAM_NUMBER_FIELDS } from '../../../shared/team'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { GuidesRepository } from '../guides/guides.repository'
import { storesAskedFor, type TeamScope } from '../guides/roles'
import { monthOf, periodRange, type PeriodRange } from '../stats/periods'
import { StatsRepository } from '../stats/stats.repository'
import type { GuideNumbers, StatsService } from '../stats/stats.service'
import { TeamRepository } from './team.repository'

/** At most this many items of each kind in the content view, most sent first. */
const CONTENT_LIMIT = 50

export class TeamService {
  private readonly guides: GuidesRepository
  private readonly statsRepo: StatsRepository
  private readonly repo: TeamRepository

  constructor(
    private readonly ctx: AppContext,
    private readonly stats: StatsService,
  ) {
    this.guides = new GuidesRepository(ctx.db)
    this.statsRepo = new StatsRepository(ctx.db)
    this.repo = new TeamRepository(ctx.db)
  }

  async teamStats(scope: TeamScope, storeId: string | undefined, period: StatsPeriod = 'day'): Promise<TeamStats> {
    const storeIds = storesAskedFor(scope, storeId)
    const now = this.ctx.now()
    const [everyone, stores] = await Promise.all([this.guides.team(storeIds), this.storesOf(storeIds, storeId)])
    const listed = new Set(stores.map((s) => s.id))
    const people = everyone.filter((p) => p.store_id !== null && listed.has(p.store_id))
    const [{ range, numbers }, storeTargets] = await Promise.all([
      this.stats.forTeam(
        people.map((p) => ({ userId: p.user_id, storeId: p.store_id })),
        period,
        now,
      ),
      this.statsRepo.targets(
        'store',
        stores.map((s) => s.id),
        monthOf(periodRange(period, now).to),
      ),
    ])

    const guides = people.map((p) => ({ userId: p.user_id, name: p.name, storeId: p.store_id, ...numbers.get(p.user_id)! }))
    const storeRows = stores.map((store) => {
      const own = guides.filter((g) => g.storeId === store.id)
      return { id: store.id, name: store.name, totals: sum(own, range, storeTargets.get(store.id) ?? sumOrNull(own)) }
    })
    const targetFen = sumOrNull(storeRows.map((s) => s.totals))
    return {
      period,
      from: range.from,
      to: range.to,
      guides,
      stores: storeRows,
      totals: sum(guides, range, targetFen),
    }
  }

  async members(scope: TeamScope, storeId: string | undefined): Promise<TeamMembers> {
    const storeIds = storesAskedFor(scope, storeId)
    if (storeId !== undefined) await this.storesOf(storeIds, storeId)
    const rows = await this.guides.team(storeIds)
    return {
      items: rows.map((r) => ({
        userId: r.user_id,
        name: r.name,
        avatar: r.avatar,
        role: r.role,
        storeId: r.store_id,
        storeName: r.store_name,
      })),
    }
  }

  /**
   * What the team sent over the period, item by item, and the sales each led to (the rule
   * is TeamRepository.salesAfterSends'). Most sent first, at most 50 of each kind.
   */
  async content(scope: TeamScope, storeId: string | undefined, period: StatsPeriod = 'day'): Promise<ContentUsage> {
    const storeIds = storesAskedFor(scope, storeId)
    if (storeId !== undefined) await this.storesOf(storeIds, storeId)
    const range = periodRange(period, this.ctx.now())
    const stores = storeIds && [...storeIds]
    const [replyRows, bundleRows, couponRows] = await Promise.all([
      this.repo.replyUsage(range, stores),
      this.repo.bundleUsage(range, stores),
      this.repo.couponUsage(range, stores),
    ])
    const replies = top(replyRows, (r) => r.sends)
    const bundles = top(bundleRows, (r) => r.sends)
    const coupons = top(couponRows, (r) => r.sent)
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id)
    const [replySales, bundleSales, couponSales] = await Promise.all([
      this.repo.salesAfterSends('reply', range, stores, ids(replies)),
      this.repo.salesAfterSends('bundle', range, stores, ids(bundles)),
      this.repo.salesAfterSends('coupon', range, stores, ids(coupons)),
    ])
    return {
      period,
      from: range.from,
      to: range.to,
      replies: replies.map((r) => ({ ...r, title: r.title ?? r.id, salesFen: replySales.get(r.id) ?? 0 })),
      bundles: bundles.map((b) => ({ ...b, title: b.title ?? b.id, salesFen: bundleSales.get(b.id) ?? 0 })),
      coupons: coupons.map((c) => ({ ...c, name: c.name ?? c.id, salesFen: couponSales.get(c.id) ?? 0 })),
    }
  }

  /** The stores asked about (every store for null); a store asked for by id must exist. */
  private async storesOf(storeIds: ReadonlySet<string> | null, asked: string | undefined) {
    const stores = await this.statsRepo.stores(storeIds ? [...storeIds] : null)
    if (asked !== undefined && !stores.some((s) => s.id === asked)) throw ApiError.notFound('No store has that id')
    return stores
  }
}

function top<T extends { id: string }>(rows: T[], sends: (row: T) => number): T[] {
  return [...rows].sort((a, b) => sends(b) - sends(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, CONTENT_LIMIT)
}

function sumOrNull(rows: readonly { targetFen: number | null }[]): number | null {
  const set = rows.filter((r) => r.targetFen !== null)
  return set.length === 0 ? null : set.reduce((total, r) => total + r.targetFen!, 0)
}

/** The rows added up, field by field and day by day; the target is worked out by the caller. */
function sum(rows: readonly GuideNumbers[], range: PeriodRange, targetFen: number | null): TeamTotals {
  const totals = Object.fromEntries(TEAM_NUMBER_FIELDS.map((field) => [field, 0])) as Record<string, number>
  for (const row of rows) {
    for (const field of TEAM_NUMBER_FIELDS) if (field !== 'targetFen') totals[field]! += row[field] ?? 0
  }
  const series = range.days.map((date, i) => ({
    date,
    salesFen: rows.reduce((total, r) => total + (r.series[i]?.salesFen ?? 0), 0),
  }))
  return { ...(totals as Omit<TeamTotals, 'targetFen' | 'series'>), targetFen, series }
}
