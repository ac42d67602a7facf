/** Products: the catalogue, keyed by product_id, with style codes unique. */
import * as field from '../fields'
import type { Rejection } from '../importer'
import { bumpCatalog, existing, keepKnown, type KindSpec } from './shared'

export interface ProductRow {
  id: string
  styleCode: string
  name: string
  category: string
  priceFen: number
  imageUrl: string | null
  /** What the style is made of; null when the file leaves it empty (what is known stays). */
  materials: string[] | null
  /** The season it belongs to (26S, 2026秋冬); null: what is known stays. */
  season: string | null
  /** The brand's style words (通勤, 法式) the filters and suggestions read; null: what is known stays. */
  tags: string[] | null
  /** What the guide reads about it in the catalogue; null: what is known stays. */
  description: string | null
}

/** Columns a row may leave empty to keep what is known: a feed that lacks them wipes nothing. */
const KEPT_WHEN_EMPTY = ['materials', 'season', 'tags', 'description'] as const

export const products: KindSpec<ProductRow> = {
  keyLabel: 'product_id',
  columns: [
    { name: 'product_id', aliases: ['商品编号', '商品ID'], required: true },
    { name: 'style_code', aliases: ['款号'], required: true },
    { name: 'name', aliases: ['商品名称', '名称'], required: true },
    { name: 'category', aliases: ['品类', '类别'], required: true },
    { name: 'price', aliases: ['价格', '吊牌价'], required: true },
    { name: 'image_url', aliases: ['图片'], required: false },
    { name: 'materials', aliases: ['材质', '面料', '成分'], required: false },
    { name: 'season', aliases: ['季节', '季度', '波段'], required: false },
    { name: 'tags', aliases: ['标签', '风格'], required: false },
    { name: 'description', aliases: ['描述', '商品描述', '卖点'], required: false },
  ],
  key: (r) => r.id,
  parse: (get) => ({
    id: field.key(get('product_id'), 'product_id', { required: true })!,
    styleCode: field.key(get('style_code'), 'style_code', { required: true })!,
    name: field.required(get('name'), 'name', 60),
    category: field.category(get('category'), 'category'),
    priceFen: field.money(get('price'), 'price'),
    imageUrl: field.url(get('image_url'), 'image_url'),
    materials: get('materials').trim() ? field.list(get('materials'), 'materials', { max: 8, itemMax: 12 }) : null,
    season: field.text(get('season'), 'season', { max: 20 }),
    tags: get('tags').trim() ? field.list(get('tags'), 'tags', { max: 12, itemMax: 12 }) : null,
    description: field.text(get('description'), 'description', { max: 500 }),
  }),
  async write(trx, rows, state, now) {
    const rejected: Rejection[] = []
    const codes = await trx
      .selectFrom('products')
      .select(['id', 'style_code'])
      .where(
        'style_code',
        'in',
        rows.map((r) => r.row.styleCode),
      )
      .execute()
    const codeOwner = new Map(codes.map((c) => [c.style_code, c.id]))
    const good = keepKnown(rows, rejected, (row, line) => {
      const owner = codeOwner.get(row.styleCode)
      if (owner && owner !== row.id) return `style_code ${row.styleCode} belongs to product ${owner}`
      const first = state.claim('style_code', row.styleCode, line, row.id)
      return first ? `style_code ${row.styleCode} is used at line ${first.line} too` : null
    })
    if (good.length === 0) return { inserted: 0, updated: 0, rejected }
    const before = await existing(
      trx,
      'products',
      good.map((r) => r.row.id),
    )
    // A row sets the optional columns it names and keeps what is known of the others:
    // rows are written in groups that name the same ones (one or two groups in practice).
    const groups = new Map<string, typeof good>()
    for (const r of good) {
      const named = KEPT_WHEN_EMPTY.filter((column) => r.row[column] !== null).join(',')
      groups.set(named, [...(groups.get(named) ?? []), r])
    }
    for (const [named, part] of groups) {
      const sets = new Set(named.split(','))
      await trx
        .insertInto('products')
        .values(
          part.map(({ row }) => ({
            id: row.id,
            style_code: row.styleCode,
            name: row.name,
            category: row.category,
            price_fen: row.priceFen,
            image_url: row.imageUrl,
            materials: JSON.stringify(row.materials ?? []),
            season: row.season,
            tags: JSON.stringify(row.tags ?? []),
            description: row.description ?? '',
            created_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            style_code: eb.ref('excluded.style_code'),
            name: eb.ref('excluded.name'),
            category: eb.ref('excluded.category'),
            price_fen: eb.ref('excluded.price_fen'),
            image_url: eb.ref('excluded.image_url'),
            ...(sets.has('materials') ? { materials: eb.ref('excluded.materials') } : {}),
            ...(sets.has('season') ? { season: eb.ref('excluded.season') } : {}),
            ...(sets.has('tags') ? { tags: eb.ref('excluded.tags') } : {}),
            ...(sets.has('description') ? { description: eb.ref('excluded.description') } : {}),
          })),
        )
        .execute()
    }
    // Names, prices, pictures, seasons and tags are what the suggestions' cached candidates read.
    await bumpCatalog(trx, ['*'])
    const updated = good.filter((r) => before.has(r.row.id)).length
    return { inserted: good.length - updated, updated, rejected }
  },
}
