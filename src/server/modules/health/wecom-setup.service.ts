/**
 * What admins are told about WeCom refusing our set-up (IP not trusted, no API permission,
 * a wrong secret or corp id), kept where every instance sees it: behind a load balancer
 * the instance that saw the refusal is rarely the one an admin's request reaches, and a
 * restart must not hide it. It stays until the refused API answers again on any instance.
 * The WeCom client reports to it (`SetupErrorSink`).
 */
import type { Db } from '../../db'
import type { SetupErrorSink } from '../../wecom/client'
import { WecomSetupRepository, type SetupErrorRow } from './wecom-setup.repository'

/**
 * How often an instance asks the database to clear an API that answered, unless it saw
 * that API refused itself: every successful WeCom call would otherwise cost a write.
 */
export const SETUP_CLEAR_CHECK_MS = 60_000

export class WecomSetupService implements SetupErrorSink {
  private readonly repo: WecomSetupRepository
  /** APIs this instance saw refused and has not seen answer since. */
  private readonly refusedHere = new Set<string>()
  private readonly lastClearCheck = new Map<string, number>()

  constructor(db: Db) {
    this.repo = new WecomSetupRepository(db)
  }

  async refused(error: SetupErrorRow): Promise<void> {
    this.refusedHere.add(error.api)
    await this.repo.record(error)
  }

  async answered(api: string, at: number): Promise<void> {
    const last = this.lastClearCheck.get(api)
    if (!this.refusedHere.has(api) && last !== undefined && at - last < SETUP_CLEAR_CHECK_MS) return
    this.lastClearCheck.set(api, at)
    this.refusedHere.delete(api)
    await this.repo.clear(api, at)
  }

  latest(): Promise<SetupErrorRow | undefined> {
    return this.repo.latest()
  }
}
