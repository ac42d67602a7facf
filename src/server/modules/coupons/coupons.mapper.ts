/**
 * Coupon rows become domain records here, and records become rows and API shapes: the
 * one place that knows the columns' names, their JSON arrays and their 0/1 flags.
 */
import type { CouponKind, CouponTemplate, Issuance, IssuanceStatus, TemplateStatus } from '../../../shared/coupons'
import type { CouponIssuancesTable, CouponTemplatesTable } from '../../db/schema'
import { iso, isoOrNull, parseJsonArray } from '../../db/sql'
import { couponCardText } from './claim-page'

/** A coupon template as the rules read it. */
export interface TemplateRecord {
  id: string
  name: string
  description: string
  kind: CouponKind
  value: number
  threshold: number
  totalStock: number
  stockLeft: number
  perCustomerLimit: number
  guideWeeklyQuota: number
  validDays: number | null
  /** `YYYY-MM-DD`, Asia/Shanghai */
  validFrom: string | null
  validTo: string | null
  eligibleLevels: string[]
  eligibleTags: string[]
  /** For customers with at most this many orders (0: new customers only); null: anyone. */
  maxOrders: number | null
  storeIds: string[]
  online: boolean
  status: TemplateStatus
  createdBy: string
  createdAt: number
  updatedAt: number
}

/** One coupon given to one customer, from reservation to the till. */
export interface IssuanceRecord {
  id: string
  templateId: string
  code: string
  guideId: string
  externalUserId: string
  idempotencyKey: string
  status: CouponIssuancesTable['status']
  reservedUntil: number | null
  issuedAt: number
  sentAt: number | null
  claimedAt: number | null
  redeemedAt: number | null
  redeemedStoreId: string | null
  releasedAt: number | null
  releaseReason: CouponIssuancesTable['release_reason']
  validFrom: number | null
  validUntil: number | null
  orderId: string | null
}

export interface TemplateCounts {
  issued: number
  redeemed: number
}

const millis = (value: number | string | null): number | null => (value === null ? null : Number(value))

export function toTemplateRecord(row: CouponTemplatesTable): TemplateRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    value: row.value,
    threshold: row.threshold,
    totalStock: row.total_stock,
    stockLeft: row.stock_left,
    perCustomerLimit: row.per_customer_limit,
    guideWeeklyQuota: row.guide_weekly_quota,
    validDays: row.valid_days,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    eligibleLevels: parseJsonArray<string>(row.eligible_levels),
    eligibleTags: parseJsonArray<string>(row.eligible_tags),
    maxOrders: row.max_orders ?? null,
    storeIds: parseJsonArray<string>(row.store_ids),
    online: row.online === 1,
    status: row.status,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

/** The columns of the fields given (a whole record, or the part an update changes). */
export function templateColumns(record: Partial<TemplateRecord>): Partial<CouponTemplatesTable> {
  const columns: Partial<CouponTemplatesTable> = {
    id: record.id,
    name: record.name,
    description: record.description,
    kind: record.kind,
    value: record.value,
    threshold: record.threshold,
    total_stock: record.totalStock,
    stock_left: record.stockLeft,
    per_customer_limit: record.perCustomerLimit,
    guide_weekly_quota: record.guideWeeklyQuota,
    valid_days: record.validDays,
    valid_from: record.validFrom,
    valid_to: record.validTo,
    eligible_levels: record.eligibleLevels && JSON.stringify(record.eligibleLevels),
    eligible_tags: record.eligibleTags && JSON.stringify(record.eligibleTags),
    max_orders: record.maxOrders,
    store_ids: record.storeIds && JSON.stringify(record.storeIds),
    online: record.online === undefined ? undefined : record.online ? 1 : 0,
    status: record.status,
    created_by: record.createdBy,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }
  // Absent fields are not written (an update leaves them as they are).
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined))
}

export function toIssuanceRecord(row: CouponIssuancesTable): IssuanceRecord {
  return {
    id: row.id,
    templateId: row.template_id,
    code: row.code,
    guideId: row.guide_id,
    externalUserId: row.external_user_id,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    reservedUntil: millis(row.reserved_until),
    issuedAt: Number(row.issued_at),
    sentAt: millis(row.sent_at),
    claimedAt: millis(row.claimed_at),
    redeemedAt: millis(row.redeemed_at),
    redeemedStoreId: row.redeemed_store_id,
    releasedAt: millis(row.released_at),
    releaseReason: row.release_reason,
    validFrom: millis(row.valid_from),
    validUntil: millis(row.valid_until),
    orderId: row.order_id,
  }
}

