import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { loadConfig } from '../../src/server/env'
import { createTestDb, type TestDb } from '../helpers/db'
import { fakeDist } from '../helpers/dist'
import { SESSION_SECRET } from '../helpers/app'

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
