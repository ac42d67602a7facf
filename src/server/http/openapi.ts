/**
 * The OpenAPI 3.1 description, built by @fastify/swagger from the very TypeBox schemas the
 * routes validate with, so it cannot drift from what the server accepts. Registered before
 * the routes (swagger collects them as they are added): `/api/openapi.json` always, the
 * browsable page `/api/docs` in simulator mode or with API_DOCS=1.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { ERROR_CODES } from '../../shared/errors'
import type { Config } from '../env'
import { SESSION_COOKIE } from './session'

export const OPENAPI_PATH = '/api/openapi.json'
export const API_DOCS_PATH = '/api/docs'

/**
 * Not part of the API an integrator builds on: WeCom's stand-in, the demo's generated art,
 * the docs themselves. Built files (@fastify/static) hide themselves.
 */
export const UNDOCUMENTED_PREFIXES = ['/simulator/', '/media/demo/', API_DOCS_PATH, OPENAPI_PATH] as const

/** Tags by the first path segment under /api; a new module shows under its own segment until named here. */
const TAGS: Record<string, string> = {
  health: 'Health',
  auth: 'Sign-in',
  me: 'Sign-in',
  sessions: 'Sign-in',
  preview: 'Manager’s desk',
  wecom: 'WeCom',
  customers: 'Customers',
  tags: 'Customers',
  groups: 'Customers',
  tasks: 'Tasks',
  replies: 'Quick replies',
  'reply-groups': 'Quick replies',
  manage: 'Quick replies',
  media: 'Media',
  catalog: 'Catalogue and bundles',
  bundles: 'Catalogue and bundles',
  'bundle-sends': 'Catalogue and bundles',
  'coupon-templates': 'Coupons',
  coupons: 'Coupons',
  issuances: 'Coupons',
  redemptions: 'Till',
  integration: 'Integration',
  'integration-keys': 'Integration',
  stats: 'Stats',
  team: 'Manager’s desk',
  targets: 'Manager’s desk',
  stores: 'Manager’s desk',
  campaigns: 'Manager’s desk',
}
const PAGES_TAG = 'Customer pages and images'

const TAG_DESCRIPTIONS: Record<string, string> = {
  Integration:
    'For the retailer’s own systems (ERP, POS, CRM): stock, orders, members and products, live, with a key head office ' +
    'made for the system (Bearer) and scoped to what it may write. Rows use the CSV import’s column names; each batch ' +
    'answers row by row, and a bad row never stops the good ones. Keys are made, listed and revoked by head office ' +
    '(/api/integration-keys, with a session).',
  Till: 'For the till (POS): redeem a coupon with the store’s key as a Bearer token. Keys are minted per store on the manager’s desk.',
  'Sign-in': 'WeCom OAuth sign-in: the browser is sent to /api/auth/login and comes back signed in with the gs_session cookie.',
  WeCom: 'JS-SDK configuration and WeCom’s event callback.',
  [PAGES_TAG]: 'What customers open from a card (lookbooks, coupons) and the images cards show. HTML and images, no session.',
}

