/**
 * The integration API: what the retailer's own systems (ERP, POS, CRM) send with a key head
 * office made for them, and the keys themselves.
 *
 * Rows carry the CSV kinds' column names (`store_id`, `style_code`…), not the camelCase of
 * the rest of the API: a retailer maps its data once for the files and the live feed, and
 * a row's error names the field exactly as it was sent. A body of the wrong shape (a
 * missing required field, a value of the wrong JSON type, an unknown field, too many rows)
 * is refused whole with a 400 naming the field; everything else is judged row by row, and
 * a bad row never stops the good ones.
 */
import { Type, type Static, type TSchema } from 'typebox'
import { Instant, Nullable, StringEnum } from './schema'
import { Text } from './text'

/** What a key may write; one endpoint each. */
export const INTEGRATION_SCOPES = ['stock', 'orders', 'members', 'products'] as const
export type IntegrationScope = (typeof INTEGRATION_SCOPES)[number]

/** Rows a batch may carry: a request stays well under the API's body limit and one transaction's worth of rows. */
export const MAX_BATCH_ROWS = 1000
/** Lines one order may carry. */
export const MAX_ORDER_LINES = 200

// Bounds here keep a request small; each field's real rule (a key's characters, a name's
// length) is the CSV kind's, checked per row so one bad value rejects only its row.
const Field = (maxLength = 200) => Text({ maxLength })
const Optional = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema))
const Words = Type.Array(Text({ maxLength: 40 }), { maxItems: 20 })

// ── keys ──────────────────────────────────────────────────────────────────────────────

export const IntegrationKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(StringEnum(INTEGRATION_SCOPES)),
  createdAt: Instant,
  createdBy: Type.String(),
  /** Her name in our staff list, null when she is not (or no longer) in it. */
  createdByName: Nullable(Type.String()),
  revokedAt: Nullable(Instant),
})
export type IntegrationKey = Static<typeof IntegrationKeySchema>

export const IntegrationKeyListSchema = Type.Object({ items: Type.Array(IntegrationKeySchema) })
export type IntegrationKeyList = Static<typeof IntegrationKeyListSchema>

export const IntegrationKeyCreateSchema = Type.Object(
  {
    /** The system the key is for, as head office calls it. */
    name: Text({ minLength: 1, maxLength: 40, notBlank: true }),
    scopes: Type.Array(StringEnum(INTEGRATION_SCOPES), { minItems: 1, maxItems: INTEGRATION_SCOPES.length, uniqueItems: true }),
  },
  { additionalProperties: false, examples: [{ name: 'POS', scopes: ['stock', 'orders'] }] },
)
export type IntegrationKeyCreate = Static<typeof IntegrationKeyCreateSchema>

/** The new key, shown once: only its hash is kept. */
export const IntegrationKeyCreatedSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(StringEnum(INTEGRATION_SCOPES)),
  key: Type.String(),
})
export type IntegrationKeyCreated = Static<typeof IntegrationKeyCreatedSchema>

export const IntegrationKeyParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
})

// ── answers ───────────────────────────────────────────────────────────────────────────

/** One row's fate: `index` is its position in the request's array, from 0. */
export const RowResultSchema = Type.Object({
  index: Type.Integer(),
  ok: Type.Boolean(),
  /** Why the row was rejected (null when it was accepted): the CSV importer's reasons. */
  error: Nullable(Type.String()),
})
export type RowResult = Static<typeof RowResultSchema>

export const BatchResultSchema = Type.Object(
  {
    /** Rows written as new, and rows that changed what was there. */
    inserted: Type.Integer(),
    updated: Type.Integer(),
    rejected: Type.Integer(),
    rows: Type.Array(RowResultSchema),
  },
  {
    examples: [
      {
        inserted: 1,
        updated: 0,
        rejected: 1,
        rows: [
          { index: 0, ok: true, error: null },
          { index: 1, ok: false, error: 'unknown barcode 6900000000999' },
        ],
      },
    ],
  },
)
export type BatchResult = Static<typeof BatchResultSchema>

// ── stock ─────────────────────────────────────────────────────────────────────────────

export const StockRowSchema = Type.Object(
  {
    store_id: Field(64),
    /** The SKU by its barcode, or by style_code + color + size (both: they must agree). */
    barcode: Optional(Field(64)),
    style_code: Optional(Field(64)),
    color: Optional(Field(40)),
    size: Optional(Field(20)),
    /** `absolute`: what the store holds now (≥ 0); `delta`: the change (negative: sold or sent away). */
    quantity: Type.Integer(),
  },
  { additionalProperties: false },
)

export const StockBatchSchema = Type.Object(
  {
    /**
     * `absolute` sets each row's quantity (the store's other SKUs are left alone: a batch is
     * not a whole snapshot); `delta` adds it, and a result below 0 is kept at 0.
     */
    mode: StringEnum(['absolute', 'delta'] as const),
    rows: Type.Array(StockRowSchema, { minItems: 1, maxItems: MAX_BATCH_ROWS }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        mode: 'delta',
        rows: [
          { store_id: 'S001', barcode: '6901234500011', quantity: -1 },
          { store_id: 'S001', style_code: 'KW-2026-001', color: '燕麦色', size: 'M', quantity: 3 },
        ],
      },
    ],
  },
)
export type StockBatch = Static<typeof StockBatchSchema>

// ── members ───────────────────────────────────────────────────────────────────────────

