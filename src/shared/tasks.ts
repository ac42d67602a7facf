/**
 * The guide's tasks: what the system writes for her from the data (birthdays, care after a
 * purchase, repurchase, dormant customers, coupons about to lapse), the follow-ups she set
 * on a note, and a manager's campaigns. One contract for the API and the workbench.
 */
import { Type, type Static } from 'typebox'
import { Instant, Nullable, StringEnum } from './schema'
import { Text } from './text'

export const TASK_KINDS = [
  'birthday',
  'follow_up',
  'after_purchase',
  'repurchase',
  'dormant',
  'coupon_expiring',
  'campaign',
] as const
export type TaskKind = (typeof TASK_KINDS)[number]

/** todo → done (tapped, or by itself when she is served or buys) | expired (past due + grace) | skipped (with a reason). */
export const TASK_STATUSES = ['todo', 'done', 'expired', 'skipped'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** What a task suggests sending, pre-selected in the send flows; null: just talk to her. */
export const TaskSuggestionSchema = Type.Object({
  type: StringEnum(['reply', 'coupon', 'bundle']),
  id: Type.String(),
})
export type TaskSuggestion = Static<typeof TaskSuggestionSchema>

export const TaskCustomerSchema = Type.Object({
  externalUserId: Type.String(),
  name: Type.String(),
  remark: Type.String(),
  avatar: Nullable(Type.String()),
})

export const TaskSchema = Type.Object({
  id: Type.String(),
  kind: StringEnum(TASK_KINDS),
  status: StringEnum(TASK_STATUSES),
  /** China's calendar day it is due, YYYY-MM-DD. */
  dueDate: Type.String(),
  title: Type.String(),
  /** Why this task exists, in a line ("生日 12月8日 · 上次购买 3个月前 · 一年来 4 次"). */
  reason: Type.String(),
  customer: TaskCustomerSchema,
  createdAt: Instant,
  completedAt: Nullable(Instant),
  skipReason: Nullable(Type.String()),
  suggestion: Nullable(TaskSuggestionSchema),
})
export type Task = Static<typeof TaskSchema>

export const TaskListQuerySchema = Type.Object(
  {
    status: Type.Optional(StringEnum(TASK_STATUSES)),
    kind: Type.Optional(StringEnum(TASK_KINDS)),
    cursor: Type.Optional(Text({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
)
export type TaskListQuery = Static<typeof TaskListQuerySchema>

export const TaskListSchema = Type.Object({ items: Type.Array(TaskSchema), nextCursor: Nullable(Type.String()) })
export type TaskList = Static<typeof TaskListSchema>

export const TaskIdParamsSchema = Type.Object({ taskId: Text({ minLength: 1, maxLength: 64 }) })

export const TaskSkipSchema = Type.Object(
  { reason: Text({ minLength: 1, maxLength: 100, multiline: true }) },
  { additionalProperties: false },
)
export type TaskSkip = Static<typeof TaskSkipSchema>

/** Next month's birthdays, a list of its own: who, when, and what helps the guide write to her. */
export const BirthdayEntrySchema = Type.Object({
  customer: TaskCustomerSchema,
  /** MM-DD. */
  birthday: Type.String(),
  lastPurchaseAt: Nullable(Instant),
  /** Orders in the last 365 days. */
  ordersLastYear: Type.Integer(),
  /** Her birthday task, once it has been written (3 days before). */
  taskId: Nullable(Type.String()),
})
export type BirthdayEntry = Static<typeof BirthdayEntrySchema>

export const BirthdayListQuerySchema = Type.Object(
  { month: Type.Optional(StringEnum(['this', 'next'])) },
  { additionalProperties: false },
)
export const BirthdayListSchema = Type.Object({ month: Type.String(), items: Type.Array(BirthdayEntrySchema) })
export type BirthdayList = Static<typeof BirthdayListSchema>
