import { describe, expect, it, vi } from 'vitest'
import {
  Signer,
  createOAuthState,
  createSessionCookie,
  newSessionId,
  randomAlphanumeric,
  readOAuthState,
  readSessionCookie,
  safeReturnPath,
} from '../../src/server/http/session'

const signer = new Signer('s'.repeat(40))

describe('session cookies', () => {
  it('carry a random session id and nothing else (whether it counts is the database’s to say)', () => {
    const id = newSessionId()
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(newSessionId()).not.toBe(id)
    const cookie = createSessionCookie(signer, id)
    expect(readSessionCookie(signer, cookie)).toBe(id)
    expect(JSON.parse(Buffer.from(cookie.split('.')[0]!, 'base64url').toString())).toEqual({ sid: id })
  })

  it('checks a cookie’s signature once, then remembers it', () => {
    const id = newSessionId()
    const cookie = createSessionCookie(signer, id)
    const verify = vi.spyOn(Signer.prototype, 'verify')
    try {
      expect(readSessionCookie(signer, cookie)).toBe(id)
      expect(readSessionCookie(signer, cookie)).toBe(id)
      expect(verify).toHaveBeenCalledTimes(1)
      expect(readSessionCookie(signer, `${cookie}x`)).toBeNull()
      expect(verify).toHaveBeenCalledTimes(2)
    } finally {
      verify.mockRestore()
    }
  })

  it('rejects tampering, another secret, another purpose and the old stateless tokens', () => {
    const cookie = createSessionCookie(signer, newSessionId())
    // Found genuine first (and remembered): nothing below may ride on that.
    expect(readSessionCookie(signer, cookie)).not.toBeNull()
    const [data, mac] = cookie.split('.')
    const forged = Buffer.from(JSON.stringify({ sid: newSessionId() })).toString('base64url')
    expect(readSessionCookie(signer, `${forged}.${mac}`)).toBeNull()
    expect(readSessionCookie(signer, `${data}.${mac}x`)).toBeNull()
    expect(readSessionCookie(new Signer('t'.repeat(40)), cookie)).toBeNull()
    const oauth = createOAuthState(signer, '/', 1000).cookie
    expect(readSessionCookie(signer, oauth)).toBeNull()
    // What a session cookie was before sessions had rows: validly signed, and worthless now.
    expect(readSessionCookie(signer, signer.sign('session', { userId: 'lina', iat: 1000, exp: 9e9 }))).toBeNull()
    expect(readSessionCookie(signer, signer.sign('session', { sid: 'short' }))).toBeNull()
    expect(readSessionCookie(signer, undefined)).toBeNull()
    expect(readSessionCookie(signer, 'garbage')).toBeNull()
  })
})

describe('OAuth state', () => {
  it('is 32 alphanumerics, remembers where to return, and lasts ten minutes', () => {
    const { state, cookie } = createOAuthState(signer, '/#/customer', 1000)
    expect(state).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(readOAuthState(signer, cookie, 1500)).toEqual({ state, returnTo: '/#/customer', exp: 1600 })
    expect(readOAuthState(signer, cookie, 1600)).toBeNull()
  })

  it('randomAlphanumeric has the requested length', () => {
    expect(randomAlphanumeric(128)).toMatch(/^[A-Za-z0-9]{128}$/)
  })
})

describe('safeReturnPath', () => {
  it.each([
    ['/', '/'],
    ['/#/customer', '/#/customer'],
    ['/?a=1#/x', '/?a=1#/x'],
    ['/workbench/../customer', '/customer'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected)
  })

  it.each([
    undefined,
    '',
    'https://evil.example/',
    'http://evil.example',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    'javascript:alert(1)',
    'customer',
    '/\u0000x',
    '/\tevil',
    `/${'a'.repeat(3000)}`,
  ])('sends %s to /', (input) => {
    expect(safeReturnPath(input)).toBe('/')
  })
})
