/**
 * Bad input for any route, made from the route's own schema: a well-formed request first
 * (so a bad value in one field reaches the code behind it rather than failing on another),
 * then, for every field the schema declares, strings that break things (NUL and the other
 * C0 characters, unpaired surrogates, BOM, RTL marks, SQL and HTML, 100 KB), wrong types,
 * numbers no column holds, and cursors that decode to them. Routes without a schema get
 * the same strings in their path parameters and a generic set of queries and bodies.
 */

export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  pattern?: string
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  uniqueItems?: boolean
}

export interface RouteInfo {
  method: string
  url: string
  schema?: { params?: JsonSchema; querystring?: JsonSchema; body?: JsonSchema }
}

export interface Probe {
  label: string
  /** A field broken, or the request as a whole (its body, its query, its size). */
  kind: 'field' | 'request'
  method: string
  url: string
  payload?: string
  headers?: Record<string, string>
}

/** Values that make a well-formed request reach real rows: by field name, for any route. */
export type Known = Record<string, unknown>

type Part = 'params' | 'querystring' | 'body'
type Path = (string | number)[]

export const HTML_FRAGMENTS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>']
export const SQL_FRAGMENTS = ["' OR 1=1 --", "'); DROP TABLE guides; --"]

export const STRING_ATTACKS: [string, string][] = [
  ['NUL', 'a\u0000b'],
  ['ESC', 'a\u001b[31mred'],
  ['DEL', 'a\u007fb'],
  ['line feed and tab', 'a\n\tb'],
  ['CRLF', 'a\r\nb'],
  ['high surrogate alone', '\ud800'],
  ['low surrogate alone', 'a\udc00b'],
  ['BOM', '\ufeffabc'],
  ['RTL override', '\u202eabc\u202c'],
  ['emoji, combining marks, astral', '👩‍👩‍👧‍👦e\u0301\u0301\u0301𝕏𠀋'],
  ['SQL or', SQL_FRAGMENTS[0]!],
  ['SQL drop', SQL_FRAGMENTS[1]!],
  ['HTML script', HTML_FRAGMENTS[0]!],
  ['HTML img', HTML_FRAGMENTS[1]!],
  ['format', '%s%n%x${7*7}{{7*7}}'],
  ['empty', ''],
  ['spaces', '   '],
  ['100 KB', 'x'.repeat(100_000)],
]

const WRONG_TYPES: [string, unknown][] = [
  ['number', 42],
  ['boolean', true],
  ['null', null],
  ['array', ['a']],
  ['object', {}],
  ['operator object', { $gt: '' }],
]

/** Written into the JSON text as they are: JSON.parse makes ±Infinity, 2^53 and -0 of them. */
const RAW_NUMBERS = ['1e400', '-1e400', '9007199254740993', '1e308', '-1e308', '1e-400', '-0', '1.5', '-1', '0', '2147483648']
const QUERY_NUMBERS = ['1e400', '9007199254740993', '1e308', '1.5', '-1', 'NaN', 'Infinity', '0x10', '', ' 1', '1e2', '٣']
const CURSOR_NUMBERS = ['1e400', '-1e400', '9007199254740993', '1e308', '1.5', '-1', '1e21', '"1"', 'null', '[]']
const TAGGED_NUMBERS = ['1e400', '9007199254740993', '1.5', '-1', '"1"']
const CURSOR_IDS = ['"e:abc"', '"abc"', '"a\\u0000b"', '"\\ud800"', 'null']

const PATTERN_CANDIDATES = [
  'abc123',
  '2026-11-25',
  '2026-11',
  '10:00',
  '11-25',
  '13800138000',
  '123e4567-e89b-12d3-a456-426614174000',
  'https://example.com/a.png',
  '/media/a.png',
  'pages/index.html',
  'wx0123456789abcdef',
  'this',
  'S001',
  'abcdefghijklmnop',
]

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null')
  return schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined)
}

function alternatives(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf
}

export function sample(schema: JsonSchema, name: string, known: Known): unknown {
  if (name in known) return structuredClone(known[name])
  if (schema.const !== undefined) return schema.const
  if (schema.enum) return schema.enum.find((v) => v !== null)
  const alts = alternatives(schema)
  if (alts) return sample(alts[0]!, name, known)
  switch (typeOf(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key] ?? {}, key, known)
      return out
    }
    case 'array': {
      const count = Math.max(schema.minItems ?? 1, 1)
      const items = schema.items ?? {}
      if (items.enum) return items.enum.slice(0, count)
      return Array.from({ length: count }, () => sample(items, `${name}[]`, known))
    }
    case 'string': {
      if (schema.format === 'date-time') return '2026-11-25T04:00:00.000Z'
      const min = schema.minLength ?? 0
      if (schema.pattern) {
        const re = new RegExp(schema.pattern, 'u')
        const fit = PATTERN_CANDIDATES.find((c) => re.test(c) && c.length >= min && c.length <= (schema.maxLength ?? Infinity))
        if (fit) return fit
      }
      return 'abc'.padEnd(min, 'c')
    }
    case 'integer':
    case 'number':
      return Math.min(schema.minimum ?? 1, schema.maximum ?? Infinity)
    case 'boolean':
      return true
    case 'null':
      return null
    default:
      return 'abc'
  }
}

