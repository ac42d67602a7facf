import type { FastifyRequest } from 'fastify'
import type { Config } from '../env'

/**
 * The origin the browser sees us at. In real mode that is PUBLIC_URL, WeCom's trusted
 * domain, full stop. In simulator mode without PUBLIC_URL we trust the Host the browser
 * used, so localhost, 127.0.0.1 and a LAN address all work for a demo.
 */
export function publicOrigin(config: Config, request: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl
  return `${request.protocol}://${request.host}`
}
