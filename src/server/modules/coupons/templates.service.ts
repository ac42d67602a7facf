/**
 * The manager's coupon templates: what a coupon is worth, how many there are, who may
 * have one. Every change is audited in the transaction that makes it.
 */
import { randomUUID } from 'node:crypto'
import type { CouponTemplate, CouponTemplateCreate, CouponTemplateUpdate } from '../../../shared/coupons'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { requireManager } from '../guides/roles'
import { StoresRepository } from '../stores/stores.repository'
import { toCouponTemplate, type TemplateRecord } from './coupons.mapper'
import { shanghaiDay } from './quota'
import type { TemplatesRepository } from './templates.repository'

export class TemplatesService {
  constructor(
    private readonly ctx: AppContext,
    private readonly templates: TemplatesRepository,
  ) {
    this.stores = new StoresRepository(ctx.db)
  }

  private readonly stores: StoresRepository

  async listTemplates(userId: string): Promise<CouponTemplate[]> {
    await requireManager(this.ctx, userId)
    const records = await this.templates.list()
    const counts = await this.templates.counts(records.map((r) => r.id))
    return records.map((r) => toCouponTemplate(r, counts.get(r.id)))
  }

  private checkTemplate(input: {
    kind: TemplateRecord['kind']
    value: number
    threshold: number
    validDays?: number | null
    validFrom?: string | null
    validTo?: string | null
  }): void {
    if (input.kind === 'percent_off' && (input.value < 1 || input.value > 99)) {
      throw ApiError.badRequest('value: a percent_off coupon takes 1 to 99 percent off')
    }
    // 0 means any order (as no_threshold); otherwise the spend must exceed what comes off.
    if (input.kind === 'amount_off' && input.threshold !== 0 && input.threshold <= input.value) {
      throw ApiError.badRequest('threshold: an amount_off coupon needs a threshold above its value (or 0 for any order)')
    }
    if (input.kind === 'no_threshold' && input.threshold !== 0) throw ApiError.badRequest('threshold: must be 0 for no_threshold')
    const fixed = input.validFrom != null || input.validTo != null
    if (fixed) {
      if (!input.validFrom || !input.validTo) throw ApiError.badRequest('validFrom and validTo: give both, or validDays')
      for (const [field, value] of [
        ['validFrom', input.validFrom],
        ['validTo', input.validTo],
      ] as const) {
        const parsed = new Date(`${value}T00:00:00Z`)
        // Round-trip: 2026-02-30 parses, as March 2nd, and is not a date.
        if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
          throw ApiError.badRequest(`${field}: ${value} is not a date`)
        }
      }
      if (input.validTo < input.validFrom) throw ApiError.badRequest('validTo: before validFrom')
      if (shanghaiDay(input.validTo, true) < this.ctx.now()) throw ApiError.badRequest('validTo: already past')
      if (input.validDays != null) throw ApiError.badRequest('validDays: give either validDays or fixed dates, not both')
    } else if (input.validDays == null) {
      throw ApiError.badRequest('validDays: how many days a coupon is valid from issue (or validFrom and validTo)')
    }
  }

  private async checkStores(stores: string[]): Promise<void> {
    if (!stores.length) return
    const known = (await this.stores.findMany(stores)).map((store) => store.id)
    const missing = stores.filter((id) => !known.includes(id))
    if (missing.length) throw ApiError.badRequest(`storeIds: no store ${missing.join(', ')}`)
  }

  async createTemplate(userId: string, input: CouponTemplateCreate): Promise<CouponTemplate> {
    await requireManager(this.ctx, userId)
    this.checkTemplate(input)
    const stores = input.storeIds ?? []
    await this.checkStores(stores)
    const now = this.ctx.now()
    const id = `ct_${randomUUID().replace(/-/g, '').slice(0, 20)}`
    const template: TemplateRecord = {
      id,
      name: input.name.trim(),
      description: (input.description ?? '').trim(),
      kind: input.kind,
      value: input.value,
      threshold: input.threshold,
      totalStock: input.totalStock,
      stockLeft: input.totalStock,
      perCustomerLimit: input.perCustomerLimit,
      guideWeeklyQuota: input.guideWeeklyQuota,
      validDays: input.validDays ?? null,
      validFrom: input.validFrom ?? null,
      validTo: input.validTo ?? null,
      eligibleLevels: input.eligibleLevels ?? [],
      eligibleTags: input.eligibleTags ?? [],
      maxOrders: input.maxOrders ?? null,
      storeIds: stores,
      online: input.online !== false,
      status: 'active',
      createdBy: userId,
      createdAt: now,
      updatedAt: now,
    }
    await this.templates.transaction(async (trx) => {
      await this.templates.insert(trx, template)
      await this.templates.audit(trx, {
        actorId: userId,
        templateId: id,
        action: 'create',
        before: undefined,
        after: input,
        at: now,
      })
    })
    return toCouponTemplate(template)
  }

  async updateTemplate(userId: string, id: string, patch: CouponTemplateUpdate): Promise<CouponTemplate> {
    await requireManager(this.ctx, userId)
    if (patch.storeIds) await this.checkStores(patch.storeIds)
    const updated = await this.templates.transaction(async (trx) => {
      const template = await this.templates.lock(trx, id)
      if (!template) throw ApiError.notFound('No such coupon template')
      if (template.status === 'ended' && patch.status && patch.status !== 'ended') {
        throw new ApiError(409, 'conflict', 'An ended coupon cannot be restarted: create a new one')
      }
      let stockLeft = template.stockLeft
      if (patch.totalStock !== undefined) {
        const taken = template.totalStock - template.stockLeft
        if (patch.totalStock < taken) throw ApiError.badRequest(`totalStock: ${taken} are already reserved or issued`)
        stockLeft = patch.totalStock - taken
      }
      const changes: Partial<TemplateRecord> = {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.description !== undefined ? { description: patch.description.trim() } : {}),
        ...(patch.totalStock !== undefined ? { totalStock: patch.totalStock, stockLeft } : {}),
        ...(patch.perCustomerLimit !== undefined ? { perCustomerLimit: patch.perCustomerLimit } : {}),
        ...(patch.guideWeeklyQuota !== undefined ? { guideWeeklyQuota: patch.guideWeeklyQuota } : {}),
        ...(patch.eligibleLevels !== undefined ? { eligibleLevels: patch.eligibleLevels } : {}),
        ...(patch.eligibleTags !== undefined ? { eligibleTags: patch.eligibleTags } : {}),
        ...(patch.maxOrders !== undefined ? { maxOrders: patch.maxOrders } : {}),
        ...(patch.storeIds !== undefined ? { storeIds: patch.storeIds } : {}),
        ...(patch.online !== undefined ? { online: patch.online } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        updatedAt: Math.max(this.ctx.now(), template.updatedAt + 1),
      }
      await this.templates.update(trx, id, changes)
      await this.templates.audit(trx, {
        actorId: userId,
        templateId: id,
        action: 'update',
        before: toCouponTemplate(template),
        after: patch,
        at: this.ctx.now(),
      })
      return { ...template, ...changes }
    })
    const counts = await this.templates.counts([id])
    return toCouponTemplate(updated, counts.get(id))
  }

  /** Only a template nobody holds can go; one with issuances is paused or ended instead. */
  async deleteTemplate(userId: string, id: string): Promise<void> {
    await requireManager(this.ctx, userId)
    await this.templates.transaction(async (trx) => {
      const template = await this.templates.lock(trx, id)
      if (!template) throw ApiError.notFound('No such coupon template')
      if (await this.templates.hasIssuances(trx, id)) {
        throw new ApiError(409, 'conflict', 'This coupon has been issued: pause or end it instead of deleting it')
      }
      await this.templates.delete(trx, id)
      await this.templates.audit(trx, {
        actorId: userId,
        templateId: id,
        action: 'retire',
        before: { name: template.name },
        after: undefined,
        at: this.ctx.now(),
      })
    })
  }
}