interface Leaf {
  part: Part
  path: Path
  schema: JsonSchema
  /** Inside one alternative of a union: the value the union takes first. */
  base?: { path: Path; value: unknown }
}

function leavesOf(schema: JsonSchema, part: Part, path: Path, known: Known, base?: Leaf['base']): Leaf[] {
  const out: Leaf[] = []
  const alts = alternatives(schema)
  if (alts) {
    for (const alt of alts) {
      const value = sample(alt, String(path.at(-1) ?? ''), known)
      out.push(...leavesOf(alt, part, path, known, { path, value }))
    }
    return out
  }
  if (path.length > 0) out.push({ part, path, schema, base })
  const type = typeOf(schema)
  if (type === 'object') {
    for (const [key, child] of Object.entries(schema.properties ?? {}))
      out.push(...leavesOf(child, part, [...path, key], known, base))
  } else if (type === 'array' && schema.items) {
    out.push(...leavesOf(schema.items, part, [...path, 0], known, base))
  }
  return out
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path
  const container: Record<string | number, unknown> =
    root !== null && typeof root === 'object'
      ? (root as Record<string, unknown>)
      : ((typeof head === 'number' ? [] : {}) as Record<string, unknown>)
  container[head!] = setAt(container[head!], rest, value)
  return container
}

/** Percent-encoded, with an unpaired surrogate sent as the (invalid) UTF-8 a careless client would. */
export function encodeLoose(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    out += ch.length === 1 && code >= 0xd800 && code <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(ch)
  }
  return out
}

interface Request {
  params: Record<string, unknown>
  query: Record<string, unknown>
  body: unknown
}

const RAW = '__raw_json__'

function urlOf(route: RouteInfo, request: Request): string {
  const path = route.url
    .replace(/:(\w+)/g, (_m, name: string) => encodeLoose(String(request.params[name] ?? 'x')))
    .replace(/\*$/, 'x')
  const pairs: string[] = []
  for (const [key, value] of Object.entries(request.query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = typeof item === 'string' ? item : JSON.stringify(item)
      pairs.push(`${encodeLoose(key)}=${text.startsWith(RAW) ? text.slice(RAW.length) : encodeLoose(text)}`)
    }
  }
  return pairs.length ? `${path}?${pairs.join('&')}` : path
}

function jsonOf(body: unknown): string {
  return JSON.stringify(body).replace(new RegExp(`"${RAW}([^"]*)"`, 'g'), '$1')
}

export function hasBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH'
}

const base64url = (text: string) => Buffer.from(text).toString('base64url')

/** Crafted cursors: the shapes our cursors take, holding numbers and ids no query survives. */
function cursorValues(): string[] {
  const texts: string[] = ['o9999999', 'o-1', 'o1.5', 'o1e400', '\u0000', '[1', '"x"', '{}']
  for (const n of CURSOR_NUMBERS) for (const id of CURSOR_IDS) texts.push(`[${n},${id}]`)
  return [...texts.map(base64url), '!!not base64!!', '%00', 'A'.repeat(200)]
}

/** Cursors that name a sort or status (`[tag, key, id]`), sent with that sort or status. */
function taggedCursorValues(tag: string): string[] {
  const texts = TAGGED_NUMBERS.map((n) => `["${tag}",${n},"e:abc"]`)
  texts.push(`["${tag}",1,"a\\u0000b"]`, `["${tag}","2026-13-45","x"]`, `["${tag}","9999-99-99","a\\u0000"]`)
  return texts.map(base64url)
}

