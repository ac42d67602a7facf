/**
 * The full resync: every guide's customer list read again from WeCom, so whatever a missed
 * callback left wrong heals overnight. One guide at a time with a pause between WeCom calls
 * (a thousand stores' guides then cost WeCom a few calls a second, far inside its limits of
 * 10,000 a minute per API), and once per period across instances.
 */
import type { AppContext } from '../../context'
import { syncGuideCustomers } from '../customers/guide-sync'
import { CallbacksRepository } from './callbacks.repository'
import type { TransfersService } from './transfers.service'

export const DEFAULT_RESYNC_PAUSE_MS = 500

export interface ResyncOptions {
  /** Between pages of one guide and between guides; tests pass 0. */
  pauseMs?: number
}

export class ResyncService {
  private readonly repo: CallbacksRepository
  private readonly pauseMs: number
  private stopped = false

  constructor(
    private readonly ctx: AppContext,
    private readonly transfers: TransfersService,
    options: ResyncOptions = {},
  ) {
    this.repo = new CallbacksRepository(ctx.db)
    this.pauseMs = options.pauseMs ?? DEFAULT_RESYNC_PAUSE_MS
  }

  /** One guide: her list as WeCom has it now, then any handover it reveals. */
  async resyncGuide(userId: string): Promise<void> {
    await syncGuideCustomers(this.ctx, userId, { pageDelayMs: this.pauseMs })
    await this.transfers.settle()
  }

  /** Every guide; one failing (left the company, WeCom refusing her) does not stop the rest. */
  async resyncAll(): Promise<{ guides: number; failed: number }> {
    const guides = await this.repo.guideIds()
    let failed = 0
    for (const [i, userId] of guides.entries()) {
      // Shutting down: the rest waits for the next run rather than holding the process for hours.
      if (this.stopped) break
      if (i > 0 && this.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pauseMs))
      try {
        await this.resyncGuide(userId)
      } catch (error) {
        failed++
        this.ctx.log.warn({ err: error, userId }, 'Resync of a guide failed; the next run tries again')
      }
    }
    return { guides: guides.length, failed }
  }

  stop(): void {
    this.stopped = true
  }

  /** The scheduled run: only the first instance to reach this period does the work. */
  async runScheduled(everyMs: number): Promise<boolean> {
    const now = this.ctx.now()
    if (!(await this.repo.claimResyncPeriod(String(Math.floor(now / everyMs)), now))) return false
    const result = await this.resyncAll()
    this.ctx.log.info(result, 'WeCom resync done')
    return true
  }
}
