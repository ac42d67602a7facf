/**
 * Stock: how many of a SKU a store holds. The SKU is named by its barcode, or by
 * style_code + color + size. A file with a `quantity` column is a snapshot: for each store
 * it names, it is the whole of that store's stock, so the store's SKUs it leaves out are
 * removed (the catalogue reads a SKU without a row as none in stock). A file with a
 * `delta` column instead lists changes, added to what the store holds; a result below 0
 * is kept at 0 (a store cannot hold less than nothing, and the sales the feed knows of
 * say it is gone; the next snapshot sets the true figure). Only what changes is written,
 * so importing an unchanged snapshot again writes nothing.
 */
import type { Trx } from '../../../db'
import { lockKey, writeTransaction } from '../../../db/dialect'
import * as field from '../fields'
import type { Rejection } from '../importer'
import { barcode, skuKey } from './skus'
import { bumpCatalog, existing, type KindSpec } from './shared'

const MAX_QUANTITY = 1_000_000
const SNAPSHOT_STORES = 'snapshot-stores'
const DELETE_CHUNK = 500

export interface StockRow {
  storeId: string
  barcode: string | null
  /** style_code + color + size when the row names the SKU by them instead of a barcode. */
  variant: { styleCode: string; color: string; size: string } | null
  /** A snapshot's quantity, or a delta file's change. */
  amount: number
  delta: boolean
  /** Why the amount cannot be read: the row is rejected, but a snapshot keeps its SKU's stock. */
  problem: string | null
}

