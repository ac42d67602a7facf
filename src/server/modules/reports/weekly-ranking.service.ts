/**
 * Once a week each store with a ranking schedule gets one WeCom app message, to all its
 * people at once: last week's (Monday to Sunday, China) sales or estimated commission,
 * ranked. It goes at the store's weekday and time (China) or at the first check after
 * it, any time until that week ends. A row in ranking_reports, taken before sending,
 * makes it once per store per week however many instances run the check; it is given
 * back when WeCom was busy or unreachable, so the next check tries again.
 *
 * Sales are the 数据 tab's: orders credited to the guide (attribution.repository.ts), by
 * purchase time, net of returns; commission is sales times the store's rate (periods.ts).
 */
import { addDays, shanghaiDate } from '../../../shared/dates'
import type { AppContext } from '../../context'
import { WecomError, WecomErrcode, WecomUnavailableError } from '../../wecom/errors'
import { creditOrders } from '../stats/attribution.repository'
import { chinaDayStart, commissionFen, mondayOf, reportMinute } from '../stats/periods'
import { StatsRepository } from '../stats/stats.repository'
import { rankingMessage } from './ranking-card'
import { WeeklyRankingRepository, type RankingStore } from './weekly-ranking.repository'

/** Errcodes that pass (as for the evening report): the claim is given back and the next check sends again. */
const PASSING: ReadonlySet<number> = new Set([
  WecomErrcode.busy,
  WecomErrcode.frequencyLimit,
  WecomErrcode.concurrencyLimit,
  WecomErrcode.invalidToken,
  WecomErrcode.tokenExpired,
])

/** The instant this week's ranking of a store is due: its weekday and time, China. */
export function rankingDueAt(store: Pick<RankingStore, 'weekday' | 'at'>, thisMonday: string): number {
  return chinaDayStart(addDays(thisMonday, store.weekday - 1)) + reportMinute(store.at) * 60_000
}

export class WeeklyRankingService {
  private readonly repo: WeeklyRankingRepository
  private readonly stats: StatsRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new WeeklyRankingRepository(ctx.db)
    this.stats = new StatsRepository(ctx.db)
  }

  /** Send the rankings that are due and not yet sent this week. Returns the stores this call sent for. */
  async sendDue(): Promise<string[]> {
    const now = this.ctx.now()
    const thisMonday = mondayOf(shanghaiDate(now))
    // The week ranked, by its Monday: the week before this one.
    const week = addDays(thisMonday, -7)
    const [stores, ranked] = await Promise.all([this.repo.scheduled(), this.repo.rankedFor(week)])
    const due = stores.filter((s) => !ranked.has(s.id) && now >= rankingDueAt(s, thisMonday))
    if (due.length === 0) return []
    // Orders imported before their customer was bound or followed: credit them before counting.
    await creditOrders(this.ctx.db.kysely)
    const sales = await this.stats.salesByGuide({ fromMs: chinaDayStart(week), toMs: chinaDayStart(thisMonday) })
    const salesOf = new Map(sales.map((s) => [s.guideId, s.salesFen]))
    const sent: string[] = []
    for (const store of due) {
      const members = await this.repo.members(store.id)
      // Nobody to tell: nothing is claimed, so a team filled in later this week still gets it.
      if (members.length === 0) continue
      if (!(await this.repo.claim(store.id, week, now))) continue
      const entries = members.map((m) => {
        const salesFen = salesOf.get(m.userId) ?? 0
        return { ...m, amountFen: store.metric === 'sales' ? salesFen : commissionFen(salesFen, store.commissionBp) }
      })
      const content = rankingMessage({ storeName: store.name, metric: store.metric, week, entries })
      if (
        await this.send(
          store.id,
          week,
          members.map((m) => m.userId),
          content,
        )
      )
        sent.push(store.id)
    }
    return sent
  }

  private async send(storeId: string, week: string, toUsers: string[], content: string): Promise<boolean> {
    try {
      const result = await this.ctx.wecom.sendAppMessage({ toUsers, message: { msgtype: 'text', text: { content } } })
      // Members WeCom does not know (left, or outside the app's range) miss it; the rest got it.
      if (result.invaliduser) this.ctx.log.warn({ storeId, week, invalid: result.invaliduser }, 'Weekly ranking: unknown members')
      return true
    } catch (error) {
      // WeCom busy or unreachable, or our own database: worth another try at the next check.
      // WeCom refusing the message itself (a bad agentid, say) would refuse it again.
      const passing = error instanceof WecomUnavailableError || !(error instanceof WecomError) || PASSING.has(error.errcode)
      if (passing) await this.repo.release(storeId, week)
      this.ctx.log.warn({ err: error, storeId, week, retry: passing }, 'Weekly ranking not sent')
      return false
    }
  }
}
