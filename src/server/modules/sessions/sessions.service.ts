import { randomUUID } from 'node:crypto'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import {
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  SESSION_TOUCH_MS,
  createSessionCookie,
  newSessionId,
  readSessionCookie,
  type Session,
} from '../../http/session'
import { GuidesRepository } from '../guides/guides.repository'
import { roleOf } from '../guides/roles'
import { AuditRepository } from '../replies/audit.repository'
import { SessionsRepository } from './sessions.repository'

export interface SessionLimits {
  /** From sign-in, whatever happens. */
  maxMs: number
  /** Without a request. */
  idleMs: number
}

/** Ended sessions are kept this long (who was signed in when), then dropped at her next sign-in. */
const KEEP_ENDED_MS = 30 * 24 * 3_600_000

/**
 * Server-side sessions: made at sign-in, checked on every API request against the one
 * row every instance shares (no cache here: a revocation must hold on the next request,
 * wherever it lands), ended by logout, an admin or the guide's departure.
 */
export class SessionsService {
  private readonly repo: SessionsRepository

  constructor(
    private readonly ctx: AppContext,
    readonly limits: SessionLimits = { maxMs: SESSION_MAX_MS, idleMs: SESSION_IDLE_MS },
  ) {
    this.repo = new SessionsRepository(ctx.db)
  }

  /**
   * A new session for a sign-in; the cookie value to set. A new id every time, and the
   * session the browser came with (if any) ends: a cookie planted before sign-in is
   * worth nothing after it.
   */
  async start(userId: string, previousCookie: string | undefined): Promise<string> {
    const now = this.ctx.now()
    const previous = readSessionCookie(this.ctx.signer, previousCookie)
    if (previous) await this.repo.revoke(previous, now, 'rotated')
    await this.repo.deleteEndedBefore(userId, now - KEEP_ENDED_MS)
    const id = newSessionId()
    await this.repo.insert({ id, userId, now, expiresAt: now + this.limits.maxMs })
    return createSessionCookie(this.ctx.signer, id)
  }

  /** The session if it still counts: not revoked, not idle too long, not past its end, her guide row active. */
  async resolve(sessionId: string): Promise<Session | null> {
    const row = await this.repo.find(sessionId)
    if (!row || row.revoked_at !== null || row.left_at !== null) return null
    const now = this.ctx.now()
    if (now >= row.expires_at || now - row.last_seen_at >= this.limits.idleMs) return null
    if (now - row.last_seen_at >= SESSION_TOUCH_MS) await this.repo.touch(row.id, now, now - SESSION_TOUCH_MS)
    return { userId: row.user_id, sessionId: row.id, createdAt: row.created_at, expiresAt: row.expires_at }
  }

  /** Logout: the cookie's session ends, whatever state it was in. */
  async end(cookie: string | undefined): Promise<void> {
    const id = readSessionCookie(this.ctx.signer, cookie)
    if (id) await this.repo.revoke(id, this.ctx.now(), 'logout')
  }

  /** An admin ends every session of a member (a lost phone, a suspicion); audited. */
  async revokeMember(adminId: string, userId: string): Promise<number> {
    if ((await roleOf(this.ctx, adminId)) !== 'admin') throw ApiError.forbidden('Only head office can end a member’s sessions')
    if (!(await new GuidesRepository(this.ctx.db).find(userId))) throw ApiError.notFound('No member has that user id')
    const now = this.ctx.now()
    const audit = new AuditRepository(this.ctx.db)
    return this.ctx.db.kysely.transaction().execute(async (trx) => {
      const revoked = await new SessionsRepository(trx).revokeAllOf(userId, now, 'admin', now - this.limits.idleMs)
      await audit.record(trx, {
        id: randomUUID(),
        actorId: adminId,
        entity: 'sessions',
        entityId: userId,
        action: 'retire',
        before: undefined,
        after: { sessions: revoked },
        at: now,
      })
      return revoked
    })
  }
}
