/**
 * The manager's desk: her team's numbers (the same definitions as a guide's 数据 tab, see
 * stats.ts), content at work, monthly targets, store settings and the weekly ranking.
 * Money is in fen; rates in basis points (300 = 3 %).
 */
import { Type, type Static } from 'typebox'
import { Instant, Nullable, StringEnum } from './schema'
import { STATS_PERIODS } from './stats'
import { Text } from './text'

const StoreId = Text({ minLength: 1, maxLength: 64 })
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })

export const TeamStatsQuerySchema = Type.Object(
  {
    period: Type.Optional(StringEnum(STATS_PERIODS)),
    /** One of her stores; left out: every store she looks after. */
    storeId: Type.Optional(StoreId),
  },
  { additionalProperties: false },
)
export type TeamStatsQuery = Static<typeof TeamStatsQuerySchema>

/** GET /api/team/stats.csv: the same filters; headers in Chinese unless `lang` asks for English. */
export const TeamCsvQuerySchema = Type.Object(
  {
    period: Type.Optional(StringEnum(STATS_PERIODS)),
    storeId: Type.Optional(StoreId),
    lang: Type.Optional(StringEnum(['zh', 'zh-CN', 'en', 'en-US'])),
  },
  { additionalProperties: false },
)
export type TeamCsvQuery = Static<typeof TeamCsvQuerySchema>

/** GET /api/team/members: one of her stores, or (left out) all of them. */
export const TeamMembersQuerySchema = Type.Object({ storeId: Type.Optional(StoreId) }, { additionalProperties: false })
export type TeamMembersQuery = Static<typeof TeamMembersQuerySchema>

const numbers = {
  salesFen: Type.Integer(),
  orders: Type.Integer(),
  customersAdded: Type.Integer(),
  customersLost: Type.Integer(),
  tasksDone: Type.Integer(),
  tasksOverdue: Type.Integer(),
  repliesSent: Type.Integer(),
  bundlesSent: Type.Integer(),
  bundlesOpened: Type.Integer(),
  couponsSent: Type.Integer(),
  couponsClaimed: Type.Integer(),
  couponsRedeemed: Type.Integer(),
  /** The month's target (the month the period ends in); null when none is set. */
  targetFen: Nullable(Type.Integer()),
  /** 预估: sales times the store's commission rate. */
  commissionFen: Type.Integer(),
}

/** The numeric columns of the team table, in the order the desk and the CSV show them. */
export const TEAM_NUMBER_FIELDS = Object.keys(numbers) as (keyof typeof numbers)[]
export type TeamNumberField = (typeof TEAM_NUMBER_FIELDS)[number]

const Series = Type.Array(Type.Object({ date: Type.String(), salesFen: Type.Integer() }))

export const TeamGuideStatsSchema = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  storeId: Nullable(Type.String()),
  ...numbers,
  /** One point a day over the period, for the row's sparkline. */
  series: Series,
})
export type TeamGuideStats = Static<typeof TeamGuideStatsSchema>

/** Sums of the rows; targetFen: the store targets when set, else the sum of the guides' (null when none). */
export const TeamTotalsSchema = Type.Object({ ...numbers, series: Series })
export type TeamTotals = Static<typeof TeamTotalsSchema>

export const TeamStatsSchema = Type.Object({
  period: StringEnum(STATS_PERIODS),
  from: Type.String(),
  to: Type.String(),
  guides: Type.Array(TeamGuideStatsSchema),
  stores: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), totals: TeamTotalsSchema })),
  totals: TeamTotalsSchema,
})
export type TeamStats = Static<typeof TeamStatsSchema>

/** The guides a manager may see (for preview and targets), with their store. */
export const TeamMemberSchema = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  avatar: Nullable(Type.String()),
  role: StringEnum(['guide', 'manager', 'admin']),
  storeId: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
})
export type TeamMember = Static<typeof TeamMemberSchema>
export const TeamMembersSchema = Type.Object({ items: Type.Array(TeamMemberSchema) })
export type TeamMembers = Static<typeof TeamMembersSchema>

