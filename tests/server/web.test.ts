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

  it('speaks her language and, in a browser, preloads the app and that dictionary only, beside what the entry loads', async () => {
    const t = await createTestApp('sqlite', { mode: 'real', distDir: fakeDist() })
    try {
      const zh = (await t.app.inject({ method: 'GET', url: '/' })).body
      expect(zh).toContain('<html lang="zh-CN"')
      expect(zh).toContain('<link rel="modulepreload" crossorigin href="/assets/zh-CN-111.js">')
      expect(zh).not.toContain('en-US-222')
      const en = await t.app.inject({ method: 'GET', url: '/workbench', headers: { cookie: 'gs_lang=en-US' } })
      expect(en.body).toContain('<html lang="en-US"')
      expect(en.body).toContain('href="/assets/en-US-222.js"')
      expect(en.body).toContain('href="/assets/vant-en-333.js"')
      // Vite's own tag already preloads what the entry imports: not named twice.
      expect(en.body.match(/vue-def\.js/g)).toHaveLength(1)
      expect(en.headers.vary).toContain('cookie')
      // Her WeCom's language, and her own choice over it.
      const wecomEn = await t.app.inject({ method: 'GET', url: '/', headers: { 'user-agent': `${WXWORK} Language/en` } })
      expect(wecomEn.body).toContain('<html lang="en-US"')
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

  it('names nothing beyond the entry inside WeCom (her name comes first), and the app and its styles in a browser', async () => {
    const t = await createTestApp('sqlite', { mode: 'real', distDir: fakeDist() })
    try {
      const app = [
        '<link rel="modulepreload" crossorigin href="/assets/start-app-666.js">',
        '<link rel="modulepreload" crossorigin href="/assets/app-777.js">',
        '<link rel="preload" as="style" crossorigin href="/assets/start-app-666.css">',
      ]
      const browser = (await t.app.inject({ method: 'GET', url: '/' })).body
      for (const tag of app) expect(browser).toContain(tag)
      // What the entry already loads is not named twice.
      expect(browser.match(/href="\/assets\/vue-def.js"/g)).toHaveLength(1)
      expect(browser).not.toContain('href="/assets/index-abc.css"')
      // Not even the customer screen: the entry asks for it once her name is drawn.
      expect(browser).not.toContain('CustomerPage-444')
      const wecomPage = await t.app.inject({ method: 'GET', url: '/', headers: { 'user-agent': WXWORK } })
      const inWecom = wecomPage.body
      expect(signatureIn(inWecom)).not.toBeNull()
      // No opener policy inside WeCom (it would cost a switch of renderer before the page is read); a browser keeps it.
      expect(wecomPage.headers['cross-origin-opener-policy']).toBeUndefined()
      expect((await t.app.inject({ method: 'GET', url: '/' })).headers['cross-origin-opener-policy']).toBe('same-origin')
      expect(wecomPage.headers['content-security-policy']).toContain("script-src 'self'")
      expect(inWecom).not.toContain('rel="preload"')
      expect(inWecom.match(/rel="modulepreload"/g)).toHaveLength(1)
      expect(inWecom).not.toContain('CustomerPage-444')
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
