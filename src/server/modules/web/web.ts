/**
 * Serving the built app. The HTML is read once and completed per mode: the client config
 * (corp id, agent id) is embedded so the app can register the JS-SDK without a round
 * trip, and in simulator mode the WeixinJSBridge stand-in is loaded before the app.
 */
import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ClientConfig } from '../../../shared/wecom'

export interface WebAssets {
  distDir: string
  appHtml: string | null
  simulatorHtml: string | null
}

const BRIDGE_ENTRY = 'src/simulator/bridge.ts'
const SIMULATOR_HTML = 'src/simulator/index.html'

function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

export function loadWebAssets(distDir: string, clientConfig: ClientConfig): WebAssets {
  const indexFile = path.join(distDir, 'index.html')
  if (!existsSync(indexFile)) return { distDir, appHtml: null, simulatorHtml: null }
  let html = readFileSync(indexFile, 'utf8')
  const configTag = `<script id="gs-config" type="application/json">${escapeJsonForHtml(clientConfig)}</script>`
  let headStart = ''
  if (clientConfig.mode === 'simulator') {
    const manifestFile = path.join(distDir, '.vite', 'manifest.json')
    const manifest = existsSync(manifestFile)
      ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, { file: string }>)
      : {}
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
  }
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
export function createPageFallback(assets: WebAssets, dataDir: string, simulator: boolean) {
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

    await reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .status(assets.appHtml ? 200 : 503)
      .send(assets.appHtml ?? NOT_BUILT)
    return true
  }
}
