/**
 * Coupons: templates managers define, issuances a guide sends (reserved → sent →
 * claimed → redeemed, or released / expired), and redemption at a store's till.
 * Money is in fen; a percent_off value is the percentage taken off (1–99).
 */
import { Type, type Static } from 'typebox'
import { Instant, Nullable, StringEnum } from './schema'
import { Text } from './text'

export const COUPON_KINDS = ['amount_off', 'percent_off', 'no_threshold'] as const
export type CouponKind = (typeof COUPON_KINDS)[number]

export const TEMPLATE_STATUSES = ['active', 'paused', 'ended'] as const
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number]

export const ISSUANCE_STATUSES = ['reserved', 'sent', 'claimed', 'redeemed', 'released', 'expired'] as const
export type IssuanceStatus = (typeof ISSUANCE_STATUSES)[number]

/** Why the server refuses an issue (409 `error.code`). */
export const COUPON_REFUSALS = [
  'out_of_stock',
  'customer_limit',
  'guide_quota',
  'not_eligible',
  'too_many_orders',
  'template_inactive',
] as const
export type CouponRefusal = (typeof COUPON_REFUSALS)[number]

const MEMBER_LEVELS = ['normal', 'silver', 'gold', 'platinum'] as const
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })

// Each field a const of its own, shared by the two schemas below: reading one schema's
// fields off an object would keep both schemas in the app's bundle, which needs neither.
const name = Text({ minLength: 1, maxLength: 40, notBlank: true })
const description = Type.Optional(Text({ maxLength: 200, multiline: true }))
const totalStock = Type.Integer({ minimum: 1, maximum: 10_000_000 })
const perCustomerLimit = Type.Integer({ minimum: 1, maximum: 100 })
const guideWeeklyQuota = Type.Integer({ minimum: 1, maximum: 100_000 })
const eligibleLevels = Type.Optional(Type.Array(StringEnum(MEMBER_LEVELS), { maxItems: 4, uniqueItems: true }))
const eligibleTags = Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 30 }), { maxItems: 20, uniqueItems: true }))
/** For customers with at most this many orders: 0 is new customers only (none yet); null or left out, anyone. */
const maxOrders = Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000 })))
/** Stores where it can be used; empty: every store. */
const storeIds = Type.Optional(Type.Array(Id, { maxItems: 200, uniqueItems: true }))
const online = Type.Optional(Type.Boolean())

export const CouponTemplateCreateSchema = Type.Object(
  {
    name,
    description,
    kind: StringEnum(COUPON_KINDS),
    /** fen for amount_off and no_threshold; the percentage off (1–99) for percent_off. */
    value: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    /** Spend (fen) the order must reach; 0 for no_threshold. */
    threshold: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    totalStock,
    perCustomerLimit,
    guideWeeklyQuota,
    /** Valid for N days from issue; or fixed dates with validFrom/validTo (then validDays may be omitted). */
    validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    validFrom: Type.Optional(DateOnly),
    validTo: Type.Optional(DateOnly),
    eligibleLevels,
    eligibleTags,
    maxOrders,
    storeIds,
    online,
  },
  { additionalProperties: false },
)
export type CouponTemplateCreate = Static<typeof CouponTemplateCreateSchema>

export const CouponTemplateUpdateSchema = Type.Object(
  {
    name: Type.Optional(name),
    description,
    /** Stock can grow or shrink, never below what is already issued. */
    totalStock: Type.Optional(totalStock),
    perCustomerLimit: Type.Optional(perCustomerLimit),
    guideWeeklyQuota: Type.Optional(guideWeeklyQuota),
    eligibleLevels,
    eligibleTags,
    maxOrders,
    storeIds,
    online,
    status: Type.Optional(StringEnum(TEMPLATE_STATUSES)),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type CouponTemplateUpdate = Static<typeof CouponTemplateUpdateSchema>

export const CouponTemplateSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  kind: StringEnum(COUPON_KINDS),
  value: Type.Integer(),
  threshold: Type.Integer(),
  totalStock: Type.Integer(),
  /** Not yet reserved or issued. */
  stockLeft: Type.Integer(),
  issued: Type.Integer(),
  redeemed: Type.Integer(),
  perCustomerLimit: Type.Integer(),
  guideWeeklyQuota: Type.Integer(),
  validDays: Nullable(Type.Integer()),
  validFrom: Nullable(Type.String()),
  validTo: Nullable(Type.String()),
  eligibleLevels: Type.Array(Type.String()),
  eligibleTags: Type.Array(Type.String()),
  maxOrders: Nullable(Type.Integer()),
  storeIds: Type.Array(Type.String()),
  online: Type.Boolean(),
  status: StringEnum(TEMPLATE_STATUSES),
  createdAt: Instant,
  updatedAt: Instant,
})
export type CouponTemplate = Static<typeof CouponTemplateSchema>

