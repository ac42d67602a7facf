import type { CustomerProfile, CustomerTag } from '@/shared/customer'
import { translate, type AppLocale } from '@/i18n'
import { formatRelative } from '@/i18n/format'

export { displayName } from './display-name'

/** Company tags first (they carry the brand's segmentation), then the guide's own. */
export function headerTags(tags: readonly CustomerTag[], max = 3): { shown: CustomerTag[]; more: number } {
  const ordered = [...tags.filter((t) => t.type === 'corp'), ...tags.filter((t) => t.type === 'personal')]
  return { shown: ordered.slice(0, max), more: Math.max(0, ordered.length - max) }
}

/**
 * "M码 · 偏好通勤/度假 · 上次购买 12天前 · 累计 8 单": the line that sums her up, most
 * useful first, since a narrow sidebar cuts the end.
 */
export function summaryLine(profile: CustomerProfile, target: AppLocale, now: number = Date.now()): string {
  const parts: string[] = []
  const member = profile.member
  if (member) {
    if (member.sizes.top) parts.push(translate(target, 'customer.sizeShort', { size: member.sizes.top }))
    if (member.stylePreferences.length > 0) {
      parts.push(translate(target, 'customer.prefers', { styles: member.stylePreferences.slice(0, 2).join('/') }))
    }
    if (member.stats.lastPurchaseAt) {
      parts.push(translate(target, 'customer.lastPurchase', { when: formatRelative(member.stats.lastPurchaseAt, target, now) }))
    }
    if (member.stats.orderCount > 0) parts.push(translate(target, 'customer.orderCount', { count: member.stats.orderCount }))
  }
  if (parts.length === 0 && profile.follow.addedAt) {
    parts.push(translate(target, 'customer.newContact', { when: formatRelative(profile.follow.addedAt, target, now) }))
  }
  return parts.join(translate(target, 'common.separator'))
}

/**
 * Tags grouped for the full list: company groups in their order, personal tags last. Her
 * own tags made here and those she made in WeCom are one group, each name once.
 */
export function groupTags(tags: readonly CustomerTag[], personalLabel: string): { name: string; tags: CustomerTag[] }[] {
  const groups = new Map<string, CustomerTag[]>()
  for (const tag of tags) {
    const name = tag.type === 'personal' ? personalLabel : tag.groupName || personalLabel
    const list = groups.get(name) ?? []
    if (list.some((other) => other.name === tag.name)) continue
    list.push(tag)
    groups.set(name, list)
  }
  const entries = [...groups.entries()].map(([name, list]) => ({ name, tags: list }))
  return [...entries.filter((g) => g.name !== personalLabel), ...entries.filter((g) => g.name === personalLabel)]
}

/** Whole days from today (local time) to her next birthday: 0 on the day itself. */
export function daysUntilBirthday(birthday: string, now: number = Date.now()): number | null {
  const m = /(?:^|-)(\d{2})-(\d{2})$/.exec(birthday)
  if (!m) return null
  const month = Number(m[1]) - 1
  const day = Number(m[2])
  const today = new Date(now)
  today.setHours(0, 0, 0, 0)
  const next = (year: number) => {
    // 29 February is celebrated on 28 February in other years.
    const date = new Date(year, month, day)
    return date.getMonth() === month ? date : new Date(year, month, day - 1)
  }
  let target = next(today.getFullYear())
  if (target < today) target = next(today.getFullYear() + 1)
  return Math.round((target.getTime() - today.getTime()) / 86_400_000)
}
