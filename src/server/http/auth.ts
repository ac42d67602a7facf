import type { FastifyRequest } from 'fastify'
import type { Signer } from './session'
import { SESSION_COOKIE, readSessionToken, type Session } from './session'
import { ApiError } from './errors'

export function sessionOf(request: FastifyRequest, signer: Signer): Session | null {
  return readSessionToken(signer, request.cookies[SESSION_COOKIE])
}

/** The signed-in guide, or a 401. The user id always comes from here, never from the request. */
export function requireSession(request: FastifyRequest, signer: Signer): Session {
  const session = sessionOf(request, signer)
  if (!session) throw ApiError.unauthorized()
  return session
}