/** Answer without a session: sign-in, WeCom's callback and JS-SDK set-up, and what customers open. */
const PUBLIC = [/^\/api\/health$/, /^\/api\/auth\/(login|callback|logout)$/, /^\/api\/wecom\//, /^\/(media|l|c)\//]

/** Summaries where the path alone does not say enough to an integrator. */
const SUMMARIES: Record<string, string> = {
  'POST /api/redemptions': 'Redeem a coupon at the till (Bearer: the store’s till key)',
  'PUT /api/integration/stock': 'Set or change stores’ stock, up to 1,000 rows (Bearer: an integration key with scope stock)',
  'POST /api/integration/orders':
    'An order with its lines, idempotent by order_id (Bearer: an integration key with scope orders)',
  'PUT /api/integration/members': 'Upsert members, up to 1,000 rows (Bearer: an integration key with scope members)',
  'PUT /api/integration/products': 'Upsert products, up to 1,000 rows (Bearer: an integration key with scope products)',
  'GET /api/integration-keys': 'The integration keys (head office): never the key itself',
  'POST /api/integration-keys': 'Make an integration key for a system (head office); the key is shown once',
  'DELETE /api/integration-keys/{id}': 'Revoke an integration key (head office)',
  'GET /api/auth/login': 'Start WeCom OAuth; redirects to WeCom and back to /api/auth/callback',
  'GET /api/auth/callback': 'WeCom OAuth return: sets the gs_session cookie and redirects into the app',
  'POST /api/auth/logout': 'End the session',
  'GET /api/me': 'The signed-in guide, her role and stores',
  'GET /api/health': 'Liveness: database kind and WeCom mode',
  'POST /api/coupons/{templateId}/issue': 'Reserve a coupon for a customer (confirm once sent, or release)',
  'GET /api/team/stats.csv': 'Team figures as CSV (UTF-8 with BOM, opens in Excel)',
  'GET /l/{token}': 'A customer’s lookbook page (HTML)',
  'GET /c/{code}': 'A customer’s coupon page (HTML)',
}

function packageVersion(): string {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../package.json')
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

function tagFor(url: string): string {
  const api = /^\/api\/([^/]+)/.exec(url)
  if (api) return TAGS[api[1]!] ?? api[1]!
  return PAGES_TAG
}

/** `/l/:token` → `/l/{token}`, as OpenAPI writes path templates. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

/** Path parameters a route reads without declaring (HTML pages, images) still belong in the document. */
function withPathParams(url: string, params: unknown): unknown {
  const names = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!)
  if (names.length === 0) return params
  const declared = (params ?? { type: 'object', properties: {}, required: [] }) as {
    properties?: Record<string, unknown>
    required?: string[]
  }
  const properties = { ...declared.properties }
  for (const name of names) properties[name] ??= { type: 'string' }
  return { ...declared, type: 'object', properties, required: [...new Set([...(declared.required ?? []), ...names])] }
}

function describeRoute(schema: FastifySchema | undefined, url: string, method: string): FastifySchema {
  const out: FastifySchema = { ...schema }
  if (UNDOCUMENTED_PREFIXES.some((prefix) => url === prefix || url.startsWith(prefix)) || url === '*') {
    return { ...out, hide: true }
  }
  out.tags ??= [tagFor(url)]
  out.summary ??= SUMMARIES[`${method} ${openApiPath(url)}`]
  if (out.params !== undefined || url.includes(':')) out.params = withPathParams(url, out.params) as FastifySchema['params']
  if (url === '/api/redemptions') out.security ??= [{ tillKey: [] }]
  else if (url.startsWith('/api/integration/')) out.security ??= [{ integrationKey: [] }]
  else if (PUBLIC.some((re) => re.test(url))) out.security ??= []
  return out
}

type Operation = { responses?: Record<string, unknown> }

/** Every operation may fail with the API's one error shape. */
function addErrorResponses(paths: Record<string, Record<string, Operation>> | undefined): void {
  for (const item of Object.values(paths ?? {})) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue
      operation.responses = { ...operation.responses, default: { $ref: '#/components/responses/Error' } }
    }
  }
}

export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(fastifySwagger, {
    mode: 'dynamic',
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Guide Sidebar API',
        version: packageVersion(),
        description:
          'The API behind the WeCom chat sidebar for shopping guides. Every error answers `{ "error": { "code", "message" } }`; ' +
          'branch on `code`, never on `message`.',
      },
      ...(config.publicUrl ? { servers: [{ url: config.publicUrl }] } : {}),
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'Set by /api/auth/callback after WeCom OAuth',
          },
          tillKey: { type: 'http', scheme: 'bearer', description: 'A store’s till key (minted on the manager’s desk)' },
          integrationKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'A system’s integration key (gsi_…), made by head office with POST /api/integration-keys',
          },
        },
        responses: {
          Error: {
            description: 'Any failure: 4xx for what the request got wrong, 5xx for ours',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['error'],
                  properties: {
                    error: {
                      type: 'object',
                      required: ['code', 'message'],
                      properties: {
                        code: { type: 'string', enum: [...ERROR_CODES] },
                        message: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      security: [{ session: [] }],
      tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name, description })),
    },
    transform: ({ schema, url, route }) => {
      const method = Array.isArray(route.method) ? route.method[0]! : route.method
      return { schema: describeRoute(schema as FastifySchema | undefined, url, method), url }
    },
    transformObject: (documentObject) => {
      const doc = (documentObject as { openapiObject: { paths?: Record<string, Record<string, Operation>> } }).openapiObject
      addErrorResponses(doc.paths)
      return doc
    },
  })

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache')
    return app.swagger()
  })

  if (config.apiDocs) {
    // The page loads only its own files (no inline script), so the app's policy
    // (http/security-headers.ts, script-src 'self') serves it as it is: no staticCSP.
    await app.register(fastifySwaggerUi, {
      routePrefix: API_DOCS_PATH,
      uiConfig: { deepLinking: true, defaultModelsExpandDepth: 0 },
      theme: { title: 'Guide Sidebar API' },
    })
  }
}
