/**
 * Serving the built app. The HTML is read once and completed per mode: the client config
 * (corp id, agent id) is embedded so the app can register the JS-SDK without a round
 * trip, and in simulator mode the WeixinJSBridge stand-in is loaded before the app.
 * Then per request: the page speaks the guide's language (`<html lang>`), and inside
 * WeCom it carries the agentConfig signature for the very URL it was requested with, so
 * the SDK starts without asking us first.
 *
 * What else the page names for preloading depends on where it opens. Inside WeCom the
 * small entry draws her name before anything else (src/boot/early.ts), and every chunk
 * that arrives meanwhile takes the webview's main thread a while (measured: her name
 * ≈ 350 ms later at 4× CPU with the app preloaded), so nothing more is named: the entry
 * asks for the app and her screen once her name is up. Elsewhere (the desk in a browser)
 * there is no name to wait for, and the app and her dictionary come beside the entry.
 */
import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { LOCALES, type AppLocale } from '../../../shared/locale'
import type { ClientConfig, EmbeddedSignature } from '../../../shared/wecom'

export interface WebAssets {
  distDir: string
  appHtml: string | null
  simulatorHtml: string | null
  /** Each language's dictionary chunk and the chunks it imports beyond the app's (`/assets/…`). */
  dictionaries: Record<AppLocale, string[]>
  /** The app's own chunks and styles (src/start-app.ts, which the small entry imports once it has done its part). */
  app: PreloadSet
}

export interface PreloadSet {
  scripts: string[]
  styles: string[]
}

/** What one request's page is completed with. */
export interface PageExtras {
  locale: AppLocale
  /** Requested by WeCom's webview. */
  wecom: boolean
  /** Inside WeCom: agentConfig's signature for the URL the page was requested with. */
  signature: EmbeddedSignature | null
}

interface ManifestChunk {
  file: string
  imports?: string[]
  css?: string[]
}

const BRIDGE_ENTRY = 'src/simulator/bridge.ts'
const APP_START = 'src/start-app.ts'
const SIMULATOR_HTML = 'src/simulator/index.html'

function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

/** A chunk's file and the files of everything it imports, in load order. */
function chunkFiles(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): string[] {
  if (seen.has(key) || !manifest[key]) return []
  seen.add(key)
  const chunk = manifest[key]
  return [`/${chunk.file}`, ...(chunk.imports ?? []).flatMap((dep) => chunkFiles(manifest, dep, seen))]
}

/** The stylesheets of a chunk and of everything it imports. */
function chunkStyles(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): string[] {
  if (seen.has(key) || !manifest[key]) return []
  seen.add(key)
  const chunk = manifest[key]
  return [
    ...(chunk.css ?? []).map((file) => `/${file}`),
    ...(chunk.imports ?? []).flatMap((dep) => chunkStyles(manifest, dep, seen)),
  ]
}

export function loadWebAssets(distDir: string, clientConfig: ClientConfig): WebAssets {
  const indexFile = path.join(distDir, 'index.html')
  const none = { 'zh-CN': [], 'en-US': [] }
  if (!existsSync(indexFile)) {
    return { distDir, appHtml: null, simulatorHtml: null, dictionaries: none, app: { scripts: [], styles: [] } }
  }
  let html = readFileSync(indexFile, 'utf8')
  const configTag = `<script id="gs-config" type="application/json">${escapeJsonForHtml(clientConfig)}</script>`
  const manifestFile = path.join(distDir, '.vite', 'manifest.json')
  const manifest = existsSync(manifestFile)
    ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>)
    : {}
  // What the entry already loads is preloaded by Vite's own tags: only the rest is named.
  const initial = new Set(chunkFiles(manifest, 'index.html'))
  const initialStyles = new Set(chunkStyles(manifest, 'index.html'))
  const app = {
    scripts: chunkFiles(manifest, APP_START).filter((file) => !initial.has(file)),
    styles: chunkStyles(manifest, APP_START).filter((file) => !initialStyles.has(file)),
  }
  const loaded = new Set([...initial, ...app.scripts])
  const dictionaries = Object.fromEntries(
    LOCALES.map((locale) => [locale, chunkFiles(manifest, `src/i18n/${locale}.ts`).filter((file) => !loaded.has(file))]),
  ) as Record<AppLocale, string[]>
  let headStart = ''
  if (clientConfig.mode === 'simulator') {
    const bridge = manifest[BRIDGE_ENTRY]?.file
    // Module scripts run in document order: the bridge is in place before the SDK looks.
    if (bridge) headStart = `<script type="module" src="/${bridge}"></script>`
  }
  html = html.replace(/<head>/i, `<head>${headStart}`).replace(/<\/head>/i, `${configTag}</head>`)
  const simulatorFile = path.join(distDir, SIMULATOR_HTML)
  return {
    distDir,
    appHtml: html,
    simulatorHtml: clientConfig.mode === 'simulator' && existsSync(simulatorFile) ? readFileSync(simulatorFile, 'utf8') : null,
    dictionaries,
    app,
  }
}

