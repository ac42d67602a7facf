import type { FastifyBaseLogger } from 'fastify'
import type { Db } from './db'
import type { Config } from './env'
import type { FailureBudgets } from './http/budgets'
import type { Signer } from './http/session'
import type { WecomClient } from './wecom/client'

/** What every module gets: built once in app.ts, passed down explicitly. */
export interface AppContext {
  config: Config
  db: Db
  wecom: WecomClient
  /** Shared budgets on WeCom calls bogus input could make us spend (http/budgets.ts). */
  budgets: FailureBudgets
  signer: Signer
  now: () => number
  log: FastifyBaseLogger
  /** Background work (cache refreshes) registers here so shutdown and tests can wait for it. */
  background: BackgroundTasks
}

export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>()

  constructor(private readonly log: () => FastifyBaseLogger) {}

  /** Run without making the caller wait; failures are logged, never thrown at a request. */
  run(name: string, task: () => Promise<unknown>): void {
    const started = task()
      .catch((error: unknown) => this.log().warn({ err: error, task: name }, 'Background task failed'))
      .finally(() => this.running.delete(started))
    this.running.add(started)
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running])
  }
}
