/**
 * The change log in words: a field's label and its values as the desk shows them, never
 * the API's field names or raw JSON.
 */
import { translate, type AppLocale, type MessageKey } from '@/i18n'
import { formatMoney, formatNumber } from '@/i18n/format'
import type { AuditChange, AuditEntry, ReplyPart } from '@/shared/replies'

type Entity = AuditEntry['entity']

const LABELS: Record<Entity, Record<string, MessageKey>> = {
  reply: {
    title: 'replies.fieldTitle',
    parts: 'replies.fieldText',
    tags: 'manage.tags',
    stages: 'manage.field.stages',
    groupId: 'manage.field.group',
    position: 'manage.field.position',
  },
  reply_group: {
    name: 'manage.field.name',
    parentId: 'manage.field.parent',
    position: 'manage.field.position',
  },
  coupon_template: {
    name: 'coupons.manage.field.name',
    description: 'coupons.manage.field.description',
    totalStock: 'coupons.manage.field.totalStock',
    perCustomerLimit: 'coupons.manage.field.perCustomerLimit',
    guideWeeklyQuota: 'coupons.manage.field.guideWeeklyQuota',
    eligibleLevels: 'coupons.manage.field.levels',
    eligibleTags: 'coupons.manage.field.tags',
    maxOrders: 'coupons.manage.field.audience',
    storeIds: 'coupons.manage.field.stores',
    online: 'coupons.manage.field.online',
    status: 'manage.field.status',
  },
  sales_target: { amountFen: 'desk.audit.field.amountFen' },
  store: {
    commissionBp: 'desk.audit.field.commissionBp',
    eveningReportAt: 'desk.audit.field.eveningReportAt',
    ranking: 'desk.audit.field.ranking',
    tillKey: 'desk.audit.field.tillKey',
  },
  campaign: {
    name: 'manage.field.name',
    startsOn: 'desk.audit.field.startsOn',
    endsOn: 'desk.audit.field.endsOn',
    note: 'desk.audit.field.note',
    storeIds: 'coupons.manage.field.stores',
  },
  // An admin ended a member's sessions: the entry names her, there are no fields.
  sessions: {},
  integration_key: { name: 'manage.field.name', scopes: 'desk.audit.field.scopes' },
}

const ENTITY_LABELS: Record<Entity, MessageKey> = {
  reply: 'manage.entityReply',
  reply_group: 'manage.entityGroup',
  coupon_template: 'manage.entityCoupon',
  sales_target: 'desk.audit.entity.sales_target',
  store: 'desk.audit.entity.store',
  campaign: 'desk.audit.entity.campaign',
  sessions: 'desk.audit.entity.sessions',
  integration_key: 'desk.audit.entity.integration_key',
}

/** What an entry is about: 话术, 分组, 优惠券, 销售目标, 门店, 活动, 登录. */
export function entityLabel(entity: Entity, locale: AppLocale): string {
  return translate(locale, ENTITY_LABELS[entity])
}

export function fieldLabel(entity: Entity, field: string, locale: AppLocale): string {
  const key = LABELS[entity][field]
  return key ? translate(locale, key) : translate(locale, 'manage.field.other')
}

const MAX_TEXT = 40
/** When a store without its own time sends the evening report (the server's default). */
const DEFAULT_EVENING_REPORT_AT = '21:00'

function quote(text: string, locale: AppLocale): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (!flat) return translate(locale, 'timeline.nothing')
  return translate(locale, 'manage.value.quoted', { text: flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat })
}

