/**
 * How a campaign reads on the desk: its status, its period, its audience in words, and the
 * guides' progress in the order she asks for. Pure, so it is tested without a screen.
 */
import { t, type AppLocale, type MessageKey } from '@/i18n'
import type { CampaignAudience, CampaignProgress, CampaignStatus } from '@/shared/campaigns'
import type { LevelFilter } from '@/shared/customer'

export type ContentType = 'reply' | 'bundle' | 'coupon'

export const STATUS_TAG: Record<CampaignStatus, 'primary' | 'success' | 'default'> = {
  scheduled: 'primary',
  running: 'success',
  ended: 'default',
}

export function statusLabel(status: CampaignStatus): string {
  return t(`desk.campaigns.status.${status}`)
}

export function contentTypeLabel(type: ContentType | 'none'): string {
  return t(`desk.campaigns.content.${type}`)
}

/** A calendar day of the browser's clock, as the contract writes days (YYYY-MM-DD). */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return localDay(new Date(y, m - 1, d + days))
}

/** "12月5日" / "Dec 5"; the year only when it is not this year's. */
export function formatDay(day: string, target: AppLocale, now: number = Date.now()): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  // Noon UTC, formatted in UTC: the day never slips across a time zone.
  const date = new Date(Date.UTC(y, m - 1, d, 12))
  const sameYear = y === new Date(now).getFullYear()
  return new Intl.DateTimeFormat(target, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date)
}

export function formatPeriod(startsOn: string, endsOn: string, target: AppLocale, now: number = Date.now()): string {
  return `${formatDay(startsOn, target, now)} – ${formatDay(endsOn, target, now)}`
}

/** Share of its customers done, 0–1 (0 while it has none). */
export function doneRate(progress: Pick<CampaignProgress, 'customers' | 'done'>): number {
  return progress.customers > 0 ? progress.done / progress.customers : 0
}

export function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`
}

export function levelLabel(level: LevelFilter): string {
  return level === 'none' ? t('customerList.level.none') : t(`member.level.${level}` as MessageKey)
}

export function birthdayLabel(month: string): string {
  return month === 'this' || month === 'next' ? t(`customerList.birthday.${month}`) : t('customerList.birthday.month', { month })
}

/** The audience as short phrases, in the order the form asks for them; none: every customer. */
export function audienceChips(audience: CampaignAudience, tagName: (id: string) => string): string[] {
  const chips: string[] = []
  const list = (items: string[]) => items.join(t('desk.campaigns.separator'))
  if (audience.tags?.length) chips.push(t('desk.campaigns.audience.tags', { tags: list(audience.tags.map(tagName)) }))
  if (audience.levels?.length) chips.push(list(audience.levels.map(levelLabel)))
  if (audience.lastPurchase) chips.push(t(`customerList.lastPurchase.${audience.lastPurchase}`))
  if (audience.lastContact) chips.push(t(`customerList.lastContact.${audience.lastContact}`))
  if (audience.birthdayMonth) chips.push(birthdayLabel(audience.birthdayMonth))
  if (audience.dormant) chips.push(t('desk.campaigns.audience.dormant'))
  if (audience.hasCoupon !== undefined) chips.push(t(`customerList.coupon.${audience.hasCoupon}`))
  return chips
}

export const PROGRESS_COLUMNS = ['customers', 'doneRate', 'sent', 'opened', 'claimed', 'redeemed', 'salesFen'] as const
export type ProgressColumn = (typeof PROGRESS_COLUMNS)[number]

type Row = CampaignProgress & { name: string }

function valueOf(row: Row, column: ProgressColumn): number {
  return column === 'doneRate' ? doneRate(row) : row[column]
}

/** Rows by a column, ties by name so the order never jumps between loads. */
export function sortProgress<T extends Row>(rows: readonly T[], column: ProgressColumn, descending: boolean): T[] {
  return [...rows].sort((a, b) => {
    const diff = valueOf(a, column) - valueOf(b, column)
    if (diff !== 0) return descending ? -diff : diff
    return a.name.localeCompare(b.name, 'zh-CN')
  })
}
