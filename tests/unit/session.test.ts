import { describe, expect, it } from 'vitest'
import {
  Signer,
  createOAuthState,
  createSessionToken,
  randomAlphanumeric,
  readOAuthState,
  readSessionToken,
  safeReturnPath,
} from '../../src/server/http/session'

const signer = new Signer('s'.repeat(40))

describe('session tokens', () => {
  it('round-trips and expires', () => {
    const token = createSessionToken(signer, 'lina', 1000)
    expect(readSessionToken(signer, token, 1001)).toMatchObject({ userId: 'lina', iat: 1000 })
    expect(readSessionToken(signer, token, 1000 + 7 * 24 * 3600)).toBeNull()
  })

  it('rejects tampering, another secret and another purpose', () => {
    const token = createSessionToken(signer, 'lina', 1000)
    const [data, mac] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ userId: 'wanglei', iat: 1000, exp: 9e9 })).toString('base64url')
    expect(readSessionToken(signer, `${forged}.${mac}`, 1001)).toBeNull()
    expect(readSessionToken(signer, `${data}.${mac}x`, 1001)).toBeNull()
    expect(readSessionToken(new Signer('t'.repeat(40)), token, 1001)).toBeNull()
    const oauth = createOAuthState(signer, '/', 1000).cookie
    expect(readSessionToken(signer, oauth, 1001)).toBeNull()
    expect(readSessionToken(signer, undefined)).toBeNull()
    expect(readSessionToken(signer, 'garbage')).toBeNull()
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
