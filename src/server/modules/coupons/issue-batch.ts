/**
 * Sends of one coupon that arrive while an earlier batch of it is being decided wait and
 * are then decided together (batch-decider.ts: on PostgreSQL one read and one write gated
 * on the coupon row's version, on SQLite one transaction under the lock).
 *
 * Why: every send of a coupon serialises on its template row (that is what keeps stock
 * exact), and each decision is round trips and a commit while that row waits — 2–6 ms on
 * PostgreSQL here depending on the load and the disk, 1.5 ms on SQLite. One decision per
 * send caps a hot coupon at a few hundred sends a second however fast the rest is (the
 * flash sale: a whole brand sends one coupon at 10:00). Deciding everything that queued up
 * meanwhile in one go shares them.
 *
 * Nothing waits on a timer: a send that finds no batch running starts one as soon as the
 * event loop has taken in the requests that arrived with it (`setImmediate`, after the
 * current I/O phase), so sends that came in together share a batch even on SQLite, whose
 * synchronous driver would otherwise finish each send before reading the next request. A
 * quiet coupon waits for nothing but that turn.
 */
export class IssueBatcher<Ask, Outcome> {
  private readonly queues = new Map<string, { ask: Ask; resolve: (o: Outcome) => void; reject: (e: unknown) => void }[]>()

  constructor(
    /** Decides a batch: one outcome per ask, in order. A throw fails every ask of the batch. */
    private readonly decide: (key: string, asks: Ask[]) => Promise<Outcome[]>,
    private readonly maxBatch = 200,
  ) {}

  submit(key: string, ask: Ask): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const waiting = this.queues.get(key)
      if (waiting) {
        waiting.push({ ask, resolve, reject })
        return
      }
      this.queues.set(key, [{ ask, resolve, reject }])
      setImmediate(() => void this.drain(key))
    })
  }

  private async drain(key: string): Promise<void> {
    const waiting = this.queues.get(key)!
    while (waiting.length > 0) {
      const batch = waiting.splice(0, this.maxBatch)
      try {
        const outcomes = await this.decide(
          key,
          batch.map((w) => w.ask),
        )
        batch.forEach((w, i) => w.resolve(outcomes[i]!))
      } catch (error) {
        for (const w of batch) w.reject(error)
      }
    }
    this.queues.delete(key)
  }
}