export const CouponTemplateListSchema = Type.Object({ templates: Type.Array(CouponTemplateSchema) })
export type CouponTemplateList = Static<typeof CouponTemplateListSchema>

export const IssueRequestSchema = Type.Object(
  {
    externalUserId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    /** Made by the app per tap: the same key again is the same issuance. */
    idempotencyKey: Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' }),
  },
  { additionalProperties: false },
)
export type IssueRequest = Static<typeof IssueRequestSchema>

export const IssuanceSchema = Type.Object({
  issuanceId: Type.String(),
  templateId: Type.String(),
  code: Type.String(),
  claimUrl: Type.String(),
  status: StringEnum(ISSUANCE_STATUSES),
  name: Type.String(),
  kind: StringEnum(COUPON_KINDS),
  value: Type.Integer(),
  threshold: Type.Integer(),
  validFrom: Nullable(Instant),
  validUntil: Nullable(Instant),
  /** A reservation not confirmed by then is released. */
  reservedUntil: Nullable(Instant),
  issuedAt: Instant,
  claimedAt: Nullable(Instant),
  redeemedAt: Nullable(Instant),
  redeemedStoreName: Nullable(Type.String()),
  guide: Type.Object({ userId: Type.String(), name: Type.String() }),
  /**
   * The link card for `sendChatMessage`, made on the server so that what reaches her is
   * checked there; only for the guide who issued it (as the code and claimUrl are).
   */
  card: Nullable(Type.Object({ link: Type.String(), title: Type.String(), desc: Type.String(), imgUrl: Type.String() })),
})
export type Issuance = Static<typeof IssuanceSchema>

export const CustomerCouponsSchema = Type.Object({ coupons: Type.Array(IssuanceSchema) })
export type CustomerCoupons = Static<typeof CustomerCouponsSchema>

/** What the sidebar offers for one customer: every live template, and why one cannot go. */
export const CouponOfferSchema = Type.Object({
  template: CouponTemplateSchema,
  available: Type.Boolean(),
  reason: Nullable(StringEnum(COUPON_REFUSALS)),
  /** This guide's sends of it this week, and what she holds of it. */
  guideUsedThisWeek: Type.Integer(),
  customerHolds: Type.Integer(),
})
export type CouponOffer = Static<typeof CouponOfferSchema>

export const CouponOffersSchema = Type.Object({ offers: Type.Array(CouponOfferSchema) })
export type CouponOffers = Static<typeof CouponOffersSchema>

export const RedemptionRequestSchema = Type.Object(
  { code: Text({ minLength: 4, maxLength: 40 }), orderId: Type.Optional(Text({ maxLength: 64 })) },
  { additionalProperties: false },
)

export const RedemptionSchema = Type.Object({
  code: Type.String(),
  status: Type.Literal('redeemed'),
  name: Type.String(),
  kind: StringEnum(COUPON_KINDS),
  value: Type.Integer(),
  threshold: Type.Integer(),
  redeemedAt: Instant,
  storeId: Type.String(),
})
export type Redemption = Static<typeof RedemptionSchema>

// --- 折 --------------------------------------------------------------------------------------

/**
 * 折 is tenths of the price paid, so a percentage off reads as what she pays: 15 % off →
 * '8.5', 20 % → '8', 1 % → '9.9'. Chinese shows coupons this way; the API stores the
 * percentage off. Out-of-range values are clamped to what a template may hold (1–99).
 */
export function zheOf(percentOff: number): string {
  const off = Math.min(99, Math.max(1, Math.round(percentOff)))
  return String((100 - off) / 10)
}

/** 折 as typed ('8.5', '9') → the percentage off (15, 10); null unless one digit with at most one decimal giving 1–99 % off. */
export function percentOffFromZhe(text: string): number | null {
  const s = text.trim()
  if (!/^\d(\.\d)?$/.test(s)) return null
  const percent = 100 - Math.round(Number(s) * 10)
  return percent >= 1 && percent <= 99 ? percent : null
}
