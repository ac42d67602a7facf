/**
 * Configuration is read from the environment once, at start. Anything wrong stops the
 * process with a message that names the variable and says what it should be: a sidebar
 * half-configured against WeCom fails in ways that are much harder to read later.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }

export interface WecomConfig {
  mode: 'real' | 'simulator'
  corpId: string
  agentId: string
  secret: string
  /** Base of WeCom's server API, without `/cgi-bin`. */
  apiBase: string
  /** Where the browser is sent to sign in (open.weixin.qq.com in real mode). */
  oauthAuthorizeUrl: string
  managerIds: ReadonlySet<string>
  /** Head office: every store (WECOM_ADMIN_IDS). */
  adminIds: ReadonlySet<string>
  /** WECOM_CALLBACK_TOKEN / _AES_KEY (接收消息) for /api/wecom/callback; null: that route is a 404. */
  callback: { token: string; aesKey: string } | null
}

export interface Config {
  port: number
  host: string
  /**
   * The external origin (WeCom's trusted domain), without a trailing slash. Null only in
   * simulator mode when PUBLIC_URL is unset: then the request's own origin is trusted.
   */
  publicUrl: string | null
  database: DatabaseConfig
  wecom: WecomConfig
  sessionSecret: string
  dataDir: string
  /**
   * LOOKBOOK_MINIPROGRAM_APPID and LOOKBOOK_MINIPROGRAM_PAGE: when both are set, bundles go
   * out as mini-program cards opening that page with `?t=<token>`; otherwise as link cards.
   */
  lookbookMiniprogram?: { appid: string; page: string } | null
  /**
   * BRAND_NAME: the wordmark on the customer's pages (lookbook, coupon). The demo's brand in
   * simulator mode; in real mode '' when unset, and the pages then name no brand.
   */
  brandName: string
  /**
   * TRUST_PROXY: which proxies' X-Forwarded-For to believe (Fastify's trustProxy): false
   * (the default, the peer is the client), a hop count, or a list of proxy addresses/CIDRs.
   */
  trustProxy?: false | number | string[]
  /** REDIS_URL: rate limits are counted in Redis when set, else in the database. */
  redisUrl?: string | null
  /**
   * IMAGE_FETCH_ALLOW_HOSTS: hosts (exact names or IP literals) collages may fetch pictures
   * from even though they resolve to a private or loopback address, e.g. an intranet CDN.
   */
  imageFetchAllowHosts?: readonly string[]
  /** The browsable API page /api/docs: always in simulator mode, with API_DOCS=1 in real mode. */
  apiDocs: boolean
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export const DEFAULT_WECOM_API_BASE = 'https://qyapi.weixin.qq.com'
export const WECOM_OAUTH_AUTHORIZE_URL = 'https://open.weixin.qq.com/connect/oauth2/authorize'
export const SIMULATOR_CORP_ID = 'wwsimulator0000001'
export const SIMULATOR_AGENT_ID = '1000002'
export const SIMULATOR_SECRET = 'simulator-secret-not-for-production'
export const SIMULATOR_API_PATH = '/simulator/wecom-api'
export const SIMULATOR_AUTHORIZE_PATH = '/simulator/connect/oauth2/authorize'
export const DEMO_BRAND_NAME = '绮澜 QILAN'
/**
 * Default SQLite files in the data folder, one per mode: a folder first started as the demo
 * must not hand its public till keys and demo manager to a real deployment.
 */
export const DEFAULT_SQLITE_FILES = { real: 'guide-sidebar.db', simulator: 'guide-sidebar-demo.db' } as const
const MAX_BRAND_NAME_LENGTH = 40

type Env = Record<string, string | undefined>

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 8080
  if (!/^\d+$/.test(raw)) throw new ConfigError(`PORT must be a whole number between 0 and 65535, got "${raw}"`)
  const port = Number(raw)
  if (port > 65535) throw new ConfigError(`PORT must be between 0 and 65535, got ${port}`)
  return port
}

function parsePublicUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL such as https://sidebar.example.com, got "${raw}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`PUBLIC_URL must use http or https, got "${url.protocol}"`)
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    // WeCom's trusted domain is a host: the app is served from the root of it.
    throw new ConfigError(`PUBLIC_URL must be an origin without a path, query or credentials, got "${raw}"`)
  }
  return url.origin
}

function parseApiBase(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`WECOM_API_BASE must be an absolute URL, got "${raw}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`WECOM_API_BASE must use http or https, got "${url.protocol}"`)
  }
  return url.href.replace(/\/+$/, '')
}

function parseDatabase(raw: string | undefined, dataDir: string, mode: WecomConfig['mode']): DatabaseConfig {
  if (raw === undefined) return { kind: 'sqlite', file: path.join(dataDir, DEFAULT_SQLITE_FILES[mode]) }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    if (!file) throw new ConfigError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:/var/lib/guide-sidebar/app.db')
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) }
  }
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    try {
      new URL(raw)
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL')
    }
    return { kind: 'postgres', url: raw }
  }
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, got "${raw.replace(/\/\/[^@]*@/, '//***@')}"`)
}

