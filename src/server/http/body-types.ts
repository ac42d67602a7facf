/**
 * What a request body may be, decided from its headers before a byte of it is read: JSON
 * everywhere, anything else only on a route that says it reads that type (the manager's
 * image upload, the simulator's WeCom media upload). A body of any other type is a 415
 * at once — reading it first would let anyone make the server buffer and validate
 * megabytes without signing in.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from './errors'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types this route reads besides JSON, e.g. `multipart/form-data`. */
    bodyTypes?: readonly string[]
    /** False on a route that reads only its `bodyTypes` (WeCom's XML callback). */
    json?: boolean
  }
}

/** The media type of a request's body, lower-cased, without parameters; '' when none is named. */
export function bodyMediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

export function registerBodyTypes(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    // Fastify never reads a GET or HEAD body, and an empty one costs nothing to read.
    if (request.method === 'GET' || request.method === 'HEAD' || !hasBody(request)) return
    const config = request.routeOptions.config
    const type = bodyMediaType(request)
    if (type === 'application/json' && config.json !== false) return
    if (type !== '' && config.bodyTypes?.includes(type)) return
    const accepted = [...(config.json === false ? [] : ['application/json']), ...(config.bodyTypes ?? [])].join(' or ')
    throw new ApiError(
      415,
      'unsupported_media_type',
      type ? `This endpoint does not read ${type} bodies; send ${accepted}` : `Name the body type: send ${accepted}`,
    )
  })
}
