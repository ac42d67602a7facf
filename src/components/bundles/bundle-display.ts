/** Words for bundles: why one suits her, in a few words ("合你的尺码 · 配你上月买的风衣"). */
import { t } from '@/i18n'
import type { Reason } from '@/shared/bundles'
import { sizeForCategory } from '@/shared/sizes'

const DAY = 86_400_000

function when(at: string | null, now: number): string {
  if (!at) return t('bundles.when.recent')
  const then = new Date(at)
  const today = new Date(now)
  const months = (today.getFullYear() - then.getFullYear()) * 12 + today.getMonth() - then.getMonth()
  if (months <= 0 || now - then.getTime() < 21 * DAY) return t('bundles.when.recent')
  if (months === 1) return t('bundles.when.lastMonth')
  return t('bundles.when.monthsAgo', { n: months })
}

export function reasonText(reason: Reason, now: number = Date.now()): string {
  switch (reason.code) {
    case 'completes_purchase':
      return t('bundles.reason.completes_purchase', { when: when(reason.at, now), detail: reason.detail })
    case 'likes_style':
      return t('bundles.reason.likes_style', { detail: reason.detail })
    case 'likes_color':
      return t('bundles.reason.likes_color', { detail: reason.detail })
    default:
      return t(`bundles.reason.${reason.code}`)
  }
}

export function reasonLine(reasons: readonly Reason[], now: number = Date.now(), max = 2): string {
  return reasons
    .slice(0, max)
    .map((r) => reasonText(r, now))
    .join(' · ')
}

/** Her size for a category, as the composer preselects it. */
export const herSizeFor = sizeForCategory
