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
}

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
    // Rows that name materials set them; rows that leave them empty keep what is known.
    for (const withMaterials of [true, false]) {
      const part = good.filter((r) => (r.row.materials !== null) === withMaterials)
      if (part.length === 0) continue
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
            ...(withMaterials ? { materials: eb.ref('excluded.materials') } : {}),
          })),
        )
        .execute()
    }
    // Names, prices and pictures are what the suggestions' cached candidates show.
    await bumpCatalog(trx, ['*'])
    const updated = good.filter((r) => before.has(r.row.id)).length
    return { inserted: good.length - updated, updated, rejected }
  },
}