function isPart(value: unknown): value is ReplyPart {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

function partText(part: ReplyPart, locale: AppLocale): string {
  const kind = translate(locale, `replies.kind.${part.type}`)
  switch (part.type) {
    case 'text':
      return quote(part.text, locale)
    case 'image':
      return kind
    default:
      return `${kind}${quote(part.title, locale)}`
  }
}

function list(values: unknown[], locale: AppLocale, each: (value: string) => string, empty: MessageKey): string {
  const texts = values.filter((v): v is string => typeof v === 'string')
  return texts.length ? texts.map(each).join(translate(locale, 'manage.value.and')) : translate(locale, empty)
}

/** The desk's settings and targets: money, rates, times and the weekly ranking in words. */
function settingValue(entity: Entity, field: string, value: unknown, locale: AppLocale): string | undefined {
  const say = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params)
  if (entity === 'sales_target' && field === 'amountFen')
    return typeof value === 'number' ? formatMoney(value, locale) : say('desk.audit.value.unset')
  if (entity !== 'store') return undefined
  switch (field) {
    case 'commissionBp':
      // Basis points: 250 is 2.5 %.
      return typeof value === 'number' ? `${formatNumber(value / 100, locale)}%` : say('desk.audit.value.unset')
    case 'eveningReportAt':
      return typeof value === 'string' ? value : say('desk.audit.value.defaultTime', { time: DEFAULT_EVENING_REPORT_AT })
    case 'ranking': {
      const ranking = value as { weekday?: unknown; at?: unknown; metric?: unknown } | null
      if (!ranking || typeof ranking !== 'object') return say('desk.audit.value.noRanking')
      return say('desk.audit.value.ranking', {
        weekday: say(`desk.audit.weekday.${String(ranking.weekday)}` as MessageKey),
        at: String(ranking.at),
        metric: say(`desk.audit.metric.${String(ranking.metric)}` as MessageKey),
      })
    }
    case 'tillKey':
      return typeof value === 'string' && value.trim() ? quote(value, locale) : say('desk.audit.value.unnamedKey')
    default:
      return undefined
  }
}

/** A value of a field as the manager would say it. */
export function formatValue(entity: Entity, field: string, value: unknown, locale: AppLocale): string {
  const say = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params)
  const setting = settingValue(entity, field, value, locale)
  if (setting !== undefined) return setting
  if (entity === 'campaign' && (field === 'startsOn' || field === 'endsOn') && typeof value === 'string') return value
  if (field === 'parts' && Array.isArray(value)) {
    const parts = value.filter(isPart)
    return parts.length ? parts.map((p) => partText(p, locale)).join(' + ') : say('timeline.nothing')
  }
  if (field === 'stages' && Array.isArray(value))
    return list(value, locale, (s) => say(`manage.stage.${s}` as MessageKey), 'manage.value.none')
  if (field === 'eligibleLevels' && Array.isArray(value))
    return list(value, locale, (l) => say(`member.level.${l}` as MessageKey), 'coupons.manage.scope.allLevels')
  if (field === 'storeIds' && Array.isArray(value)) return list(value, locale, (s) => s, 'coupons.manage.scope.allStores')
  if (field === 'eligibleTags' && Array.isArray(value)) return list(value, locale, (s) => s, 'coupons.manage.audience.any')
  if (Array.isArray(value)) return list(value, locale, (s) => s, 'manage.value.none')
  // Groups by their name, as the desk lists them; no parent is the top level.
  if (field === 'groupId' || field === 'parentId') return typeof value === 'string' ? value : say('manage.topLevel')
  if (field === 'position' && typeof value === 'number') return say('manage.value.position', { n: value })
  if (field === 'status' && typeof value === 'string') return say(`coupons.manage.status.${value}` as MessageKey)
  if (field === 'maxOrders') {
    if (value === null || value === undefined) return say('coupons.manage.audience.any')
    return value === 0 ? say('coupons.manage.scope.newOnly') : say('coupons.manage.scope.maxOrders', { max: Number(value) })
  }
  if (typeof value === 'boolean') return say(value ? 'manage.value.on' : 'manage.value.off')
  if (typeof value === 'number') {
    if (entity === 'coupon_template' && field === 'guideWeeklyQuota') return `${value} ${say('coupons.manage.perWeek')}`
    if (entity === 'coupon_template') return `${value} ${say('coupons.manage.pieces')}`
    return String(value)
  }
  if (typeof value === 'string') return quote(value, locale)
  return say('timeline.nothing')
}

export interface ChangeLine {
  field: string
  label: string
  /** Absent where the log did not keep the value before. */
  before?: string
  after: string
}

export function changeLines(entry: Pick<AuditEntry, 'entity' | 'changes'>, locale: AppLocale): ChangeLine[] {
  return entry.changes.map((change: AuditChange) => ({
    field: change.field,
    label: fieldLabel(entry.entity, change.field, locale),
    ...('before' in change ? { before: formatValue(entry.entity, change.field, change.before, locale) } : {}),
    after: formatValue(entry.entity, change.field, change.after, locale),
  }))
}
