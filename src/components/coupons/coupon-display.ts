/** Coupons in words: the value, its condition, why one cannot go, where it stands. */
import { locale, t } from '@/i18n'
import { formatMoney } from '@/i18n/format'
import { zheOf, type CouponKind, type CouponRefusal, type IssuanceStatus } from '@/shared/coupons'

export function couponValue(kind: CouponKind, value: number): string {
  // Chinese says what she pays (8.5 折), English what comes off (15% off).
  if (kind === 'percent_off')
    return t('coupons.percent', { value: locale.value === 'zh-CN' ? zheOf(value) : String(value) })
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

export function statusText(status: IssuanceStatus): string {
  return t(`coupons.status.${status}`)
}
