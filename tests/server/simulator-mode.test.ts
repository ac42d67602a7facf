/**
 * Simulator mode says so on every page (issue 14): the app shell, the customer's coupon
 * and lookbook pages, the sign-in error page. Real mode never shows the badge.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { loadConfig } from '../../src/server/env'
import { SIMULATOR_BADGE_TEXT } from '../../src/server/http/simulator-badge'
import { SESSION_SECRET } from '../helpers/app'
import { createTestDb, type TestDb } from '../helpers/db'
import { fakeDist } from '../helpers/dist'

describe('the simulator badge', () => {
  let testDb: TestDb
  const dist = fakeDist()
  const apps: FastifyInstance[] = []

  beforeAll(async () => {
    testDb = await createTestDb('sqlite')
  })
  afterAll(async () => {
    for (const app of apps) await app.close()
    await testDb.drop()
  })

  const make = async (env: Record<string, string>) => {
    const config = loadConfig({ SESSION_SECRET, ...env }, { persistSecrets: false, cwd: '/tmp/guide-sidebar-tests' })
    const { app } = await buildApp({ config, db: testDb.db, distDir: dist, eveningReportMs: 0, weeklyRankingMs: 0, taskJobMs: 0 })
    await app.ready()
    apps.push(app)
    return app
  }
  const pages = ['/', '/customer/wm123', `/l/${'A'.repeat(32)}`, '/c/AAAAAAAAAAAA']

  it('is on every page in simulator mode, once, inside the body', async () => {
    const app = await make({})
    for (const url of pages) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })
      expect(res.headers['content-type'], url).toMatch(/^text\/html/)
      expect(res.body.split(SIMULATOR_BADGE_TEXT), url).toHaveLength(2)
      const end = res.body.toLowerCase().lastIndexOf('</body>')
      if (end >= 0) expect(res.body.indexOf('gs-simulator-badge'), url).toBeLessThan(end)
    }
    // The sign-in error page a browser gets.
    const failed = await app.inject({ method: 'GET', url: '/api/auth/callback?code=x&state=y', headers: { accept: 'text/html' } })
    expect(failed.body).toContain(SIMULATOR_BADGE_TEXT)
    // JSON and pictures are left alone.
    const health = await app.inject({ method: 'GET', url: '/api/health' })
    expect(health.body).not.toContain(SIMULATOR_BADGE_TEXT)
    expect(() => health.json()).not.toThrow()
  })

  it('is on the pages of a simulator run at a public address on purpose (SIMULATOR=1)', async () => {
    const app = await make({ PUBLIC_URL: 'https://demo.example.com', SIMULATOR: '1' })
    expect((await app.inject({ method: 'GET', url: '/' })).body).toContain(SIMULATOR_BADGE_TEXT)
  })

  it('is never shown in real mode', async () => {
    const app = await make({
      WECOM_CORP_ID: 'wwcorp',
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 's',
      PUBLIC_URL: 'https://s.example.com',
    })
    for (const url of pages) expect((await app.inject({ method: 'GET', url })).body, url).not.toContain(SIMULATOR_BADGE_TEXT)
  })
})
