import { Type, type Static } from 'typebox'
import { EXTERNAL_USER_ID_PATTERN } from './ids'
import { Instant, Nullable, StringEnum } from './schema'
import { Text } from './text'

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
  /** Where it lives: WeCom (corporate tags, and personal tags made in WeCom) or this app (the guide's own). */
  source: StringEnum(['wecom', 'guide']),
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
  /** She deleted this guide then (her history stays); null while they are friends. */
  deletedByCustomerAt: Nullable(Instant),
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
    /** Days between her orders on average (null with fewer than two). */
    averageIntervalDays: Nullable(Type.Integer()),
  }),
  recentPurchases: Type.Array(PurchaseSchema),
})
export type Member = Static<typeof MemberSchema>

/** The WeCom corporate tag group whose tags are style preferences (shown and ranked with her facts' styles). */
export const STYLE_TAG_GROUP = '风格偏好'

/** The styles guides pick from for her 风格偏好 (she may have others, typed or from WeCom tags). */
export const STYLE_WORDS = ['通勤', '度假', '法式', '极简', '休闲', '优雅', '甜美', '运动'] as const

export const FACT_FIELDS = [
  'sizeTop',
  'sizeBottom',
  'sizeDress',
  'sizeShoes',
  'fitNotes',
  'stylePreferences',
  'colorsLiked',
  'colorsAvoided',
  'materialsAvoided',
  'birthday',
  'phone',
  'preferredStoreId',
] as const
export type FactField = (typeof FACT_FIELDS)[number]

export const FactEditSchema = Type.Object({
  field: StringEnum(FACT_FIELDS),
  byName: Type.String(),
  at: Instant,
})
export type FactEdit = Static<typeof FactEditSchema>

/** What the profile shows: the guide's value where she set one, else the CRM's. */
export const FactsSchema = Type.Object({
  sizes: SizesSchema,
  fitNotes: Nullable(Type.String()),
  stylePreferences: Type.Array(Type.String()),
  colorsLiked: Type.Array(Type.String()),
  colorsAvoided: Type.Array(Type.String()),
  /** Materials she will not wear (不穿的面料): outfits for her leave them out. */
  materialsAvoided: Type.Array(Type.String()),
  /** `MM-DD`, or `YYYY-MM-DD` when the year is known. */
  birthday: Nullable(Type.String()),
  /** `138****8000`; the full number only through the reveal endpoint. */
  phoneMasked: Nullable(Type.String()),
  preferredStore: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  /** The latest edit of each field a guide changed, newest first. */
  edits: Type.Array(FactEditSchema),
})
export type Facts = Static<typeof FactsSchema>

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
  facts: FactsSchema,
  /** When the WeCom part was last read from WeCom. */
  syncedAt: Instant,
  /** Present (true) when WeCom could not be asked just now and this is our older copy. */
  wecomStale: Type.Optional(Type.Boolean()),
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
  /** What she spent over all her orders; null when she is not a member. */
  totalSpendFen: Nullable(Type.Integer()),
  /** When this guide last sent her something or wrote a note about her. */
  lastContactAt: Nullable(Instant),
  /** She deleted this guide then; null while they are friends. */
  deletedByCustomerAt: Nullable(Instant),
})
export type CustomerSummary = Static<typeof CustomerSummarySchema>

/** `added`: newest added first (the default); the others highest first. Ties: by id. */
export const CUSTOMER_SORTS = ['added', 'lastPurchase', 'totalSpend'] as const
export type CustomerSort = (typeof CUSTOMER_SORTS)[number]
/** A member level, or `none`: not a member. */
export const LEVEL_FILTERS = [...MEMBER_LEVELS, 'none'] as const
export type LevelFilter = (typeof LEVEL_FILTERS)[number]
/** Her last purchase: never, within 30 or 90 days, or more than 180 days ago. */
export const LAST_PURCHASE_FILTERS = ['never', 'within30', 'within90', 'over180'] as const
export type LastPurchaseFilter = (typeof LAST_PURCHASE_FILTERS)[number]
/** When this guide last sent her something or noted something about her. */
export const LAST_CONTACT_FILTERS = ['within7', 'within30', 'over30', 'never'] as const
export type LastContactFilter = (typeof LAST_CONTACT_FILTERS)[number]
/** `this` / `next` month in China, or a month 1–12. */
export const BIRTHDAY_MONTH_PATTERN = '^(?:this|next|[1-9]|1[0-2])$'

export const CustomerListQuerySchema = Type.Object({
  q: Type.Optional(Text({ maxLength: 50 })),
  /** A corporate tag id (`et…`), or the name of a personal tag of hers. */
  tag: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
  level: Type.Optional(StringEnum(LEVEL_FILTERS)),
  lastPurchase: Type.Optional(StringEnum(LAST_PURCHASE_FILTERS)),
  lastContact: Type.Optional(StringEnum(LAST_CONTACT_FILTERS)),
  birthdayMonth: Type.Optional(Type.String({ pattern: BIRTHDAY_MONTH_PATTERN })),
  /** Holds an unused coupon (sent or claimed, not past its end). */
  hasCoupon: Type.Optional(Type.Boolean()),
  /** WeCom's `add_way` (1 QR code, 2 phone search, 3 card share, …). */
  source: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
  sort: Type.Optional(StringEnum(CUSTOMER_SORTS)),
  /** Only valid with the sort it came from. */
  cursor: Type.Optional(Text({ maxLength: 200 })),
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
