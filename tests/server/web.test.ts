import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { loadConfig } from '../../src/server/env'
import { createTestDb, type TestDb } from '../helpers/db'
import { fakeDist } from '../helpers/dist'
import { REAL_CORP_ID, SESSION_SECRET, createTestApp } from '../helpers/app'
import type { EmbeddedSignature } from '../../src/shared/wecom'

describe('serving the app', () => {
  let testDb: TestDb
  const dist = fakeDist()
  const data = mkdtempSync(path.join(tmpdir(), 'gs-data-'))
  writeFileSync(path.join(data, 'WW_verify_AbC123.txt'), 'AbC123')

  beforeAll(async () => {
    testDb = await createTestDb('sqlite')
  })
  afterAll(() => testDb.drop())

  const make = async (mode: 'real' | 'simulator') => {
    const env =
      mode === 'real'
        ? {
            WECOM_CORP_ID: 'wwcorp',
            WECOM_AGENT_ID: '1000002',
            WECOM_SECRET: 's',
            PUBLIC_URL: 'https://s.example.com',
            SESSION_SECRET,
            DATA_DIR: data,
          }
        : { SESSION_SECRET, DATA_DIR: data }
    const { app } = await buildApp({ config: loadConfig(env, { persistSecrets: false }), db: testDb.db, distDir: dist })
    await app.ready()
    return app
  }

  it('embeds the client config, and in simulator mode the bridge before the app', async () => {
    const app = await make('simulator')
    const res = await app.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain(
      '<script id="gs-config" type="application/json">{"corpId":"wwsimulator0000001","agentId":"1000002","mode":"simulator"}</script>',
    )
    expect(res.body.indexOf('/assets/bridge-xyz.js')).toBeGreaterThan(-1)
    expect(res.body.indexOf('/assets/bridge-xyz.js')).toBeLessThan(res.body.indexOf('/assets/index-abc.js'))
    expect(res.headers['cache-control']).toBe('no-cache')
    expect((await app.inject({ method: 'GET', url: '/simulator/' })).body).toContain('<title>simulator</title>')
    await app.close()
  })

  it('has nothing under /simulator in real mode, and no bridge', async () => {
    const app = await make('real')
    const page = await app.inject({ method: 'GET', url: '/' })
    expect(page.body).not.toContain('bridge')
    expect(page.body).toContain('"mode":"real"')
    for (const url of [
      '/simulator/',
      '/simulator',
      '/simulator/api/world',
      '/simulator/wecom-api/cgi-bin/gettoken?corpid=wwcorp&corpsecret=s',
      '/simulator/connect/oauth2/authorize',
    ]) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(404)
    }
    expect((await app.inject({ method: 'POST', url: '/simulator/api/agent-config', payload: {} })).statusCode).toBe(404)
    await app.close()
  })

  it('serves client routes, assets with long caching, and WeCom’s domain verify file', async () => {
    const app = await make('real')
    expect((await app.inject({ method: 'GET', url: '/workbench' })).statusCode).toBe(200)
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js' })
    expect(asset.statusCode).toBe(200)
    expect(asset.headers['cache-control']).toContain('immutable')
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404)
    expect((await app.inject({ method: 'GET', url: '/missing.png' })).statusCode).toBe(404)
    const verify = await app.inject({ method: 'GET', url: '/WW_verify_AbC123.txt' })
    expect(verify.statusCode).toBe(200)
    expect(verify.body).toBe('AbC123')
    expect((await app.inject({ method: 'GET', url: '/WW_verify_Nope.txt' })).statusCode).toBe(404)
    expect((await app.inject({ method: 'GET', url: '/.vite/manifest.json' })).statusCode).toBe(404)
    await app.close()
  })

  it('draws demo pictures as SVG', async () => {
    const app = await make('simulator')
    const garment = await app.inject({ method: 'GET', url: '/media/demo/garment/dress-0-e8bfc4.svg' })
    expect(garment.statusCode).toBe(200)
    expect(garment.headers['content-type']).toContain('image/svg+xml')
    expect(garment.body).toContain('#e8bfc4')
    expect((await app.inject({ method: 'GET', url: '/media/demo/garment/robot-0-e8bfc4.svg' })).statusCode).toBe(404)
    expect((await app.inject({ method: 'GET', url: '/media/demo/avatar/lina.svg' })).statusCode).toBe(200)
    await app.close()
  })
})

