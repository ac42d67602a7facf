/**
 * Quick replies (话术): the brand's answers and each guide's own, sent into the chat in
 * one tap. A reply is one or more parts sent in order: text (with variables), an image,
 * a link card or a mini-program card.
 */
import { Type, type Static } from 'typebox'
import { Instant, Nullable, StringEnum } from './schema'
import { Text } from './text'

export const REPLY_SCOPES = ['corp', 'personal'] as const
export type ReplyScope = (typeof REPLY_SCOPES)[number]

/** Stages a reply can be meant for; the sidebar ranks matching replies first. */
export const REPLY_STAGES = ['new_customer', 'after_purchase', 'birthday_month'] as const
export type ReplyStage = (typeof REPLY_STAGES)[number]

/** Variables a text part may contain, filled in just before sending. */
export const REPLY_VARIABLES = ['{称呼}', '{导购}', '{门店}', '{会员等级}'] as const

export const MINIPROGRAM_PAGE_PATTERN = '^[A-Za-z0-9_\\-./]+\\.html(\\?[^\\s#\\u0000-\\u001F\\u007F]*)?$'
export const MINIPROGRAM_APPID_PATTERN = '^wx[0-9a-f]{16}$'

/**
 * A link a news card opens: http(s) and a host, no spaces. The same check as the manager's
 * editor (`reply-validate.ts`), scheme in either case; no control characters.
 */
export const NEWS_URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/$.?#\\u0000-\\u001F\\u007F][^\\s\\u0000-\\u001F\\u007F]+$'
/** A cover: absolute, or a path of ours; no control characters. */
const COVER_URL_PATTERN = '^(https?://|/)[^\\u0000-\\u001F\\u007F]*$'

