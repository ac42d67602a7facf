/**
 * A guide's numbers (数据) for a day, a week or a month, as China's calendar has them.
 *
 * What each number counts (every one over the period's instants, [from 00:00, to+1 00:00) China):
 * - salesFen / orders: orders credited to her (attribution.repository.ts says who), by
 *   purchase time; an order's total_fen already leaves out its returned lines, so sales
 *   are net of returns as the CRM last reported them.
 * - customersAdded: her WeCom follows added in the period. customersLost: her follows
 *   that ended in the period (the `follow_lost` events the WeCom cache leaves).
 * - tasksDone: her tasks with status done, done_at in the period. tasksOverdue: her tasks
 *   that fell overdue in the period — due the day before one of its days and still open
 *   (todo or expired), so a task counts once, on the day it was missed.
 * - repliesSent: reply_sends rows (sent or copied); bundlesSent: confirmed outfit sends;
 *   bundlesOpened: her outfit sends first opened in the period; coupons: her issuances
 *   sent / claimed / redeemed in the period, each by its own instant.
 * - targetFen: her guide target for the month the period ends in; commissionFen: sales
 *   times her store's rate (预估).
 * - rank: by sales in the period among the guides of her store and among all guides;
 *   ties share a place (periods.rankAmong).
 *
 * The manager's desk (team/) shows every one of these but rank for her whole team through
 * `forTeam`: the same grouped queries, asked for many guides at once.
 */
import { addDays } from '../../../shared/dates'
import type { GuideStats, StatsPeriod } from '../../../shared/stats'
import type { AppContext } from '../../context'
import { chinaDayNumber, chinaDayStart, commissionFen, monthOf, periodRange, rankAmong, type PeriodRange } from './periods'
import { StatsRepository, type GuideFilter, type GuideSales } from './stats.repository'

/** Every number of a guide but her rank: what her tab and her row on the manager's desk share. */
export type GuideNumbers = Omit<GuideStats, 'period' | 'from' | 'to' | 'rank'>

/** Past this many people, count everyone and pick the rows out: no statement carries thousands of ids. */
const MAX_FILTER_IDS = 500

type Counts = Awaited<ReturnType<StatsService['counts']>>

export class StatsService {
  private readonly repo: StatsRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new StatsRepository(ctx.db)
  }

  async forGuide(userId: string, period: StatsPeriod = 'day', now = this.ctx.now()): Promise<GuideStats> {
    const range = periodRange(period, now)
    const [found, guides, sales, counts] = await Promise.all([
      this.repo.guide(userId),
      this.repo.guides(),
      this.repo.salesByGuide(range),
      this.counts(range, [userId]),
    ])
    // Signed in but not (or no longer) on the guides list: her own numbers, ranked alone in no store.
    const me = found ?? { userId, storeId: null }
    const bp = me.storeId ? await this.repo.commissionBasisPoints(me.storeId) : null

    const salesOf = new Map(sales.map((s) => [s.guideId, s.salesFen]))
    const everyone = guides.map((g) => g.userId)
    const colleagues = me.storeId ? guides.filter((g) => g.storeId === me.storeId).map((g) => g.userId) : [userId]
    const numbers = this.numbersOf(
      userId,
      range,
      sales.find((s) => s.guideId === userId),
      counts,
      bp,
    )

    return {
      period,
      from: range.from,
      to: range.to,
      ...numbers,
      rank: { store: rankAmong(salesOf, colleagues, userId), brand: rankAmong(salesOf, everyone, userId) },
    }
  }

  /**
   * The numbers of each of these people over the period, exactly as her own tab shows them,
   * in the same dozen grouped queries whether there are two of them or two hundred.
   */
  async forTeam(
    people: readonly { userId: string; storeId: string | null }[],
    period: StatsPeriod,
    now = this.ctx.now(),
  ): Promise<{ range: PeriodRange; numbers: Map<string, GuideNumbers> }> {
    const range = periodRange(period, now)
    const ids = people.map((p) => p.userId)
    const filter: GuideFilter = ids.length <= MAX_FILTER_IDS ? ids : null
    const storeIds = [...new Set(people.flatMap((p) => (p.storeId ? [p.storeId] : [])))]
    const [sales, counts, stores] = await Promise.all([
      this.repo.salesByGuide(range, filter),
      this.counts(range, filter),
      this.repo.stores(storeIds),
    ])
    const salesOf = new Map(sales.map((s) => [s.guideId, s]))
    const rateOf = new Map(stores.map((s) => [s.id, s.commissionBp]))
    const numbers = new Map(
      people.map((p) => [
        p.userId,
        this.numbersOf(p.userId, range, salesOf.get(p.userId), counts, p.storeId ? (rateOf.get(p.storeId) ?? null) : null),
      ]),
    )
    return { range, numbers }
  }

  /** Her open tasks due by `date` (the evening report's "tomorrow"). */
  openTasksDueBy(userId: string, date: string): Promise<number> {
    return this.repo.openTasksDueBy(userId, date)
  }

  private async counts(range: PeriodRange, guides: GuideFilter) {
    const [daily, added, lost, tasks, replies, bundles, coupons, targets] = await Promise.all([
      this.repo.dailySales(range, guides),
      this.repo.customersAdded(range, guides),
      this.repo.customersLost(range, guides),
      this.repo.taskCounts(range, { from: addDays(range.from, -1), to: addDays(range.to, -1) }, guides),
      this.repo.repliesSent(range, guides),
      this.repo.bundleCounts(range, guides),
      this.repo.couponCounts(range, guides),
      this.repo.targets('guide', guides, monthOf(range.to)),
    ])
    return { daily, added, lost, tasks, replies, bundles, coupons, targets }
  }

  private numbersOf(
    userId: string,
    range: PeriodRange,
    sales: GuideSales | undefined,
    counts: Counts,
    basisPoints: number | null,
  ): GuideNumbers {
    const salesFen = sales?.salesFen ?? 0
    const tasks = counts.tasks.get(userId)
    const bundles = counts.bundles.get(userId)
    const coupons = counts.coupons.get(userId)
    const daily = counts.daily.get(userId)
    return {
      salesFen,
      orders: sales?.orders ?? 0,
      customersAdded: counts.added.get(userId) ?? 0,
      customersLost: counts.lost.get(userId) ?? 0,
      tasksDone: tasks?.done ?? 0,
      tasksOverdue: tasks?.overdue ?? 0,
      repliesSent: counts.replies.get(userId) ?? 0,
      bundlesSent: bundles?.sent ?? 0,
      bundlesOpened: bundles?.opened ?? 0,
      couponsSent: coupons?.sent ?? 0,
      couponsClaimed: coupons?.claimed ?? 0,
      couponsRedeemed: coupons?.redeemed ?? 0,
      targetFen: counts.targets.get(userId) ?? null,
      commissionFen: commissionFen(salesFen, basisPoints),
      series: range.days.map((date) => ({ date, salesFen: daily?.get(chinaDayNumber(chinaDayStart(date))) ?? 0 })),
    }
  }
}
