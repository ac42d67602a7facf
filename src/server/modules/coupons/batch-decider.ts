/**
 * How a batch of sends of one coupon is decided (see issue-batch.ts): what it reads, then
 * each send judged in the order it came, as if they had run one by one. PostgreSQL: one
 * read without a lock and one write that goes ahead only if the coupon's row has not moved
 * since; else (and on SQLite) one transaction under the coupon's lock.
 */
import type { CouponRefusal } from '../../../shared/coupons'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { prepareQuery } from '../../db/prepared'
import { ApiError } from '../../http/errors'
import type { CustomersService } from '../customers/customers.service'
import { GuidesRepository } from '../guides/guides.repository'
import { PrivateTextGuard } from '../privacy/private-text.guard'
import { PrivateTextRepository, aboutFrom } from '../privacy/private-text.repository'
import { eligibilityRowsByFollow, followPairs, type EligibilityRows, type FollowPairs } from '../customers/profile.repository'
import type { IssuanceContext, IssuanceRecord, TemplateRecord } from './coupons.mapper'
import { BATCH_LISTS, batchStateFrom, type BatchAsk, type BatchState } from './batch-state'
import type { IssuanceRepository } from './issuance.repository'
import { newReservation, refusalReason, weekStart, type CustomerFacts } from './quota'
import type { TemplatesRepository } from './templates.repository'

/** One send of a coupon, as its batch decides it. */
export interface IssueAsk {
  userId: string
  externalUserId: string
  idempotencyKey: string
  /** Her facts, when read before queueing (the one-send path); else the batch reads them. */
  facts?: CustomerFacts
  /** The check that the guide's kept session still counts, when left to the route (`Session.check`). */
  signedIn?: Promise<boolean>
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
  /** PostgreSQL: the coupon, its version and the batch's state as read without a lock. */
  seen: Seen | null
  /** Each ask's session: null while it counts, else what its send is answered (see `sessionRefusals`). */
  sessionRefusals: unknown[]
}

interface Seen {
  template: TemplateRecord | undefined
  version: string
  state: BatchState
}

type Outcome =
  | { created: boolean; issuance: IssuanceRecord }
  | { refused: CouponRefusal }
  /** An `ApiError` as it stands; anything else (her session could not be checked) is a 500 for this send alone. */
  | { error: unknown }
  /** Her facts need the one-send path: sent again with them. */
  | { unread: true }
export type Decided =
  (Extract<Outcome, { created: boolean }> & { context: IssuanceContext }) | Exclude<Outcome, { created: boolean }>

const sendsOf = (asks: readonly IssueAsk[]) => asks.map((ask) => ({ guideId: ask.userId, customerId: ask.externalUserId }))

const keyOf = (guideId: string, key: string): string => `${guideId}\u0000${key}`

const unique = (values: readonly string[]) => [...new Set(values)]

/**
 * Each ask's session check, started when the send came in, waited for once the batch's
 * one read (PostgreSQL) is back: a check is one round trip shared by every request in
 * flight, and is done by then in all but a few batches. Nothing is judged, written or
 * read from WeCom for a session that ended before the send came in: it gets 401, and a
 * check that failed (the database) a 500 for that send alone. Waiting for the check
 * before joining the batch held every send up by it: off that path, about 5 % more sends
 * a second on either database (coupon bench, both ways in one server, alternated).
 */
const sessionRefusals = (asks: readonly IssueAsk[]): Promise<unknown[]> =>
  Promise.all(
    asks.map(
      (ask) =>
        ask.signedIn?.then(
          (counts) => (counts ? null : ApiError.unauthorized()),
          (error: unknown) => error,
        ) ?? null,
    ),
  )

function batchAsk(templateId: string, asks: readonly IssueAsk[], now: number): BatchAsk {
  return {
    templateId,
    guideIds: unique(asks.map((ask) => ask.userId)),
    externalUserIds: unique(asks.map((ask) => ask.externalUserId)),
    keys: asks.map((ask) => [ask.userId, ask.idempotencyKey] as const),
    now,
    weekStart: weekStart(now),
  }
}

/** What the batch's one read (PostgreSQL) is asked: the batch's ask, the sends whose facts it reads. */
interface BatchReadAsk extends BatchAsk {
  unread: FollowPairs
}

/** Her card carries the words checked before the batch; a manager's edit since then (rare) is checked by sending again. */
const changedSince = (texts: BatchReads['texts'], template: TemplateRecord): boolean =>
  texts?.name !== template.name || texts.description !== template.description

const createdIn = (outcomes: readonly Outcome[]): IssuanceRecord[] =>
  outcomes.flatMap((o) => ('created' in o && o.created ? [o.issuance] : []))

