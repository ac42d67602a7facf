/**
 * A manager's campaign: a name, a period, the customers it is for (the customer list's
 * filters, plus dormant), what to send and a note. It becomes one `campaign` task per
 * matching customer for her guide; the desk follows each guide's progress.
 *
 * Endpoints (managers and head office; a guide gets 403 on every one):
 * - `POST /api/campaigns` CampaignCreate → 201 CampaignDetail. Stores default to all of hers
 *   (head office: every store); one not hers is a 403. 400: endsOn before startsOn or before
 *   today (China), longer than 92 days, content that cannot be sent (a retired or personal
 *   reply, a retired or personal outfit, a coupon not active), an empty name. Audited
 *   (entity `campaign`, action `create`). A campaign already running writes its tasks now.
 * - `GET /api/campaigns` → CampaignList: those running in any of her stores, newest first,
 *   at most 100.
 * - `GET /api/campaigns/:id` → CampaignDetail; 404 unknown, 403 when none of its stores is hers.
 * - `POST /api/campaigns/:id/end` → 200 CampaignDetail: ended now; its open tasks are
 *   skipped ('活动已结束'). 409 when already ended; 403 unless every store it runs in is hers.
 *   Audited (action `retire`).
 * - `POST /api/campaigns/audience` CampaignAudienceQuery → CampaignAudienceCount (a read; POST
 *   for the JSON body).
 *
 * Who it reaches: in each of its stores, every guide's customers (those she is the primary
 * guide of, as the task rules say) that match the audience, judged from that guide's side
 * as her customer list judges them. While it runs, the task job (hourly, and a guide's
 * first list of the day) writes a task for each customer who matches, once: a customer who
 * comes to match later (a new contact, one who turns dormant) gets hers then; one who stops
 * matching keeps hers. A send from her guide or a purchase completes it.
 *
 * A manager sees her stores only: `stores`, the per-guide rows and every total count her
 * stores' guides alone.
 */
import { Type, type Static } from 'typebox'
import { BIRTHDAY_MONTH_PATTERN, LAST_CONTACT_FILTERS, LAST_PURCHASE_FILTERS, LEVEL_FILTERS } from './customer'
import { Instant, Nullable, StringEnum } from './schema'
import { Text } from './text'

const Day = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' })

/**
 * Empty: all her customers. Several filters: all of them hold. Lists: any of the values.
 * `lastPurchase`, `lastContact` and `hasCoupon` mean what the customer list means by them,
 * on the day the task is written; `birthdayMonth` 'this' / 'next' is fixed to a month
 * (1–12) when the campaign is created. Unknown tag ids match nobody.
 */
export const CampaignAudienceSchema = Type.Object(
  {
    /** Corporate tag ids (`et…`): she carries any of them (as her guide's contact). */
    tags: Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    levels: Type.Optional(Type.Array(StringEnum(LEVEL_FILTERS), { maxItems: 10 })),
    lastPurchase: Type.Optional(StringEnum(LAST_PURCHASE_FILTERS)),
    lastContact: Type.Optional(StringEnum(LAST_CONTACT_FILTERS)),
    birthdayMonth: Type.Optional(Type.String({ pattern: BIRTHDAY_MONTH_PATTERN })),
    /** No purchase, send or note for 90 days (the dormant task's rule). */
    dormant: Type.Optional(Type.Boolean()),
    /** true: holds an unused coupon; false: holds none. */
    hasCoupon: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CampaignAudience = Static<typeof CampaignAudienceSchema>

export const CampaignContentSchema = Type.Object(
  { type: StringEnum(['reply', 'bundle', 'coupon']), id: Text({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
)
export type CampaignContent = Static<typeof CampaignContentSchema>

export const CampaignCreateSchema = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 40 }),
    startsOn: Day,
    endsOn: Day,
    audience: CampaignAudienceSchema,
    /** null: the task only asks her to talk to the customer. */
    content: Nullable(CampaignContentSchema),
    /** Shown to the guides on each task. */
    note: Type.Optional(Text({ maxLength: 200, multiline: true })),
    /** Stores it runs in; left out: every store she looks after. */
    storeIds: Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 200 })),
  },
  { additionalProperties: false },
)
export type CampaignCreate = Static<typeof CampaignCreateSchema>

/** By China's today: before startsOn scheduled; after endsOn, or ended early, ended; else running. */
export const CAMPAIGN_STATUSES = ['scheduled', 'running', 'ended'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

/**
 * Counted in customers (each has one task of a campaign), over the campaign's days: from
 * startsOn 00:00 to the end of endsOn, or to when it was ended, China time.
 */
const progress = {
  /** Tasks written (one a matching customer). */
  customers: Type.Integer(),
  /** Of those, done (ticked, or by a send or purchase). */
  done: Type.Integer(),
  /**
   * Customers sent its content during it, by anyone: for a coupon an issuance of that
   * template, an outfit a send of it, a reply a send of it; without content any send.
   */
  sent: Type.Integer(),
  /**
   * Customers who opened it: an outfit's lookbook opened; a coupon claimed (her claim
   * page is the only thing she opens, and we know she opened it by her claiming). A reply
   * or no content: 0, nothing tells.
   */
  opened: Type.Integer(),
  /** Coupon: customers who claimed the coupon sent to them during it (or redeemed it). 0 otherwise. */
  claimed: Type.Integer(),
  /** Coupon: customers who redeemed it at a till. 0 otherwise. */
  redeemed: Type.Integer(),
  /** Orders of its customers during the campaign, credited to the guide whose task she is. */
  salesFen: Type.Integer(),
}
export const CampaignProgressSchema = Type.Object(progress)
export type CampaignProgress = Static<typeof CampaignProgressSchema>

export const CampaignSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  status: StringEnum(CAMPAIGN_STATUSES),
  audience: CampaignAudienceSchema,
  content: Nullable(Type.Object({ type: StringEnum(['reply', 'bundle', 'coupon']), id: Type.String(), title: Type.String() })),
  note: Type.String(),
  stores: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  createdBy: Type.Object({ userId: Type.String(), name: Type.String() }),
  createdAt: Instant,
  endedAt: Nullable(Instant),
  totals: CampaignProgressSchema,
})
export type Campaign = Static<typeof CampaignSchema>

export const CampaignListSchema = Type.Object({ items: Type.Array(CampaignSchema) })
export type CampaignList = Static<typeof CampaignListSchema>

export const CampaignDetailSchema = Type.Object({
  campaign: CampaignSchema,
  guides: Type.Array(Type.Object({ userId: Type.String(), name: Type.String(), storeId: Nullable(Type.String()), ...progress })),
})
export type CampaignDetail = Static<typeof CampaignDetailSchema>

export const CampaignIdParamsSchema = Type.Object({ id: Text({ minLength: 1, maxLength: 64 }) })

/** The form's live count: an audience and the stores (left out: all of hers). */
export const CampaignAudienceQuerySchema = Type.Object(
  {
    audience: CampaignAudienceSchema,
    storeIds: Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 200 })),
  },
  { additionalProperties: false },
)
export type CampaignAudienceQuery = Static<typeof CampaignAudienceQuerySchema>

/** How many customers a draft audience would reach today, per store (before creating it). */
export const CampaignAudienceCountSchema = Type.Object({
  total: Type.Integer(),
  stores: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), customers: Type.Integer() })),
})
export type CampaignAudienceCount = Static<typeof CampaignAudienceCountSchema>