const TextPart = Type.Object(
  { type: Type.Literal('text'), text: Text({ minLength: 1, maxLength: 2000, multiline: true, notBlank: true }) },
  { additionalProperties: false },
)
const ImagePart = Type.Object(
  { type: Type.Literal('image'), assetId: Text({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
)
const NewsPart = Type.Object(
  {
    type: Type.Literal('news'),
    title: Text({ minLength: 1, maxLength: 64 }),
    desc: Text({ maxLength: 120, multiline: true }),
    url: Type.String({ minLength: 1, maxLength: 1024, pattern: NEWS_URL_PATTERN }),
    coverUrl: Type.String({ minLength: 1, maxLength: 1024, pattern: COVER_URL_PATTERN }),
  },
  { additionalProperties: false },
)
const MiniprogramPart = Type.Object(
  {
    type: Type.Literal('miniprogram'),
    appid: Type.String({ pattern: MINIPROGRAM_APPID_PATTERN }),
    page: Type.String({ minLength: 6, maxLength: 256, pattern: MINIPROGRAM_PAGE_PATTERN }),
    title: Text({ minLength: 1, maxLength: 64 }),
    coverUrl: Type.String({ minLength: 1, maxLength: 1024, pattern: COVER_URL_PATTERN }),
  },
  { additionalProperties: false },
)

export const ReplyPartSchema = Type.Union([TextPart, ImagePart, NewsPart, MiniprogramPart])
export type ReplyPart = Static<typeof ReplyPartSchema>

export const ReplySchema = Type.Object({
  id: Type.String(),
  scope: StringEnum(REPLY_SCOPES),
  groupId: Type.String(),
  title: Type.String(),
  parts: Type.Array(ReplyPartSchema),
  /** Her tags this reply suits (tag names); matching ones are suggested first. */
  tags: Type.Array(Type.String()),
  stages: Type.Array(StringEnum(REPLY_STAGES)),
  position: Type.Integer(),
  retired: Type.Boolean(),
  updatedAt: Instant,
})
export type Reply = Static<typeof ReplySchema>

export const ReplyGroupSchema = Type.Object({
  id: Type.String(),
  scope: StringEnum(REPLY_SCOPES),
  parentId: Nullable(Type.String()),
  name: Type.String(),
  position: Type.Integer(),
  retired: Type.Boolean(),
})
export type ReplyGroup = Static<typeof ReplyGroupSchema>

export const ReplyUsageSchema = Type.Object({ replyId: Type.String(), count: Type.Integer(), lastUsedAt: Instant })
export type ReplyUsage = Static<typeof ReplyUsageSchema>

/** Everything the sidebar needs to search and rank without asking again. */
export const ReplyLibrarySchema = Type.Object({
  groups: Type.Array(ReplyGroupSchema),
  replies: Type.Array(ReplySchema),
  usage: Type.Array(ReplyUsageSchema),
  favorites: Type.Array(Type.String()),
  /** For image parts: where the app can show the picture. */
  assets: Type.Array(Type.Object({ id: Type.String(), url: Type.String(), width: Type.Integer(), height: Type.Integer() })),
})
export type ReplyLibrary = Static<typeof ReplyLibrarySchema>

const Title = Text({ minLength: 1, maxLength: 60, notBlank: true })
const Tags = Type.Array(Text({ minLength: 1, maxLength: 20, notBlank: true }), { maxItems: 10 })
const Stages = Type.Array(StringEnum(REPLY_STAGES), { maxItems: 3 })
const Parts = Type.Array(ReplyPartSchema, { minItems: 1, maxItems: 6 })

export const ReplyCreateSchema = Type.Object(
  {
    scope: StringEnum(REPLY_SCOPES),
    groupId: Text({ minLength: 1, maxLength: 64 }),
    title: Title,
    parts: Parts,
    tags: Type.Optional(Tags),
    stages: Type.Optional(Stages),
  },
  { additionalProperties: false },
)
export type ReplyCreate = Static<typeof ReplyCreateSchema>

export const ReplyUpdateSchema = Type.Object(
  {
    title: Type.Optional(Title),
    parts: Type.Optional(Parts),
    tags: Type.Optional(Tags),
    stages: Type.Optional(Stages),
    retired: Type.Optional(Type.Boolean()),
    /**
     * The `updatedAt` of the copy the editor started from: when the reply changed since
     * (another manager saved it), the update is refused with 409 rather than overwriting.
     */
    expectedUpdatedAt: Type.Optional(Instant),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type ReplyUpdate = Static<typeof ReplyUpdateSchema>

/** Move to a group (or stay) and to a place in it: `position` counts from 0. */
export const MoveSchema = Type.Object(
  {
    groupId: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
    position: Type.Integer({ minimum: 0, maximum: 10_000 }),
  },
  { additionalProperties: false },
)
export type Move = Static<typeof MoveSchema>

export const GroupCreateSchema = Type.Object(
  {
    scope: StringEnum(REPLY_SCOPES),
    parentId: Type.Optional(Nullable(Text({ minLength: 1, maxLength: 64 }))),
    name: Text({ minLength: 1, maxLength: 30, notBlank: true }),
  },
  { additionalProperties: false },
)
export type GroupCreate = Static<typeof GroupCreateSchema>

export const GroupUpdateSchema = Type.Object(
  {
    name: Type.Optional(Text({ minLength: 1, maxLength: 30, notBlank: true })),
    retired: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type GroupUpdate = Static<typeof GroupUpdateSchema>

export const GroupMoveSchema = Type.Object(
  {
    parentId: Type.Optional(Nullable(Text({ minLength: 1, maxLength: 64 }))),
    position: Type.Integer({ minimum: 0, maximum: 10_000 }),
  },
  { additionalProperties: false },
)
export type GroupMove = Static<typeof GroupMoveSchema>

export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) })

const TextMessage = Type.Object({ msgtype: Type.Literal('text'), text: Type.Object({ content: Type.String() }) })
const NewsMessage = Type.Object({
  msgtype: Type.Literal('news'),
  news: Type.Object({ link: Type.String(), title: Type.String(), desc: Type.String(), imgUrl: Type.String() }),
})
const MiniprogramMessage = Type.Object({
  msgtype: Type.Literal('miniprogram'),
  miniprogram: Type.Object({ appid: Type.String(), title: Type.String(), imgUrl: Type.String(), page: Type.String() }),
})

/** A part ready for `sendChatMessage`: text already filled, images as WeCom media ids. */
export const SendablePartSchema = Type.Union([
  TextMessage,
  Type.Object({
    msgtype: Type.Literal('image'),
    image: Type.Object({ mediaid: Type.String() }),
    assetId: Type.String(),
    previewUrl: Type.String(),
  }),
  NewsMessage,
  MiniprogramMessage,
])
export type SendablePart = Static<typeof SendablePartSchema>

/**
 * A part as the guide sees or copies it, where nothing goes through WeCom (copy mode):
 * an image is only shown, so it has no media id. Every sendable part is one of these.
 */
export const CopyablePartSchema = Type.Union([
  TextMessage,
  Type.Object({ msgtype: Type.Literal('image'), assetId: Type.String(), previewUrl: Type.String() }),
  NewsMessage,
  MiniprogramMessage,
])
export type CopyablePart = Static<typeof CopyablePartSchema>

/** Parts of a send plan (images carry media ids), not of a copy plan. */
export function isSendable(parts: readonly CopyablePart[]): parts is SendablePart[] {
  return parts.every((part) => part.msgtype !== 'image' || 'image' in part)
}

export const SEND_PLAN_MODES = ['send', 'copy'] as const
export type SendPlanMode = (typeof SEND_PLAN_MODES)[number]

export const SendPlanQuerySchema = Type.Object({
  externalUserId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
  chatId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
  /** `copy`: for the clipboard, so images need no WeCom media id (none is uploaded). */
  mode: Type.Optional(StringEnum(SEND_PLAN_MODES)),
})

export const SendPlanSchema = Type.Object({ replyId: Type.String(), parts: Type.Array(SendablePartSchema) })
export type SendPlan = Static<typeof SendPlanSchema>

/** The plan in copy mode: the same parts, images without media ids. */
export const CopyPlanSchema = Type.Object({ replyId: Type.String(), parts: Type.Array(CopyablePartSchema) })
export type CopyPlan = Static<typeof CopyPlanSchema>

/** What the app reports after sending (all parts, or up to a failure or a cancel); `partsSent` ≤ `partsTotal`. */
export const SendReportSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }),
    externalUserId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    chatId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    partsSent: Type.Integer({ minimum: 0, maximum: 6 }),
    partsTotal: Type.Integer({ minimum: 1, maximum: 6 }),
    edited: Type.Boolean(),
    copied: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type SendReport = Static<typeof SendReportSchema>

/** A WeCom media id the chat refused (expired, 40007): the server uploads the image again. */
export const MediaRefreshSchema = Type.Object(
  { mediaId: Text({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
)

export const MediaAssetSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  mime: StringEnum(['image/jpeg', 'image/png']),
  size: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
})
export type MediaAsset = Static<typeof MediaAssetSchema>

/**
 * One field an audited change changed, before → after. Values as the content holds them
 * (a reply's parts, a coupon's cents); ids are given as names (a group's, a store's).
 * `before` is absent where the log did not keep it.
 */
export const AuditChangeSchema = Type.Object({
  field: Type.String(),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
})
export type AuditChange = Static<typeof AuditChangeSchema>

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Instant,
  actor: Type.Object({ userId: Type.String(), name: Type.String() }),
  entity: StringEnum([
    'reply',
    'reply_group',
    'coupon_template',
    'sales_target',
    'store',
    'campaign',
    'sessions',
    'integration_key',
  ]),
  entityId: Type.String(),
  action: StringEnum(['create', 'update', 'move', 'retire', 'restore']),
  /** What was changed: the reply's title, the group's or the coupon's name. */
  summary: Type.String(),
  /** Only the fields that changed. */
  changes: Type.Array(AuditChangeSchema),
})
export type AuditEntry = Static<typeof AuditEntrySchema>

export const AuditPageSchema = Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Nullable(Type.String()) })
export type AuditPage = Static<typeof AuditPageSchema>