export const MemberRowSchema = Type.Object(
  {
    member_id: Field(64),
    name: Field(100),
    phone: Optional(Field(40)),
    /** normal / silver / gold / platinum, or 普通 / 银卡 / 金卡 / 铂金. */
    level: Optional(Field(20)),
    points: Type.Optional(Nullable(Type.Integer())),
    store_id: Optional(Field(64)),
    size_top: Optional(Field(20)),
    size_bottom: Optional(Field(20)),
    size_dress: Optional(Field(20)),
    size_shoes: Optional(Field(20)),
    style_preferences: Type.Optional(Words),
    /** `05-12` or `1990-05-12`. */
    birthday: Optional(Field(20)),
    /** Binds the member to a WeCom customer; absent or null leaves an existing binding alone. */
    external_user_id: Optional(Field(100)),
  },
  { additionalProperties: false },
)

export const MemberBatchSchema = Type.Object(
  { rows: Type.Array(MemberRowSchema, { minItems: 1, maxItems: MAX_BATCH_ROWS }) },
  {
    additionalProperties: false,
    examples: [
      {
        rows: [
          {
            member_id: 'M10001',
            name: '王小姐',
            phone: '13800138000',
            level: 'gold',
            points: 1200,
            store_id: 'S001',
            size_top: 'M',
            style_preferences: ['通勤', '简约'],
            birthday: '05-12',
          },
        ],
      },
    ],
  },
)
export type MemberBatch = Static<typeof MemberBatchSchema>

// ── products ──────────────────────────────────────────────────────────────────────────

export const ProductRowSchema = Type.Object(
  {
    product_id: Field(64),
    style_code: Field(64),
    name: Field(100),
    /** top, bottom, dress, outerwear, shoes, bag, accessory, or 上装 / 下装 / 连衣裙 / 外套 / 鞋 / 包 / 配饰. */
    category: Field(20),
    /** Yuan. */
    price: Type.Number(),
    image_url: Optional(Field(500)),
    /** Absent or null keeps what is known (so do season, tags and description). */
    materials: Type.Optional(Nullable(Words)),
    /** The season it belongs to, e.g. 26S or 2026秋冬. */
    season: Optional(Field(20)),
    /** The brand's style words the filters and outfit suggestions read, e.g. 通勤, 法式. */
    tags: Type.Optional(Nullable(Words)),
    /** What the guide reads about the style in the catalogue. */
    description: Optional(Field(500)),
  },
  { additionalProperties: false },
)

export const ProductBatchSchema = Type.Object(
  { rows: Type.Array(ProductRowSchema, { minItems: 1, maxItems: MAX_BATCH_ROWS }) },
  {
    additionalProperties: false,
    examples: [
      {
        rows: [
          {
            product_id: 'P20001',
            style_code: 'KW-2026-001',
            name: '羊毛混纺大衣',
            category: 'outerwear',
            price: 1299,
            materials: ['羊毛', '聚酯纤维'],
            season: '26W',
            tags: ['通勤', '极简'],
            description: '落肩廓形，过膝长度，可配针织与阔腿裤',
          },
        ],
      },
    ],
  },
)
export type ProductBatch = Static<typeof ProductBatchSchema>

// ── orders ────────────────────────────────────────────────────────────────────────────

export const OrderLineSchema = Type.Object(
  {
    line_no: Type.Integer(),
    product_id: Optional(Field(64)),
    name: Field(100),
    color: Optional(Field(40)),
    size: Optional(Field(20)),
    /** Default 1. */
    quantity: Type.Optional(Nullable(Type.Integer())),
    /** Yuan per unit, as paid. */
    price: Type.Number(),
    /** The line was returned: it stays in her history and leaves the order's total. */
    returned: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const OrderSchema = Type.Object(
  {
    order_id: Field(64),
    member_id: Field(64),
    store_id: Optional(Field(64)),
    /** ISO 8601 with an offset, or `2026-03-01 10:00` read as China time. */
    purchased_at: Field(40),
    /** The selling guide's WeCom userid: the sale counts for her. */
    guide_user_id: Optional(Field(64)),
    /** `cancelled`: every line is returned (the order stays, with a total of 0). Default `completed`. */
    status: Type.Optional(StringEnum(['completed', 'cancelled'] as const)),
    lines: Type.Array(OrderLineSchema, { minItems: 1, maxItems: MAX_ORDER_LINES }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        order_id: 'POS-20261125-0001',
        member_id: 'M10001',
        store_id: 'S001',
        purchased_at: '2026-11-25T11:30:00+08:00',
        guide_user_id: 'lina',
        lines: [
          { line_no: 1, product_id: 'P20001', name: '羊毛混纺大衣', color: '燕麦色', size: 'M', quantity: 1, price: 1099 },
          { line_no: 2, name: '丝巾', price: 199, returned: true },
        ],
      },
    ],
  },
)
export type Order = Static<typeof OrderSchema>

export const OrderResultSchema = Type.Object(
  {
    order_id: Type.String(),
    /** `unchanged`: the order was already there as sent (a repeat writes nothing); `rejected`: no line was written. */
    result: StringEnum(['created', 'updated', 'unchanged', 'rejected'] as const),
    /** One answer a line, `index` its position in `lines`. */
    lines: Type.Array(RowResultSchema),
  },
  {
    examples: [
      {
        order_id: 'POS-20261125-0001',
        result: 'created',
        lines: [
          { index: 0, ok: true, error: null },
          { index: 1, ok: true, error: null },
        ],
      },
    ],
  },
)
export type OrderResult = Static<typeof OrderResultSchema>
