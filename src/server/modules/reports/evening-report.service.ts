/**
 * Every evening each guide with a store gets one WeCom app message with her day: at her
 * store's `evening_report_at` (China time; 21:00 when unset) or at the first check after
 * it, until midnight. A row in evening_reports, taken before sending, makes it once per
 * guide per day however many instances run the check; WeCom's duplicate check covers a
 * send retried after its answer was lost.
 */
import { addDays, shanghaiDate } from '../../../shared/dates'
import type { AppContext } from '../../context'
import { WecomError, WecomErrcode, WecomUnavailableError } from '../../wecom/errors'
import { creditOrders } from '../stats/attribution.repository'
import { reportDue } from '../stats/periods'
import type { StatsService } from '../stats/stats.service'
import { eveningCard, workbenchUrl } from './evening-card'
import { EveningReportRepository, type ReportRecipient } from './evening-report.repository'

/** Errcodes that pass: the claim is given back and the next check sends again. */
const PASSING: ReadonlySet<number> = new Set([
  WecomErrcode.busy,
  WecomErrcode.frequencyLimit,
  WecomErrcode.concurrencyLimit,
  WecomErrcode.invalidToken,
  WecomErrcode.tokenExpired,
])

export class EveningReportService {
  private readonly repo: EveningReportRepository

  constructor(
    private readonly ctx: AppContext,
    private readonly stats: StatsService,
  ) {
    this.repo = new EveningReportRepository(ctx.db)
  }

  /** Send the reports that are due and not yet sent today. Returns whom this call sent to. */
  async sendDue(): Promise<string[]> {
    const now = this.ctx.now()
    const day = shanghaiDate(now)
    const [recipients, reported] = await Promise.all([this.repo.recipients(), this.repo.reportedOn(day)])
    const due = recipients.filter((r) => !reported.has(r.userId) && reportDue(r.reportAt, now))
    if (due.length === 0) return []
    // Orders imported before their customer was bound or followed: credit them before counting.
    await creditOrders(this.ctx.db.kysely)
    const sent: string[] = []
    for (const recipient of due) {
      if (!(await this.repo.claim(recipient.userId, day, now))) continue
      if (await this.send(recipient, day, now)) sent.push(recipient.userId)
    }
    return sent
  }

  private async send(recipient: ReportRecipient, day: string, now: number): Promise<boolean> {
    const { userId } = recipient
    try {
      const [stats, tomorrowTasks] = await Promise.all([
        this.stats.forGuide(userId, 'day', now),
        this.stats.openTasksDueBy(userId, addDays(day, 1)),
      ])
      const card = eveningCard({
        day,
        salesFen: stats.salesFen,
        orders: stats.orders,
        tasksDone: stats.tasksDone,
        tomorrowTasks,
        url: workbenchUrl(this.origin()),
      })
      const result = await this.ctx.wecom.sendAppMessage({ toUsers: [userId], message: { msgtype: 'textcard', textcard: card } })
      if (result.invaliduser?.split('|').includes(userId)) {
        // Not a member WeCom knows (left, or outside the app's range): trying again will not help.
        this.ctx.log.warn({ userId, day }, 'Evening report: WeCom does not know this member')
        return false
      }
      return true
    } catch (error) {
      // WeCom busy or unreachable, or our own database: worth another try at the next check.
      // WeCom refusing the message itself (a bad agentid, say) would refuse it again.
      const passing = error instanceof WecomUnavailableError || !(error instanceof WecomError) || PASSING.has(error.errcode)
      if (passing) await this.repo.release(userId, day)
      this.ctx.log.warn({ err: error, userId, day, retry: passing }, 'Evening report not sent')
      return false
    }
  }

  /** Where guides open the app: the public origin, else (simulator without PUBLIC_URL) this server. */
  private origin(): string {
    return this.ctx.config.publicUrl ?? `http://localhost:${this.ctx.config.port}`
  }
}
