/**
 * The till: a store's key says which store is asking, and a coupon is used once, at a
 * store it is good for, inside its days. The issuance's row is held while that is decided.
 */
import type { Redemption } from '../../../shared/coupons'
import type { AppContext } from '../../context'
import { iso } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { StoresRepository } from '../stores/stores.repository'
import { normalizeCode } from './codes'
import type { RedemptionRepository } from './redemption.repository'
import type { TemplatesRepository } from './templates.repository'

export class RedemptionService {
  constructor(
    private readonly ctx: AppContext,
    private readonly templates: TemplatesRepository,
    private readonly redemptions: RedemptionRepository,
  ) {}

  async redeem(storeId: string, rawCode: string, orderId: string | undefined): Promise<Redemption> {
    const code = normalizeCode(rawCode)
    return this.redemptions.transaction(async (trx) => {
      const issuance = await this.redemptions.lockByCode(trx, code)
      if (!issuance || issuance.status === 'released' || issuance.status === 'reserved') {
        throw ApiError.notFound('No coupon has this code')
      }
      const template = (await this.templates.find(issuance.templateId, trx))!
      const now = this.ctx.now()
      if (issuance.status === 'redeemed') {
        const store = issuance.redeemedStoreId
          ? (await new StoresRepository(trx).find(issuance.redeemedStoreId))?.name
          : undefined
        throw new ApiError(
          409,
          'already_redeemed',
          `This coupon was already used on ${iso(Number(issuance.redeemedAt))}${store !== undefined ? ` at ${store}` : ''}`,
        )
      }
      if (issuance.validFrom !== null && issuance.validFrom > now) {
        throw new ApiError(409, 'coupon_not_valid_yet', `This coupon is valid from ${iso(issuance.validFrom)}`)
      }
      if (issuance.validUntil !== null && issuance.validUntil < now) {
        throw new ApiError(409, 'coupon_expired', `This coupon expired on ${iso(issuance.validUntil)}`)
      }
      if (template.storeIds.length && !template.storeIds.includes(storeId))
        throw new ApiError(409, 'wrong_store', 'This coupon cannot be used at this store')
      if (!(await this.redemptions.markRedeemed(trx, issuance.id, { at: now, storeId, orderId: orderId ?? null }))) {
        throw new ApiError(409, 'already_redeemed', 'This coupon was already used')
      }
      return {
        code,
        status: 'redeemed' as const,
        name: template.name,
        kind: template.kind,
        value: template.value,
        threshold: template.threshold,
        redeemedAt: iso(now),
        storeId,
      }
    })
  }
}
