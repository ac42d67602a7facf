/**
 * What the log may hold. Lines are JSON with the request's id (`reqId`, echoed to the
 * client as `x-request-id`), and nothing that would let a reader of the log act as
 * someone: no session cookies, Authorization headers, WeCom access tokens or secrets,
 * OAuth codes, coupon codes or lookbook tokens, and phone numbers only by their last four
 * digits. Secrets are cut wherever they appear: by key in logged objects, by pattern in
 * strings (URLs in messages, error messages and stacks).
 */
import { randomUUID } from 'node:crypto'
import type { FastifyRequest, FastifyServerOptions } from 'fastify'

export const REDACTED = '[redacted]'

/** Keys whose values are never written, at any depth (compared lower-case). */
const SECRET_KEYS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'x-store-key',
  'password',
  'secret',
  'corpsecret',
  'sessionsecret',
  'session_secret',
  'access_token',
  'accesstoken',
  'token',
  'ticket',
  'jsapi_ticket',
  'echostr',
])

/** Query parameters (or `name=value` in text) that carry a credential: WeCom's and ours (lookbook `t`). */
const SECRET_PARAMS =
  /((?:^|[?&\s;,"'(])(?:code|access_token|corpsecret|secret|token|ticket|jsapi_ticket|key|t|echostr|msg_signature)=)[^&\s"'#;,]*/gi
/** Our bearer links: /c/<coupon code> and /l/<lookbook token>. */
const BEARER_PATHS = /((?:^|[\s"'(=]|\/\/[^/\s"']+)\/(?:c|l)\/)[A-Za-z0-9_-]{4,}/g
const BEARER_HEADER = /\b(Bearer\s+)[^\s"',;]+/gi
const SESSION_COOKIES = /\b(gs_[a-z_]+=)[^;\s"',]+/gi
/** Chinese mobile numbers, with or without +86: the last four digits stay. */
const PHONES = /(?<![\d])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d){4}[- ]?(\d{4})(?![\d])/g

/** A string as it may be logged. */
export function scrubText(text: string): string {
  return text
    .replace(SECRET_PARAMS, `$1${REDACTED}`)
    .replace(BEARER_PATHS, `$1${REDACTED}`)
    .replace(BEARER_HEADER, `$1${REDACTED}`)
    .replace(SESSION_COOKIES, `$1${REDACTED}`)
    .replace(PHONES, '*******$1')
}

const MAX_DEPTH = 6

/** Logged objects as they may be written: secret keys cut, strings scrubbed. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value)
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value
  // Errors go to the err serializer, which scrubs what it keeps.
  if (value instanceof Error) return value
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1))
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : scrubValue(item, depth + 1)
  }
  return out
}

/** Errors as logged: type, message and stack scrubbed, and the few fields that help (WeCom's errcode). */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return scrubValue(error)
  const out: Record<string, unknown> = {
    type: error.name,
    message: scrubText(error.message),
    stack: error.stack === undefined ? undefined : scrubText(error.stack),
  }
  for (const [key, item] of Object.entries(error)) {
    if (key in out || typeof item === 'function') continue
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : scrubValue(item, 1)
  }
  if (error.cause !== undefined) out.cause = serializeError(error.cause)
  return out
}

function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: scrubText(request.url),
    host: request.host,
    remoteAddress: request.ip,
  }
}

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>

/** Paths pino cuts before writing, as a second net behind the key list above. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-store-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.cookie',
  '*.access_token',
  '*.corpsecret',
  '*.secret',
  '*.sessionSecret',
  '*.token',
]

/** The logger options buildApp gives Fastify: whatever the caller chose, plus the rules above. */
export function safeLoggerOptions(given: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!given) return false
  const base: LoggerOptions = given === true ? {} : given
  const givenFormatters = (base as { formatters?: Record<string, unknown> }).formatters
  return {
    level: 'info',
    ...base,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { ...base.serializers, req: serializeRequest, err: serializeError, error: serializeError },
    formatters: { ...givenFormatters, log: (object: Record<string, unknown>) => scrubValue(object) as Record<string, unknown> },
    hooks: {
      logMethod(args: unknown[], method: (...rest: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)),
        )
      },
    },
  } as LoggerOptions
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/** A request's id: the proxy's `x-request-id` when it looks like one (so lines join up), else a new one. */
export function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = request.headers['x-request-id']
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID()
}
