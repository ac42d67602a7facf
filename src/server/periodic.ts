import type { FastifyInstance } from 'fastify'
import type { AppContext } from './context'

export interface PeriodicJob {
  /** Named in the log when a run fails (BackgroundTasks). */
  name: string
  /**
   * Not given: every `defaultMs` once the server listens — tests inject without listening,
   * so the job stays off there, and in simulator mode WeCom is this very server, reached
   * over loopback only after listening. A number: that often from now. 0: never.
   */
  everyMs: number | undefined
  defaultMs: number
  /** Run once as the job starts, not only after the first interval. */
  runAtStart?: boolean
  run: () => Promise<unknown>
}

/** A background job repeated on a timer that never holds the process open, and stops with the app. */
export function schedulePeriodic(app: FastifyInstance, ctx: AppContext, job: PeriodicJob): void {
  let timer: ReturnType<typeof setInterval> | undefined
  const tick = () => ctx.background.run(job.name, job.run)
  const start = (everyMs: number) => {
    if (timer) return
    if (job.runAtStart) tick()
    timer = setInterval(tick, everyMs)
    timer.unref()
  }
  if (job.everyMs === undefined) app.server.once('listening', () => start(job.defaultMs))
  else if (job.everyMs > 0) start(job.everyMs)
  app.addHook('onClose', async () => clearInterval(timer))
}
