/**
 * The catalogue the guide composes outfits from: styles (款) with colour × size SKUs,
 * pictures, season and style tags, and stock per store and SKU.
 */
import { Type, type Static } from 'typebox'
import { Nullable, StringEnum } from './schema'
import { Text } from './text'

export const PRODUCT_CATEGORIES = ['top', 'bottom', 'dress', 'outerwear', 'shoes', 'bag', 'accessory'] as const
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number]

/**
 * The materials the catalogue names (fibre content as a label says it), offered when a
 * guide records what a customer will not wear. Imports may name others.
 */
export const MATERIALS = ['羊毛', '羊绒', '真丝', '棉', '亚麻', '涤纶', '锦纶', '粘胶', '醋酸', '皮革'] as const

export const CATALOG_SORTS = ['relevance', 'new', 'price_asc', 'price_desc'] as const
export type CatalogSort = (typeof CATALOG_SORTS)[number]

export const ProductColorSchema = Type.Object({ name: Type.String(), hex: Nullable(Type.String()) })
export type ProductColor = Static<typeof ProductColorSchema>

export const SkuSchema = Type.Object({
  id: Type.String(),
  color: Type.String(),
  colorHex: Nullable(Type.String()),
  size: Type.String(),
  /** Pieces at the guide's own store (0 when she has no store). */
  stock: Type.Integer(),
  /** What this colour and size sells for: the style's price unless the ERP set its own. */
  priceFen: Type.Integer(),
})
export type Sku = Static<typeof SkuSchema>

export const ProductSummarySchema = Type.Object({
  id: Type.String(),
  styleCode: Type.String(),
  name: Type.String(),
  category: StringEnum(PRODUCT_CATEGORIES),
  priceFen: Type.Integer(),
  imageUrl: Nullable(Type.String()),
  season: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  colors: Type.Array(ProductColorSchema),
  /** Sizes with at least one piece at the guide's store, in the catalogue's size order. */
  sizesInStock: Type.Array(Type.String()),
})
export type ProductSummary = Static<typeof ProductSummarySchema>

/** main: the style's or a colour's picture; detail: a close-up; on_model: worn. */
export const ProductImageKindSchema = Type.Union([Type.Literal('main'), Type.Literal('detail'), Type.Literal('on_model')])
export const ProductImageSchema = Type.Object({
  url: Type.String(),
  color: Nullable(Type.String()),
  kind: ProductImageKindSchema,
})
export type ProductImage = Static<typeof ProductImageSchema>

// Built on the summary with Type.Interface rather than by spreading its properties: a
// spread keeps every catalogue schema in the app's bundle, where none is needed.
export const ProductDetailSchema = Type.Interface([ProductSummarySchema], {
  description: Type.String(),
  /** What it is made of, as the label says (羊毛, 棉…). */
  materials: Type.Array(Type.String()),
  images: Type.Array(ProductImageSchema),
  skus: Type.Array(SkuSchema),
})
export type ProductDetail = Static<typeof ProductDetailSchema>

const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000 })

export const CatalogQuerySchema = Type.Object(
  {
    q: Type.Optional(Text({ maxLength: 40 })),
    category: Type.Optional(StringEnum(PRODUCT_CATEGORIES)),
    /** Only styles with this size in stock at the guide's store. */
    size: Type.Optional(Text({ minLength: 1, maxLength: 8 })),
    inStock: Type.Optional(Type.Boolean()),
    minPriceFen: Type.Optional(Fen),
    maxPriceFen: Type.Optional(Fen),
    tag: Type.Optional(Text({ minLength: 1, maxLength: 20 })),
    sort: Type.Optional(StringEnum(CATALOG_SORTS)),
    cursor: Type.Optional(Text({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  },
  { additionalProperties: false },
)
export type CatalogQuery = Static<typeof CatalogQuerySchema>

export const CatalogPageSchema = Type.Object({
  items: Type.Array(ProductSummarySchema),
  total: Type.Integer(),
  nextCursor: Nullable(Type.String()),
})
export type CatalogPage = Static<typeof CatalogPageSchema>

/** What the filter bar offers: tags and sizes that exist in the catalogue. */
export const CatalogFacetsSchema = Type.Object({
  tags: Type.Array(Type.String()),
  sizes: Type.Array(Type.Object({ category: StringEnum(PRODUCT_CATEGORIES), sizes: Type.Array(Type.String()) })),
  priceFen: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  storeId: Nullable(Type.String()),
})
export type CatalogFacets = Static<typeof CatalogFacetsSchema>
