/**
 * 100k order lines imported from CSV: budget ≤ 10 s on SQLite; PostgreSQL reported.
 * Members, stores and products are imported first (not timed) so every line is valid.
 */
import { importFile } from '../../src/server/modules/crm-import/importer'
import { withImportScratch } from './import-scratch'

export const IMPORT_BUDGET_SECONDS = 10
const LINES = Number(process.env.BENCH_IMPORT_LINES ?? 100_000)

export interface ImportBenchReport {
  db: string
  lines: number
  seconds: number
  linesPerSecond: number
  rerunSeconds: number
  ok: boolean
}

export async function measureImport(databaseUrl?: string): Promise<ImportBenchReport> {
  return withImportScratch(databaseUrl, async ({ db, csv }) => {
    const stores = csv('stores.csv', ['store_id,name,city', 'S1,静安店,上海', 'S2,湖滨店,杭州'])
    const members = csv('members.csv', [
      'member_id,name,phone,level,points,store_id,size_top',
      ...Array.from(
        { length: 10_000 },
        (_, i) => `M${i},会员${i},1380000${String(i).padStart(4, '0')},gold,${i},S${(i % 2) + 1},M`,
      ),
    ])
    const products = csv('products.csv', [
      'product_id,style_code,name,category,price',
      ...Array.from({ length: 200 }, (_, i) => `P${i},QL${i},商品${i},top,${199 + i}.00`),
    ])
    const orderRows = ['order_id,line_no,member_id,store_id,purchased_at,product_id,name,color,size,quantity,price,returned']
    for (let i = 0; i < LINES; i++) {
      const order = Math.floor(i / 3)
      const day = 1 + (order % 28)
      orderRows.push(
        `O${order},${(i % 3) + 1},M${order % 10_000},S${(order % 2) + 1},2026-03-${String(day).padStart(2, '0')} 10:${String(order % 60).padStart(2, '0')},P${i % 200},商品${i % 200},燕麦色,M,1,${199 + (i % 200)}.00,${i % 37 === 0 ? '是' : ''}`,
      )
    }
    const orders = csv('orders.csv', orderRows)
    for (const [kind, file] of [
      ['stores', stores],
      ['members', members],
      ['products', products],
    ] as const) {
      const r = await importFile(db, kind, file)
      if (r.rejected.length) throw new Error(`${kind} setup rejected rows: ${JSON.stringify(r.rejected.slice(0, 3))}`)
    }
    const first = await importFile(db, 'orders', orders)
    if (first.rejected.length || first.inserted !== LINES)
      throw new Error(`order import incomplete: ${JSON.stringify(first).slice(0, 300)}`)
    const again = await importFile(db, 'orders', orders)
    return {
      db: db.kind,
      lines: LINES,
      seconds: first.seconds,
      linesPerSecond: LINES / first.seconds,
      rerunSeconds: again.seconds,
      ok: db.kind !== 'sqlite' || first.seconds <= IMPORT_BUDGET_SECONDS,
    }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await measureImport(process.env.BENCH_DATABASE_URL || undefined)
  console.log(report)
  process.exit(report.ok ? 0 : 1)
}
