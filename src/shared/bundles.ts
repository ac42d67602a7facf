/**
 * Outfit bundles (搭配): two to six pieces, one SKU each, drawn as one collage and sent
 * into the chat as a card that opens the customer's lookbook page.
 */
import { Type, type Static } from 'typebox'
import { PRODUCT_CATEGORIES } from './catalog'
import { Instant, Nullable, StringEnum } from './schema'
import { Text } from './text'

export const BUNDLE_SCOPES = ['corp', 'personal'] as const
export type BundleScope = (typeof BUNDLE_SCOPES)[number]

export const BUNDLE_MIN_ITEMS = 2
export const BUNDLE_MAX_ITEMS = 6

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })

export const BundleItemInputSchema = Type.Object(
  { productId: Id, skuId: Text({ minLength: 1, maxLength: 80 }) },
  { additionalProperties: false },
)
export type BundleItemInput = Static<typeof BundleItemInputSchema>

const Title = Text({ minLength: 1, maxLength: 40, notBlank: true })
const Note = Text({ maxLength: 200, multiline: true })
const Items = Type.Array(BundleItemInputSchema, { minItems: BUNDLE_MIN_ITEMS, maxItems: BUNDLE_MAX_ITEMS })

export const BundleCreateSchema = Type.Object(
  { scope: StringEnum(BUNDLE_SCOPES), title: Title, note: Type.Optional(Note), items: Items },
  { additionalProperties: false },
)
export type BundleCreate = Static<typeof BundleCreateSchema>

