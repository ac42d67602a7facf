/**
 * A 100k-line stock snapshot imported from CSV: budget ≤ 10 s on SQLite, PostgreSQL
 * reported; importing the same snapshot again must write nothing. Stores, styles and
 * their SKUs are imported first (not timed): 20 stores × 5,000 SKUs (500 styles × 2
 * colours × 5 sizes), one line in ten naming its SKU by style, colour and size rather
 * than by barcode. Alone: `node --import tsx tests/bench/import-stock.ts`
 * (BENCH_DATABASE_URL for PostgreSQL).
 */
import { importFile } from '../../src/server/modules/crm-import/importer'
import { withImportScratch } from './import-scratch'

export const STOCK_IMPORT_BUDGET_SECONDS = 10
const STORES = 20
const STYLES = 500
const COLOURS = ['黑色', '燕麦色']
const SIZES = ['XS', 'S', 'M', 'L', 'XL']

export interface StockImportBenchReport {
  db: string
  lines: number
  seconds: number
  linesPerSecond: number
  rerunSeconds: number
  /** Rows the unchanged re-import inserted, updated or removed: must be 0. */
  rerunWrites: number
  ok: boolean
}

export async function measureStockImport(databaseUrl?: string): Promise<StockImportBenchReport> {
  return withImportScratch(databaseUrl, async ({ db, csv }) => {
    const stores = csv('stores.csv', ['store_id,name,city', ...Array.from({ length: STORES }, (_, i) => `S${i},门店${i},上海`)])
    const products = csv('products.csv', [
      'product_id,style_code,name,category,price',
      ...Array.from({ length: STYLES }, (_, i) => `P${i},QL${i},商品${i},top,${199 + i}.00`),
    ])
    const variants: { style: string; colour: string; size: string; barcode: string }[] = []
    for (let s = 0; s < STYLES; s++) {
      for (const colour of COLOURS) {
        for (const size of SIZES) {
          variants.push({ style: `QL${s}`, colour, size, barcode: `690${String(variants.length).padStart(10, '0')}` })
        }
      }
    }
    const skus = csv('skus.csv', ['款号,颜色,尺码,条码', ...variants.map((v) => `${v.style},${v.colour},${v.size},${v.barcode}`)])
    for (const [kind, file] of [
      ['stores', stores],
      ['products', products],
      ['skus', skus],
    ] as const) {
      const r = await importFile(db, kind, file)
      if (r.rejected.length) throw new Error(`${kind} setup rejected rows: ${JSON.stringify(r.rejected.slice(0, 3))}`)
    }
    const stockRows = ['store_id,barcode,style_code,color,size,quantity']
    for (let store = 0; store < STORES; store++) {
      variants.forEach((v, i) => {
        const quantity = (store * 7 + i * 13) % 9
        stockRows.push(
          i % 10 === 0 ? `S${store},,${v.style},${v.colour},${v.size},${quantity}` : `S${store},${v.barcode},,,,${quantity}`,
        )
      })
    }
    const lines = stockRows.length - 1
    const stock = csv('stock.csv', stockRows)
    const first = await importFile(db, 'stock', stock)
    if (first.rejected.length || first.inserted + first.updated === 0)
      throw new Error(`stock import incomplete: ${JSON.stringify(first).slice(0, 300)}`)
    const again = await importFile(db, 'stock', stock)
    const rerunWrites = again.inserted + again.updated + again.removed
    return {
      db: db.kind,
      lines,
      seconds: first.seconds,
      linesPerSecond: lines / first.seconds,
      rerunSeconds: again.seconds,
      rerunWrites,
      ok:
        rerunWrites === 0 &&
        again.rejected.length === 0 &&
        (db.kind !== 'sqlite' || first.seconds <= STOCK_IMPORT_BUDGET_SECONDS),
    }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await measureStockImport(process.env.BENCH_DATABASE_URL || undefined)
  console.log(report)
  process.exit(report.ok ? 0 : 1)
}
