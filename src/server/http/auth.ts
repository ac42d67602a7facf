import type { FastifyInstance, FastifyRequest } from 'fastify'
import { PREVIEW_READ_ONLY } from '../../shared/auth'
import type { Signer } from './session'
import { PREVIEW_COOKIE, SESSION_COOKIE, readPreviewToken, readSessionCookie, type Session } from './session'
import { ApiError } from './errors'

declare module 'fastify' {
  interface FastifyRequest {
    /** The member's own session, looked up once per API request (null: none that counts). */
    ownSession: Session | null
  }
  interface FastifyContextConfig {
    /**
     * The route takes a kept session without waiting for the check that nothing ended it
     * (`Session.check`), and runs that check itself before it writes or answers anything of hers.
     */
    deferSessionCheck?: boolean
  }
}

/**
 * Whether the session row behind a cookie still counts, and whose it is. `defer`: a kept
 * session may come back with its check left to the route (`Session.check`).
 */
export type SessionResolver = (sessionId: string, defer: boolean) => Promise<Session | null>

/**
 * Looks the session up once, before any route runs, so routes read it synchronously. Only
 * under /api/: nothing else asks who is signed in, and the app's assets need no query.
 */
export function registerSessions(app: FastifyInstance, signer: Signer, resolve: SessionResolver): void {
  app.decorateRequest('ownSession', null)
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return
    const sessionId = readSessionCookie(signer, request.cookies[SESSION_COOKIE])
    if (sessionId) request.ownSession = await resolve(sessionId, request.routeOptions.config.deferSessionCheck === true)
  })
}

/** The session a request acts as. In a preview, `userId` is the guide's and `previewBy` the manager's. */
export interface ActingSession extends Session {
  previewBy?: string
}

/** The signed-in member's own session, ignoring any preview (to start or end one). */
export function ownSessionOf(request: FastifyRequest, _signer?: Signer): Session | null {
  return request.ownSession
}

/**
 * Who the request acts as. A preview grant counts only beside the session of the manager
 * it was given to: a cookie copied into another browser is worth nothing. It outlives a
 * sign-out: another window of hers may still show the preview, and must stay read-only.
 */
export function sessionOf(request: FastifyRequest, signer: Signer): ActingSession | null {
  const own = ownSessionOf(request)
  if (!own) return null
  const grant = readPreviewToken(signer, request.cookies[PREVIEW_COOKIE])
  if (!grant || grant.by !== own.userId) return own
  return { ...own, userId: grant.guide, previewBy: own.userId }
}

/** The signed-in guide, or a 401. The user id always comes from here, never from the request. */
export function requireSession(request: FastifyRequest, signer: Signer): ActingSession {
  const session = sessionOf(request, signer)
  if (!session) throw ApiError.unauthorized()
  return session
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])
const LOGOUT = '/api/auth/logout'

/**
 * A preview is read-only on the server: every write under /api answers 403 before any
 * route runs (so nothing is stored and WeCom is never asked), except ending the preview
 * and signing out (which leaves the preview as it is).
 * A manager whose own session ended gets 401, as on any other route, also where the
 * route would have run the session's check itself (`deferSessionCheck`).
 */
export async function refuseWritesInPreview(request: FastifyRequest, signer: Signer): Promise<void> {
  if (READS.has(request.method) || !request.url.startsWith('/api/')) return
  const path = request.url.split('?')[0]
  if ((request.method === 'DELETE' && path === '/api/preview') || (request.method === 'POST' && path === LOGOUT)) return
  const session = sessionOf(request, signer)
  if (!session?.previewBy) return
  if (session.check && !(await session.check())) throw ApiError.unauthorized()
  throw new ApiError(403, PREVIEW_READ_ONLY, 'This is a preview of a guide’s view: nothing can be changed or sent')
}
