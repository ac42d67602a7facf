/** Coupons in words: the value, its condition, and the card sent into the chat. */
import { locale, t } from '@/i18n'
import { formatMoney } from '@/i18n/format'
import type { CouponKind, CouponRefusal, Issuance, IssuanceStatus } from '@/shared/coupons'

export function couponValue(kind: CouponKind, value: number): string {
  // Chinese says what she pays (8.5 折), English what comes off (15% off).
  if (kind === 'percent_off')
    return t('coupons.percent', { value: locale.value === 'zh-CN' ? String((100 - value) / 10) : String(value) })
  return formatMoney(value, locale.value)
}

export function couponCondition(kind: CouponKind, threshold: number): string {
  if (kind === 'no_threshold' || threshold === 0) return t('coupons.noThreshold')
  return t('coupons.threshold', { amount: formatMoney(threshold, locale.value) })
}

export function refusalText(reason: CouponRefusal): string {
  return t(`coupons.refusal.${reason}`)
}

export function statusText(status: IssuanceStatus): string {
  return t(`coupons.status.${status}`)
}

/** The link card: her coupon's value up front, the brand's cover picture. */
export function couponCard(issuance: Issuance): { link: string; title: string; desc: string; imgUrl: string } {
  const origin = new URL(issuance.claimUrl).origin
  return {
    link: issuance.claimUrl,
    title: `${couponValue(issuance.kind, issuance.value)} ${t('coupons.card')} · ${couponCondition(issuance.kind, issuance.threshold)}`,
    desc: t('coupons.cardDesc', { name: issuance.name }),
    imgUrl: `${origin}/media/coupon-cover/${issuance.kind}.png`,
  }
}
