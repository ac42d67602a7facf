import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { loadConfig } from '../../src/server/env'
import { SESSION_SECRET } from '../helpers/app'
import { createTestDb, type TestDb } from '../helpers/db'
import { fakeDist } from '../helpers/dist'

/**
 * The app shell's headers (issue 14, "Headers"): a Content-Security-Policy that runs only
 * our own scripts and lets only ourselves frame the app, HSTS when PUBLIC_URL is https,
 * and never X-Frame-Options: DENY (the simulator and the desk's preview frame the app).
 */
/** The policy as directive → sources. */
function policy(header: unknown): Map<string, string[]> {
  return new Map(
    String(header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  )
}

describe('security headers on the app shell', () => {
  let testDb: TestDb
  let real: FastifyInstance
  let simulator: FastifyInstance
  const dist = fakeDist()

  beforeAll(async () => {
    testDb = await createTestDb('sqlite')
    const make = async (env: Record<string, string>) => {
      const { app } = await buildApp({ config: loadConfig(env, { persistSecrets: false }), db: testDb.db, distDir: dist })
      await app.ready()
      return app
    }
    real = await make({
      WECOM_CORP_ID: 'wwcorp',
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 's',
      PUBLIC_URL: 'https://sidebar.example.com',
      SESSION_SECRET,
    })
    simulator = await make({ SESSION_SECRET })
  })
  afterAll(async () => {
    await real.close()
    await simulator.close()
    await testDb.drop()
  })

  it('gives the app a policy that runs only our scripts and is framed only by us', async () => {
    const res = await real.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(200)
    const csp = policy(res.headers['content-security-policy'])
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('script-src-attr')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'self'"])
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(csp.get('connect-src')).toEqual(["'self'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'self'"])
    // Vant's inline styles; product photos and avatars from anywhere over https.
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
    expect(csp.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'https:', 'data:', 'blob:']))
    expect(csp.has('upgrade-insecure-requests')).toBe(true)
  })

  it('is served without any inline script for the policy to refuse', async () => {
    const html = (await real.inject({ method: 'GET', url: '/' })).body
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    // Each loads a file of ours, or is the client config: JSON, a data block a browser never runs.
    for (const attributes of scripts) expect(attributes).toMatch(/\bsrc="\/|type="application\/json"/)
  })

  it('says HSTS when PUBLIC_URL is https, and never X-Frame-Options: DENY', async () => {
    for (const url of ['/', '/api/health', '/api/me']) {
      const res = await real.inject({ method: 'GET', url })
      expect(res.headers['strict-transport-security'], url).toMatch(/^max-age=31536000/)
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN')
      expect(res.headers['x-content-type-options'], url).toBe('nosniff')
      expect(res.headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin')
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'self'")
    }
  })

  it('keeps a simulator on plain http working: no HSTS, no upgrade to https; its page has the policy too', async () => {
    for (const url of ['/', '/simulator']) {
      const res = await simulator.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['strict-transport-security'], url).toBeUndefined()
      const csp = policy(res.headers['content-security-policy'])
      expect(csp.has('upgrade-insecure-requests'), url).toBe(false)
      expect(csp.get('script-src'), url).toEqual(["'self'"])
      expect(csp.get('frame-ancestors'), url).toEqual(["'self'"])
      expect(res.headers['x-frame-options'], url).not.toBe('DENY')
    }
  })
})
