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
import { StoresRepository } from '../stores/stores.repository'
import type { ClaimView } from './claim-page'
import { isCodeShaped, normalizeCode } from './codes'
import { toCouponTemplate, toIssuance, type IssuanceRecord, type TemplateRecord } from './coupons.mapper'
import { BatchDecider, type Decided, type IssueAsk } from './batch-decider'
import { IssueBatcher } from './issue-batch'
import type { IssuanceRepository } from './issuance.repository'
import { isActive, REFUSAL_MESSAGES, refusalReason, weekStart, type CustomerFacts, type QuotaCounts } from './quota'
import type { TemplatesRepository } from './templates.repository'
import { TasksService } from '../tasks/tasks.service'

function refusal(code: CouponRefusal): ApiError {
  return new ApiError(409, code, REFUSAL_MESSAGES[code])
}

export class IssuanceService {
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
    this.guides = new GuidesRepository(ctx.db)
    this.stores = new StoresRepository(ctx.db)
    this.tasks = new TasksService(ctx)
    const decider = new BatchDecider(ctx, customers, templates, issuances)
    this.batcher = new IssueBatcher((templateId, asks) => decider.decide(templateId, asks))
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
        const now = this.ctx.now()
        const count = await this.issuances.releaseOverdueOf(trx, id, await this.issuances.overdueOf(id, now, trx), now)
        if (count) await this.templates.giveBack(trx, id, count)
        return count
      })
    }
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
    signedIn?: Promise<boolean>,
  ): Promise<{ issuance: Issuance; created: boolean }> {
    // Her facts are read with the batch's, and a retry (the key already did its work) is
    // answered there: most sends are new, and one read less each is what a flash sale needs.
    const ask: IssueAsk = {
      userId,
      externalUserId: input.externalUserId,
      idempotencyKey: input.idempotencyKey,
      signedIn,
    }
    let decided = await this.batcher.submit(templateId, ask)
    if ('unread' in decided) {
      // Not cached and his (yet): read as her profile would be (WeCom, 403/404), outside the
      // batch, so a slow answer from WeCom holds up no other send. Should she no longer be
      // his to send to, what the key made is still the answer.
      try {
        ask.facts = await this.customerFacts(userId, input.externalUserId)
      } catch (error) {
        const earlier = await this.issuances.findByKey(userId, input.idempotencyKey)
        if (!earlier) throw error
        return { issuance: await this.view(this.sameKey(earlier, templateId, input.externalUserId), origin), created: false }
      }
      decided = await this.batcher.submit(templateId, ask)
      if ('unread' in decided) throw new Error('a send with its facts came back unread')
    }
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