/** In simulator mode the session secret is made once and kept in the data folder. */
function simulatorSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret')
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim()
    if (stored.length >= 32) return stored
  }
  const secret = randomBytes(32).toString('base64url')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}

function parseBrandName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  // eslint-disable-next-line no-control-regex
  if ([...raw].length > MAX_BRAND_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(raw)) {
    throw new ConfigError(
      `BRAND_NAME must be one line of at most ${MAX_BRAND_NAME_LENGTH} characters (the wordmark on customer pages), got "${raw}"`,
    )
  }
  return raw
}

function parseWecomCallback(env: Env): WecomConfig['callback'] {
  const [token, aesKey] = [read(env, 'WECOM_CALLBACK_TOKEN'), read(env, 'WECOM_CALLBACK_AES_KEY')]
  if (token === undefined && aesKey === undefined) return null
  if (token === undefined || aesKey === undefined)
    throw new ConfigError(
      `Set both WECOM_CALLBACK_TOKEN and WECOM_CALLBACK_AES_KEY (接收消息), or neither; missing ${token ? 'WECOM_CALLBACK_AES_KEY' : 'WECOM_CALLBACK_TOKEN'}`,
    )
  // The admin console makes both of letters and digits only: anything else was pasted wrong.
  if (!/^[A-Za-z0-9]{1,32}$/.test(token))
    throw new ConfigError('WECOM_CALLBACK_TOKEN must be the 接收消息 Token: 1 to 32 letters or digits')
  if (!/^[A-Za-z0-9]{43}$/.test(aesKey))
    throw new ConfigError(
      `WECOM_CALLBACK_AES_KEY must be the 接收消息 EncodingAESKey: exactly 43 letters or digits, got ${aesKey.length}`,
    )
  return { token, aesKey }
}

export interface LoadConfigOptions {
  cwd?: string
  /** Tests pass a fixed secret so nothing is written to disk. */
  persistSecrets?: boolean
}

function parseLookbookMiniprogram(env: Env): Config['lookbookMiniprogram'] {
  const appid = read(env, 'LOOKBOOK_MINIPROGRAM_APPID')
  const page = read(env, 'LOOKBOOK_MINIPROGRAM_PAGE')
  if (appid === undefined && page === undefined) return null
  if (appid === undefined || page === undefined) {
    throw new ConfigError('Set both LOOKBOOK_MINIPROGRAM_APPID and LOOKBOOK_MINIPROGRAM_PAGE, or neither')
  }
  if (!/^wx[0-9a-f]{16}$/.test(appid))
    throw new ConfigError(`LOOKBOOK_MINIPROGRAM_APPID must look like wx0123456789abcdef, got "${appid}"`)
  // WeCom's sendChatMessage wants the page with its .html suffix and does not add it.
  if (!/^[A-Za-z0-9_\-./]+\.html$/.test(page)) {
    throw new ConfigError(
      `LOOKBOOK_MINIPROGRAM_PAGE must be a page path ending in .html, e.g. pages/lookbook/index.html, got "${page}"`,
    )
  }
  return { appid, page }
}

function parseTrustProxy(raw: string | undefined): false | number | string[] {
  if (raw === undefined || /^(0|false|off|no)$/i.test(raw)) return false
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw)
    if (hops > 10) throw new ConfigError(`TRUST_PROXY as a hop count must be at most 10, got ${hops}`)
    return hops
  }
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  for (const entry of entries) {
    // proxy-addr's names for ranges, or an address with an optional prefix length.
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) continue
    const [address, prefix, extra] = entry.split('/')
    const family = isIP(address ?? '')
    const maxPrefix = family === 4 ? 32 : 128
    if (family && extra === undefined && (prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix))) continue
    throw new ConfigError(
      `TRUST_PROXY must be a hop count (e.g. 1) or a comma list of proxy addresses (e.g. 10.0.0.5,10.0.1.0/24), got "${entry}"` +
        (/^true$/i.test(entry) ? ': trusting every peer would let any client choose its IP' : ''),
    )
  }
  return entries
}

function parseRedisUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL')
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${url.protocol}"`)
  }
  return raw
}

function parseHostList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((host) =>
      host
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, ''),
    )
    .filter(Boolean)
}

