/**
 * The guide's memory of a customer: facts she edits, notes and follow-ups, tags, the
 * timeline, and binding a WeCom customer to a CRM member.
 */
import { Type, type Static } from 'typebox'
import { COUPON_KINDS } from './coupons'
import { MemberLevelSchema } from './customer'
import { Instant, Nullable, StringEnum } from './schema'
import { Text } from './text'

export { FACT_FIELDS, type FactField } from './customer'

// --- Facts -------------------------------------------------------------------------------

export const BIRTHDAY_PATTERN = '^(?:(?:19|20)\\d{2}-)?(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])$'
export const PHONE_PATTERN = '^1\\d{10}$'
export const DATE_PATTERN = '^\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])$'

const ShortText = (max: number, multiline = false) => Text({ maxLength: max, multiline })
const Words = Type.Array(Text({ minLength: 1, maxLength: 20 }), { maxItems: 12 })

/** A change to some facts; null clears what the guide had recorded. */
export const FactsPatchSchema = Type.Object(
  {
    sizeTop: Type.Optional(Nullable(ShortText(10))),
    sizeBottom: Type.Optional(Nullable(ShortText(10))),
    sizeDress: Type.Optional(Nullable(ShortText(10))),
    sizeShoes: Type.Optional(Nullable(ShortText(10))),
    fitNotes: Type.Optional(Nullable(ShortText(200, true))),
    stylePreferences: Type.Optional(Words),
    colorsLiked: Type.Optional(Words),
    colorsAvoided: Type.Optional(Words),
    materialsAvoided: Type.Optional(Words),
    birthday: Type.Optional(Nullable(Type.String({ pattern: BIRTHDAY_PATTERN }))),
    phone: Type.Optional(Nullable(Type.String({ pattern: PHONE_PATTERN }))),
    preferredStoreId: Type.Optional(Nullable(Text({ minLength: 1, maxLength: 64 }))),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type FactsPatch = Static<typeof FactsPatchSchema>

export const PhoneSchema = Type.Object({ phone: Type.String() })

// --- WeCom remark and tags ---------------------------------------------------------------

export const RemarkPatchSchema = Type.Object(
  {
    remark: Type.Optional(Text({ maxLength: 20 })),
    description: Type.Optional(Text({ maxLength: 150, multiline: true })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type RemarkPatch = Static<typeof RemarkPatchSchema>

export const CorpTagGroupsSchema = Type.Object({
  groups: Type.Array(
    Type.Object({
      groupId: Type.String(),
      name: Type.String(),
      tags: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
    }),
  ),
})
export type CorpTagGroups = Static<typeof CorpTagGroupsSchema>

const TagIds = Type.Array(Text({ minLength: 1, maxLength: 64 }), { maxItems: 30 })
export const TagsChangeSchema = Type.Object(
  { add: Type.Optional(TagIds), remove: Type.Optional(TagIds) },
  { additionalProperties: false, minProperties: 1 },
)
export type TagsChange = Static<typeof TagsChangeSchema>

const TagNames = Type.Array(Text({ minLength: 1, maxLength: 15, notBlank: true }), { maxItems: 20 })
export const PersonalTagsChangeSchema = Type.Object(
  { add: Type.Optional(TagNames), remove: Type.Optional(TagNames) },
  { additionalProperties: false, minProperties: 1 },
)
export type PersonalTagsChange = Static<typeof PersonalTagsChangeSchema>

// --- Notes, tasks, timeline ------------------------------------------------------------------

export const NOTE_OUTCOMES = ['interested', 'purchased', 'lost'] as const
export type NoteOutcome = (typeof NOTE_OUTCOMES)[number]

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

/** The id is made by the client, so a retry of the same note never makes a second one. */
export const NoteCreateSchema = Type.Object(
  {
    id: Type.String({ pattern: UUID_PATTERN }),
    text: Text({ minLength: 1, maxLength: 1000, multiline: true, notBlank: true }),
    nextFollowUp: Type.Optional(Nullable(Type.String({ pattern: DATE_PATTERN }))),
    outcome: Type.Optional(Nullable(StringEnum(NOTE_OUTCOMES))),
  },
  { additionalProperties: false },
)
export type NoteCreate = Static<typeof NoteCreateSchema>

export const NoteSchema = Type.Object({
  id: Type.String(),
  text: Type.String(),
  nextFollowUp: Nullable(Type.String()),
  outcome: Nullable(StringEnum(NOTE_OUTCOMES)),
  author: Type.Object({ userId: Type.String(), name: Type.String() }),
  createdAt: Instant,
})
export type Note = Static<typeof NoteSchema>

export const TIMELINE_KINDS = [
  'note',
  'fact_changed',
  'tags_changed',
  'remark_changed',
  'member_bound',
  'purchase',
  'reply_sent',
  'bundle_sent',
  'bundle_opened',
  'coupon_sent',
  'coupon_claimed',
  'coupon_redeemed',
  'coupon_expired',
] as const
export type TimelineKind = (typeof TIMELINE_KINDS)[number]

export const TimelineEntrySchema = Type.Object({
  id: Type.String(),
  kind: StringEnum(TIMELINE_KINDS),
  at: Instant,
  actor: Nullable(Type.Object({ userId: Type.String(), name: Type.String() })),
  note: Type.Optional(
    Type.Object({ text: Type.String(), nextFollowUp: Nullable(Type.String()), outcome: Nullable(StringEnum(NOTE_OUTCOMES)) }),
  ),
  /** fact_changed (a fact field) and remark_changed (`remark` or `description`). */
  change: Type.Optional(Type.Object({ field: Type.String(), from: Type.String(), to: Type.String() })),
  tags: Type.Optional(Type.Object({ added: Type.Array(Type.String()), removed: Type.Array(Type.String()) })),
  member: Type.Optional(Type.Object({ memberId: Type.String(), name: Type.String() })),
  reply: Type.Optional(
    Type.Object({
      replyId: Type.String(),
      title: Type.String(),
      partsSent: Type.Integer(),
      partsTotal: Type.Integer(),
      copied: Type.Boolean(),
    }),
  ),
  /** bundle_sent (by the guide) and bundle_opened (by her, from the link). */
  bundle: Type.Optional(Type.Object({ bundleId: Type.String(), title: Type.String(), items: Type.Integer() })),
  /**
   * coupon_sent (by the guide), coupon_claimed (she opened it), coupon_redeemed (at a
   * store), coupon_expired (unused): the coupon's face, never its code.
   */
  coupon: Type.Optional(
    Type.Object({
      issuanceId: Type.String(),
      name: Type.String(),
      kind: StringEnum(COUPON_KINDS),
      value: Type.Integer(),
      threshold: Type.Integer(),
      storeName: Nullable(Type.String()),
    }),
  ),
  purchase: Type.Optional(
    Type.Object({
      orderId: Type.String(),
      totalFen: Type.Integer(),
      storeName: Nullable(Type.String()),
      items: Type.Array(Type.Object({ name: Type.String(), imageUrl: Nullable(Type.String()), returned: Type.Boolean() })),
    }),
  ),
})
export type TimelineEntry = Static<typeof TimelineEntrySchema>

export const TimelineQuerySchema = Type.Object({
  cursor: Type.Optional(Text({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  kind: Type.Optional(StringEnum(TIMELINE_KINDS)),
})
export type TimelineQuery = Static<typeof TimelineQuerySchema>

export const TimelinePageSchema = Type.Object({
  items: Type.Array(TimelineEntrySchema),
  nextCursor: Nullable(Type.String()),
})
export type TimelinePage = Static<typeof TimelinePageSchema>

// --- Binding to a CRM member ------------------------------------------------------------------

export const MemberLookupQuerySchema = Type.Object({ phone: Type.String({ pattern: PHONE_PATTERN }) })

export const MemberCandidateSchema = Type.Object({
  memberId: Type.String(),
  name: Type.String(),
  phoneMasked: Type.String(),
  level: MemberLevelSchema,
  storeName: Nullable(Type.String()),
  /** Already bound to another WeCom customer: binding her here is refused. */
  boundElsewhere: Type.Boolean(),
})
export type MemberCandidate = Static<typeof MemberCandidateSchema>

export const MemberLookupSchema = Type.Object({ candidates: Type.Array(MemberCandidateSchema) })
export type MemberLookup = Static<typeof MemberLookupSchema>

export const MemberBindSchema = Type.Object(
  { memberId: Text({ minLength: 1, maxLength: 64 }), phone: Type.String({ pattern: PHONE_PATTERN }) },
  { additionalProperties: false },
)
export type MemberBind = Static<typeof MemberBindSchema>

export function maskPhone(phone: string): string {
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone.replace(/\d(?=\d{2})/g, '*')
}

export const StoreListSchema = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), city: Type.String() })),
})
export type StoreList = Static<typeof StoreListSchema>
