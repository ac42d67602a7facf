/**
 * Outfit bundles, measured:
 * - the customer's lookbook page: its JS (budget ≤ 50 KB gzip, the issue's) and HTML
 *   (budget ≤ 30 KB gzip) as the server sends them, and the collage it leads with;
 * - drawing a collage the first time (reported) and serving it after (from the database);
 * - the catalogue the guide searches while composing, grown to 5,000 styles: one page of
 *   results per keystroke or filter, budget p95 ≤ 50 ms on SQLite;
 * - at that size, the 搭配 tab's suggestions for her (every bundle fitted to her sizes),
 *   first open (the catalogue read) and repeat opens, and preparing a send (her sizes
 *   from fresh stock, and the check that nothing private goes out): reported.
 */
import { gzipSync } from 'node:zlib'
import type { Bundle, BundleList, BundleSend } from '../../src/shared/bundles'
import { createTestApp, signIn } from '../helpers/app'
import { percentile } from './percentile'

export const LOOKBOOK_JS_BUDGET_KB = 50
export const LOOKBOOK_HTML_BUDGET_KB = 30
export const CATALOG_SEARCH_BUDGET_MS = 50
const CATALOG_SIZE = 5000

const QUERIES = [
  'limit=20',
  'q=%E8%A1%AB&limit=20',
  'q=%E7%BE%8A%E6%AF%9B&limit=20',
  'category=top&size=M&limit=20',
  'category=bottom&size=27&inStock=true&limit=20',
  'minPriceFen=50000&maxPriceFen=100000&limit=20',
  'sort=price_asc&limit=20',
  'category=dress&tag=%E9%80%9A%E5%8B%A4&limit=20',
  'q=QL26&limit=20&cursor=bzIw',
]

export interface BundlesReport {
  lookbookJsKb: number
  lookbookHtmlKb: number
  collageKb: number
  collageDrawMs: { p50: number; max: number }
  collageServeMs: number
  catalog: { products: number; p50Ms: number; p95Ms: number }
  suggestions: { firstMs: number; p50Ms: number; p95Ms: number }
  sendPrepareMs: { p50: number; p95: number }
  ok: boolean
}