/** Content at work: what was sent over the period and what it led to. */
export const ContentUsageSchema = Type.Object({
  period: StringEnum(STATS_PERIODS),
  from: Type.String(),
  to: Type.String(),
  /**
   * salesFen everywhere: orders of customers who got it, placed within 7 days after the
   * send and credited to the guide who sent it (one order counts once per item).
   */
  replies: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      sends: Type.Integer(),
      customers: Type.Integer(),
      salesFen: Type.Integer(),
    }),
  ),
  bundles: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      sends: Type.Integer(),
      opens: Type.Integer(),
      salesFen: Type.Integer(),
    }),
  ),
  coupons: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      sent: Type.Integer(),
      claimed: Type.Integer(),
      redeemed: Type.Integer(),
      salesFen: Type.Integer(),
    }),
  ),
})
export type ContentUsage = Static<typeof ContentUsageSchema>

// Targets -------------------------------------------------------------------------

export const TargetsQuerySchema = Type.Object(
  { month: Type.Optional(Month), storeId: Type.Optional(StoreId) },
  { additionalProperties: false },
)
export type TargetsQuery = Static<typeof TargetsQuerySchema>

export const TargetsSchema = Type.Object({
  month: Type.String(),
  stores: Type.Array(
    Type.Object({
      storeId: Type.String(),
      name: Type.String(),
      amountFen: Nullable(Type.Integer()),
      guides: Type.Array(Type.Object({ userId: Type.String(), name: Type.String(), amountFen: Nullable(Type.Integer()) })),
    }),
  ),
})
export type Targets = Static<typeof TargetsSchema>

/** PUT /api/targets: set (or, with null, clear) targets of one month; answers that month's Targets. */
export const TargetsUpdateSchema = Type.Object(
  {
    month: Month,
    items: Type.Array(
      Type.Object(
        {
          scope: StringEnum(['store', 'guide']),
          id: Text({ minLength: 1, maxLength: 64 }),
          /** Up to ¥100,000,000; null clears it. */
          amountFen: Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000_000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
)
export type TargetsUpdate = Static<typeof TargetsUpdateSchema>

// Store settings and the weekly ranking ---------------------------------------------

export const RANKING_METRICS = ['sales', 'commission'] as const
export type RankingMetric = (typeof RANKING_METRICS)[number]
const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' })

export const RankingScheduleSchema = Type.Object(
  {
    /** 1 Monday … 7 Sunday, China time; the ranking covers the week before. */
    weekday: Type.Integer({ minimum: 1, maximum: 7 }),
    at: ClockTime,
    metric: StringEnum(RANKING_METRICS),
  },
  { additionalProperties: false },
)
export type RankingSchedule = Static<typeof RankingScheduleSchema>

export const StoreSettingsSchema = Type.Object({
  storeId: Type.String(),
  name: Type.String(),
  city: Type.String(),
  /** Commission on credited sales, basis points; null: none shown. */
  commissionBp: Nullable(Type.Integer()),
  /** 'HH:MM' China time; null: 21:00. */
  eveningReportAt: Nullable(Type.String()),
  ranking: Nullable(RankingScheduleSchema),
  guides: Type.Integer(),
})
export type StoreSettings = Static<typeof StoreSettingsSchema>
export const StoreSettingsListSchema = Type.Object({ items: Type.Array(StoreSettingsSchema) })
export type StoreSettingsList = Static<typeof StoreSettingsListSchema>

/** PATCH /api/stores/:storeId/settings: only the fields given change; audited. */
export const StoreSettingsUpdateSchema = Type.Object(
  {
    commissionBp: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 5000 }))),
    eveningReportAt: Type.Optional(Nullable(ClockTime)),
    ranking: Type.Optional(Nullable(RankingScheduleSchema)),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type StoreSettingsUpdate = Static<typeof StoreSettingsUpdateSchema>

// A store's till keys ---------------------------------------------------------------

/** A store in a path: the CRM's store ids are letters, digits and `_.:-`. */
const StorePathId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })
export const StoreParamsSchema = Type.Object({ id: StorePathId })
export const TillKeyParamsSchema = Type.Object({
  id: StorePathId,
  keyId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
})

/** A till key as the desk lists it: never the key itself, nor its hash. */
export const TillKeySchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  createdAt: Instant,
  revokedAt: Nullable(Instant),
})
export type TillKey = Static<typeof TillKeySchema>
export const TillKeyListSchema = Type.Object({ items: Type.Array(TillKeySchema) })
export type TillKeyList = Static<typeof TillKeyListSchema>
export const TillKeyCreateSchema = Type.Object({ label: Type.Optional(Text({ maxLength: 60 })) }, { additionalProperties: false })
/** The new key, shown once. */
export const TillKeyCreatedSchema = Type.Object({ id: Type.String(), storeId: Type.String(), key: Type.String() })
export type TillKeyCreated = Static<typeof TillKeyCreatedSchema>
