/**
 * Collages fetch catalogue pictures through image-fetch.ts (issue 14): a picture at a
 * private or loopback address is not fetched (drawn as a placeholder, for good) unless
 * IMAGE_FETCH_ALLOW_HOSTS names its host; our own pictures by their full PUBLIC_URL address
 * are read in-process.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { loadConfig } from '../../src/server/env'
import { SESSION_SECRET } from '../helpers/app'
import { createTestDb, type TestDb } from '../helpers/db'

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>'

describe('collage pictures', () => {
  let testDb: TestDb
  let server: Server
  let base: string
  let hits = 0
  const apps: FastifyInstance[] = []

  beforeAll(async () => {
    testDb = await createTestDb('sqlite')
    server = createServer((_req, res) => {
      hits++
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    for (const app of apps) await app.close()
    await new Promise((resolve) => server.close(resolve))
    await testDb.drop()
  })

  const make = async (env: Record<string, string>) => {
    const config = loadConfig({ SESSION_SECRET, ...env }, { persistSecrets: false, cwd: '/tmp/guide-sidebar-tests' })
    const { app } = await buildApp({
      config,
      db: testDb.db,
      distDir: '/nonexistent',
      eveningReportMs: 0,
      weeklyRankingMs: 0,
      taskJobMs: 0,
    })
    await app.ready()
    apps.push(app)
    return app
  }
  let next = 0
  const collage = async (imageUrl: string) => {
    const key = (++next).toString(16).padStart(32, 'a')
    await testDb.db.kysely
      .insertInto('bundle_collages')
      .values({ key, spec: JSON.stringify([{ imageUrl, category: 'top' }]), png: null, created_at: 0 })
      .execute()
    return `/media/collages/${key}.png`
  }

  it('does not fetch a picture on a loopback address, and keeps the placeholder', async () => {
    const app = await make({})
    const res = await app.inject({ method: 'GET', url: await collage(`${base}/piece.svg`) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    // Refused is a lasting answer: the collage is kept as drawn.
    expect(res.headers['cache-control']).toContain('immutable')
    expect(hits).toBe(0)
  })

  it('fetches it when IMAGE_FETCH_ALLOW_HOSTS names the host', async () => {
    const app = await make({ IMAGE_FETCH_ALLOW_HOSTS: '127.0.0.1' })
    const res = await app.inject({ method: 'GET', url: await collage(`${base}/piece.svg`) })
    expect(res.statusCode).toBe(200)
    expect(hits).toBe(1)
  })

  it('reads our own pictures by their public address in-process', async () => {
    const app = await make({
      WECOM_CORP_ID: 'wwcorp',
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 's',
      PUBLIC_URL: 'https://sidebar.example.com',
    })
    const res = await app.inject({
      method: 'GET',
      url: await collage('https://sidebar.example.com/media/coupon-cover/amount_off.png'),
    })
    expect(res.statusCode).toBe(200)
    // Over the network this host would not resolve: a passing failure, not kept.
    expect(res.headers['cache-control']).toContain('immutable')
  })
})
