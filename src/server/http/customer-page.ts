import type { FastifyReply } from 'fastify'

/**
 * Headers for the pages customers open from a chat (lookbook, coupon): never cached or
 * indexed, and a policy that allows no script at all — they have none, and any that got
 * in through content would not run.
 */
export function customerPageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'private, no-store')
    .header('x-robots-tag', 'noindex')
    .header(
      'content-security-policy',
      "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
    .type('text/html; charset=utf-8')
}
