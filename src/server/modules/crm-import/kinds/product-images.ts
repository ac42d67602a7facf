/**
 * Product pictures: a style's pictures in order (and the colour a picture shows), keyed by
 * (style_code, position). Each picture is fetched once, from the address the file gives,
 * before its batch's transaction (a slow picture host must not hold the database): only
 * http(s) and public addresses (bundles/image-fetch.ts), a JPEG or PNG by its bytes, kept
 * in `media_assets` (stored once by content, read by every instance, served from
 * `/media/assets/:id`). An address fetched before is not fetched again.
 */
import type { Kysely } from 'kysely'
import type { Db } from '../../../db'
import type { Database, ProductImageKind } from '../../../db/schema'
import { fetchImage, ImageFetchRefused, type ImageFetchOptions } from '../../bundles/image-fetch'
import { assetUrl } from '../../media/media.mapper'
import { ImageError } from '../../media/image-info'
import { MediaRepository } from '../../media/media.repository'
import * as field from '../fields'
import type { ParsedRow, Rejection } from '../importer'
import { bumpCatalog, keepKnown, productsByStyle, type KindSpec } from './shared'

export interface ProductImageRow {
  styleCode: string
  position: number
  url: string
  color: string | null
  kind: ProductImageKind
  /** Set by `prepare`: the stored picture. */
  assetId?: string
}

const KIND_ALIASES: Record<string, ProductImageKind> = {
  main: 'main',
  detail: 'detail',
  on_model: 'on_model',
  'on-model': 'on_model',
  主图: 'main',
  细节: 'detail',
  细节图: 'detail',
  详情图: 'detail',
  模特: 'on_model',
  模特图: 'on_model',
  上身图: 'on_model',
}

/** main / detail / on_model (or 主图 / 细节图 / 模特图); empty: main. */
function pictureKind(value: string, column: string): ProductImageKind {
  const v = value.trim()
  if (!v) return 'main'
  const kind = KIND_ALIASES[v.toLowerCase()] ?? KIND_ALIASES[v]
  if (!kind) throw new field.FieldError(`${column} "${v}" is not one of main, detail, on_model (or 主图/细节图/模特图)`)
  return kind
}

/** An address we can fetch: http(s), absolute, of a sensible length. */
function pictureUrl(value: string, column: string): string {
  const v = field.url(value, column)
  if (!v) throw new field.FieldError(`${column} is empty`)
  if (v.startsWith('/')) throw new field.FieldError(`${column} "${v}" is a path: give the picture's full http(s) address`)
  if (v.length > 2000) throw new field.FieldError(`${column} is longer than 2000 characters`)
  return v
}

/** Pictures fetched at once, so a file of thousands neither crawls nor floods the picture host. */
const FETCHES_AT_ONCE = 6

type Fetched = { assetId: string } | { problem: string }

export const productImages: KindSpec<ProductImageRow> = {
  keyLabel: 'style_code + position',
  columns: [
    { name: 'style_code', aliases: ['款号', 'style'], required: true },
    { name: 'url', aliases: ['图片', '图片地址', '图片链接'], required: true },
    { name: 'position', aliases: ['序号', '顺序', '排序'], required: true },
    { name: 'color', aliases: ['颜色', 'colour'], required: false },
    { name: 'kind', aliases: ['类型', '图片类型'], required: false },
  ],
  key: (r) => `${r.styleCode} ${r.position}`,
  parse: (get) => ({
    styleCode: field.key(get('style_code'), 'style_code', { required: true })!,
    position: field.integer(get('position'), 'position', { min: 1, max: 999 }),
    url: pictureUrl(get('url'), 'url'),
    color: get('color').trim() ? field.required(get('color'), 'color', 20) : null,
    kind: pictureKind(get('kind'), 'kind'),
  }),

  async prepare(db, rows, { now, imageFetch }) {
    const rejected: Rejection[] = []
    // Unknown styles are turned away before their pictures cost a fetch.
    const styles = await productsByStyle(
      db.kysely,
      rows.map((r) => r.row.styleCode),
    )
    const known = keepKnown(rows, rejected, (row) => (styles.has(row.styleCode) ? null : `unknown style_code ${row.styleCode}`))
    const fetched = await fetchAll(
      db,
      known.map((r) => r.row.url),
      now,
      imageFetch,
    )
    const ready: ParsedRow<ProductImageRow>[] = []
    for (const r of known) {
      const outcome = fetched.get(r.row.url)!
      if ('problem' in outcome) rejected.push({ line: r.line, reason: `the picture at ${r.row.url} ${outcome.problem}` })
      else ready.push({ line: r.line, row: { ...r.row, assetId: outcome.assetId } })
    }
    return { rows: ready, rejected }
  },

  async write(trx, rows) {
    const rejected: Rejection[] = []
    const styles = await productsByStyle(
      trx,
      rows.map((r) => r.row.styleCode),
    )
    const good = keepKnown(rows, rejected, (row) => {
      if (!styles.has(row.styleCode)) return `unknown style_code ${row.styleCode}`
      return row.assetId ? null : 'the picture was not fetched'
    })
    if (good.length === 0) return { inserted: 0, updated: 0, rejected }
    const productIds = [...new Set(good.map((r) => styles.get(r.row.styleCode)!))]
    const before = await trx
      .selectFrom('product_images')
      .select(['product_id', 'position', 'url', 'color', 'kind'])
      .where('product_id', 'in', productIds)
      .execute()
    const existingAt = new Map(before.map((b) => [`${b.product_id} ${b.position}`, b]))
    let inserted = 0
    const changed = good.flatMap(({ row }) => {
      const productId = styles.get(row.styleCode)!
      const url = assetUrl(row.assetId!)
      const known = existingAt.get(`${productId} ${row.position}`)
      if (known && known.url === url && known.color === row.color && known.kind === row.kind) return []
      if (!known) inserted++
      return [
        {
          product_id: productId,
          position: row.position,
          url,
          color: row.color,
          kind: row.kind,
          source_url: row.url,
          asset_id: row.assetId!,
        },
      ]
    })
    if (changed.length === 0) return { inserted: 0, updated: 0, rejected }
    await trx
      .insertInto('product_images')
      .values(changed)
      .onConflict((oc) =>
        oc.columns(['product_id', 'position']).doUpdateSet((eb) => ({
          url: eb.ref('excluded.url'),
          color: eb.ref('excluded.color'),
          kind: eb.ref('excluded.kind'),
          source_url: eb.ref('excluded.source_url'),
          asset_id: eb.ref('excluded.asset_id'),
        })),
      )
      .execute()
    await setStylePictures(trx, [...new Set(changed.map((c) => c.product_id))])
    await bumpCatalog(trx, ['*'])
    return { inserted, updated: changed.length - inserted, rejected }
  },
}

