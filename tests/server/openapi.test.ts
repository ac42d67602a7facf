import { Validator } from '@seriousme/openapi-schema-validator'
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UNDOCUMENTED_PREFIXES, openApiPath } from '../../src/server/http/openapi'
import { createTestApp, type TestApp } from '../helpers/app'

type Operation = {
  tags?: string[]
  security?: Record<string, string[]>[]
  parameters?: { in: string; name: string; schema?: unknown }[]
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, { content?: Record<string, { schema: unknown }>; $ref?: string }>
}
type Doc = {
  openapi: string
  info: { title: string; version: string }
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, unknown> }
}

/**
 * Every method + path the app answers, read from Fastify's own route tree (so routes other
 * modules add later are covered without naming them here). `commonPrefix: false` still
 * nests a path under its parent when they share a prefix; each line adds to its parent's.
 */
function routesOf(app: FastifyInstance): { method: string; url: string }[] {
  const parents: string[] = []
  const routes: { method: string; url: string }[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    const url = (parents[depth - 1] ?? '') + match[2]!
    parents.length = depth
    parents.push(url)
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, url })
  }
  return routes
}

/** The API's routes, without Fastify's automatic HEADs and the documented exclusions. */
function documentedRoutes(app: FastifyInstance): string[] {
  return routesOf(app)
    .filter(({ method }) => method !== 'HEAD')
    .filter(({ url }) => url !== '*' && !UNDOCUMENTED_PREFIXES.some((prefix) => url === prefix || url.startsWith(prefix)))
    .map(({ method, url }) => `${method} ${openApiPath(url)}`)
}

