import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../helpers/db'
import { REAL_AGENT_ID, REAL_CORP_ID, createTestApp, type TestApp } from '../helpers/app'

function expected(ticket: string, nonceStr: string, timestamp: number, url: string): string {
  return createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`).digest('hex')
}

const sign = (t: TestApp, url: string, type?: string) =>
  t.app.inject({ method: 'GET', url: `/api/wecom/jssdk-signature?url=${encodeURIComponent(url)}${type ? `&type=${type}` : ''}` })

describe.each(DB_KINDS)('GET /api/wecom/jssdk-signature (%s)', (kind) => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp(kind, { mode: 'real' })
  })
  afterEach(() => t.close())

  it('signs the page with the agent_config ticket, timestamp in seconds, fragment dropped', async () => {
    const page = 'https://sidebar.example.com/?a=1&b=中文'
    const res = await sign(t, `${page}#/customer`, 'agent')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(Object.keys(body).sort()).toEqual(['agentId', 'corpId', 'nonceStr', 'signature', 'timestamp'])
    expect(body.corpId).toBe(REAL_CORP_ID)
    expect(body.agentId).toBe(REAL_AGENT_ID)
    expect(Number.isInteger(body.timestamp)).toBe(true)
    expect(body.timestamp).toBe(Math.floor(t.clock.value / 1000))
    const ticket = t.world.currentTicket('agent')!
    expect(body.signature).toBe(expected(ticket, body.nonceStr, body.timestamp, page))
    expect(t.world.callCount('ticket/get')).toBe(1)
    expect(t.world.callCount('get_jsapi_ticket')).toBe(0)
  })

  it('signs with the corp jsapi ticket for type=corp and defaults to agent', async () => {
    const page = 'https://sidebar.example.com/'
    const corp = (await sign(t, page, 'corp')).json()
    expect(corp.signature).toBe(expected(t.world.currentTicket('corp')!, corp.nonceStr, corp.timestamp, page))
    const fallback = (await sign(t, page)).json()
    expect(fallback.signature).toBe(expected(t.world.currentTicket('agent')!, fallback.nonceStr, fallback.timestamp, page))
  })

  it.each([
    'https://evil.example.com/',
    'https://sidebar.example.com.evil.example/',
    'https://sidebar.example.com:8443/',
    'javascript:alert(1)',
    'not a url',
    '/relative/path',
  ])('refuses %s with a 4xx', async (url) => {
    const res = await sign(t, url)
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.statusCode).toBeLessThan(500)
    expect(res.json()).toMatchObject({ error: { code: 'bad_request' } })
  })

  it('refuses a missing url and an unknown type', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/wecom/jssdk-signature' })).statusCode).toBe(400)
    expect((await sign(t, 'https://sidebar.example.com/', 'suite')).statusCode).toBe(400)
  })

  it('fetches one token and one ticket for 40 concurrent first requests', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => sign(t, `https://sidebar.example.com/?n=${i}`)))
    expect(results.every((r) => r.statusCode === 200)).toBe(true)
    expect(t.world.callCount('gettoken')).toBe(1)
    expect(t.world.callCount('ticket/get')).toBe(1)
  })

  it('keeps the ticket cached until shortly before it expires', async () => {
    await sign(t, 'https://sidebar.example.com/')
    t.clock.advance(7200_000 - 6 * 60_000)
    await sign(t, 'https://sidebar.example.com/')
    expect(t.world.callCount('ticket/get')).toBe(1)
    t.clock.advance(2 * 60_000)
    await sign(t, 'https://sidebar.example.com/')
    expect(t.world.callCount('ticket/get')).toBe(2)
  })

  it('recovers from a token WeCom expired early (42001): one new token, one retry', async () => {
    await t.app.inject({ method: 'GET', url: '/api/me' })
    // Warm the token with a corp ticket, then kill it before the agent ticket is fetched.
    await sign(t, 'https://sidebar.example.com/', 'corp')
    t.world.expireTokens()
    const results = await Promise.all(Array.from({ length: 10 }, () => sign(t, 'https://sidebar.example.com/', 'agent')))
    expect(results.every((r) => r.statusCode === 200)).toBe(true)
    expect(t.world.callCount('gettoken')).toBe(2)
    expect(t.world.callCount('ticket/get')).toBe(2)
  })

  it('turns WeCom trouble into a 502/503 with the error body, never a crash', async () => {
    t.world.injectFault('gettoken', 40001, 1, 'invalid credential')
    const refused = await sign(t, 'https://sidebar.example.com/')
    expect(refused.statusCode).toBe(503)
    expect(refused.json()).toMatchObject({ error: { code: 'wecom_unavailable' } })
    t.world.injectFault('ticket/get', 45009, 1, 'api freq out of limit')
    const limited = await sign(t, 'https://sidebar.example.com/')
    expect(limited.statusCode).toBe(503)
    expect(limited.json()).toMatchObject({ error: { code: 'wecom_busy' } })
    expect(limited.headers['retry-after']).toBe('60')
    // WeCom's minute block: no call until it has passed.
    t.clock.advance(60_000)
    const ok = await sign(t, 'https://sidebar.example.com/')
    expect(ok.statusCode).toBe(200)
  })

  it('hands the client its corp id and agent id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/wecom/config' })
    expect(res.json()).toEqual({ corpId: REAL_CORP_ID, agentId: REAL_AGENT_ID, mode: 'real' })
  })
})

describe.each(DB_KINDS)('signature in simulator mode (%s)', (kind) => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp(kind)
  })
  afterEach(() => t.close())

  it('trusts the host the browser used when PUBLIC_URL is unset, and the simulator accepts the signature', async () => {
    const page = 'http://localhost:8080/'
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/wecom/jssdk-signature?url=${encodeURIComponent(page)}`,
      headers: { host: 'localhost:8080' },
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    const verdict = await t.app.inject({
      method: 'POST',
      url: '/simulator/api/agent-config',
      payload: {
        url: page,
        corpid: body.corpId,
        agentid: body.agentId,
        timestamp: body.timestamp,
        nonceStr: body.nonceStr,
        signature: body.signature,
      },
    })
    expect(verdict.json()).toEqual({ ok: true })
    const tampered = await t.app.inject({
      method: 'POST',
      url: '/simulator/api/agent-config',
      payload: {
        url: `${page}?x=1`,
        corpid: body.corpId,
        agentid: body.agentId,
        timestamp: body.timestamp,
        nonceStr: body.nonceStr,
        signature: body.signature,
      },
    })
    expect(tampered.json()).toMatchObject({ ok: false, errCode: 40093 })
    const otherHost = await t.app.inject({
      method: 'GET',
      url: `/api/wecom/jssdk-signature?url=${encodeURIComponent('http://evil.example/')}`,
      headers: { host: 'localhost:8080' },
    })
    expect(otherHost.statusCode).toBe(400)
  })
})