export const BundleUpdateSchema = Type.Object(
  { title: Type.Optional(Title), note: Type.Optional(Note), items: Type.Optional(Items), retired: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
)
export type BundleUpdate = Static<typeof BundleUpdateSchema>

export const BundleItemSchema = Type.Object({
  productId: Type.String(),
  skuId: Type.String(),
  styleCode: Type.String(),
  name: Type.String(),
  category: StringEnum(PRODUCT_CATEGORIES),
  color: Type.String(),
  size: Type.String(),
  priceFen: Type.Integer(),
  imageUrl: Nullable(Type.String()),
  /** Pieces of this SKU at the viewing guide's store. */
  stock: Type.Integer(),
})
export type BundleItem = Static<typeof BundleItemSchema>

export const BundleSchema = Type.Object({
  id: Type.String(),
  scope: StringEnum(BUNDLE_SCOPES),
  owner: Nullable(Type.Object({ userId: Type.String(), name: Type.String() })),
  title: Type.String(),
  note: Type.String(),
  items: Type.Array(BundleItemSchema),
  totalFen: Type.Integer(),
  /** The flat-lay picture of the pieces; the same bundle always has the same URL. */
  collageUrl: Type.String(),
  sent: Type.Integer(),
  opened: Type.Integer(),
  retired: Type.Boolean(),
  updatedAt: Instant,
})
export type Bundle = Static<typeof BundleSchema>

export const BundleListQuerySchema = Type.Object(
  { scope: Type.Optional(StringEnum(BUNDLE_SCOPES)), includeRetired: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)

export const BundleListSchema = Type.Object({ bundles: Type.Array(BundleSchema) })
export type BundleList = Static<typeof BundleListSchema>

/**
 * How a piece of an outfit comes out for one customer: `hers` her size in stock at the
 * store; `hers_no_stock` her size, to be ordered in (an in-stock alternative offered);
 * `not_her_size` the style is not made in her size (the nearest is sent); `size_unknown`
 * her size for it is not recorded (the outfit's own size is sent); `one_size` bags and
 * accessories.
 */
export const PIECE_FITS = ['hers', 'hers_no_stock', 'not_her_size', 'size_unknown', 'one_size'] as const
export type PieceFit = (typeof PIECE_FITS)[number]

const AvoidedSchema = Nullable(Type.Object({ kind: StringEnum(['material', 'color'] as const), detail: Type.String() }))

/** What the pure resolver decides for one piece (ids only). */
export const FittedPieceSchema = Type.Object({
  productId: Type.String(),
  skuId: Type.String(),
  fit: StringEnum(PIECE_FITS),
  /** For `hers_no_stock`: the nearest SKU in stock at the store. */
  alternativeSkuId: Nullable(Type.String()),
  /** A material or colour she avoids: the outfit is not suggested for her. */
  avoided: AvoidedSchema,
})
export type FittedPiece = Static<typeof FittedPieceSchema>

const SkuChoiceSchema = Type.Object({ skuId: Type.String(), color: Type.String(), size: Type.String(), stock: Type.Integer() })

/** An outfit as it would go to one customer: each piece in the SKU she would get. */
export const BundleFitSchema = Type.Object({
  bundleId: Type.String(),
  pieces: Type.Array(
    Type.Object({
      /** The piece as it would be sent (her size, colour, stock at the guide's store). */
      item: BundleItemSchema,
      fit: StringEnum(PIECE_FITS),
      /** Her size for this piece's category, when known. */
      herSize: Nullable(Type.String()),
      alternative: Nullable(SkuChoiceSchema),
      avoided: AvoidedSchema,
    }),
  ),
  /** Every piece in her size and in stock: only then does the app say 合你的尺码. */
  allHers: Type.Boolean(),
  totalFen: Type.Integer(),
  /** The collage of the pieces as she gets them (her colours may differ from the outfit's). */
  collageUrl: Type.String(),
})
export type BundleFit = Static<typeof BundleFitSchema>

/** Why a piece or a bundle suits her, as short reason codes the app words. */
export const SUGGESTION_REASONS = ['fits_size', 'in_stock', 'likes_style', 'likes_color', 'completes_purchase', 'new_in'] as const
export type SuggestionReason = (typeof SUGGESTION_REASONS)[number]

export const ReasonSchema = Type.Object({
  code: StringEnum(SUGGESTION_REASONS),
  /** What the reason refers to: a size, a style, a colour, or the name of what she bought. */
  detail: Type.String(),
  /** For completes_purchase: when she bought it. */
  at: Nullable(Instant),
})
export type Reason = Static<typeof ReasonSchema>

export const SuggestionsSchema = Type.Object({
  bundles: Type.Array(Type.Object({ bundle: BundleSchema, reasons: Type.Array(ReasonSchema), score: Type.Number() })),
  products: Type.Array(
    Type.Object({
      productId: Type.String(),
      name: Type.String(),
      category: StringEnum(PRODUCT_CATEGORIES),
      priceFen: Type.Integer(),
      imageUrl: Nullable(Type.String()),
      /** Her size in this style, with stock at the guide's store, when there is one. */
      skuId: Nullable(Type.String()),
      reasons: Type.Array(ReasonSchema),
      score: Type.Number(),
    }),
  ),
  /** Every bundle she can be sent (ranked or not), as it would go to her. */
  fits: Type.Array(BundleFitSchema),
  /** Her sizes as the profile knows them, to preselect SKUs in the composer. */
  sizes: Type.Object({
    top: Nullable(Type.String()),
    bottom: Nullable(Type.String()),
    dress: Nullable(Type.String()),
    shoes: Nullable(Type.String()),
  }),
})
export type Suggestions = Static<typeof SuggestionsSchema>

export const BundleSendCreateSchema = Type.Object(
  {
    externalUserId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    chatId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    /**
     * The SKUs the guide saw in her preview, one per piece in the bundle's order (same
     * styles; sizes and colours may differ). Without it a customer's send is resolved to
     * her sizes on the server, and a group's goes in the bundle's own SKUs.
     */
    items: Type.Optional(Type.Array(BundleItemInputSchema, { minItems: BUNDLE_MIN_ITEMS, maxItems: BUNDLE_MAX_ITEMS })),
  },
  { additionalProperties: false },
)
export type BundleSendCreate = Static<typeof BundleSendCreateSchema>

export const BUNDLE_SEND_STATUSES = ['pending', 'sent', 'cancelled'] as const

/** A send prepared by the server: the card to pass to `sendChatMessage`, then confirm or cancel. */
export const BundleSendSchema = Type.Object({
  id: Type.String(),
  status: StringEnum(BUNDLE_SEND_STATUSES),
  link: Type.String(),
  message: Type.Union([
    Type.Object({
      msgtype: Type.Literal('news'),
      news: Type.Object({ link: Type.String(), title: Type.String(), desc: Type.String(), imgUrl: Type.String() }),
    }),
    Type.Object({
      msgtype: Type.Literal('miniprogram'),
      miniprogram: Type.Object({ appid: Type.String(), title: Type.String(), imgUrl: Type.String(), page: Type.String() }),
    }),
  ]),
})
export type BundleSend = Static<typeof BundleSendSchema>
