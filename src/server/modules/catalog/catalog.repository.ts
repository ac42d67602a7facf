/**
 * Reading the catalogue for one store: styles filtered and paged in SQL, then their SKUs
 * and that store's stock in one more query for the page only.
 */
import { sql } from 'kysely'
import type {
  CatalogFacets,
  CatalogPage,
  CatalogQuery,
  ProductCategory,
  ProductDetail,
  ProductSummary,
  Sku,
} from '../../../shared/catalog'
import { PRODUCT_CATEGORIES } from '../../../shared/catalog'
import type { Db } from '../../db'
import { containsIgnoreCase, parseJsonArray } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { compareSizes, inShopperOrder } from './size-order'

export function categoryOf(value: string): ProductCategory {
  return (PRODUCT_CATEGORIES as readonly string[]).includes(value) ? (value as ProductCategory) : 'accessory'
}

export interface SkuWithStock {
  id: string
  productId: string
  color: string
  colorHex: string | null
  size: string
  position: number
  stock: number
  /** The SKU's own price when it has one, else its style's. */
  priceFen: number
}

export interface StyleForRanking {
  id: string
  name: string
  category: ProductCategory
  tags: string[]
  season: string | null
  materials: string[]
  priceFen: number
  imageUrl: string | null
}

interface ProductRow {
  id: string
  style_code: string
  name: string
  category: string
  price_fen: number
  image_url: string | null
  season: string | null
  tags: string
}

function encodeOffset(offset: number): string {
  return Buffer.from(`o${offset}`).toString('base64url')
}

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const match = /^o(\d{1,7})$/.exec(text)
  if (!match) throw ApiError.badRequest('cursor is not one this API returned')
  return Number(match[1])
}

/** The key of colorImages' map: a style in one colour (null: the pictures every colour shares). */
export const colorImageKey = (productId: string, color: string | null) => `${productId}\u0000${color ?? ''}`

export class CatalogRepository {
  constructor(private readonly database: Db) {}

  private get db() {
    return this.database.kysely
  }

  /**
   * SKUs of these styles (every style's with `'all'`, read in one pass rather than
   * through a list of thousands of ids) with the store's stock, 0 where it has none.
   */
  async skus(productIds: readonly string[] | 'all', storeId: string | null): Promise<SkuWithStock[]> {
    if (productIds !== 'all' && productIds.length === 0) return []
    const rows = await this.db
      .selectFrom('product_skus as k')
      .innerJoin('products as p', 'p.id', 'k.product_id')
      .leftJoin('store_stock as s', (join) => join.onRef('s.sku_id', '=', 'k.id').on('s.store_id', '=', storeId ?? ''))
      .select([
        'k.id',
        'k.product_id',
        'k.color',
        'k.color_hex',
        'k.size',
        'k.position',
        's.quantity',
        'k.price_fen',
        'p.price_fen as style_price_fen',
      ])
      // A SKU no longer sold stays for history but leaves the catalogue.
      .where('k.active', '=', 1)
      .$if(productIds !== 'all', (qb) => qb.where('k.product_id', 'in', [...productIds]))
      .orderBy('k.product_id')
      .orderBy('k.position')
      .execute()
    return inShopperOrder(
      rows.map((r) => ({
        id: r.id,
        productId: r.product_id,
        color: r.color,
        colorHex: r.color_hex,
        size: r.size,
        position: r.position,
        stock: Number(r.quantity ?? 0),
        priceFen: r.price_fen ?? r.style_price_fen,
      })),
    )
  }

  /**
   * The catalogue's and this store's stock change counters (`catalog_changes`, moved by
   * imports): read before the data it dates, equal later means neither was written since.
   */
  async changeVersion(storeId: string | null): Promise<string> {
    const scopes = storeId ? ['*', `stock:${storeId}`] : ['*']
    const rows = await this.db.selectFrom('catalog_changes').select(['scope', 'version']).where('scope', 'in', scopes).execute()
    const of = new Map(rows.map((r) => [r.scope, String(r.version)]))
    return scopes.map((s) => of.get(s) ?? '0').join(':')
  }

