/**
 * Configuration is read from the environment once, at start. Anything wrong stops the
 * process with a message that names the variable and says what it should be: a sidebar
 * half-configured against WeCom fails in ways that are much harder to read later.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
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

export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd()
  const dataDir = path.resolve(cwd, read(env, 'DATA_DIR') ?? 'data')
  const port = parsePort(read(env, 'PORT'))
  const host = read(env, 'HOST') ?? '0.0.0.0'

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
      wecom: {
        mode: 'real',
        corpId: corpId!,
        agentId,
        secret: secret!,
        apiBase: apiBaseRaw === undefined ? DEFAULT_WECOM_API_BASE : parseApiBase(apiBaseRaw),
        oauthAuthorizeUrl: WECOM_OAUTH_AUTHORIZE_URL,
        managerIds,
        adminIds,
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
    },
  }
}
