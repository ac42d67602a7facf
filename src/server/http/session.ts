/**
 * Sessions are stateless signed cookies (HMAC-SHA256 with SESSION_SECRET): any API
 * instance can verify them without a shared store, and nothing survives in the browser
 * except the cookie, which is what WeCom keeps (its webviews wipe localStorage).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'gs_session'
export const OAUTH_COOKIE = 'gs_oauth'
export const SESSION_TTL_SECONDS = 7 * 24 * 3600
export const OAUTH_TTL_SECONDS = 10 * 60
/**
 * A manager's preview of a guide's view: a second cookie beside her session, so ending it
 * (or letting it lapse) gives her own session back untouched. Short, so a preview left
 * open in a WeCom window does not outlive the morning.
 */
export const PREVIEW_COOKIE = 'gs_preview'
export const PREVIEW_TTL_SECONDS = 2 * 3600

export interface Session {
  userId: string
  /** Issued at, epoch seconds. */
  iat: number
  exp: number
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

export function createSessionToken(signer: Signer, userId: string, now = nowSeconds()): string {
  const session: Session = { userId, iat: now, exp: now + SESSION_TTL_SECONDS }
  return signer.sign('session', session)
}

export function readSessionToken(signer: Signer, token: string | undefined, now = nowSeconds()): Session | null {
  const payload = signer.verify('session', token) as Partial<Session> | null
  if (!payload || typeof payload.userId !== 'string' || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
    return null
  }
  if (payload.exp <= now) return null
  return { userId: payload.userId, iat: payload.iat, exp: payload.exp }
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