/** The app's page for one request: its language, its signature, and outside WeCom its code preloaded. */
export function renderAppPage(assets: WebAssets, extras: PageExtras): string | null {
  if (!assets.appHtml) return null
  const preload = extras.wecom
    ? ''
    : [
        ...[...assets.app.scripts, ...assets.dictionaries[extras.locale]].map(
          (file) => `<link rel="modulepreload" crossorigin href="${file}">`,
        ),
        ...assets.app.styles.map((file) => `<link rel="preload" as="style" crossorigin href="${file}">`),
      ].join('')
  const signature = extras.signature
    ? `<script id="gs-signature" type="application/json">${escapeJsonForHtml(extras.signature)}</script>`
    : ''
  return assets.appHtml
    .replace(/<html lang="[^"]*"/i, `<html lang="${extras.locale}"`)
    .replace(/<\/head>/i, `${preload}${signature}</head>`)
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Guide Sidebar</title>
<p style="font:15px sans-serif;padding:24px">The app is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds first).</p>`

export async function registerStatic(app: FastifyInstance, assets: WebAssets): Promise<void> {
  if (!assets.appHtml) return
  await app.register(fastifyStatic, {
    root: assets.distDir,
    index: false,
    wildcard: false,
    cacheControl: false,
    // The built simulator page and Vite's manifest are served only through our own routes.
    allowedPath: (pathname) => !pathname.startsWith('/src/') && !pathname.startsWith('/.vite/') && pathname !== '/index.html',
    setHeaders: (res, filePath) => {
      if (filePath.includes(`${path.sep}assets${path.sep}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable')
      else res.setHeader('cache-control', 'public, max-age=300')
    },
  })
}

const VERIFY_FILE = /^\/(WW_verify_[A-Za-z0-9]{1,64}\.txt)$/

/**
 * What a GET that matched no route gets: WeCom's domain verify file, the simulator page,
 * or the app itself (client-side routes). Returns false for anything else (API 404s).
 */
export function createPageFallback(
  assets: WebAssets,
  dataDir: string,
  simulator: boolean,
  extrasFor: (request: FastifyRequest) => Promise<PageExtras>,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false
    const pathname = request.url.split('?')[0] ?? '/'
    if (pathname.startsWith('/api/') || pathname.startsWith('/assets/') || pathname.startsWith('/media/')) return false

    const verify = VERIFY_FILE.exec(pathname)
    if (verify) {
      // The admin console's domain check: drop the file WeCom gives you into the data folder.
      const file = path.join(dataDir, verify[1]!)
      if (!existsSync(file)) return false
      await reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(await readFile(file, 'utf8'))
      return true
    }

    if (pathname === '/simulator' || pathname.startsWith('/simulator/')) {
      if (!simulator || !assets.simulatorHtml) return false
      await reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(assets.simulatorHtml)
      return true
    }

    // A missing file (favicon.png, a stale chunk) is a 404, not the app.
    if (/\.[a-z0-9]{1,8}$/i.test(pathname) && !pathname.endsWith('.html')) return false

    const extras = await extrasFor(request)
    const page = assets.appHtml ? renderAppPage(assets, extras) : null
    // Inside WeCom the page goes without Cross-Origin-Opener-Policy. A page that sets one,
    // opened in a fresh webview (whose first document, an empty one, has none), must move
    // to a new browsing context group, and Chromium pays for that with a switch of renderer
    // before it reads the page: measured with tests/bench/name-paint.ts, the entry's
    // scripts were asked for ≈ 110 ms later at 4× CPU, most of what her name on screen
    // cost beyond the bare page. There no other site's window opens ours; a browser (the
    // desk on a computer) keeps the policy.
    if (extras.wecom) reply.raw.removeHeader('cross-origin-opener-policy')
    await reply
      .type('text/html; charset=utf-8')
      // Completed per request (a signature, a language): always asked for again, and a
      // shared cache keeps one guide's language apart from another's.
      .header('cache-control', 'no-cache')
      .header('vary', 'cookie, user-agent')
      .status(page ? 200 : 503)
      .send(page ?? NOT_BUILT)
    return true
  }
}
