/**
 * Coupons are money, so every change of stock is a conditional update inside a
 * transaction that holds the template's row (PostgreSQL `FOR UPDATE`; SQLite runs one
 * write transaction at a time): stock never goes below zero, a key used twice is one
 * issuance, and a reservation is given back exactly once — by the guide's cancel or,
 * never confirmed, by the sweep a few minutes later.
 */
import type { CouponOffer, CouponRefusal, Issuance } from '../../../shared/coupons'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { ApiError } from '../../http/errors'
import type { CustomersService } from '../customers/customers.service'
import { GuidesRepository } from '../guides/guides.repository'
import { PrivateTextGuard } from '../privacy/private-text.guard'
import { StoresRepository } from '../stores/stores.repository'
import type { ClaimView } from './claim-page'
import { isCodeShaped, normalizeCode } from './codes'
import { toCouponTemplate, toIssuance, type IssuanceContext, type IssuanceRecord, type TemplateRecord } from './coupons.mapper'
import { IssueBatcher } from './issue-batch'
import type { IssuanceRepository } from './issuance.repository'
import {
  isActive,
  newReservation,
  REFUSAL_MESSAGES,
  refusalReason,
  weekStart,
  type CustomerFacts,
  type QuotaCounts,
} from './quota'
import type { TemplatesRepository } from './templates.repository'
import { TasksService } from '../tasks/tasks.service'

function refusal(code: CouponRefusal): ApiError {
  return new ApiError(409, code, REFUSAL_MESSAGES[code])
}

/** One send of a coupon, as its batch decides it (its facts read before queueing). */
interface IssueAsk {
  userId: string
  externalUserId: string
  idempotencyKey: string
  facts: CustomerFacts
}

type Outcome = { created: boolean; issuance: IssuanceRecord } | { refused: CouponRefusal } | { error: ApiError }
type Decided = (Extract<Outcome, { created: boolean }> & { context: IssuanceContext }) | Exclude<Outcome, { created: boolean }>

const keyOf = (guideId: string, key: string): string => `${guideId}\u0000${key}`

