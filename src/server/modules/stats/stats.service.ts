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
 */
import { addDays } from '../../../shared/dates'
import type { GuideStats, StatsPeriod } from '../../../shared/stats'
import type { AppContext } from '../../context'
import { chinaDayNumber, chinaDayStart, commissionFen, monthOf, periodRange, rankAmong } from './periods'
import { StatsRepository } from './stats.repository'

export class StatsService {
  private readonly repo: StatsRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new StatsRepository(ctx.db)
  }

  async forGuide(userId: string, period: StatsPeriod = 'day', now = this.ctx.now()): Promise<GuideStats> {
    const range = periodRange(period, now)
    const [found, guides, sales, daily, added, lost, tasks, replies, bundles, coupons, targetFen] = await Promise.all([
      this.repo.guide(userId),
      this.repo.guides(),
      this.repo.salesByGuide(range),
      this.repo.dailySales(userId, range),
      this.repo.customersAdded(userId, range),
      this.repo.customersLost(userId, range),
      this.repo.taskCounts(userId, range, { from: addDays(range.from, -1), to: addDays(range.to, -1) }),
      this.repo.repliesSent(userId, range),
      this.repo.bundleCounts(userId, range),
      this.repo.couponCounts(userId, range),
      this.repo.target('guide', userId, monthOf(range.to)),
    ])
    // Signed in but not (or no longer) on the guides list: her own numbers, ranked alone in no store.
    const me = found ?? { userId, storeId: null }
    const bp = me.storeId ? await this.repo.commissionBasisPoints(me.storeId) : null

    const salesOf = new Map(sales.map((s) => [s.guideId, s.salesFen]))
    const mine = sales.find((s) => s.guideId === userId)
    const salesFen = mine?.salesFen ?? 0
    const everyone = guides.map((g) => g.userId)
    const colleagues = me.storeId ? guides.filter((g) => g.storeId === me.storeId).map((g) => g.userId) : [userId]

    return {
      period,
      from: range.from,
      to: range.to,
      salesFen,
      orders: mine?.orders ?? 0,
      customersAdded: added,
      customersLost: lost,
      tasksDone: tasks.done,
      tasksOverdue: tasks.overdue,
      repliesSent: replies,
      bundlesSent: bundles.sent,
      bundlesOpened: bundles.opened,
      couponsSent: coupons.sent,
      couponsClaimed: coupons.claimed,
      couponsRedeemed: coupons.redeemed,
      targetFen,
      commissionFen: commissionFen(salesFen, bp),
      rank: { store: rankAmong(salesOf, colleagues, userId), brand: rankAmong(salesOf, everyone, userId) },
      series: range.days.map((date) => ({ date, salesFen: daily.get(chinaDayNumber(chinaDayStart(date))) ?? 0 })),
    }
  }

  /** Her open tasks due by `date` (the evening report's "tomorrow"). */
  openTasksDueBy(userId: string, date: string): Promise<number> {
    return this.repo.openTasksDueBy(userId, date)
  }
}