export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd()
  const dataDir = path.resolve(cwd, read(env, 'DATA_DIR') ?? 'data')
  const port = parsePort(read(env, 'PORT'))
  const hostRaw = read(env, 'HOST')

  const corpId = read(env, 'WECOM_CORP_ID')
  const agentId = read(env, 'WECOM_AGENT_ID')
  const secret = read(env, 'WECOM_SECRET')
  const credentials = { WECOM_CORP_ID: corpId, WECOM_AGENT_ID: agentId, WECOM_SECRET: secret }
  const present = Object.entries(credentials).filter(([, v]) => v !== undefined)
  if (present.length > 0 && present.length < 3) {
    const missing = Object.entries(credentials)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k)
    throw new ConfigError(
      `WeCom credentials are incomplete: set all of WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET ` +
        `(missing ${missing.join(', ')}), or none of them to run the simulator`,
    )
  }
  const real = present.length === 3

  const publicUrlRaw = read(env, 'PUBLIC_URL')
  const publicUrl = publicUrlRaw === undefined ? null : parsePublicUrl(publicUrlRaw)
  // A public address with the credentials missing is far likelier a deployment that lost
  // its secrets than a demo: serving the simulator there would let anyone sign in as anyone.
  if (!real && publicUrl && read(env, 'SIMULATOR') !== '1') {
    throw new ConfigError(
      'PUBLIC_URL is set but WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET are not: set the WeCom credentials, ' +
        'or SIMULATOR=1 to run the simulator (anyone can sign in as any guide) at that address on purpose',
    )
  }
  // The simulator lets anyone sign in as anyone: only this machine reaches it unless HOST says otherwise.
  const host = hostRaw ?? (real ? '0.0.0.0' : '127.0.0.1')
  const trustProxy = parseTrustProxy(read(env, 'TRUST_PROXY'))
  const redisUrl = parseRedisUrl(read(env, 'REDIS_URL'))
  const imageFetchAllowHosts = parseHostList(read(env, 'IMAGE_FETCH_ALLOW_HOSTS'))
  const lookbookMiniprogram = parseLookbookMiniprogram(env)
  const database = parseDatabase(read(env, 'DATABASE_URL'), dataDir, real ? 'real' : 'simulator')
  const brandName = parseBrandName(read(env, 'BRAND_NAME'))
  const idList = (name: string) =>
    new Set(
      (read(env, name) ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
  const managerIds = idList('WECOM_MANAGER_IDS')
  const adminIds = idList('WECOM_ADMIN_IDS')
  const callback = parseWecomCallback(env)

  if (real) {
    if (!agentId || !/^\d{1,10}$/.test(agentId)) {
      throw new ConfigError(`WECOM_AGENT_ID must be the numeric AgentId of the app (e.g. 1000002), got "${agentId}"`)
    }
    if (!publicUrl) {
      throw new ConfigError(
        'PUBLIC_URL is required with WeCom credentials: it must be the trusted domain, e.g. https://sidebar.example.com',
      )
    }
    const sessionSecret = read(env, 'SESSION_SECRET')
    if (!sessionSecret || sessionSecret.length < 32) {
      throw new ConfigError('SESSION_SECRET is required with WeCom credentials and must be at least 32 characters long')
    }
    const apiBaseRaw = read(env, 'WECOM_API_BASE')
    return {
      port,
      host,
      publicUrl,
      database,
      dataDir,
      sessionSecret,
      lookbookMiniprogram,
      brandName: brandName ?? '',
      trustProxy,
      redisUrl,
      imageFetchAllowHosts,
      apiDocs: read(env, 'API_DOCS') === '1',
      wecom: {
        mode: 'real',
        corpId: corpId!,
        agentId,
        secret: secret!,
        apiBase: apiBaseRaw === undefined ? DEFAULT_WECOM_API_BASE : parseApiBase(apiBaseRaw),
        oauthAuthorizeUrl: WECOM_OAUTH_AUTHORIZE_URL,
        managerIds,
        adminIds,
        callback,
      },
    }
  }

  const explicitSecret = read(env, 'SESSION_SECRET')
  if (explicitSecret !== undefined && explicitSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters long')
  }
  // The simulator talks to itself over loopback, exactly as the real client talks to WeCom.
  const loopbackHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return {
    port,
    host,
    publicUrl,
    database,
    dataDir,
    lookbookMiniprogram,
    brandName: brandName ?? DEMO_BRAND_NAME,
    trustProxy,
    redisUrl,
    imageFetchAllowHosts,
    apiDocs: true,
    sessionSecret:
      explicitSecret ??
      (options.persistSecrets === false ? randomBytes(32).toString('base64url') : simulatorSessionSecret(dataDir)),
    wecom: {
      mode: 'simulator',
      corpId: SIMULATOR_CORP_ID,
      agentId: SIMULATOR_AGENT_ID,
      secret: SIMULATOR_SECRET,
      apiBase: `http://${loopbackHost}:${port}${SIMULATOR_API_PATH}`,
      oauthAuthorizeUrl: SIMULATOR_AUTHORIZE_PATH,
      managerIds,
      adminIds,
      callback,
    },
  }
}