  async search(storeId: string | null, query: CatalogQuery): Promise<CatalogPage> {
    const limit = query.limit ?? 20
    const offset = decodeOffset(query.cursor)
    const term = query.q?.trim() ?? ''
    const store = storeId ?? ''
    let base = this.db
      .selectFrom('products as p')
      // Only styles with SKUs are the catalogue; bare CRM product rows are order history.
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('product_skus as k0').select('k0.id').whereRef('k0.product_id', '=', 'p.id').where('k0.active', '=', 1),
        ),
      )
    if (term) {
      base = base.where((eb) =>
        eb.or([containsIgnoreCase(eb.ref('p.name'), term), containsIgnoreCase(eb.ref('p.style_code'), term)]),
      )
    }
    if (query.category) base = base.where('p.category', '=', query.category)
    if (query.minPriceFen !== undefined) base = base.where('p.price_fen', '>=', query.minPriceFen)
    if (query.maxPriceFen !== undefined) base = base.where('p.price_fen', '<=', query.maxPriceFen)
    if (query.tag) base = base.where('p.tags', 'like', `%${JSON.stringify(query.tag).replace(/[%_]/g, '')}%`)
    if (query.size || query.inStock) {
      const size = query.size
      // Nested rather than joined: the planner must walk a style's few SKUs and look each
      // up in the store's stock, never scan the store's stock once per style.
      base = base.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('product_skus as k1')
            .select('k1.id')
            .whereRef('k1.product_id', '=', 'p.id')
            .where('k1.active', '=', 1)
            .$if(size !== undefined, (qb) => qb.where('k1.size', '=', size!))
            .where(({ exists: inner, selectFrom: from }) =>
              inner(
                from('store_stock as s1')
                  .select('s1.sku_id')
                  .whereRef('s1.sku_id', '=', 'k1.id')
                  .where('s1.store_id', '=', store)
                  .where('s1.quantity', '>', 0),
              ),
            ),
        ),
      )
    }

    const countRow = await base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst()
    const total = Number(countRow?.n ?? 0)

    let page = base.select(['p.id', 'p.style_code', 'p.name', 'p.category', 'p.price_fen', 'p.image_url', 'p.season', 'p.tags'])
    const sort = query.sort ?? 'relevance'
    if (sort === 'price_asc') page = page.orderBy('p.price_fen', 'asc')
    else if (sort === 'price_desc') page = page.orderBy('p.price_fen', 'desc')
    else {
      if (sort === 'relevance' && term) {
        // A name or code that starts with what she typed beats one that merely contains it.
        const prefix = `${term.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`
        page = page.orderBy(
          sql`case when lower(p.style_code) = ${term.toLowerCase()} then 0 when lower(p.name) like ${prefix} escape '!' then 1 else 2 end`,
        )
      }
      if (sort === 'relevance' && store) {
        // What the store can hand over today first.
        page = page.orderBy(
          sql`case when exists (select 1 from product_skus k2 where k2.product_id = p.id and exists (select 1 from store_stock s2 where s2.sku_id = k2.id and s2.store_id = ${store} and s2.quantity > 0)) then 0 else 1 end`,
        )
      }
      page = page.orderBy(sql`coalesce(p.season, '')`, 'desc').orderBy('p.created_at', 'desc')
    }
    const rows = (await page.orderBy('p.id').limit(limit).offset(offset).execute()) as ProductRow[]
    const items = await this.summaries(rows, storeId)
    return {
      items,
      total,
      nextCursor: offset + rows.length < total && rows.length === limit ? encodeOffset(offset + limit) : null,
    }
  }

  async summaries(rows: ProductRow[], storeId: string | null): Promise<ProductSummary[]> {
    const skus = await this.skus(
      rows.map((r) => r.id),
      storeId,
    )
    const byProduct = new Map<string, SkuWithStock[]>()
    for (const sku of skus) byProduct.set(sku.productId, [...(byProduct.get(sku.productId) ?? []), sku])
    return rows.map((row) => toSummary(row, byProduct.get(row.id) ?? []))
  }

  async productRows(ids: readonly string[]): Promise<ProductRow[]> {
    if (ids.length === 0) return []
    return (await this.db
      .selectFrom('products')
      .select(['id', 'style_code', 'name', 'category', 'price_fen', 'image_url', 'season', 'tags'])
      .where('id', 'in', [...ids])
      .execute()) as ProductRow[]
  }

  async detail(productId: string, storeId: string | null): Promise<ProductDetail | null> {
    const row = await this.db
      .selectFrom('products')
      .select(['id', 'style_code', 'name', 'category', 'price_fen', 'image_url', 'season', 'tags', 'description', 'materials'])
      .where('id', '=', productId)
      .executeTakeFirst()
    if (!row) return null
    const [skus, images] = await Promise.all([
      this.skus([productId], storeId),
      this.db
        .selectFrom('product_images')
        .select(['url', 'color', 'kind'])
        .where('product_id', '=', productId)
        .orderBy('position')
        .execute(),
    ])
    if (skus.length === 0) return null
    return {
      ...toSummary(row as ProductRow, skus),
      description: row.description,
      materials: parseJsonArray<string>(row.materials),
      images: images.length ? images : row.image_url ? [{ url: row.image_url, color: null, kind: 'main' as const }] : [],
      skus: skus.map(toSku),
    }
  }

  /** The picture of a style in one colour (keyed by colorImageKey): its colour's first main image (else first image), else the style's. */
  async colorImages(productIds: readonly string[]): Promise<Map<string, string>> {
    if (productIds.length === 0) return new Map()
    const rows = await this.db
      .selectFrom('product_images')
      .select(['product_id', 'color', 'url', 'position'])
      .where('product_id', 'in', [...productIds])
      .orderBy('product_id')
      .orderBy((eb) => eb.case().when('kind', '=', 'main').then(0).else(1).end())
      .orderBy('position')
      .execute()
    const images = new Map<string, string>()
    for (const row of rows) {
      const key = colorImageKey(row.product_id, row.color)
      if (!images.has(key)) images.set(key, row.url)
    }
    return images
  }

  /** The pictures of these styles in their order; a picture without a colour is every colour's. */
  async images(productIds: readonly string[]): Promise<{ productId: string; url: string; color: string | null }[]> {
    const rows = await this.db
      .selectFrom('product_images')
      .select(['product_id', 'url', 'color'])
      .where('product_id', 'in', productIds.length ? [...productIds] : [''])
      .orderBy('position')
      .execute()
    return rows.map((r) => ({ productId: r.product_id, url: r.url, color: r.color }))
  }

  /** Every style (a product with SKUs) with what ranking reads about it, without its SKUs. */
  async styles(): Promise<StyleForRanking[]> {
    const rows = await this.db
      .selectFrom('products as p')
      .select(['p.id', 'p.name', 'p.category', 'p.tags', 'p.season', 'p.price_fen', 'p.image_url', 'p.materials'])
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('product_skus as k').select('k.id').whereRef('k.product_id', '=', 'p.id').where('k.active', '=', 1)),
      )
      .execute()
    return rows.map((p) => ({
      id: p.id,
      name: p.name,
      category: categoryOf(p.category),
      tags: parseJsonArray<string>(p.tags),
      season: p.season,
      materials: parseJsonArray<string>(p.materials),
      priceFen: p.price_fen,
      imageUrl: p.image_url,
    }))
  }

  /** What fitting a piece to a customer reads about these styles, besides their SKUs. */
  async fitFacts(productIds: readonly string[]): Promise<{ id: string; category: ProductCategory; materials: string[] }[]> {
    const rows = await this.db
      .selectFrom('products')
      .select(['id', 'category', 'materials'])
      .where('id', 'in', [...productIds])
      .execute()
    return rows.map((r) => ({ id: r.id, category: categoryOf(r.category), materials: parseJsonArray<string>(r.materials) }))
  }

  async facets(storeId: string | null): Promise<CatalogFacets> {
    const products = await this.db
      .selectFrom('products as p')
      .select(['p.tags', 'p.price_fen'])
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('product_skus as k').select('k.id').whereRef('k.product_id', '=', 'p.id').where('k.active', '=', 1)),
      )
      .execute()
    const sizes = await this.db
      .selectFrom('product_skus as k')
      .innerJoin('products as p', 'p.id', 'k.product_id')
      .select(['p.category', 'k.size'])
      .where('k.active', '=', 1)
      .distinct()
      .execute()
    const tagCounts = new Map<string, number>()
    for (const p of products) for (const tag of parseJsonArray<string>(p.tags)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1)
    const prices = products.map((p) => p.price_fen)
    return {
      tags: [...tagCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag]) => tag),
      sizes: PRODUCT_CATEGORIES.map((category) => ({
        category,
        sizes: sizes
          .filter((s) => s.category === category)
          .map((s) => s.size)
          .sort(compareSizes),
      })).filter((c) => c.sizes.length > 0),
      priceFen: { min: prices.length ? Math.min(...prices) : 0, max: prices.length ? Math.max(...prices) : 0 },
      storeId,
    }
  }
}

export function toSku(sku: SkuWithStock): Sku {
  return { id: sku.id, color: sku.color, colorHex: sku.colorHex, size: sku.size, stock: sku.stock, priceFen: sku.priceFen }
}

function toSummary(row: ProductRow, skus: SkuWithStock[]): ProductSummary {
  const colors: ProductSummary['colors'] = []
  for (const sku of skus) if (!colors.some((c) => c.name === sku.color)) colors.push({ name: sku.color, hex: sku.colorHex })
  return {
    id: row.id,
    styleCode: row.style_code,
    name: row.name,
    category: categoryOf(row.category),
    priceFen: row.price_fen,
    imageUrl: row.image_url,
    season: row.season,
    tags: parseJsonArray<string>(row.tags),
    colors,
    sizesInStock: [...new Set(skus.filter((s) => s.stock > 0).map((s) => s.size))].sort(compareSizes),
  }
}

export type { ProductRow }