describe('the page, completed per request', () => {
  const WXWORK = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile wxwork/4.1.30 MicroMessenger/7.0.1'
  const signatureIn = (html: string): EmbeddedSignature | null => {
    const json = /<script id="gs-signature" type="application\/json">(.*?)<\/script>/.exec(html)?.[1]
    return json ? (JSON.parse(json) as EmbeddedSignature) : null
  }

  it('speaks her language and preloads that dictionary only, beside what the entry loads', async () => {
    const t = await createTestApp('sqlite', { mode: 'real', distDir: fakeDist() })
    try {
      const zh = (await t.app.inject({ method: 'GET', url: '/' })).body
      expect(zh).toContain('<html lang="zh-CN"')
      expect(zh).toContain('<link rel="modulepreload" crossorigin href="/assets/zh-CN-111.js">')
      expect(zh).not.toContain('en-US-222')
      const en = await t.app.inject({ method: 'GET', url: '/workbench', headers: { 'user-agent': `${WXWORK} Language/en` } })
      expect(en.body).toContain('<html lang="en-US"')
      expect(en.body).toContain('href="/assets/en-US-222.js"')
      expect(en.body).toContain('href="/assets/vant-en-333.js"')
      // Vite's own tag already preloads what the entry imports: not named twice.
      expect(en.body.match(/vue-def\.js/g)).toHaveLength(1)
      expect(en.headers.vary).toContain('cookie')
      // Her own choice beats her WeCom's language.
      const chosen = await t.app.inject({ method: 'GET', url: '/', headers: { 'user-agent': WXWORK, cookie: 'gs_lang=en-US' } })
      expect(chosen.body).toContain('<html lang="en-US"')
    } finally {
      await t.close()
    }
  })

  it('carries agentConfig’s signature for the URL requested, in WeCom only', async () => {
    const t = await createTestApp('sqlite', { mode: 'real', distDir: fakeDist() })
    try {
      const res = await t.app.inject({ method: 'GET', url: '/?from=chat', headers: { 'user-agent': WXWORK } })
      const signed = signatureIn(res.body)!
      expect(signed).toMatchObject({ corpId: REAL_CORP_ID, url: 'https://sidebar.example.com/?from=chat' })
      expect(signed.timestamp).toBe(Math.floor(t.clock.value / 1000))
      const ticket = t.world.currentTicket('agent')!
      const expected = createHash('sha1')
        .update(`jsapi_ticket=${ticket}&noncestr=${signed.nonceStr}&timestamp=${signed.timestamp}&url=${signed.url}`)
        .digest('hex')
      expect(signed.signature).toBe(expected)
      // A fresh nonce each time the page is served.
      const again = signatureIn(
        (await t.app.inject({ method: 'GET', url: '/?from=chat', headers: { 'user-agent': WXWORK } })).body,
      )!
      expect(again.nonceStr).not.toBe(signed.nonceStr)
      // Outside WeCom the SDK signs nothing: no ticket is spent on a plain browser.
      expect(signatureIn((await t.app.inject({ method: 'GET', url: '/' })).body)).toBeNull()
      expect(t.world.callCount('ticket/get')).toBe(1)
    } finally {
      await t.close()
    }
  })

  it('preloads the customer screen inside WeCom (even without a signature), and nowhere else', async () => {
    const t = await createTestApp('sqlite', { mode: 'real', distDir: fakeDist() })
    try {
      const screen = [
        '<link rel="modulepreload" crossorigin href="/assets/CustomerPage-444.js">',
        '<link rel="modulepreload" crossorigin href="/assets/avatar-555.js">',
        '<link rel="preload" as="style" crossorigin href="/assets/CustomerPage-444.css">',
        '<link rel="preload" as="style" crossorigin href="/assets/avatar-555.css">',
      ]
      t.world.injectFault('ticket/get', 48002)
      const unsigned = (await t.app.inject({ method: 'GET', url: '/', headers: { 'user-agent': WXWORK } })).body
      expect(signatureIn(unsigned)).toBeNull()
      for (const tag of screen) expect(unsigned).toContain(tag)
      const inWecom = (await t.app.inject({ method: 'GET', url: '/', headers: { 'user-agent': WXWORK } })).body
      expect(signatureIn(inWecom)).not.toBeNull()
      for (const tag of screen) expect(inWecom).toContain(tag)
      // What the entry already loads is not named twice.
      expect(inWecom.match(/href="\/assets\/vue-def.js"/g)).toHaveLength(1)
      expect(inWecom).not.toContain('href="/assets/index-abc.css"')
      // A plain browser (the desk, a customer's link) is not a chat's sidebar.
      const browser = (await t.app.inject({ method: 'GET', url: '/' })).body
      expect(browser).not.toContain('CustomerPage-444')
    } finally {
      await t.close()
    }
  })

  it('serves the page without a signature when WeCom will not give a ticket, and the app asks the endpoint instead', async () => {
    const t = await createTestApp('sqlite', { mode: 'real', distDir: fakeDist() })
    try {
      t.world.injectFault('ticket/get', 48002)
      const res = await t.app.inject({ method: 'GET', url: '/', headers: { 'user-agent': WXWORK } })
      expect(res.statusCode).toBe(200)
      expect(signatureIn(res.body)).toBeNull()
      expect(res.body).toContain('<div id="app">')
    } finally {
      await t.close()
    }
  })
})
