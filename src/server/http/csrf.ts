/**
 * Cross-site writes, refused beyond what SameSite=Lax already does. The session cookie is
 * Lax, which still lets a page on a sibling subdomain (same site, other origin) or a
 * top-level form post send it. Two rules close that:
 *
 * - a body must be JSON (or a type the route names: http/body-types.ts), which a form or
 *   a `no-cors` fetch cannot send without a CORS preflight we never grant;
 * - when a write carries an `Origin` (every browser sends one on a cross-origin POST,
 *   with or without a body), it must be ours.
 *
 * Writes that authenticate with no cookie are left to their own checks: WeCom's signed
 * callback, the till's store key and the integration API's system keys (server to
 * server: no browser, so no Origin of ours to send; their bodies are still JSON only).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../env'
import { ApiError } from './errors'
import { publicOrigin } from './origin'

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Signed by WeCom (msg_signature), or keyed by a store's till key: no cookie counts there. */
const NO_COOKIE_PATHS = new Set(['/api/wecom/callback', '/api/redemptions'])
/** Keyed by a system's integration key (modules/integration): no cookie counts there either. */
const NO_COOKIE_PREFIX = '/api/integration/'

export const CROSS_ORIGIN = 'cross_origin' as const

export function isForeignWrite(config: Config, request: FastifyRequest): boolean {
  if (!WRITES.has(request.method)) return false
  const origin = request.headers.origin
  // No Origin: not a browser's cross-origin request (curl, WeCom's servers, an old same-origin form).
  if (origin === undefined) return false
  const path = request.url.split('?')[0]!
  if (NO_COOKIE_PATHS.has(path) || path.startsWith(NO_COOKIE_PREFIX)) return false
  // 'null' (a sandboxed frame, a privacy redirect) is no origin of ours either.
  return origin !== publicOrigin(config, request)
}

export function registerOriginCheck(app: FastifyInstance, config: Config): void {
  app.addHook('onRequest', async (request) => {
    if (isForeignWrite(config, request)) {
      throw new ApiError(403, CROSS_ORIGIN, 'Changes are accepted only from pages of this site')
    }
  })
}
