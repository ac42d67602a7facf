/**
 * Logs (issue 14): JSON lines with the request's id, echoed as x-request-id, and never a
 * token, secret, OAuth code, cookie, Authorization header or whole phone number, whether
 * they come in logged objects, messages or error messages and stacks.
 */
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { loadConfig } from '../../src/server/env'
import { scrubText } from '../../src/server/http/logging'
import { SESSION_SECRET, TestClock } from '../helpers/app'
import { createTestDb, type TestDb } from '../helpers/db'

const SECRETS = [
  'SECRET_TOKEN',
  'OAUTHCODE',
  '13800138000',
  '13912345678',
  'S3CR3T',
  'TKN-NESTED',
  'TKN-MSG',
  'sess-xyz',
  'abc.def',
]

describe('logs', () => {
  let testDb: TestDb
  let app: FastifyInstance
  const lines: string[] = []

  beforeAll(async () => {
    testDb = await createTestDb('sqlite')
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
        done()
      },
    })
    const config = loadConfig({ SESSION_SECRET }, { persistSecrets: false, cwd: '/tmp/guide-sidebar-tests' })
    ;({ app } = await buildApp({
      config,
      db: testDb.db,
      now: new TestClock().now,
      distDir: '/nonexistent',
      eveningReportMs: 0,
      weeklyRankingMs: 0,
      taskJobMs: 0,
      couponSweepMs: 0,
      logger: { level: 'info', stream },
    }))
    // Stand-ins for what real code logs: a WeCom call's URL in an error, a callback's query, headers.
    app.get('/test/boom', async () => {
      throw new Error(
        'GET https://qyapi.weixin.qq.com/cgi-bin/user/get?access_token=SECRET_TOKEN&userid=lina failed for 13800138000',
      )
    })
    app.get('/test/warn', async (request) => {
      request.log.warn(
        {
          headers: { authorization: 'Bearer abc.def', cookie: 'gs_session=sess-xyz', 'user-agent': 'wxwork' },
          url: '/api/auth/callback?code=OAUTHCODE&state=s1',
          corpsecret: 'S3CR3T',
          nested: { deeper: { access_token: 'TKN-NESTED' } },
          phone: '+86 139 1234 5678',
          storeId: 'S001',
        },
        'callback for 13800138000 with access_token=TKN-MSG',
      )
      return { ok: true }
    })
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
    await testDb.drop()
  })

  it('answers with a request id, taking a sane incoming one and replacing anything else', async () => {
    const own = await app.inject({ method: 'GET', url: '/api/health' })
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const other = await app.inject({ method: 'GET', url: '/api/health' })
    expect(other.headers['x-request-id']).not.toBe(own.headers['x-request-id'])

    const given = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'lb-7f3a.91:2' } })
    expect(given.headers['x-request-id']).toBe('lb-7f3a.91:2')
    for (const bad of ['has space', 'x'.repeat(65), '<script>', 'a"b']) {
      const res = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': bad } })
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    }
    // Errors and 404s carry it too.
    expect((await app.inject({ method: 'GET', url: '/api/nothing-here' })).headers['x-request-id']).toBeDefined()
  })

  it('writes JSON lines with the request id and no secrets, codes, cookies or whole phone numbers', async () => {
    lines.length = 0
    const boom = await app.inject({ method: 'GET', url: '/test/boom', headers: { 'x-request-id': 'req-boom-1' } })
    expect(boom.statusCode).toBe(500)
    expect(boom.body).not.toContain('SECRET_TOKEN')
    const warn = await app.inject({ method: 'GET', url: '/test/warn', headers: { 'x-request-id': 'req-warn-1' } })
    expect(warn.statusCode).toBe(200)

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    const boomLine = parsed.find((l) => l.reqId === 'req-boom-1')
    const warnLine = parsed.find((l) => l.reqId === 'req-warn-1')
    expect(boomLine).toMatchObject({ level: 50, msg: 'Unhandled error', err: { type: 'Error' } })
    expect(warnLine).toMatchObject({ level: 40, storeId: 'S001', headers: { 'user-agent': 'wxwork' } })

    const text = lines.join('\n')
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret)
    // What is left is still useful: the API, the user, the last four digits.
    expect(text).toContain('/cgi-bin/user/get?access_token=[redacted]&userid=lina')
    expect(text).toContain('*******8000')
    expect(text).toContain('*******5678')
    expect(text).toContain('code=[redacted]&state=s1')
  })

  it('scrubs bearer links, headers and cookies wherever they appear in text', () => {
    expect(scrubText('opened https://s.example.com/c/K7QX2M9P and /l/tok_abc123?x=1')).toBe(
      'opened https://s.example.com/c/[redacted] and /l/[redacted]?x=1',
    )
    expect(scrubText('Authorization: Bearer demo-till-S001')).toBe('Authorization: Bearer [redacted]')
    expect(scrubText('cookie gs_session=abc; gs_preview=def')).toBe('cookie gs_session=[redacted]; gs_preview=[redacted]')
    expect(scrubText('gettoken?corpid=ww1&corpsecret=shh')).toBe('gettoken?corpid=ww1&corpsecret=[redacted]')
    // Order numbers and timestamps are not phones.
    expect(scrubText('order 202612051234567 at 1764892800000')).toBe('order 202612051234567 at 1764892800000')
  })
})
