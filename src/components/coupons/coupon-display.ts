/** Coupons in words: the value, its condition, why one cannot go, where it stands. */
import { isApiFailure } from '@/api/http'
import { locale, t } from '@/i18n'
import { formatMoney } from '@/i18n/format'
import {
  COUPON_REFUSALS,
  zheOf,
  type CouponKind,
  type CouponRefusal,
  type CouponTemplate,
  type IssuanceStatus,
} from '@/shared/coupons'

export function couponValue(kind: CouponKind, value: number): string {
  // Chinese says what she pays (8.5 折), English what comes off (15% off).
  if (kind === 'percent_off') return t('coupons.percent', { value: locale.value === 'zh-CN' ? zheOf(value) : String(value) })
  return formatMoney(value, locale.value)
}

export function couponCondition(kind: CouponKind, threshold: number): string {
  if (kind === 'no_threshold' || threshold === 0) return t('coupons.noThreshold')
  return t('coupons.threshold', { amount: formatMoney(threshold, locale.value) })
}

/** Why a coupon cannot go to her; an order limit above 0 says how many orders it allows. */
export function refusalText(reason: CouponRefusal, maxOrders: number | null = null): string {
  if (reason === 'too_many_orders' && maxOrders) return t('coupons.refusal.maxOrders', { max: maxOrders })
  return t(`coupons.refusal.${reason}`)
}

/** The refusal a send was answered with (409, the reason as its code), if it was one. */
export function refusalOf(error: unknown): CouponRefusal | null {
  if (!isApiFailure(error)) return null
  const code: string = error.code
  return COUPON_REFUSALS.find((reason) => reason === code) ?? null
}

export function statusText(status: IssuanceStatus): string {
  return t(`coupons.status.${status}`)
}

type Face = Pick<CouponTemplate, 'kind' | 'value' | 'threshold'>
type Validity = Pick<CouponTemplate, 'validDays' | 'validFrom' | 'validTo'>

/** A template's face value in one line, for the manager: 满¥200减¥20, 8.5折（减 15%）, ¥10无门槛. */
export function couponValueText(face: Face): string {
  const money = (fen: number) => formatMoney(fen, locale.value)
  if (face.kind === 'percent_off') {
    const params = { zhe: zheOf(face.value), percent: face.value, threshold: money(face.threshold) }
    return t(face.threshold > 0 ? 'coupons.manage.text.percent_off_min' : 'coupons.manage.text.percent_off', params)
  }
  if (face.kind === 'no_threshold') return t('coupons.manage.text.no_threshold', { value: money(face.value) })
  return t('coupons.manage.text.amount_off', { value: money(face.value), threshold: money(face.threshold) })
}

/** How long a template's coupons are valid: N days from issue, or fixed dates. */
export function couponValidityText(validity: Validity): string {
  if (validity.validDays) return t('coupons.manage.validity.daysText', { days: validity.validDays })
  return t('coupons.manage.validity.datesText', { from: validity.validFrom ?? '—', to: validity.validTo ?? '—' })
}
