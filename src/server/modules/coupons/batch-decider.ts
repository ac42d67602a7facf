/**
 * How a batch of sends of one coupon is decided (see issue-batch.ts): what it reads before
 * the lock, then one transaction under the template's lock that judges every send in the
 * order it came, as if they had run one by one.
 */
import type { CouponRefusal } from '../../../shared/coupons'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import type { CustomersService } from '../customers/customers.service'
import { GuidesRepository } from '../guides/guides.repository'
import { PrivateTextGuard } from '../privacy/private-text.guard'
import type { IssuanceContext, IssuanceRecord } from './coupons.mapper'
import { batchStateFrom, type BatchAsk, type IssuanceRepository } from './issuance.repository'
import { newReservation, refusalReason, weekStart, type CustomerFacts } from './quota'
import type { TemplatesRepository } from './templates.repository'

/** One send of a coupon, as its batch decides it. */
export interface IssueAsk {
  userId: string
  externalUserId: string
  idempotencyKey: string
  /** Her facts, when read before queueing (the one-send path); else the batch reads them. */
  facts?: CustomerFacts
}

/** What a batch read before it took the lock (`readsFor`). */
interface BatchReads {
  /** Her facts for each ask; null where the one-send path must read them. */
  facts: (CustomerFacts | null)[]
  /** The words her card would carry, as checked; undefined for an unknown coupon. */
  texts: { name: string; description: string } | undefined
  /** The privacy check's verdict for each ask: its refusal, or null. */
  refusals: (ApiError | null)[]
  guides: IssuanceContext['guides']
}

type Outcome =
  | { created: boolean; issuance: IssuanceRecord }
  | { refused: CouponRefusal }
  | { error: ApiError }
  /** Her facts need the one-send path: sent again with them. */
  | { unread: true }
export type Decided =
  (Extract<Outcome, { created: boolean }> & { context: IssuanceContext }) | Exclude<Outcome, { created: boolean }>

const keyOf = (guideId: string, key: string): string => `${guideId}\u0000${key}`