/**
 * Each send in the order it came, against the stock and counts the sends before it left
 * (`state` is updated as it goes); `made` the issuances the batch's keys already made.
 */
function judge(
  asks: readonly IssueAsk[],
  reads: BatchReads,
  template: TemplateRecord,
  stockLeft: number,
  state: BatchState,
  made: Map<string, IssuanceRecord>,
  now: number,
): Outcome[] {
  const changed = changedSince(reads.texts, template)
  return asks.map((ask, i): Outcome => {
    // A session that ended gets nothing, not even what its key made before.
    if (reads.sessionRefusals[i]) return { error: reads.sessionRefusals[i] }
    const key = keyOf(ask.userId, ask.idempotencyKey)
    const earlier = made.get(key)
    if (earlier) return { created: false, issuance: earlier }
    const herFacts = reads.facts[i]
    if (!herFacts) return { unread: true }
    if (changed) return { error: new ApiError(409, 'conflict', 'This coupon was changed just now: send it again') }
    const privateText = reads.refusals[i]
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
}

export class BatchDecider {
  private readonly guard: PrivateTextGuard
  private readonly namesOf
  private readonly readBatch

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly templates: TemplatesRepository,
    private readonly issuances: IssuanceRepository,
  ) {
    this.guard = new PrivateTextGuard(ctx.db)
    const guides = new GuidesRepository(ctx.db)
    const privacy = new PrivateTextRepository(ctx.db)
    const kind = ctx.db.kind
    // Built once: every batch of a hot coupon runs them (their lists sent as one parameter each).
    this.namesOf = prepareQuery(ctx.db, (p: { ids: readonly string[] }) => guides.namesQuery(kind, p.ids), {
      lists: { ids: 'list' },
    })
    this.readBatch = templates.versionedReader(
      (db, a: BatchReadAsk) => ({
        state: issuances.batchQuery(db, a),
        facts: customers.eligibilityQuery(db, a.unread),
        about: privacy.aboutQuery(db, a.externalUserIds),
        privacyVersion: privacy.versionQuery(db),
        names: guides.namesQuery(kind, a.guideIds),
      }),
      { ...BATCH_LISTS, unread: 'pairs' },
    )
  }

  /**
   * What a batch decides with, read before any lock. PostgreSQL: in one statement with the
   * coupon's row and its version (`prepareVersionedRead`): the waiting sends' holds and their
   * guides' weekly counts, the keys already used and what is overdue, her facts, what is
   * kept about each customer (with the privacy check's version, from the same snapshot),
   * the guides' names. SQLite (no round trips to save): her facts, the privacy check and
   * the names one after another, the rest under the lock. What could move before the lock
   * is checked there (the template's words).
   */
  private async readsFor(templateId: string, asks: IssueAsk[], now: number): Promise<BatchReads> {
    const checked = sessionRefusals(asks)
    const unread = asks.filter((ask) => !ask.facts)
    const ask = batchAsk(templateId, asks, now)
    const one = await this.readBatch(templateId, { ...ask, unread: followPairs(unread) })
    const refused = await checked
    // Her facts can mean a read from WeCom: only for the sends whose session counts.
    const toRead = asks.filter((ask, i) => !ask.facts && !refused[i])
    if (!one) {
      const [facts, privacy, names] = await Promise.all([
        this.factsOf(asks, toRead),
        this.privateTextRefusals(templateId, asks),
        this.namesOf({ ids: ask.guideIds }),
      ])
      const guides = names.map((r) => ({ userId: r.user_id, name: r.name }))
      return { facts, ...privacy, guides, seen: null, sessionRefusals: refused }
    }
    const { template, version, reads } = one
    const texts = template && { name: template.name, description: template.description }
    const refusals = texts
      ? await this.guard.refusalsFor(
          sendsOf(asks),
          [texts.name, texts.description],
          this.ctx.config.brandName,
          String(reads.privacyVersion[0]?.version ?? ''),
          aboutFrom(reads.about),
        )
      : asks.map(() => null)
    return {
      facts: await this.factsOf(asks, toRead, eligibilityRowsByFollow(reads.facts)),
      texts,
      refusals,
      guides: reads.names.map((r) => ({ userId: r.user_id, name: r.name })),
      seen: { template, version, state: batchStateFrom(reads.state, templateId) },
      sessionRefusals: refused,
    }
  }

  /** Her facts for each ask: those it came with, those of `unread` in one read (null: not read). */
  private async factsOf(asks: readonly IssueAsk[], unread: readonly IssueAsk[], rows?: EligibilityRows) {
    const read = unread.length ? await this.customers.eligibilityFactsMany(unread, rows) : []
    const readFor = new Map(unread.map((ask, i) => [ask, read[i] ?? null]))
    return asks.map((ask): CustomerFacts | null => ask.facts ?? readFor.get(ask) ?? null)
  }

  /**
   * Every send of this coupon that queued up, decided together (see issue-batch.ts), in the
   * order they arrived: each is judged with the stock and counts the sends before it in the
   * batch left, so nothing is oversold and limits and quotas hold exactly as if they had
   * run one by one. Where the database can (PostgreSQL), from what was read without a lock
   * and written in one statement that goes ahead only if the coupon's row has not moved
   * since (`decideUnlocked`); else, or when it moved, under the coupon's lock.
   */
  async decide(templateId: string, asks: IssueAsk[]): Promise<Decided[]> {
    const now = this.ctx.now()
    const reads = await this.readsFor(templateId, asks, now)
    // Every session of the batch ended: nothing to look at under the lock (overdue, stock).
    if (reads.sessionRefusals.every(Boolean)) return reads.sessionRefusals.map((error) => ({ error }))
    const decided = reads.seen && (await this.decideUnlocked(templateId, asks, reads, reads.seen, now))
    const { template, outcomes } = decided || (await this.decideLocked(templateId, asks, reads))
    const context: IssuanceContext = { templates: [template], guides: reads.guides, stores: [] }
    return outcomes.map((o) => ('created' in o ? { ...o, context } : o))
  }

  /**
   * The common case in one round trip and no transaction: nothing overdue, no retry, the
   * words as checked. Null when that is not the case or the coupon's row moved between the
   * read and the write (another instance's batch, a manager's edit): nothing was written.
   */
  private async decideUnlocked(
    templateId: string,
    asks: readonly IssueAsk[],
    reads: BatchReads,
    seen: Seen,
    now: number,
  ): Promise<{ template: TemplateRecord; outcomes: Outcome[] } | null> {
    const { template, state } = seen
    if (!template || state.made.length || state.overdue.length || changedSince(reads.texts, template)) return null
    const outcomes = judge(asks, reads, template, template.stockLeft, state, new Map(), now)
    const fresh = createdIn(outcomes)
    if (fresh.length === 0) return { template, outcomes }
    const done = await this.issuances.insertTakingAt(templateId, seen.version, fresh)
    if (!done) return null
    if (!done.taken) throw new Error(`coupon ${templateId}: stock moved under its version`)
    return { template, outcomes: await this.settle(outcomes, fresh, done.written) }
  }

  /** Under the coupon's lock, in one transaction. */
  private async decideLocked(templateId: string, asks: readonly IssueAsk[], reads: BatchReads) {
    return this.issuances.transaction(async (trx) => {
      const now = this.ctx.now()
      const ask = batchAsk(templateId, asks, now)
      // The waiting sends' holds and their guides' weekly counts, the keys already used and
      // what is overdue come with the lock where the database can be sure they are current
      // (PostgreSQL: one round trip less a batch); else they are read under it.
      const locked = await this.templates.lockReading(trx, templateId, () => this.issuances.batchQuery(trx, ask))
      const template = locked.template
      if (!template) throw ApiError.notFound('No such coupon')
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
      const outcomes = judge(asks, reads, template, stockLeft, state, made, now)
      const fresh = createdIn(outcomes)
      const { written, taken } = await this.issuances.insertTaking(trx, templateId, fresh)
      if (!taken) throw new Error(`coupon ${templateId}: stock moved under its lock`)
      return { template, outcomes: await this.settle(outcomes, fresh, written, trx) }
    })
  }

  /**
   * A key used at the same moment by a send of another coupon (whose lock is not ours) is
   * not written: that send made it, and this one answers with what it made. The sends after
   * it in this batch were judged as if this one had counted, which can only refuse, never
   * oversell; it takes the same key sent twice at once to get here.
   */
  private async settle(outcomes: Outcome[], fresh: readonly IssuanceRecord[], written: Set<string>, trx?: Trx) {
    if (written.size === fresh.length) return outcomes
    const lost = fresh.filter((issuance) => !written.has(issuance.id))
    const winners = await this.issuances.findByKeys(
      lost.map((issuance) => ({ guideId: issuance.guideId, key: issuance.idempotencyKey })),
      trx,
    )
    const winnerOf = new Map(winners.map((w) => [keyOf(w.guideId, w.idempotencyKey), w]))
    return outcomes.map((o): Outcome => {
      if (!('created' in o) || written.has(o.issuance.id)) return o
      const winner = winnerOf.get(keyOf(o.issuance.guideId, o.issuance.idempotencyKey))
      return winner ? { created: false, issuance: winner } : { error: new ApiError(409, 'conflict', 'Send it again') }
    })
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
      sendsOf(asks),
      [texts.name, texts.description],
      this.ctx.config.brandName,
      texts.privacyVersion,
    )
    return { texts, refusals }
  }
}