export const stock: KindSpec<StockRow> = {
  keyLabel: 'store and SKU',
  columns: [
    { name: 'store_id', aliases: ['门店', '门店编号'], required: true },
    { name: 'barcode', aliases: ['条码', '条形码'], required: false },
    { name: 'style_code', aliases: ['款号', 'style'], required: false },
    { name: 'color', aliases: ['颜色', 'colour'], required: false },
    { name: 'size', aliases: ['尺码'], required: false },
    { name: 'quantity', aliases: ['数量', '库存', '库存数量'], required: false },
    { name: 'delta', aliases: ['变动数量', '增减', '增量'], required: false },
  ],
  checkHeader(has) {
    if (has('quantity') && has('delta')) {
      return 'has both quantity (a snapshot) and delta (a file of changes): a file is one or the other'
    }
    if (!has('quantity') && !has('delta')) return 'lacks quantity (a snapshot) or delta (a file of changes)'
    if (!has('barcode') && !(has('style_code') && has('color') && has('size'))) {
      return 'lacks barcode, or style_code, color and size, to name the SKU'
    }
    return null
  },
  key: (r) => `${r.storeId} ${r.barcode ?? skuKey(r.variant!.styleCode, r.variant!.color, r.variant!.size)}`,
  parse(get, has) {
    const code = barcode(get('barcode'), 'barcode')
    const styleCode = field.key(get('style_code'), 'style_code')
    const color = field.text(get('color'), 'color', { max: 20 })
    const size = field.text(get('size'), 'size', { max: 10 })
    if (!code && !(styleCode && color && size)) throw new field.FieldError('give a barcode, or style_code, color and size')
    const delta = has('delta')
    let amount = 0
    let problem: string | null = null
    try {
      amount = delta
        ? field.integer(get('delta'), 'delta', { min: -MAX_QUANTITY, max: MAX_QUANTITY })
        : field.integer(get('quantity'), 'quantity', { min: 0, max: MAX_QUANTITY })
    } catch (error) {
      if (!(error instanceof field.FieldError)) throw error
      problem = error.message
    }
    return {
      storeId: field.key(get('store_id'), 'store_id', { required: true })!,
      barcode: code,
      variant: styleCode && color && size ? { styleCode, color, size } : null,
      amount,
      delta,
      problem,
    }
  },
  async write(trx, rows, state, now, dbKind) {
    const rejected: Rejection[] = []
    const stores = await existing(
      trx,
      'stores',
      rows.map((r) => r.row.storeId),
    )
    const codes = rows.flatMap((r) => (r.row.barcode ? [r.row.barcode] : []))
    const styleCodes = rows.flatMap((r) => (!r.row.barcode && r.row.variant ? [r.row.variant.styleCode] : []))
    // Two lookups rather than one with `or`, so each uses its index.
    const skuRows = [...(await skusWhere(trx, 'k.barcode', codes)), ...(await skusWhere(trx, 'p.style_code', styleCodes))]
    const byBarcode = new Map(skuRows.flatMap((k) => (k.barcode ? [[k.barcode, k] as const] : [])))
    const byVariant = new Map(skuRows.map((k) => [skuKey(k.style_code, k.color, k.size), k]))

    const good: { line: number; storeId: string; skuId: string; amount: number; delta: boolean }[] = []
    for (const { line, row } of rows) {
      const reject = (reason: string) => rejected.push({ line, reason })
      if (!stores.has(row.storeId)) {
        reject(`unknown store ${row.storeId}`)
        continue
      }
      const v = row.variant
      const sku = row.barcode ? byBarcode.get(row.barcode) : byVariant.get(skuKey(v!.styleCode, v!.color, v!.size))
      if (!sku) {
        reject(row.barcode ? `unknown barcode ${row.barcode}` : `unknown SKU ${v!.styleCode} ${v!.color} ${v!.size}`)
        continue
      }
      if (row.barcode && v && skuKey(sku.style_code, sku.color, sku.size) !== skuKey(v.styleCode, v.color, v.size)) {
        reject(`barcode ${row.barcode} is ${sku.style_code} ${sku.color} ${sku.size}, not ${v.styleCode} ${v.color} ${v.size}`)
        continue
      }
      // A snapshot replaces a store's stock once one of its rows names a known SKU (a file
      // whose SKUs are all unknown, say imported before its skus, wipes nothing), and keeps
      // the stock of a SKU it names, even on a row it rejects.
      if (!row.delta) {
        state.mark(SNAPSHOT_STORES, row.storeId)
        state.mark(`stock:${row.storeId}`, sku.id)
      }
      if (row.problem) {
        reject(row.problem)
        continue
      }
      const first = state.claim('stock', `${row.storeId} ${sku.id}`, line, String(line))
      if (first) {
        reject(`names the same SKU of store ${row.storeId} as line ${first.line}`)
        continue
      }
      good.push({ line, storeId: row.storeId, skuId: sku.id, amount: row.amount, delta: row.delta })
    }
    if (good.length === 0) return { inserted: 0, updated: 0, rejected }

    // A delta is read, added and written back: two writers to one store (the live API on
    // several instances, an import beside it) would lose one's change. One at a time a
    // store, taken in order so two batches never wait on each other.
    for (const storeId of [...new Set(good.map((g) => g.storeId))].sort()) await lockKey(dbKind, trx, `stock:${storeId}`)
    const held = await trx
      .selectFrom('store_stock')
      .select(['store_id', 'sku_id', 'quantity'])
      .where('store_id', 'in', [...new Set(good.map((g) => g.storeId))])
      .where('sku_id', 'in', [...new Set(good.map((g) => g.skuId))])
      .execute()
    const before = new Map(held.map((h) => [`${h.store_id} ${h.sku_id}`, Number(h.quantity)]))
    let inserted = 0
    let updated = 0
    const values: { store_id: string; sku_id: string; quantity: number; updated_at: number }[] = []
    for (const g of good) {
      const was = before.get(`${g.storeId} ${g.skuId}`)
      const quantity = g.delta ? Math.max(0, (was ?? 0) + g.amount) : g.amount
      // No row reads as none in stock: a 0 for a SKU the store never had is no change.
      if (quantity === (was ?? 0) && (was !== undefined || quantity === 0)) continue
      if (was === undefined) inserted++
      else updated++
      values.push({ store_id: g.storeId, sku_id: g.skuId, quantity, updated_at: now })
    }
    if (values.length > 0) {
      await trx
        .insertInto('store_stock')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['store_id', 'sku_id']).doUpdateSet((eb) => ({
            quantity: eb.ref('excluded.quantity'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute()
      await bumpCatalog(
        trx,
        values.map((v) => `stock:${v.store_id}`),
      )
    }
    return { inserted, updated, rejected }
  },
  async finish(db, state) {
    const marks = state.marks()
    let removed = 0
    for (const storeId of [...(marks.get(SNAPSHOT_STORES) ?? [])].sort()) {
      const named = marks.get(`stock:${storeId}`) ?? new Set<string>()
      const held = await db.kysely.selectFrom('store_stock').select('sku_id').where('store_id', '=', storeId).execute()
      const gone = held.map((h) => h.sku_id).filter((id) => !named.has(id))
      if (gone.length === 0) continue
      await writeTransaction(db, async (trx) => {
        for (let i = 0; i < gone.length; i += DELETE_CHUNK) {
          await trx
            .deleteFrom('store_stock')
            .where('store_id', '=', storeId)
            .where('sku_id', 'in', gone.slice(i, i + DELETE_CHUNK))
            .execute()
        }
        await bumpCatalog(trx, [`stock:${storeId}`])
      })
      removed += gone.length
    }
    return { removed }
  },
}

/** SKUs with their style code, by barcode or by style code. */
async function skusWhere(trx: Trx, column: 'k.barcode' | 'p.style_code', values: string[]) {
  if (values.length === 0) return []
  return trx
    .selectFrom('product_skus as k')
    .innerJoin('products as p', 'p.id', 'k.product_id')
    .select(['k.id', 'k.barcode', 'p.style_code', 'k.color', 'k.size'])
    .where(column, 'in', [...new Set(values)])
    .execute()
}
