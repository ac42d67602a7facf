/**
 * Cookies signed with SESSION_SECRET (HMAC-SHA256). The session cookie carries only a
 * signed random id; whether it still counts is the `sessions` row's to say, read on every
 * request by every instance alike (modules/sessions), so logging out, an admin or a guide's
 * departure ends it everywhere at once. The signature keeps made-up ids from reaching the
 * database at all. Nothing survives in the browser except cookies, which is what WeCom
 * keeps (its webviews wipe localStorage).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'gs_session'
export const OAUTH_COOKIE = 'gs_oauth'
/**
 * A session ends 12 hours after sign-in whatever happens (a working day; WeCom signs her
 * in again without a word, so the cost is one redirect), and sooner after 4 hours without
 * a request: a sidebar left through lunch and a quiet afternoon still works, a phone left
 * on the counter overnight does not.
 */
export const SESSION_MAX_MS = 12 * 3_600_000
export const SESSION_IDLE_MS = 4 * 3_600_000
/** `last_seen_at` moves at most this often: a busy sidebar is not a write per request. */
export const SESSION_TOUCH_MS = 5 * 60_000
export const OAUTH_TTL_SECONDS = 10 * 60
/**
 * A manager's preview of a guide's view: a second cookie beside her session, so ending it
 * (or letting it lapse) gives her own session back untouched. Short, so a preview left
 * open in a WeCom window does not outlive the morning.
 */
export const PREVIEW_COOKIE = 'gs_preview'
export const PREVIEW_TTL_SECONDS = 2 * 3600

/** A live session, as the `sessions` row vouches for it. */
export interface Session {
  userId: string
  /** The row's id (never sent back to the browser except inside the signed cookie). */
  sessionId: string
  /** Signed in at, ms. */
  createdAt: number
  /** The absolute end, ms. */
  expiresAt: number
  /**
   * Only on a route that asked for it (`deferSessionCheck`), for a session this instance
   * kept: the check that nothing ended it since, left to the route, which runs it before
   * it writes or answers anything of hers. True when it still counts; false when it ended
   * (the request is refused as if it had been signed out). A check covers whatever ended
   * before it was started, so it may start later than the request came in, never earlier.
   */
  check?: () => Promise<boolean>
}

export interface OAuthState {
  state: string
  returnTo: string
  exp: number
}

export class Signer {
  constructor(private readonly secret: string) {}

  sign(purpose: string, payload: object): string {
    const data = Buffer.from(JSON.stringify(payload)).toString('base64url')
    return `${data}.${this.mac(purpose, data)}`
  }

  /** The payload if the token is ours, untampered and for this purpose; otherwise null. */
  verify(purpose: string, token: string | undefined): unknown {
    if (!token) return null
    const dot = token.indexOf('.')
    if (dot <= 0) return null
    const data = token.slice(0, dot)
    const given = Buffer.from(token.slice(dot + 1), 'base64url')
    const expected = Buffer.from(this.mac(purpose, data), 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
    try {
      return JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as unknown
    } catch {
      return null
    }
  }

  private mac(purpose: string, data: string): string {
    return createHmac('sha256', this.secret).update(purpose).update('\n').update(data).digest('base64url')
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** A new session id: 256 random bits. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url')
}

export function createSessionCookie(signer: Signer, sessionId: string): string {
  return signer.sign('session', { sid: sessionId })
}

/** Cookies found genuine, per signer: what the signature says never changes for the same text. */
const genuineCookies = new WeakMap<Signer, Map<string, string>>()
/** Enough for every guide of a large brand at once; past it, the memory starts over. */
const GENUINE_KEPT = 20_000

/**
 * The session id the cookie carries, if we signed it; whether it still counts is the
 * database's to say. A cookie found genuine is remembered: every API request brings one,
 * and its HMAC need not be worked out again each time (a flash sale sends thousands a second).
 */
export function readSessionCookie(signer: Signer, token: string | undefined): string | null {
  if (!token) return null
  let genuine = genuineCookies.get(signer)
  const known = genuine?.get(token)
  if (known) return known
  const payload = signer.verify('session', token) as { sid?: unknown } | null
  if (!payload || typeof payload.sid !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(payload.sid)) return null
  if (!genuine) genuineCookies.set(signer, (genuine = new Map()))
  if (genuine.size >= GENUINE_KEPT) genuine.clear()
  genuine.set(token, payload.sid)
  return payload.sid
}

export interface PreviewGrant {
  /** The manager looking. */
  by: string
  /** The guide whose view she sees. */
  guide: string
  exp: number
}

export function createPreviewToken(signer: Signer, by: string, guide: string, now = nowSeconds()): string {
  const grant: PreviewGrant = { by, guide, exp: now + PREVIEW_TTL_SECONDS }
  return signer.sign('preview', grant)
}

export function readPreviewToken(signer: Signer, token: string | undefined, now = nowSeconds()): PreviewGrant | null {
  const payload = signer.verify('preview', token) as Partial<PreviewGrant> | null
  if (!payload || typeof payload.by !== 'string' || typeof payload.guide !== 'string' || typeof payload.exp !== 'number') {
    return null
  }
  if (payload.exp <= now) return null
  return { by: payload.by, guide: payload.guide, exp: payload.exp }
}

export function createOAuthState(signer: Signer, returnTo: string, now = nowSeconds()): { state: string; cookie: string } {
  const state = randomAlphanumeric(32)
  const payload: OAuthState = { state, returnTo, exp: now + OAUTH_TTL_SECONDS }
  return { state, cookie: signer.sign('oauth', payload) }
}

export function readOAuthState(signer: Signer, cookie: string | undefined, now = nowSeconds()): OAuthState | null {
  const payload = signer.verify('oauth', cookie) as Partial<OAuthState> | null
  if (!payload || typeof payload.state !== 'string' || typeof payload.returnTo !== 'string' || typeof payload.exp !== 'number') {
    return null
  }
  if (payload.exp <= now) return null
  return { state: payload.state, returnTo: payload.returnTo, exp: payload.exp }
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function randomAlphanumeric(length: number): string {
  // 62 does not divide 256: reject the top bytes so every character is equally likely.
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62]
    }
  }
  return out
}

/**
 * Where to go after sign-in: only a same-origin relative path. Absolute URLs,
 * protocol-relative `//host`, and `/\host` (which browsers read as `//host`) all become `/`.
 */
export function safeReturnPath(raw: string | undefined): string {
  if (!raw || raw[0] !== '/') return '/'
  if (raw.length > 2048) return '/'
  // eslint-disable-next-line no-control-regex
  if (raw.includes('\\') || /[\u0000-\u001f\u007f]/.test(raw)) return '/'
  if (raw.startsWith('//')) return '/'
  let parsed: URL
  try {
    parsed = new URL(raw, 'http://return.invalid')
  } catch {
    return '/'
  }
  if (parsed.origin !== 'http://return.invalid') return '/'
  return parsed.pathname + parsed.search + parsed.hash
}