export class BatchDecider {
  private readonly guard: PrivateTextGuard
  private readonly guides: GuidesRepository

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly templates: TemplatesRepository,
    private readonly issuances: IssuanceRepository,
  ) {
    this.guard = new PrivateTextGuard(ctx.db)
    this.guides = new GuidesRepository(ctx.db)
  }

  /**
   * What a batch reads before it takes the lock, at once (PostgreSQL: on connections of
   * their own, side by side): her facts, the privacy check, the guides' names. The lock is
   * then held only for what must be under it; what could move meanwhile is checked there
   * (the template's words).
   */
  private async readsFor(templateId: string, asks: IssueAsk[]): Promise<BatchReads> {
    const [facts, privacy, names] = await Promise.all([
      this.factsOf(asks),
      this.privateTextRefusals(templateId, asks),
      this.guides.names(asks.map((ask) => ask.userId)),
    ])
    return { facts, ...privacy, guides: [...names].map(([userId, name]) => ({ userId, name })) }
  }

  /** Her facts for each ask: those it came with, the rest in one read (null: not read). */
  private async factsOf(asks: readonly IssueAsk[]): Promise<(CustomerFacts | null)[]> {
    const unread = asks.filter((ask) => !ask.facts)
    const read = unread.length ? await this.customers.eligibilityFactsMany(unread) : []
    let next = 0
    return asks.map((ask) => ask.facts ?? read[next++] ?? null)
  }

  /**
   * Every send of this coupon that queued up, decided in one transaction under the
   * template's lock (see issue-batch.ts), in the order they arrived: each is judged with
   * the stock and counts the sends before it in the batch left, so nothing is oversold
   * and limits and quotas hold exactly as if they had run one by one.
   */
  async decide(templateId: string, asks: IssueAsk[]): Promise<Decided[]> {
    const reads = await this.readsFor(templateId, asks)
    const { texts, refusals } = reads
    const { template, outcomes } = await this.issuances.transaction(async (trx) => {
      const now = this.ctx.now()
      const ask: BatchAsk = {
        templateId,
        guideIds: asks.map((ask) => ask.userId),
        externalUserIds: asks.map((ask) => ask.externalUserId),
        keys: asks.map((ask) => ({ guideId: ask.userId, key: ask.idempotencyKey })),
        now,
        weekStart: weekStart(now),
      }
      // The waiting sends' holds and their guides' weekly counts, the keys already used and
      // what is overdue come with the lock where the database can be sure they are current
      // (PostgreSQL: one round trip less a batch); else they are read under it.
      const locked = await this.templates.lockReading(trx, templateId, this.issuances.batchQuery(trx, ask))
      const template = locked.template
      if (!template) throw ApiError.notFound('No such coupon')
      // Her card carries the words checked above; a manager's edit since then (rare) is
      // checked by sending again.
      const changed = texts?.name !== template.name || texts.description !== template.description
      let state = locked.read ? batchStateFrom(locked.read, templateId) : await this.issuances.batchState(trx, ask)
      // Overdue reservations of this coupon go back first; the row we hold counts them in,
      // and what was read is read again (her holds, a retry's reservation given back).
      let stockLeft = template.stockLeft
      const released = await this.issuances.releaseOverdueOf(trx, templateId, state.overdue, now)
      if (released) {
        await this.templates.giveBack(trx, templateId, released)
        stockLeft += released
        state = await this.issuances.batchState(trx, ask)
      }
      // A key that already did its work (a retry) answers with what it made, as it stands.
      const made = new Map<string, IssuanceRecord>()
      for (const found of await this.issuances.findByIds(trx, state.made)) {
        made.set(keyOf(found.guideId, found.idempotencyKey), found)
      }
      const outcomes = asks.map((ask, i): Outcome => {
        const key = keyOf(ask.userId, ask.idempotencyKey)
        const earlier = made.get(key)
        if (earlier) return { created: false, issuance: earlier }
        const herFacts = reads.facts[i]
        if (!herFacts) return { unread: true }
        if (changed) return { error: new ApiError(409, 'conflict', 'This coupon was changed just now: send it again') }
        const privateText = refusals[i]
        if (privateText) return { error: privateText }
        const quota = { holds: state.holds.get(ask.externalUserId) ?? 0, guideUsed: state.guideUsed.get(ask.userId) ?? 0 }
        const reason = refusalReason({ ...template, stockLeft }, herFacts, quota, now)
        if (reason) return { refused: reason }
        const issuance = newReservation(template, ask, now)
        stockLeft -= 1
        state.holds.set(ask.externalUserId, quota.holds + 1)
        state.guideUsed.set(ask.userId, quota.guideUsed + 1)
        made.set(key, issuance)
        return { created: true, issuance }
      })
      const fresh = outcomes.flatMap((o) => ('created' in o && o.created ? [o.issuance] : []))
      const { written, taken } = await this.issuances.insertTaking(trx, templateId, fresh)
      if (!taken) throw new Error(`coupon ${templateId}: stock moved under its lock`)
      if (written.size === fresh.length) return { template, outcomes }
      // A key used at the same moment by a send of another coupon (whose lock is not ours):
      // that send made it, and this one answers with what it made. The sends after it in
      // this batch were judged as if this one had counted, which can only refuse, never
      // oversell; it takes the same key sent twice at once to get here.
      const lost = fresh.filter((issuance) => !written.has(issuance.id))
      const winners = await this.issuances.findByKeys(
        lost.map((issuance) => ({ guideId: issuance.guideId, key: issuance.idempotencyKey })),
        trx,
      )
      const winnerOf = new Map(winners.map((w) => [keyOf(w.guideId, w.idempotencyKey), w]))
      const settled = outcomes.map((o): Outcome => {
        if (!('created' in o) || written.has(o.issuance.id)) return o
        const winner = winnerOf.get(keyOf(o.issuance.guideId, o.issuance.idempotencyKey))
        return winner ? { created: false, issuance: winner } : { error: new ApiError(409, 'conflict', 'Send it again') }
      })
      return { template, outcomes: settled }
    })
    const context: IssuanceContext = { templates: [template], guides: reads.guides, stores: [] }
    return outcomes.map((o) => ('created' in o ? { ...o, context } : o))
  }

  /**
   * Her card and coupon page carry the template's name and description: words a manager
   * wrote for customers, checked all the same against what is kept about each customer of
   * the batch (one read for all, verdicts remembered while nothing private changes: see
   * the guard). The refusal for each ask, or null; the words checked.
   */
  private async privateTextRefusals(templateId: string, asks: readonly IssueAsk[]) {
    const texts = await this.templates.texts(templateId)
    // An unknown template is answered under the lock.
    if (!texts) return { texts, refusals: asks.map(() => null) }
    const refusals = await this.guard.refusalsFor(
      asks.map((ask) => ({ guideId: ask.userId, customerId: ask.externalUserId })),
      [texts.name, texts.description],
      this.ctx.config.brandName,
      texts.privacyVersion,
    )
    return { texts, refusals }
  }
}
