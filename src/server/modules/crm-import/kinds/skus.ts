/**
 * SKUs: a style's colour × size, keyed by (style_code, color, size) — the catalogue's own
 * grid, which bundles and stock point at by SKU id. The barcode is what the till scans and
 * can be relabelled; it is unique, so a barcode another SKU holds is rejected. The optional
 * colour value paints the colour's chip in the composer and catalogue: given on one size
 * of a colour it serves all of them, and left empty it keeps what is known.
 */
import { randomUUID } from 'node:crypto'
import type { Trx } from '../../../db'
import * as field from '../fields'
import type { Rejection } from '../importer'
import { bumpCatalog, keepKnown, productsByStyle, type KindSpec } from './shared'

export interface SkuRow {
  styleCode: string
  color: string
  colorHex: string | null
  size: string
  barcode: string
  priceFen: number | null
  active: boolean
}

/** A barcode: EAN/UPC digits or a retailer's own code (letters, digits, `-_.`). */
export function barcode(value: string, column: string, options: { required?: boolean } = {}): string | null {
  const v = value.trim()
  if (!v) {
    if (options.required) throw new field.FieldError(`${column} is empty`)
    return null
  }
  if (!/^[A-Za-z0-9_.-]{4,40}$/.test(v)) throw new field.FieldError(`${column} "${v}" is not a barcode`)
  return v
}

export const skuKey = (styleCode: string, color: string, size: string) => `${styleCode} ${color} ${size}`
const colorKey = (styleCode: string, color: string) => `${styleCode} ${color}`

export const skus: KindSpec<SkuRow> = {
  keyLabel: 'style_code + color + size',
  columns: [
    { name: 'style_code', aliases: ['款号', 'style'], required: true },
    { name: 'color', aliases: ['颜色', 'colour'], required: true },
    { name: 'color_hex', aliases: ['色值', 'colour_hex', 'hex'], required: false },
    { name: 'size', aliases: ['尺码'], required: true },
    { name: 'barcode', aliases: ['条码', '条形码'], required: true },
    { name: 'price', aliases: ['价格', '售价'], required: false },
    { name: 'active', aliases: ['在售', '启用'], required: false },
  ],
  key: (r) => skuKey(r.styleCode, r.color, r.size),
  parse: (get) => ({
    styleCode: field.key(get('style_code'), 'style_code', { required: true })!,
    color: field.required(get('color'), 'color', 20),
    colorHex: field.hexColor(get('color_hex'), 'color_hex'),
    size: field.required(get('size'), 'size', 10),
    barcode: barcode(get('barcode'), 'barcode', { required: true })!,
    priceFen: get('price').trim() ? field.money(get('price'), 'price') : null,
    active: get('active').trim() ? field.boolean(get('active'), 'active') : true,
  }),
  async write(trx, rows, state) {
    const rejected: Rejection[] = []
    const styles = await productsByStyle(
      trx,
      rows.map((r) => r.row.styleCode),
    )
    // Two lookups rather than one with `or`, so each uses its index.
    const existing = [
      ...(await skusWhere(
        trx,
        'p.style_code',
        rows.map((r) => r.row.styleCode),
      )),
      ...(await skusWhere(
        trx,
        'k.barcode',
        rows.map((r) => r.row.barcode),
      )),
    ]
    const byKey = new Map(existing.map((k) => [skuKey(k.style_code, k.color, k.size), k]))
    const byBarcode = new Map(existing.flatMap((k) => (k.barcode ? [[k.barcode, k] as const] : [])))
    const good = keepKnown(rows, rejected, (row, line) => {
      if (!styles.has(row.styleCode)) return `unknown style_code ${row.styleCode}`
      const holder = byBarcode.get(row.barcode)
      if (holder && skuKey(holder.style_code, holder.color, holder.size) !== skuKey(row.styleCode, row.color, row.size)) {
        return `barcode ${row.barcode} belongs to ${holder.style_code} ${holder.color} ${holder.size}`
      }
      const first = state.claim('barcode', row.barcode, line, skuKey(row.styleCode, row.color, row.size))
      return first ? `barcode ${row.barcode} is used at line ${first.line} too` : null
    })
    // A colour's value wherever it is given: this file first, then what is stored.
    const colorOf = new Map<string, string>()
    const noteColor = (styleCode: string, color: string, hex: string | null) => {
      const key = colorKey(styleCode, color)
      if (hex && !colorOf.has(key)) colorOf.set(key, hex)
    }
    for (const { row } of good) noteColor(row.styleCode, row.color, row.colorHex)
    for (const k of existing) noteColor(k.style_code, k.color, k.color_hex)
    const lastPosition = new Map<string, number>()
    for (const k of existing) lastPosition.set(k.style_code, Math.max(lastPosition.get(k.style_code) ?? 0, Number(k.position)))
    let inserted = 0
    let updated = 0
    const values = good.flatMap(({ row, line }) => {
      const known = byKey.get(skuKey(row.styleCode, row.color, row.size))
      const active = row.active ? 1 : 0
      const colorHex = row.colorHex ?? colorOf.get(colorKey(row.styleCode, row.color)) ?? null
      if (
        known &&
        known.barcode === row.barcode &&
        known.price_fen === row.priceFen &&
        Number(known.active) === active &&
        known.color_hex === colorHex
      ) {
        return []
      }
      if (known) updated++
      else inserted++
      return [
        {
          id: known?.id ?? randomUUID(),
          product_id: styles.get(row.styleCode)!,
          color: row.color,
          color_hex: colorHex,
          size: row.size,
          // New SKUs come after the style's known ones, in the order the file lists them.
          position: known ? line : (lastPosition.get(row.styleCode) ?? 0) + line,
          barcode: row.barcode,
          price_fen: row.priceFen,
          active,
        },
      ]
    })
    if (values.length > 0) {
      await trx
        .insertInto('product_skus')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['product_id', 'color', 'size']).doUpdateSet((eb) => ({
            barcode: eb.ref('excluded.barcode'),
            color_hex: eb.ref('excluded.color_hex'),
            price_fen: eb.ref('excluded.price_fen'),
            active: eb.ref('excluded.active'),
          })),
        )
        .execute()
      await bumpCatalog(trx, ['*'])
    }
    return { inserted, updated, rejected }
  },
}

async function skusWhere(trx: Trx, column: 'k.barcode' | 'p.style_code', values: string[]) {
  return trx
    .selectFrom('product_skus as k')
    .innerJoin('products as p', 'p.id', 'k.product_id')
    .select(['k.id', 'p.style_code', 'k.color', 'k.color_hex', 'k.size', 'k.position', 'k.barcode', 'k.price_fen', 'k.active'])
    .where(column, 'in', [...new Set(values)])
    .execute()
}
