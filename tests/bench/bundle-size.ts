/**
 * The sidebar's initial JS: the entry script in index.html, every chunk it modulepreloads,
 * the app it imports as soon as it has done its part (src/start-app.ts; the server names
 * its chunks in every page) and the default language's dictionary (the app waits for it before mounting; the server
 * names it in the page), gzipped. And what painting her profile needs on top: the customer
 * screen's chunk and its static imports (each tab's panel loads on first use, after paint).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

export const INITIAL_JS_BUDGET_KB = 84
export const PROFILE_PAINT_JS_BUDGET_KB = 110
/**
 * The stylesheets that block the first paint. Not an issue budget: it keeps fonts out
 * (Vant's icon font alone is 26 KB gzip as a data: URI; vite.config.ts emits it as a file).
 */
export const INITIAL_CSS_BUDGET_KB = 12
/** The app proper: the entry imports it on every start, so it counts as initial. */
const APP_START = 'src/start-app.ts'
/** The dictionary a guide gets unless she or her WeCom chose English. */
const DEFAULT_DICTIONARY = 'src/i18n/zh-CN.ts'

const root = path.resolve(import.meta.dirname, '../..')
const dist = path.join(root, 'dist')

function gzipKb(file: string): number {
  return gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length / 1024
}

interface ManifestChunk {
  file: string
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
  isEntry?: boolean
}

/** A chunk and everything it imports statically. */
function closure(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen
  seen.add(key)
  for (const dep of manifest[key]?.imports ?? []) closure(manifest, dep, seen)
  return seen
}

export interface BundleReport {
  initialJsKb: number
  initialCssKb: number
  customerScreenJsKb: number
  profilePaintJsKb: number
  ok: boolean
}

export function measureBundle(options: { build?: boolean } = {}): BundleReport {
  if (options.build !== false) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>
  const initial = closure(manifest, 'index.html')
  if (!manifest[DEFAULT_DICTIONARY]) throw new Error(`${DEFAULT_DICTIONARY} is no longer a chunk of its own: update this bench`)
  closure(manifest, DEFAULT_DICTIONARY, initial)
  if (!manifest[APP_START]) throw new Error(`${APP_START} is no longer a chunk of its own: update this bench`)
  closure(manifest, APP_START, initial)
  const files = (keys: Iterable<string>) => [...keys].map((k) => manifest[k]!.file)
  const initialJsKb = files(initial).reduce((sum, f) => sum + gzipKb(f), 0)
  const initialCssKb = [...initial].flatMap((k) => manifest[k]!.css ?? []).reduce((sum, f) => sum + gzipKb(f), 0)
  const customerKey = Object.keys(manifest).find((k) => k.endsWith('pages/sidebar/CustomerPage.vue'))!
  const customerOnly = [...closure(manifest, customerKey)].filter((k) => !initial.has(k))
  const customerScreenJsKb = files(customerOnly).reduce((sum, f) => sum + gzipKb(f), 0)
  const profilePaintJsKb = initialJsKb + customerScreenJsKb
  return {
    initialJsKb,
    initialCssKb,
    customerScreenJsKb,
    profilePaintJsKb,
    ok:
      initialJsKb <= INITIAL_JS_BUDGET_KB &&
      profilePaintJsKb <= PROFILE_PAINT_JS_BUDGET_KB &&
      initialCssKb <= INITIAL_CSS_BUDGET_KB,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = measureBundle()
  console.log(report)
  process.exit(report.ok ? 0 : 1)
}
