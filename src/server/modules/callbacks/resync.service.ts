/**
 * The full resync: every guide's customer list read again from WeCom, so whatever a missed
 * callback left wrong heals overnight. One guide at a time with a pause between WeCom calls
 * (a thousand stores' guides then cost WeCom a few calls a second, far inside its limits of
 * 10,000 a minute per API), and once a China day across instances: the first check after
 * the nightly hour claims the day (resync-runs.repository.ts), so an instance restarted
 * at any time does not skip it, and a run that failed or died is taken up again.
 */
import { shanghaiDate } from '../../../shared/dates'
import type { AppContext } from '../../context'
import { syncGuideCustomers } from '../customers/guide-sync'
import { chinaDayStart } from '../stats/periods'
import { CallbacksRepository } from './callbacks.repository'
import { ResyncRunsRepository, type ResyncClaimRules } from './resync-runs.repository'
import type { TransfersService } from './transfers.service'

export const DEFAULT_RESYNC_PAUSE_MS = 500
/** China time: after the evening reports and the day's imports, before the stores open. */
export const DEFAULT_RESYNC_HOUR = 3
/**
 * Three tries a day; a failed one waits a quarter of an hour (WeCom down, the database
 * away) and a run is given up for dead when it has not written its heartbeat for as long.
 */
export const RESYNC_CLAIM_RULES: ResyncClaimRules = { maxAttempts: 3, retryAfterMs: 15 * 60_000, staleMs: 15 * 60_000 }
/** How often a running resync says it is alive (far below the stale limit, few writes). */
const HEARTBEAT_MS = 60_000

export interface ResyncOptions {
  /** Between pages of one guide and between guides; tests pass 0. */
  pauseMs?: number
  /** The hour (0–23, China time) after which the day's run is due. */
  hour?: number
}

export interface ResyncResult {
  guides: number
  failed: number
  /** The server began shutting down before every guide was read. */
  stopped: boolean
}

export class ResyncService {
  private readonly repo: CallbacksRepository
  private readonly runs: ResyncRunsRepository
  private readonly pauseMs: number
  private readonly hour: number
  private stopped = false

  constructor(
    private readonly ctx: AppContext,
    private readonly transfers: TransfersService,
    options: ResyncOptions = {},
  ) {
    this.repo = new CallbacksRepository(ctx.db)
    this.runs = new ResyncRunsRepository(ctx.db)
    this.pauseMs = options.pauseMs ?? DEFAULT_RESYNC_PAUSE_MS
    this.hour = options.hour ?? DEFAULT_RESYNC_HOUR
  }

  /** One guide: her list as WeCom has it now, then any handover it reveals. */
  async resyncGuide(userId: string): Promise<void> {
    await syncGuideCustomers(this.ctx, userId, { pageDelayMs: this.pauseMs })
    await this.transfers.settle()
  }

  /**
   * Every guide; one failing (WeCom refusing her) does not stop the rest. Then the
   * customers departed guides still hold who now follow someone else: WeCom does not list a
   * departed member's customers, so her follows end only here (离职继承).
   */
  async resyncAll(alive: () => Promise<void> = async () => {}): Promise<ResyncResult> {
    const guides = await this.repo.guideIds()
    let failed = 0
    let lastBeat = this.ctx.now()
    for (const [i, userId] of guides.entries()) {
      // Shutting down: the rest waits for the next run rather than holding the process for hours.
      if (this.stopped) return { guides: guides.length, failed, stopped: true }
      if (i > 0 && this.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pauseMs))
      try {
        await this.resyncGuide(userId)
      } catch (error) {
        failed++
        this.ctx.log.warn({ err: error, userId }, 'Resync of a guide failed; the next run tries again')
      }
      if (this.ctx.now() - lastBeat >= HEARTBEAT_MS) {
        lastBeat = this.ctx.now()
        await alive()
      }
    }
    await this.transfers.settleDeparted()
    return { guides: guides.length, failed, stopped: false }
  }

  stop(): void {
    this.stopped = true
  }

  /**
   * The scheduled check (every minute on every instance): once today's nightly hour has
   * passed (China time) and today has no finished run, the one instance that claims the
   * day runs it. True when this call ran the day to the end.
   */
  async runDue(): Promise<boolean> {
    const now = this.ctx.now()
    const day = shanghaiDate(now)
    if (this.stopped || now < chinaDayStart(day) + this.hour * 3_600_000) return false
    const run = await this.runs.find(day)
    if (run?.status === 'done') return false
    if (!(await this.runs.claim(day, now, RESYNC_CLAIM_RULES))) return false
    let result: ResyncResult
    try {
      result = await this.resyncAll(() => this.runs.heartbeat(day, this.ctx.now()))
    } catch (error) {
      await this.runs.finish(day, this.ctx.now(), 'failed', error instanceof Error ? error.message : String(error))
      throw error
    }
    // Every guide refused: WeCom (or our set-up) is down, and the day is worth another try.
    const failed = result.guides > 0 && result.failed === result.guides
    await this.runs.finish(
      day,
      this.ctx.now(),
      result.stopped ? 'interrupted' : failed ? 'failed' : 'done',
      JSON.stringify(result),
    )
    this.ctx.log.info({ day, ...result }, failed ? 'WeCom resync failed for every guide' : 'WeCom resync done')
    return !result.stopped && !failed
  }
}