function operationsOf(doc: Doc): string[] {
  return Object.entries(doc.paths).flatMap(([url, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${url}`))
}

async function documentOf(t: TestApp): Promise<Doc> {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' })
  expect(res.statusCode).toBe(200)
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  return res.json<Doc>()
}

describe('the OpenAPI description', () => {
  let sim: TestApp
  let real: TestApp
  let realDocs: TestApp
  beforeAll(async () => {
    sim = await createTestApp('sqlite')
    real = await createTestApp('sqlite', { mode: 'real' })
    realDocs = await createTestApp('sqlite', { mode: 'real', env: { API_DOCS: '1' } })
  })
  afterAll(async () => {
    await sim.close()
    await real.close()
    await realDocs.close()
  })

  it('is a valid OpenAPI 3.1 document named after the package', async () => {
    for (const t of [sim, real]) {
      const doc = await documentOf(t)
      expect(doc.openapi).toBe('3.1.0')
      expect(doc.info.title).toBe('Guide Sidebar API')
      expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/)
      const result = await new Validator().validate(doc)
      expect(result.errors ?? []).toEqual([])
      expect(result.valid).toBe(true)
    }
  })

  it('documents every route the app answers, in both modes, and nothing internal', async () => {
    for (const t of [sim, real]) {
      const doc = await documentOf(t)
      const documented = new Set(operationsOf(doc))
      const routes = documentedRoutes(t.app)
      expect(routes.length).toBeGreaterThan(60)
      expect(routes.filter((route) => !documented.has(route))).toEqual([])
      expect(Object.keys(doc.paths).filter((url) => /^\/(simulator|api\/docs|api\/openapi)/.test(url))).toEqual([])
      expect(Object.keys(doc.paths).filter((url) => url.includes(':'))).toEqual([])
    }
    // The simulator's own routes exist, and are the ones left out.
    expect(routesOf(sim.app).some(({ url }) => url.startsWith('/simulator/'))).toBe(true)
  })

  it('describes the WeCom callback’s XML body', async () => {
    const doc = await documentOf(real)
    const post = (doc.paths['/api/wecom/callback'] as Record<string, { requestBody?: { content?: Record<string, unknown> } }>)
      .post
    expect(Object.keys(post?.requestBody?.content ?? {}).sort()).toEqual(['application/xml', 'text/xml'])
  })

  it('declares every path parameter its paths name', async () => {
    const doc = await documentOf(sim)
    const missing = Object.entries(doc.paths).flatMap(([url, item]) =>
      Object.entries(item).flatMap(([method, op]) =>
        [...url.matchAll(/\{(\w+)\}/g)]
          .map((m) => m[1]!)
          .filter((name) => !op.parameters?.some((p) => p.in === 'path' && p.name === name))
          .map((name) => `${method} ${url} {${name}}`),
      ),
    )
    expect(missing).toEqual([])
  })

  it('holds only JSON Schema 2020-12 in its schemas (what the request validators use, nothing foreign)', async () => {
    const doc = await documentOf(sim)
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: true })
    addFormats(ajv)
    const schemas = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => [
        ...(op.parameters ?? []).map((p) => p.schema),
        ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((c) => c.schema)),
      ]),
    )
    expect(schemas.length).toBeGreaterThan(100)
    const broken = schemas.flatMap((schema) => {
      try {
        ajv.compile(schema as object)
        return []
      } catch (error) {
        return [`${(error as Error).message}: ${JSON.stringify(schema).slice(0, 200)}`]
      }
    })
    expect(broken).toEqual([])
  })

  it('says how each route is authenticated, and tags it', async () => {
    const doc = await documentOf(sim)
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['integrationKey', 'session', 'tillKey'])
    expect(doc.components.securitySchemes.integrationKey).toMatchObject({ type: 'http', scheme: 'bearer' })
    for (const [url, method] of [
      ['/api/integration/stock', 'put'],
      ['/api/integration/orders', 'post'],
      ['/api/integration/members', 'put'],
      ['/api/integration/products', 'put'],
    ] as const) {
      const op = doc.paths[url]![method]!
      expect(op.security, url).toEqual([{ integrationKey: [] }])
      expect(op.tags, url).toEqual(['Integration'])
      // Examples a retailer's developer can copy (swagger lifts a schema's `examples` to the media type's `example`).
      expect(op.requestBody!.content['application/json'], url).toHaveProperty('example')
      expect(op.responses['200']!.content!['application/json'], url).toHaveProperty('example')
    }
    // Keys are managed from the app, with a session.
    expect(doc.paths['/api/integration-keys']!.post!.security).toBeUndefined()
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'gs_session' })
    expect(doc.paths['/api/redemptions']!.post!.security).toEqual([{ tillKey: [] }])
    expect(doc.paths['/api/health']!.get!.security).toEqual([])
    expect(doc.paths['/api/auth/login']!.get!.security).toEqual([])
    // The rest inherit the document's session requirement.
    expect(doc.paths['/api/customers']!.get!.security).toBeUndefined()
    expect(doc.paths['/api/redemptions']!.post!.tags).toEqual(['Till'])
    const untagged = Object.entries(doc.paths).flatMap(([url, item]) =>
      Object.entries(item)
        .filter(([, op]) => !op.tags?.length)
        .map(([method]) => `${method} ${url}`),
    )
    expect(untagged).toEqual([])
    expect(doc.paths['/api/redemptions']!.post!.responses.default!.$ref).toBe('#/components/responses/Error')
  })
})

describe('the browsable API page', () => {
  let sim: TestApp
  let real: TestApp
  let realDocs: TestApp
  beforeAll(async () => {
    sim = await createTestApp('sqlite', { seed: false })
    real = await createTestApp('sqlite', { mode: 'real', seed: false })
    realDocs = await createTestApp('sqlite', { mode: 'real', seed: false, env: { API_DOCS: '1' } })
  })
  afterAll(async () => {
    await sim.close()
    await real.close()
    await realDocs.close()
  })

  it('is on in simulator mode, with a policy that allows no inline script', async () => {
    const res = await sim.app.inject({ method: 'GET', url: '/api/docs' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('swagger-ui-bundle.js')
    expect(res.body).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>/)
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(String(res.headers['content-security-policy']))?.[1]
    expect(scriptSrc?.trim()).toBe("'self'")
    const bundle = await sim.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' })
    expect(bundle.statusCode).toBe(200)
    const initializer = await sim.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' })
    expect(initializer.statusCode).toBe(200)
  })

  it('is off in real mode unless API_DOCS=1; the document itself is always served', async () => {
    const off = await real.app.inject({ method: 'GET', url: '/api/docs' })
    expect(off.statusCode).toBe(404)
    expect(off.json()).toMatchObject({ error: { code: 'not_found' } })
    expect((await real.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' })).statusCode).toBe(404)
    expect((await real.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200)

    const on = await realDocs.app.inject({ method: 'GET', url: '/api/docs' })
    expect(on.statusCode).toBe(200)
    expect(on.headers['content-type']).toMatch(/^text\/html/)
  })
})