/** Every probe for one route: the well-formed request, then each field broken every way. */
export function probesFor(route: RouteInfo, method: string, known: Known): Probe[] {
  const schema = route.schema ?? {}
  const paramNames = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!)
  const paramsSchema: JsonSchema = schema.params ?? {
    type: 'object',
    required: paramNames,
    properties: Object.fromEntries(paramNames.map((n) => [n, { type: 'string' }])),
  }
  const base: Request = {
    params: sample(paramsSchema, '', known) as Record<string, unknown>,
    query: schema.querystring ? (sample(schema.querystring, '', known) as Record<string, unknown>) : {},
    body: schema.body ? sample(schema.body, '', known) : hasBody(method) ? {} : undefined,
  }
  const probes: Probe[] = []
  let kind: Probe['kind'] = 'request'
  const add = (label: string, request: Request, payload?: string, headers?: Record<string, string>) => {
    const body = payload ?? (request.body === undefined ? undefined : jsonOf(request.body))
    probes.push({
      label: `${method} ${route.url} ${label}`,
      kind,
      method,
      url: urlOf(route, request),
      ...(body === undefined ? {} : { payload: body, headers: { 'content-type': 'application/json', ...headers } }),
    })
  }
  const vary = (leaf: Leaf, value: unknown): Request => {
    const next = structuredClone(base)
    const key = leaf.part === 'params' ? 'params' : leaf.part === 'querystring' ? 'query' : 'body'
    let root: unknown = next[key]
    if (leaf.base) root = setAt(root, leaf.base.path, structuredClone(leaf.base.value))
    next[key] = setAt(root, leaf.path, value) as never
    return next
  }

  add('as the schema asks', base)
  kind = 'field'
  const leaves = [
    ...leavesOf(paramsSchema, 'params', [], known),
    ...(schema.querystring ? leavesOf(schema.querystring, 'querystring', [], known) : []),
    ...(schema.body ? leavesOf(schema.body, 'body', [], known) : []),
  ]
  for (const leaf of leaves) {
    const where = `${leaf.part}.${leaf.path.join('.')}`
    const type = typeOf(leaf.schema)
    const inBody = leaf.part === 'body'
    if (type === 'string' || (type === undefined && !leaf.schema.enum)) {
      for (const [label, text] of STRING_ATTACKS) add(`${where} = ${label}`, vary(leaf, text))
    }
    if (/cursor/i.test(String(leaf.path.at(-1))) && leaf.part === 'querystring') {
      for (const cursor of cursorValues()) add(`${where} = crafted cursor ${cursor.slice(0, 24)}`, vary(leaf, cursor))
      for (const [sibling, s] of Object.entries(schema.querystring?.properties ?? {})) {
        for (const tag of (s.enum ?? []).filter((v): v is string => typeof v === 'string')) {
          for (const cursor of taggedCursorValues(tag)) {
            const request = vary(leaf, cursor)
            request.query[sibling] = tag
            add(`${where} = crafted cursor ${cursor.slice(0, 24)} with ${sibling}=${tag}`, request)
          }
        }
      }
    }
    if (type === 'integer' || type === 'number') {
      const values = inBody ? RAW_NUMBERS.map((n) => RAW + n) : QUERY_NUMBERS.map((n) => RAW + encodeURIComponent(n))
      for (const value of values) add(`${where} = ${value.slice(RAW.length)}`, vary(leaf, value))
    }
    if (inBody) for (const [label, value] of WRONG_TYPES) add(`${where} as ${label}`, vary(leaf, value))
    else if (type !== 'string') add(`${where} = text`, vary(leaf, 'abc'))
    if (type === 'array' && inBody)
      add(
        `${where} with 1000 items`,
        vary(
          leaf,
          Array.from({ length: 1000 }, () => 'a'),
        ),
      )
  }

  // The request as a whole.
  kind = 'request'
  const junkQuery = { ...base.query, q: 'a\u0000b', extra: HTML_FRAGMENTS[0], 'a[b]': '1' }
  add('with unknown query parameters', { ...base, query: junkQuery })
  add('with a repeated query parameter', {
    ...base,
    query: Object.fromEntries(Object.keys(base.query).map((k) => [k, ['a', 'b']])),
  })
  add('with a 100 KB query', { ...base, query: { ...base.query, pad: 'x'.repeat(100_000) } })
  if (hasBody(method)) {
    for (const raw of [
      '',
      '{',
      '[]',
      'null',
      '"x"',
      '1',
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"p":1}}}',
    ]) {
      add(`with the body ${JSON.stringify(raw)}`, base, raw)
    }
    add('with an unknown field', { ...base, body: { ...(base.body as object), unknown: 1 } })
    add('with a body nested 5000 deep', base, '['.repeat(5000) + ']'.repeat(5000))
    add('with a 2 MB body', base, JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }))
    add('as text/plain', base, 'hello', { 'content-type': 'text/plain' })
    add('as a form', base, 'a=1&b=%00', { 'content-type': 'application/x-www-form-urlencoded' })
  }
  return probes
}