/**
 * A style's picture in lists and cards becomes its first main picture that shows no one
 * colour (else its first main picture, else its first picture).
 */
async function setStylePictures(trx: Kysely<Database>, productIds: string[]): Promise<void> {
  const pictures = await trx
    .selectFrom('product_images')
    .select(['product_id', 'url', 'color', 'kind', 'position'])
    .where('product_id', 'in', productIds)
    .orderBy('product_id')
    .orderBy('position')
    .execute()
  const rank = (p: { kind: string; color: string | null }) => (p.kind === 'main' ? (p.color === null ? 0 : 1) : 2)
  const best = new Map<string, { url: string; rank: number }>()
  for (const p of pictures) {
    const current = best.get(p.product_id)
    if (!current || rank(p) < current.rank) best.set(p.product_id, { url: p.url, rank: rank(p) })
  }
  for (const [productId, { url }] of best) {
    await trx.updateTable('products').set({ image_url: url }).where('id', '=', productId).execute()
  }
}

/** Each address once: the picture stored the last time it was fetched, or fetched now. */
async function fetchAll(db: Db, urls: string[], now: number, options: ImageFetchOptions): Promise<Map<string, Fetched>> {
  const distinct = [...new Set(urls)]
  const outcomes = new Map<string, Fetched>()
  if (distinct.length === 0) return outcomes
  const stored = await db.kysely
    .selectFrom('product_images as pi')
    .innerJoin('media_assets as m', 'm.id', 'pi.asset_id')
    .select(['pi.source_url', 'm.id'])
    .where('pi.source_url', 'in', distinct)
    .execute()
  for (const s of stored) outcomes.set(s.source_url!, { assetId: s.id })
  const queue = distinct.filter((url) => !outcomes.has(url))
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) outcomes.set(url, await fetchOne(db, url, now, options))
  }
  await Promise.all(Array.from({ length: Math.min(FETCHES_AT_ONCE, queue.length) }, worker))
  return outcomes
}

async function fetchOne(db: Db, url: string, now: number, options: ImageFetchOptions): Promise<Fetched> {
  let bytes: Buffer
  try {
    const response = await fetchImage(url, options)
    if (response.status !== 200) return { problem: `could not be fetched: the server answered ${response.status}` }
    bytes = response.data
  } catch (error) {
    if (error instanceof ImageFetchRefused) return { problem: `is not fetched: ${error.message}` }
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'it took too long' : describe(error)
    return { problem: `could not be fetched (${reason}); importing the file again tries once more` }
  }
  try {
    return { assetId: (await new MediaRepository(db).keep(bytes, fileName(url), 'import', now)).id }
  } catch (error) {
    if (error instanceof ImageError) return { problem: `is not a JPEG or PNG picture: ${error.message}` }
    throw error
  }
}

function fileName(url: string): string {
  const last = new URL(url).pathname.split('/').pop() || 'picture'
  try {
    return decodeURIComponent(last).slice(0, 120)
  } catch {
    return last.slice(0, 120)
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]!.slice(0, 160) : String(error)
}