export class IssuanceService {
  private readonly guard: PrivateTextGuard
  private readonly guides: GuidesRepository
  private readonly stores: StoresRepository
  private readonly tasks: TasksService
  private readonly batcher: IssueBatcher<IssueAsk, Decided>

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly templates: TemplatesRepository,
    private readonly issuances: IssuanceRepository,
  ) {
    this.guard = new PrivateTextGuard(ctx.db)
    this.guides = new GuidesRepository(ctx.db)
    this.stores = new StoresRepository(ctx.db)
    this.tasks = new TasksService(ctx)
    this.batcher = new IssueBatcher((templateId, asks) => this.decideBatch(templateId, asks))
  }

  /** Her member level and tags, as eligibility reads them (403/404 as the profile answers). */
  private customerFacts(userId: string, externalUserId: string): Promise<CustomerFacts> {
    return this.customers.eligibilityFacts(userId, externalUserId)
  }

  /**
   * Give back reservations nobody confirmed in time: each exactly once, stock with it.
   * Locks are always taken template first, then its issuances, as issuing does.
   */
  async releaseExpired(): Promise<number> {
    const due = await this.issuances.templatesWithOverdue(this.ctx.now())
    let released = 0
    for (const id of due) {
      released += await this.issuances.transaction(async (trx) => {
        await this.templates.lock(trx, id)
        return this.releaseExpiredOf(trx, id)
      })
    }
    return released
  }

  /** The same for one template, inside a transaction that holds its row. */
  private async releaseExpiredOf(trx: Trx, templateId: string): Promise<number> {
    const released = await this.issuances.releaseOverdue(trx, templateId, this.ctx.now())
    if (released) await this.templates.giveBack(trx, templateId, released)
    return released
  }

  /** What counts against this coupon for her and this guide now. Run inside the lock. */
  private async quotaCounts(trx: Trx, templateId: string, userId: string, externalUserId: string): Promise<QuotaCounts> {
    const now = this.ctx.now()
    return this.issuances.quotaCounts(trx, { templateId, guideId: userId, externalUserId, now, weekStart: weekStart(now) })
  }

  async offers(userId: string, externalUserId: string): Promise<CouponOffer[]> {
    const facts = await this.customerFacts(userId, externalUserId)
    const templates = await this.templates.list('active')
    const counts = await this.templates.counts(templates.map((t) => t.id))
    const offers: CouponOffer[] = []
    for (const template of templates) {
      if (!isActive(template, this.ctx.now())) continue
      const quota = await this.issuances.transaction((trx) => this.quotaCounts(trx, template.id, userId, externalUserId))
      const reason = refusalReason(template, facts, quota, this.ctx.now())
      offers.push({
        template: toCouponTemplate(template, counts.get(template.id)),
        available: reason === null,
        reason,
        guideUsedThisWeek: quota.guideUsed,
        customerHolds: quota.holds,
      })
    }
    // What she can have first; then the rest, each with its reason.
    return offers.sort((a, b) => Number(b.available) - Number(a.available))
  }

  async issue(
    userId: string,
    templateId: string,
    input: { externalUserId: string; idempotencyKey: string },
    origin: string,
  ): Promise<{ issuance: Issuance; created: boolean }> {
    // A retry (the key already did its work) is answered by the batch, which looks every
    // key up anyway: most sends are new, and one read less each is what a flash sale needs.
    // Should she no longer be hers to send to, what the key made is still the answer.
    let facts: CustomerFacts
    try {
      facts = await this.customerFacts(userId, input.externalUserId)
    } catch (error) {
      const earlier = await this.issuances.findByKey(userId, input.idempotencyKey)
      if (!earlier) throw error
      return { issuance: await this.view(this.sameKey(earlier, templateId, input.externalUserId), origin), created: false }
    }
    const decided = await this.batcher.submit(templateId, {
      userId,
      externalUserId: input.externalUserId,
      idempotencyKey: input.idempotencyKey,
      facts,
    })
    if ('refused' in decided) throw refusal(decided.refused)
    if ('error' in decided) throw decided.error
    if (!decided.created) {
      // Shown as it stands now (a coupon sent long ago may have been used since, and where).
      return {
        issuance: await this.view(this.sameKey(decided.issuance, templateId, input.externalUserId), origin),
        created: false,
      }
    }
    return { issuance: toIssuance(decided.issuance, decided.context, origin, null, this.ctx.now()), created: true }
  }

  /**
   * Every send of this coupon that queued up, decided in one transaction under the
   * template's lock (see issue-batch.ts), in the order they arrived: each is judged with
   * the stock and counts the sends before it in the batch left, so nothing is oversold
   * and limits and quotas hold exactly as if they had run one by one.
   */
  private async decideBatch(templateId: string, asks: IssueAsk[]): Promise<Decided[]> {
    const { texts, refusals } = await this.privateTextRefusals(templateId, asks)
    const { template, outcomes } = await this.issuances.transaction(async (trx) => {
      const template = await this.templates.lock(trx, templateId)
      if (!template) throw ApiError.notFound('No such coupon')
      // Her card carries the words checked above; a manager's edit since then (rare) is
      // checked by sending again.
      const changed = texts?.name !== template.name || texts.description !== template.description
      // Overdue reservations of this coupon go back first; the row we hold counts them in.
      let stockLeft = template.stockLeft + (await this.releaseExpiredOf(trx, templateId))
      const now = this.ctx.now()
      // A key that already did its work (a retry) answers with what it made.
      const made = new Map<string, IssuanceRecord>()
      const keyed = asks.map((ask) => ({ guideId: ask.userId, key: ask.idempotencyKey }))
      for (const found of await this.issuances.findByKeys(trx, keyed)) made.set(keyOf(found.guideId, found.idempotencyKey), found)
      const counts = await this.issuances.quotaCountsMany(trx, {
        templateId,
        guideIds: asks.map((ask) => ask.userId),
        externalUserIds: asks.map((ask) => ask.externalUserId),
        now,
        weekStart: weekStart(now),
      })
      const outcomes = asks.map((ask, i): Outcome => {
        const key = keyOf(ask.userId, ask.idempotencyKey)
        const earlier = made.get(key)
        if (earlier) return { created: false, issuance: earlier }
        if (changed) return { error: new ApiError(409, 'conflict', 'This coupon was changed just now: send it again') }
        const privateText = refusals[i]
        if (privateText) return { error: privateText }
        const quota = { holds: counts.holds.get(ask.externalUserId) ?? 0, guideUsed: counts.guideUsed.get(ask.userId) ?? 0 }
        const reason = refusalReason({ ...template, stockLeft }, ask.facts, quota, now)
        if (reason) return { refused: reason }
        const issuance = newReservation(template, ask, now)
        stockLeft -= 1
        counts.holds.set(ask.externalUserId, quota.holds + 1)
        counts.guideUsed.set(ask.userId, quota.guideUsed + 1)
        made.set(key, issuance)
        return { created: true, issuance }
      })
      const fresh = outcomes.flatMap((o) => ('created' in o && o.created ? [o.issuance] : []))
      const written = await this.issuances.insertMany(trx, fresh)
      if (written.size > 0 && !(await this.templates.take(trx, templateId, written.size))) {
        throw new Error(`coupon ${templateId}: stock moved under its lock`)
      }
      if (written.size === fresh.length) return { template, outcomes }
      // A key used at the same moment by a send of another coupon (whose lock is not ours):
      // that send made it, and this one answers with what it made. The sends after it in
      // this batch were judged as if this one had counted, which can only refuse, never
      // oversell; it takes the same key on two coupons at once to get here.
      const lost = fresh.filter((issuance) => !written.has(issuance.id))
      const winners = await this.issuances.findByKeys(
        trx,
        lost.map((issuance) => ({ guideId: issuance.guideId, key: issuance.idempotencyKey })),
      )
      const winnerOf = new Map(winners.map((w) => [keyOf(w.guideId, w.idempotencyKey), w]))
      const settled = outcomes.map((o): Outcome => {
        if (!('created' in o) || written.has(o.issuance.id)) return o
        const winner = winnerOf.get(keyOf(o.issuance.guideId, o.issuance.idempotencyKey))
        return winner ? { created: false, issuance: winner } : { error: new ApiError(409, 'conflict', 'Send it again') }
      })
      return { template, outcomes: settled }
    })
    const context: IssuanceContext = {
      templates: [template],
      guides: [...(await this.guides.names(asks.map((ask) => ask.userId)))].map(([userId, name]) => ({ userId, name })),
      stores: [],
    }
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

  /**
   * A reservation the sweep gave back, shown to be delivered after all (a late confirm, or
   * she opened the link): taken from stock again while there is stock. Under the lock.
   */
  private async revive(issuance: IssuanceRecord, status: 'sent' | 'claimed'): Promise<boolean> {
    if (issuance.status !== 'released' || issuance.releaseReason !== 'timeout') return false
    return this.issuances.transaction(async (trx) => {
      await this.templates.lock(trx, issuance.templateId)
      if (!(await this.templates.take(trx, issuance.templateId, 1))) return false
      if (!(await this.issuances.revive(trx, issuance.id, status, this.ctx.now()))) {
        // Someone else revived it first: put the unit back.
        await this.templates.giveBack(trx, issuance.templateId, 1)
      }
      return true
    })
  }

  private sameKey(issuance: IssuanceRecord, templateId: string, externalUserId: string): IssuanceRecord {
    if (issuance.templateId !== templateId || issuance.externalUserId !== externalUserId) {
      throw new ApiError(409, 'conflict', 'This idempotencyKey was used for another coupon or customer')
    }
    if (issuance.status === 'released') {
      throw new ApiError(409, 'conflict', 'This reservation was given back: send the coupon again with a new idempotencyKey')
    }
    return issuance
  }

  private async ownIssuance(userId: string, id: string): Promise<IssuanceRecord> {
    const issuance = await this.issuances.find(id)
    if (!issuance || issuance.guideId !== userId) throw ApiError.notFound('No such issuance')
    return issuance
  }

  /** WeCom took the card: the coupon is hers now. Confirming again is harmless. */
  async confirm(userId: string, id: string, origin: string): Promise<Issuance> {
    const issuance = await this.ownIssuance(userId, id)
    if (issuance.status === 'released') {
      if (await this.revive(issuance, 'sent')) return this.view(await this.ownIssuance(userId, id), origin, userId)
      throw new ApiError(409, 'conflict', 'This reservation was released: issue the coupon again')
    }
    if (issuance.status === 'reserved') {
      const now = this.ctx.now()
      if (!(await this.issuances.markSent(id, now))) return this.confirm(userId, id, origin)
      // A coupon sent to her: the tasks a message serves (her birthday's among them) are done.
      await this.tasks.served({ guideId: userId, externalUserId: issuance.externalUserId, now })
    }
    return this.view(await this.ownIssuance(userId, id), origin)
  }

  /** The send was cancelled or failed: the coupon goes back to stock, once. */
  async release(userId: string, id: string, origin: string): Promise<Issuance> {
    const issuance = await this.ownIssuance(userId, id)
    if (issuance.status !== 'reserved' && issuance.status !== 'released') {
      throw new ApiError(409, 'conflict', 'This coupon was already sent: it can no longer be given back')
    }
    await this.issuances.transaction(async (trx) => {
      await this.templates.lock(trx, issuance.templateId)
      if (await this.issuances.releaseReserved(trx, id, this.ctx.now())) {
        await this.templates.giveBack(trx, issuance.templateId, 1)
      }
    })
    return this.view(await this.ownIssuance(userId, id), origin)
  }

  private async view(issuance: IssuanceRecord, origin: string, viewerId: string | null = null): Promise<Issuance> {
    return (await this.views([issuance], origin, viewerId))[0]!
  }

  /** Viewer null is she, on her page; a guide sees codes only of what she sent. */
  private async views(issuances: IssuanceRecord[], origin: string, viewerId: string | null = null): Promise<Issuance[]> {
    if (issuances.length === 0) return []
    const context = await this.issuances.contextOf(issuances)
    const now = this.ctx.now()
    return issuances.map((issuance) => toIssuance(issuance, context, origin, viewerId, now))
  }

  /** What she holds (from any guide), newest first; given-back reservations are not hers. */
  async customerCoupons(userId: string, externalUserId: string, origin: string): Promise<Issuance[]> {
    await this.customers.assertFollower(userId, externalUserId)
    return this.views(await this.issuances.ofCustomer(externalUserId), origin, userId)
  }

  // --- The customer's page ---------------------------------------------------------------------

  /**
   * The coupon behind a claim link, marked claimed on her first look. A reservation she
   * opens was delivered even if the app never confirmed it. Released codes are unknown.
   */
  private async claim(
    rawCode: string,
    origin: string,
    record: boolean,
  ): Promise<{ issuance: Issuance; template: TemplateRecord } | null> {
    const code = normalizeCode(rawCode)
    if (!isCodeShaped(code)) return null
    const found = await this.issuances.findByCode(code)
    if (!found) return null
    // She has the link, so it was delivered: a reservation the sweep gave back is hers again.
    if (found.status === 'released' && !(record && (await this.revive(found, 'claimed')))) return null
    if (record && (found.status === 'reserved' || found.status === 'sent')) {
      await this.issuances.markClaimed(found.id, this.ctx.now())
    }
    const fresh = (await this.issuances.find(found.id))!
    if (fresh.status === 'released') return null
    const template = (await this.templates.find(fresh.templateId))!
    return { issuance: await this.view(fresh, origin), template }
  }

  /** Her coupon page, as it stands once opened; null for unknown and given-back codes. */
  async claimPage(rawCode: string, origin: string, record: boolean): Promise<ClaimView | null> {
    const found = await this.claim(rawCode, origin, record)
    if (!found) return null
    const { issuance, template } = found
    const storeNames = (await this.stores.findMany(template.storeIds)).map((s) => s.name)
    const guide = await this.guides.findWithStore(issuance.guide.userId)
    const terms = [
      storeNames.length ? `限${storeNames.join('、')}使用` : '全部门店可用',
      ...(template.online ? ['线上商城同样可用'] : []),
      '每笔订单限用一张，不与其他优惠券同时使用',
      ...(template.description ? [template.description] : []),
    ]
    return {
      brand: this.ctx.config.brandName,
      name: issuance.name,
      kind: issuance.kind,
      value: issuance.value,
      threshold: issuance.threshold,
      code: issuance.code,
      status: issuance.status,
      validFrom: issuance.validFrom,
      validUntil: issuance.validUntil,
      terms,
      guideName: guide?.name ?? issuance.guide.name,
      storeName: guide?.store ?? null,
      redeemedAt: issuance.redeemedAt,
      lang: 'zh',
    }
  }
}
