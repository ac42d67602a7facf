import { Type, type Static } from 'typebox'
import { EXTERNAL_USER_ID_PATTERN } from './ids'
import { Instant, Nullable, StringEnum } from './schema'

export const ExternalUserIdParamsSchema = Type.Object({
  externalUserId: Type.String({ pattern: EXTERNAL_USER_ID_PATTERN }),
})

export const MEMBER_LEVELS = ['normal', 'silver', 'gold', 'platinum'] as const
export const MemberLevelSchema = StringEnum(MEMBER_LEVELS)
export type MemberLevel = (typeof MEMBER_LEVELS)[number]

export const CustomerTagSchema = Type.Object({
  groupName: Type.String(),
  name: Type.String(),
  /** `corp` tags are the company's (WeCom tag ids); `personal` tags are the guide's own. */
  type: StringEnum(['corp', 'personal']),
  tagId: Nullable(Type.String()),
})
export type CustomerTag = Static<typeof CustomerTagSchema>

/** This guide's own relationship with the customer, from WeCom's `follow_user`. */
export const FollowSchema = Type.Object({
  remark: Type.String(),
  description: Type.String(),
  tags: Type.Array(CustomerTagSchema),
  addedAt: Nullable(Instant),
  /** WeCom's `add_way` code: 1 QR code, 2 phone search, 3 card share, 4 group chat, … */
  addWay: Type.Integer(),
})
export type Follow = Static<typeof FollowSchema>

export const SizesSchema = Type.Object({
  top: Nullable(Type.String()),
  bottom: Nullable(Type.String()),
  dress: Nullable(Type.String()),
  shoes: Nullable(Type.String()),
})
export type Sizes = Static<typeof SizesSchema>

export const PurchaseItemSchema = Type.Object({
  productId: Nullable(Type.String()),
  name: Type.String(),
  imageUrl: Nullable(Type.String()),
  color: Nullable(Type.String()),
  size: Nullable(Type.String()),
  /** Price paid per unit, in fen. */
  priceFen: Type.Integer(),
  quantity: Type.Integer(),
  returned: Type.Boolean(),
})
export type PurchaseItem = Static<typeof PurchaseItemSchema>

export const PurchaseSchema = Type.Object({
  orderId: Type.String(),
  purchasedAt: Instant,
  storeName: Nullable(Type.String()),
  totalFen: Type.Integer(),
  items: Type.Array(PurchaseItemSchema),
})
export type Purchase = Static<typeof PurchaseSchema>

export const MemberSchema = Type.Object({
  memberId: Type.String(),
  level: MemberLevelSchema,
  points: Type.Integer(),
  storeName: Nullable(Type.String()),
  sizes: SizesSchema,
  stylePreferences: Type.Array(Type.String()),
  stats: Type.Object({
    orderCount: Type.Integer(),
    totalSpentFen: Type.Integer(),
    lastPurchaseAt: Nullable(Instant),
  }),
  recentPurchases: Type.Array(PurchaseSchema),
})
export type Member = Static<typeof MemberSchema>

export const CustomerProfileSchema = Type.Object({
  externalUserId: Type.String(),
  name: Type.String(),
  avatar: Nullable(Type.String()),
  /** 0 unknown, 1 male, 2 female (WeCom's codes). */
  gender: Type.Integer({ minimum: 0, maximum: 2 }),
  /** 1 a WeChat user, 2 a WeCom user of another company. */
  type: Type.Integer({ minimum: 1, maximum: 2 }),
  corpName: Nullable(Type.String()),
  follow: FollowSchema,
  member: Nullable(MemberSchema),
  /** When the WeCom part was last read from WeCom. */
  syncedAt: Instant,
})
export type CustomerProfile = Static<typeof CustomerProfileSchema>

export const CustomerSummarySchema = Type.Object({
  externalUserId: Type.String(),
  name: Type.String(),
  remark: Type.String(),
  avatar: Nullable(Type.String()),
  memberLevel: Nullable(MemberLevelSchema),
  addedAt: Nullable(Instant),
  lastPurchaseAt: Nullable(Instant),
})
export type CustomerSummary = Static<typeof CustomerSummarySchema>

export const CustomerListQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})
export type CustomerListQuery = Static<typeof CustomerListQuerySchema>

export const CustomerListSchema = Type.Object({
  items: Type.Array(CustomerSummarySchema),
  nextCursor: Nullable(Type.String()),
  /** How many customers match, over all pages. */
  total: Type.Integer(),
  /** True while the guide's customer list is still being read from WeCom for the first time. */
  syncing: Type.Boolean(),
})
export type CustomerList = Static<typeof CustomerListSchema>
