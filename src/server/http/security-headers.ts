/**
 * Headers every response carries (helmet). The app shell's policy:
 *
 * - scripts only from our own files (`script-src 'self'`): the built HTML has no inline
 *   script; its client config is a JSON data block, which is not run;
 * - styles may be inline: Vant sets style attributes and injects <style> at run time;
 * - images from anywhere over https (WeCom avatars, product photos), and data:/blob: for
 *   collages and previews; API calls only to us;
 * - framed only by ourselves (`frame-ancestors 'self'`): WeCom opens the sidebar at top
 *   level, the simulator and the desk's preview frame it from this origin. X-Frame-Options
 *   says SAMEORIGIN for browsers that predate frame-ancestors, never DENY;
 * - HSTS, and upgrading stray http: requests, only when PUBLIC_URL is https: a simulator
 *   on http://192.168.x.x must keep working;
 * - Cross-Origin-Opener-Policy `same-origin`, except on the app's page inside WeCom
 *   (modules/web/web.ts says why).
 *
 * Customer pages (/c/, /l/) replace the policy with their own stricter one (no script at
 * all: http/customer-page.ts).
 *
 * helmet itself, built once, rather than @fastify/helmet: that plugin builds helmet's
 * middleware again on every request (parsing the policy each time). Measured with
 * autocannon at 50 connections on this 2-core machine, `/api/health` went from ≈ 9.5k to
 * ≈ 20k requests a second with this change. The headers are the same.
 */
import type { FastifyInstance } from 'fastify'
import helmet from 'helmet'
import type { Config } from '../env'

export function contentSecurityPolicy(https: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'https:', 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'media-src': ["'self'", 'https:', 'blob:'],
    'frame-src': ["'self'"],
    'frame-ancestors': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  }
}

export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const https = (config.publicUrl ?? '').startsWith('https:')
  const setHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(https) },
    xFrameOptions: { action: 'sameorigin' },
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Pictures we serve end up in WeCom chats and cards, shown by clients of other origins.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  })
  // Set on the raw response before any route runs, so a route's own header replaces them
  // (Node gives writeHead's headers precedence), as the customer pages' policy does.
  app.addHook('onRequest', (request, reply, done) =>
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  )
}