export function issuanceRow(record: IssuanceRecord): CouponIssuancesTable {
  return {
    id: record.id,
    template_id: record.templateId,
    code: record.code,
    guide_id: record.guideId,
    external_user_id: record.externalUserId,
    idempotency_key: record.idempotencyKey,
    status: record.status,
    reserved_until: record.reservedUntil,
    issued_at: record.issuedAt,
    sent_at: record.sentAt,
    claimed_at: record.claimedAt,
    redeemed_at: record.redeemedAt,
    redeemed_store_id: record.redeemedStoreId,
    released_at: record.releasedAt,
    release_reason: record.releaseReason,
    valid_from: record.validFrom,
    valid_until: record.validUntil,
    order_id: record.orderId,
  }
}

/** The template as the API shows it; without counts, as an audit entry records it. */
export function toCouponTemplate(record: TemplateRecord, counts?: TemplateCounts): CouponTemplate {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    kind: record.kind,
    value: record.value,
    threshold: record.threshold,
    totalStock: record.totalStock,
    stockLeft: record.stockLeft,
    issued: counts?.issued ?? 0,
    redeemed: counts?.redeemed ?? 0,
    perCustomerLimit: record.perCustomerLimit,
    guideWeeklyQuota: record.guideWeeklyQuota,
    validDays: record.validDays,
    validFrom: record.validFrom,
    validTo: record.validTo,
    eligibleLevels: record.eligibleLevels,
    eligibleTags: record.eligibleTags,
    maxOrders: record.maxOrders,
    storeIds: record.storeIds,
    online: record.online,
    status: record.status,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
  }
}

/** What an issuance shows of its template, guide and store; read together for a list. */
export interface IssuanceContext {
  templates: { id: string; name: string; kind: CouponKind; value: number; threshold: number }[]
  guides: { userId: string; name: string }[]
  stores: { id: string; name: string }[]
}

/** Sent or claimed past its last day: expired, though no row says so. */
export function statusOf(record: IssuanceRecord, now: number): IssuanceStatus {
  if ((record.status === 'sent' || record.status === 'claimed') && record.validUntil !== null && record.validUntil < now)
    return 'expired'
  return record.status
}

/**
 * A code is money at the till: only the guide who sent it (or she, on her page: viewer
 * null) sees it; another guide of hers sees that she holds it and how it stands.
 */
export function toIssuance(
  record: IssuanceRecord,
  context: IssuanceContext,
  origin: string,
  viewerId: string | null,
  now: number,
): Issuance {
  const template = context.templates.find((t) => t.id === record.templateId)!
  const own = viewerId === null || viewerId === record.guideId
  return {
    issuanceId: record.id,
    templateId: record.templateId,
    code: own ? record.code : '',
    claimUrl: own ? `${origin}/c/${record.code}` : '',
    status: statusOf(record, now),
    name: template.name,
    kind: template.kind,
    value: template.value,
    threshold: template.threshold,
    validFrom: isoOrNull(record.validFrom),
    validUntil: isoOrNull(record.validUntil),
    reservedUntil: record.status === 'reserved' ? isoOrNull(record.reservedUntil) : null,
    issuedAt: iso(record.issuedAt),
    claimedAt: isoOrNull(record.claimedAt),
    redeemedAt: isoOrNull(record.redeemedAt),
    redeemedStoreName: context.stores.find((s) => s.id === record.redeemedStoreId)?.name ?? null,
    guide: { userId: record.guideId, name: context.guides.find((g) => g.userId === record.guideId)?.name ?? record.guideId },
    card: own
      ? {
          link: `${origin}/c/${record.code}`,
          ...couponCardText(template, 'zh'),
          imgUrl: `${origin}/media/coupon-cover/${template.kind}.png`,
        }
      : null,
  }
}

/** Every column of an issuance with its type, for the batch insert that sends each as an array. */
const ISSUANCE_TYPES: Record<keyof CouponIssuancesTable, 'text' | 'bigint'> = {
  id: 'text',
  template_id: 'text',
  code: 'text',
  guide_id: 'text',
  external_user_id: 'text',
  idempotency_key: 'text',
  status: 'text',
  reserved_until: 'bigint',
  issued_at: 'bigint',
  sent_at: 'bigint',
  claimed_at: 'bigint',
  redeemed_at: 'bigint',
  redeemed_store_id: 'text',
  released_at: 'bigint',
  release_reason: 'text',
  valid_from: 'bigint',
  valid_until: 'bigint',
  order_id: 'text',
}
export const ISSUANCE_COLUMNS = Object.entries(ISSUANCE_TYPES) as [keyof CouponIssuancesTable, 'text' | 'bigint'][]
