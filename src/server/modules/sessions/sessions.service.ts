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
import { SessionsRepository, type SessionLookup } from './sessions.repository'

export interface SessionLimits {
  /** From sign-in, whatever happens. */
  maxMs: number
  /** Without a request. */
  idleMs: number
}

/** Ended sessions are kept this long (who was signed in when), then dropped at her next sign-in. */
const KEEP_ENDED_MS = 30 * 24 * 3_600_000

/** Sessions one instance keeps checked; the oldest go first past this. */
const KEPT_SESSIONS = 10_000

/**
 * Server-side sessions: made at sign-in, checked on every API request against the one
 * row every instance shares, ended by logout, an admin or the guide's departure.
 *
 * A revocation must hold on the next request, wherever it lands. An instance keeps a
 * session it found good and reads it again when the database's session version moved or
 * the session is due a touch. On PostgreSQL that version is a channel (migration 0027: a
 * session ended or cut short, a guide gone, on any instance), and `settled()` makes sure
 * every such change committed before the request is counted, with one round trip shared
 * by all requests in flight. On SQLite it is a write to sessions or guides from this process,
 * or anything another process wrote (`data_version`, read once for all requests of an
 * event-loop turn; see db/index.ts). The saving is the revisit's one query, most of what a
 * revisit cost.
 */
export class SessionsService {
  private readonly repo: SessionsRepository
  private readonly kept = new Map<string, { row: SessionLookup; version: string }>()

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

  /**
   * The session if it still counts: not revoked, not idle too long, not past its end, her
   * guide row active. `defer`: a kept session comes back at once, the check that nothing
   * ended it since left to the route (`Session.check`, `deferSessionCheck`).
   */
  async resolve(sessionId: string, defer = false): Promise<Session | null> {
    const watch = this.ctx.db.sessionChanges
    const kept = watch ? this.kept.get(sessionId) : undefined
    // Kept and not yet due a touch (so not near idle either): good while nothing ended.
    const fresh = Math.min(SESSION_TOUCH_MS, this.limits.idleMs)
    if (kept && this.ctx.now() - kept.row.last_seen_at < fresh && this.ctx.now() < kept.row.expires_at) {
      if (defer) {
        const check = async () =>
          (await watch!.settled()) === kept.version || (await this.resolve(sessionId))?.userId === kept.row.user_id
        return { ...sessionOf(kept.row), check }
      }
      if ((await watch!.settled()) === kept.version) return sessionOf(kept.row)
    }
    this.kept.delete(sessionId)
    // Taken before the read: a change after it moves the channel past this.
    const version = watch?.current() ?? null
    const row = await this.repo.find(sessionId)
    if (!row || row.revoked_at !== null || row.left_at !== null) return null
    const now = this.ctx.now()
    if (now >= row.expires_at || now - row.last_seen_at >= this.limits.idleMs) return null
    if (now - row.last_seen_at >= SESSION_TOUCH_MS) {
      await this.repo.touch(row.id, now, now - SESSION_TOUCH_MS)
      row.last_seen_at = now
    }
    if (version !== null) {
      if (this.kept.size >= KEPT_SESSIONS) this.kept.delete(this.kept.keys().next().value!)
      this.kept.set(sessionId, { row, version })
    }
    return sessionOf(row)
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

function sessionOf(row: SessionLookup): Session {
  return { userId: row.user_id, sessionId: row.id, createdAt: row.created_at, expiresAt: row.expires_at }
}
