/**
 * The customer list's filters as the guide reads them: one label per filter that is on, in
 * a fixed order, for the chips above the list. Pure, so it is tested without a screen.
 */
import type { CustomerListFilters } from '@/composables/useCustomerList'
import { t, type MessageKey } from '@/i18n'

/** WeCom `add_way` codes the filter offers (the common ones; others still filter by number). */
export const SOURCE_CODES = [1, 2, 3, 4, 5, 6, 9, 10, 201, 202] as const

export interface FilterChip {
  key: keyof CustomerListFilters
  label: string
}

export function filterChips(filters: CustomerListFilters, tagName: string | null): FilterChip[] {
  const chips: FilterChip[] = []
  const add = (key: keyof CustomerListFilters, label: string) => chips.push({ key, label })
  if (filters.sort && filters.sort !== 'added') add('sort', t(`customerList.sort.${filters.sort}`))
  if (filters.tag) add('tag', `${t('customerList.tag')}：${tagName ?? filters.tag}`)
  if (filters.level)
    add('level', filters.level === 'none' ? t('customerList.level.none') : t(`member.level.${filters.level}` as MessageKey))
  if (filters.lastPurchase) add('lastPurchase', t(`customerList.lastPurchase.${filters.lastPurchase}`))
  if (filters.lastContact) add('lastContact', t(`customerList.lastContact.${filters.lastContact}`))
  if (filters.birthdayMonth) {
    const month = filters.birthdayMonth
    add(
      'birthdayMonth',
      month === 'this' || month === 'next' ? t(`customerList.birthday.${month}`) : t('customerList.birthday.month', { month }),
    )
  }
  if (filters.hasCoupon !== undefined) add('hasCoupon', t(`customerList.coupon.${filters.hasCoupon}`))
  if (filters.source !== undefined) {
    const known = (SOURCE_CODES as readonly number[]).includes(filters.source)
    add(
      'source',
      known ? t(`customerList.source.${filters.source}` as MessageKey) : `${t('customerList.source')}：${String(filters.source)}`,
    )
  }
  return chips
}
