import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/server/env'

const opts = { persistSecrets: false, cwd: '/srv/app' }
const real = {
  WECOM_CORP_ID: 'wwcorp',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'secret',
  PUBLIC_URL: 'https://sidebar.example.com',
  SESSION_SECRET: 'k'.repeat(32),
}

describe('loadConfig', () => {
  it('runs the simulator with no WeCom credentials, on SQLite in the data folder', () => {
    const config = loadConfig({}, opts)
    expect(config.port).toBe(8080)
    // Anyone who reaches a simulator can sign in as anyone: this machine only, by default.
    expect(config.host).toBe('127.0.0.1')
    expect(config.wecom.mode).toBe('simulator')
    expect(config.wecom.apiBase).toBe('http://127.0.0.1:8080/simulator/wecom-api')
    expect(config.database).toEqual({ kind: 'sqlite', file: '/srv/app/data/guide-sidebar-demo.db' })
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32)
  })

  it('keeps the demo and a real deployment in different SQLite files of the data folder', () => {
    expect(loadConfig({}, opts).database).toEqual({ kind: 'sqlite', file: '/srv/app/data/guide-sidebar-demo.db' })
    expect(loadConfig(real, opts).database).toEqual({ kind: 'sqlite', file: '/srv/app/data/guide-sidebar.db' })
    expect(loadConfig({ ...real, DATA_DIR: '/var/lib/gs' }, opts).database).toEqual({
      kind: 'sqlite',
      file: '/var/lib/gs/guide-sidebar.db',
    })
    expect(loadConfig({ DATA_DIR: 'demo' }, opts).database).toEqual({
      kind: 'sqlite',
      file: '/srv/app/demo/guide-sidebar-demo.db',
    })
    // An explicit DATABASE_URL is taken as it is in either mode.
    expect(loadConfig({ ...real, DATABASE_URL: 'sqlite:/x/app.db' }, opts).database).toEqual({
      kind: 'sqlite',
      file: '/x/app.db',
    })
  })

  it('names the demo brand in simulator mode, and no brand in real mode unless BRAND_NAME says one', () => {
    expect(loadConfig({}, opts).brandName).toBe('绮澜 QILAN')
    expect(loadConfig(real, opts).brandName).toBe('')
    expect(loadConfig({ ...real, BRAND_NAME: ' Maison Lune 月屿 ' }, opts).brandName).toBe('Maison Lune 月屿')
    expect(loadConfig({ BRAND_NAME: 'Maison Lune' }, opts).brandName).toBe('Maison Lune')
  })

  it('runs against WeCom with all three credentials', () => {
    const config = loadConfig({ ...real, WECOM_MANAGER_IDS: ' wanglei, boss ,', WECOM_ADMIN_IDS: 'hq,,ops ', PORT: '9000' }, opts)
    expect(config.wecom).toMatchObject({
      mode: 'real',
      corpId: 'wwcorp',
      agentId: '1000002',
      apiBase: 'https://qyapi.weixin.qq.com',
      oauthAuthorizeUrl: 'https://open.weixin.qq.com/connect/oauth2/authorize',
    })
    expect([...config.wecom.managerIds]).toEqual(['wanglei', 'boss'])
    expect([...config.wecom.adminIds]).toEqual(['hq', 'ops'])
    expect(config.publicUrl).toBe('https://sidebar.example.com')
    expect(config.port).toBe(9000)
  })

  it('takes WECOM_API_BASE and DATABASE_URL', () => {
    const config = loadConfig({ ...real, WECOM_API_BASE: 'http://127.0.0.1:9999/', DATABASE_URL: 'postgres://u@h/db' }, opts)
    expect(config.wecom.apiBase).toBe('http://127.0.0.1:9999')
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' })
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/gs.db' }, opts).database).toEqual({
      kind: 'sqlite',
      file: '/var/lib/gs.db',
    })
  })

  it.each([
    [{ WECOM_CORP_ID: 'ww' }, /incomplete.*WECOM_AGENT_ID, WECOM_SECRET/],
    [{ ...real, PUBLIC_URL: '' }, /PUBLIC_URL is required/],
    [{ ...real, PUBLIC_URL: 'sidebar.example.com' }, /PUBLIC_URL must be an absolute URL/],
    [{ ...real, PUBLIC_URL: 'https://sidebar.example.com/app' }, /without a path/],
    [{ ...real, PUBLIC_URL: 'ftp://sidebar.example.com' }, /http or https/],
    [{ ...real, SESSION_SECRET: 'short' }, /SESSION_SECRET.*32/],
    [{ ...real, SESSION_SECRET: undefined }, /SESSION_SECRET/],
    [{ ...real, WECOM_AGENT_ID: 'abc' }, /WECOM_AGENT_ID must be the numeric AgentId/],
    [{ ...real, WECOM_API_BASE: 'not a url' }, /WECOM_API_BASE/],
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with sqlite: or postgres:/],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET must be at least 32/],
    [{ ...real, BRAND_NAME: 'x'.repeat(41) }, /BRAND_NAME must be one line of at most 40/],
    [{ BRAND_NAME: 'two\nlines' }, /BRAND_NAME/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => loadConfig(env as Record<string, string | undefined>, opts)).toThrow(ConfigError)
    expect(() => loadConfig(env as Record<string, string | undefined>, opts)).toThrow(message)
  })

  it('sends bundles as mini-program cards only when both lookbook settings are given and valid', () => {
    expect(loadConfig({}, opts).lookbookMiniprogram).toBeNull()
    const page = 'pages/lookbook/index.html'
    expect(
      loadConfig({ ...real, LOOKBOOK_MINIPROGRAM_APPID: 'wx0123456789abcdef', LOOKBOOK_MINIPROGRAM_PAGE: page }, opts)
        .lookbookMiniprogram,
    ).toEqual({ appid: 'wx0123456789abcdef', page })
    expect(() => loadConfig({ LOOKBOOK_MINIPROGRAM_APPID: 'wx0123456789abcdef' }, opts)).toThrow(/both/)
    expect(() => loadConfig({ LOOKBOOK_MINIPROGRAM_APPID: 'nope', LOOKBOOK_MINIPROGRAM_PAGE: page }, opts)).toThrow(ConfigError)
    expect(() =>
      loadConfig({ LOOKBOOK_MINIPROGRAM_APPID: 'wx0123456789abcdef', LOOKBOOK_MINIPROGRAM_PAGE: 'pages/lookbook/index' }, opts),
    ).toThrow(/\.html/)
  })

  it('listens on every interface in real mode, on loopback in simulator mode, and where HOST says in either', () => {
    expect(loadConfig(real, opts).host).toBe('0.0.0.0')
    expect(loadConfig({}, opts).host).toBe('127.0.0.1')
    expect(loadConfig({ HOST: '0.0.0.0' }, opts).host).toBe('0.0.0.0')
    expect(loadConfig({ ...real, HOST: '10.0.0.5' }, opts).host).toBe('10.0.0.5')
  })

  it('refuses to serve the simulator at a PUBLIC_URL unless SIMULATOR=1 says so', () => {
    const lost = { PUBLIC_URL: 'https://sidebar.example.com', SESSION_SECRET: 'k'.repeat(32) }
    expect(() => loadConfig(lost, opts)).toThrow(ConfigError)
    expect(() => loadConfig(lost, opts)).toThrow(/SIMULATOR=1/)
    expect(() => loadConfig({ ...lost, SIMULATOR: 'yes' }, opts)).toThrow(/SIMULATOR=1/)
    const demo = loadConfig({ ...lost, SIMULATOR: '1' }, opts)
    expect(demo.wecom.mode).toBe('simulator')
    expect(demo.publicUrl).toBe('https://sidebar.example.com')
    expect(demo.host).toBe('127.0.0.1')
    // Without PUBLIC_URL the simulator needs no such word.
    expect(loadConfig({}, opts).wecom.mode).toBe('simulator')
  })

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY names', () => {
    expect(loadConfig({}, opts).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: 'off' }, opts).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '1' }, opts).trustProxy).toBe(1)
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 10.0.1.0/24 ,loopback, fd00::/8' }, opts).trustProxy).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
      'loopback',
      'fd00::/8',
    ])
    expect(() => loadConfig({ TRUST_PROXY: 'true' }, opts)).toThrow(/any client choose its IP/)
    for (const bad of ['10.0.0.300', '10.0.0.0/33', 'proxy.internal', '11'])
      expect(() => loadConfig({ TRUST_PROXY: bad }, opts), bad).toThrow(/TRUST_PROXY/)
  })

  it('takes REDIS_URL and IMAGE_FETCH_ALLOW_HOSTS', () => {
    expect(loadConfig({}, opts).redisUrl).toBeNull()
    expect(loadConfig({ REDIS_URL: 'redis://10.0.0.9:6379/2' }, opts).redisUrl).toBe('redis://10.0.0.9:6379/2')
    expect(() => loadConfig({ REDIS_URL: 'http://10.0.0.9' }, opts)).toThrow(/REDIS_URL/)
    expect(loadConfig({}, opts).imageFetchAllowHosts).toEqual([])
    expect(
      loadConfig({ IMAGE_FETCH_ALLOW_HOSTS: ' img.intranet.example, [fd00::5],10.0.0.8 ' }, opts).imageFetchAllowHosts,
    ).toEqual(['img.intranet.example', 'fd00::5', '10.0.0.8'])
  })

  it('does not print database passwords in errors', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' }, opts)).toThrow(/\*\*\*@/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' }, opts)).not.toThrow(/hunter2/)
  })
})
