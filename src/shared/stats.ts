/** A guide's numbers (数据): the same definitions for her own tab and the manager's desk. */
import { Type, type Static } from 'typebox'
import { Nullable, StringEnum } from './schema'

export const STATS_PERIODS = ['day', 'week', 'month'] as const
export type StatsPeriod = (typeof STATS_PERIODS)[number]

export const StatsQuerySchema = Type.Object({ period: Type.Optional(StringEnum(STATS_PERIODS)) }, { additionalProperties: false })

const Rank = Type.Object({ position: Type.Integer({ minimum: 1 }), of: Type.Integer({ minimum: 1 }) })

export const GuideStatsSchema = Type.Object({
  period: StringEnum(STATS_PERIODS),
  /** China's calendar days, YYYY-MM-DD, both included. */
  from: Type.String(),
  to: Type.String(),
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
  /** Her sales target for the month the period falls in; null when none is set. */
  targetFen: Nullable(Type.Integer()),
  /** 预估: her sales times her store's commission rate. */
  commissionFen: Type.Integer(),
  rank: Type.Object({ store: Rank, brand: Rank }),
  /** One point a day over the period, for the sparkline. */
  series: Type.Array(Type.Object({ date: Type.String(), salesFen: Type.Integer() })),
})
export type GuideStats = Static<typeof GuideStatsSchema>