export async function measureBundles(): Promise<BundlesReport> {
  const t = await createTestApp('sqlite')
  try {
    const cookie = await signIn(t, 'lina')
    const call = (method: 'GET' | 'POST', url: string) => t.app.inject({ method, url, headers: { cookie } })
    const customer = t.demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!

    // Collages: every demo bundle drawn once, cold.
    const { bundles } = (await call('GET', '/api/bundles?scope=corp')).json() as BundleList
    const draws: number[] = []
    for (const bundle of bundles) {
      const started = performance.now()
      const response = await t.app.inject({ method: 'GET', url: bundle.collageUrl })
      if (response.statusCode !== 200) throw new Error(`collage ${bundle.collageUrl}: ${response.statusCode}`)
      draws.push(performance.now() - started)
    }
    const serves: number[] = []
    for (let i = 0; i < 50; i++) {
      const started = performance.now()
      await t.app.inject({ method: 'GET', url: bundles[i % bundles.length]!.collageUrl })
      serves.push(performance.now() - started)
    }

    // The page she opens, as sent.
    const bundle: Bundle = bundles[0]!
    const send = (
      await t.app.inject({
        method: 'POST',
        url: `/api/bundles/${bundle.id}/sends`,
        headers: { cookie },
        payload: { externalUserId: customer.externalUserId },
      })
    ).json() as BundleSend
    await call('POST', `/api/bundle-sends/${send.id}/confirm`)
    const page = await t.app.inject({ method: 'GET', url: new URL(send.link).pathname })
    const html = page.body
    const inlineJs = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!).join('\n')
    if (/<script\b[^>]*\bsrc=/i.test(html)) throw new Error('the lookbook loads external JS: measure it here')
    const collage = await t.app.inject({ method: 'GET', url: bundle.collageUrl })

    if (process.env.BENCH_VERBOSE) console.log('collages and page measured')
    // The catalogue grown to 5,000 styles: copies of the demo's with their SKUs and stock.
    const db = t.testDb.db.kysely
    const products = await db.selectFrom('products').selectAll().execute()
    const skus = await db.selectFrom('product_skus').selectAll().execute()
    const stock = await db.selectFrom('store_stock').selectAll().execute()
    const styles = products.filter((p) => skus.some((k) => k.product_id === p.id))
    let copy = 0
    while (styles.length * (copy + 1) < CATALOG_SIZE) {
      copy++
      const suffix = `x${copy}`
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < styles.length; i += 100) {
          await trx
            .insertInto('products')
            .values(
              styles.slice(i, i + 100).map((p) => ({ ...p, id: `${p.id}${suffix}`, style_code: `${p.style_code}${suffix}` })),
            )
            .execute()
        }
        const copies = skus.filter((k) => styles.some((p) => p.id === k.product_id))
        for (let i = 0; i < copies.length; i += 100) {
          await trx
            .insertInto('product_skus')
            .values(
              copies.slice(i, i + 100).map((k) => ({ ...k, id: `${k.id}${suffix}`, product_id: `${k.product_id}${suffix}` })),
            )
            .execute()
        }
        for (let i = 0; i < stock.length; i += 100) {
          await trx
            .insertInto('store_stock')
            .values(stock.slice(i, i + 100).map((s) => ({ ...s, sku_id: `${s.sku_id}${suffix}` })))
            .execute()
        }
      })
    }
    if (process.env.BENCH_VERBOSE) console.log('catalogue grown', copy)
    const total = (
      await db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n
    for (const query of QUERIES) await call('GET', `/api/catalog/products?${query}`)
    const searches: number[] = []
    for (let round = 0; round < 10; round++) {
      for (const query of QUERIES) {
        const started = performance.now()
        const response = await call('GET', `/api/catalog/products?${query}`)
        searches.push(performance.now() - started)
        if (response.statusCode !== 200) throw new Error(`catalog ${query}: ${response.statusCode} ${response.body}`)
      }
    }

    // Her 搭配 tab at 5,000 styles: the first open reads the catalogue, later ones reuse it.
    const suggestionsUrl = `/api/customers/${customer.externalUserId}/bundle-suggestions`
    // The catalogue read a minute ago (sending above) is stale now: the next open reads 5,000 styles.
    t.clock.advance(61_000)
    let started = performance.now()
    const first = await call('GET', suggestionsUrl)
    const firstMs = performance.now() - started
    if (first.statusCode !== 200) throw new Error(`suggestions: ${first.statusCode} ${first.body}`)
    const opens: number[] = []
    for (let i = 0; i < 20; i++) {
      started = performance.now()
      await call('GET', suggestionsUrl)
      opens.push(performance.now() - started)
    }
    const prepares: number[] = []
    for (let i = 0; i < 20; i++) {
      started = performance.now()
      const prepared = await t.app.inject({
        method: 'POST',
        url: `/api/bundles/${bundles[i % bundles.length]!.id}/sends`,
        headers: { cookie },
        payload: { externalUserId: customer.externalUserId },
      })
      prepares.push(performance.now() - started)
      if (prepared.statusCode !== 201) throw new Error(`send: ${prepared.statusCode} ${prepared.body}`)
    }

    const report: BundlesReport = {
      lookbookJsKb: gzipSync(inlineJs).length / 1024,
      lookbookHtmlKb: gzipSync(html).length / 1024,
      collageKb: collage.rawPayload.length / 1024,
      collageDrawMs: { p50: percentile(draws, 50), max: Math.max(...draws) },
      collageServeMs: percentile(serves, 50),
      catalog: { products: Number(total), p50Ms: percentile(searches, 50), p95Ms: percentile(searches, 95) },
      suggestions: { firstMs, p50Ms: percentile(opens, 50), p95Ms: percentile(opens, 95) },
      sendPrepareMs: { p50: percentile(prepares, 50), p95: percentile(prepares, 95) },
      ok: false,
    }
    report.ok =
      report.lookbookJsKb <= LOOKBOOK_JS_BUDGET_KB &&
      report.lookbookHtmlKb <= LOOKBOOK_HTML_BUDGET_KB &&
      report.catalog.p95Ms <= CATALOG_SEARCH_BUDGET_MS
    return report
  } finally {
    await t.close()
  }
}
