/**
 * Two real server processes (`node --import tsx src/server/main.ts`, as `npm run serve`) in
 * real mode on one fresh PostgreSQL schema, as a retailer runs several instances behind a
 * load balancer with one PUBLIC_URL. WeCom is a stand-in this test serves over HTTP. Both
 * start at the same moment on the empty schema, so their migrations race.
 * Needs TEST_DATABASE_URL (.ci/run sets it); skipped otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { migrations } from '../../src/server/db/migrations'
import { buildDemoData } from '../../src/server/demo/data'
import { SimulatorWorld } from '../../src/server/simulator/world'
import type { CouponTemplate } from '../../src/shared/coupons'
import { REAL_AGENT_ID, REAL_CORP_ID, REAL_SECRET, createWecomStandIn } from '../helpers/app'

const ROOT = path.resolve(import.meta.dirname, '../..')
const DATABASE = process.env.TEST_DATABASE_URL
const SESSION_SECRET = randomBytes(32).toString('base64url')
const PUBLIC_URL = 'https://sidebar.example.com'

interface Instance {
  url: string
  output: () => string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** One server process, resolved once /api/health answers. */
async function startInstance(databaseUrl: string, dataDir: string, wecomApiBase: string): Promise<Instance> {
  const port = await freePort()
  let output = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: process.env.TZ,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET,
      PUBLIC_URL,
      WECOM_CORP_ID: REAL_CORP_ID,
      WECOM_AGENT_ID: REAL_AGENT_ID,
      WECOM_SECRET: REAL_SECRET,
      WECOM_API_BASE: wecomApiBase,
      WECOM_MANAGER_IDS: 'wanglei',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 45_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`)
    try {
      if ((await fetch(`${url}/api/health`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`server did not start within 45 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { url, output: () => output, stop }
}

/** A browser's cookie jar, enough for our own cookies on one host. */
class Jar {
  private cookies = new Map<string, string>()
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  set(name: string, value: string): void {
    this.cookies.set(name, value)
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

/**
 * WeCom OAuth as a browser goes through it: login sends it to WeCom with a state and a
 * cookie, WeCom (here the stand-in's world) sends it back to the callback with a code.
 */
async function signIn(instance: Instance, world: SimulatorWorld, userId: string): Promise<string> {
  const jar = new Jar()
  const login = await fetch(`${instance.url}/api/auth/login?return=%2F`, { redirect: 'manual' })
  expect(login.status).toBe(302)
  jar.take(login)
  const authorize = new URL(login.headers.get('location')!)
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/api/auth/callback`)
  const query = new URLSearchParams({ code: world.issueCode(userId), state: authorize.searchParams.get('state')! })
  const callback = await fetch(`${instance.url}/api/auth/callback?${query}`, {
    redirect: 'manual',
    headers: { cookie: jar.header() },
  })
  jar.take(callback)
  if (callback.status !== 302 || !jar.header().includes('gs_session=')) {
    throw new Error(`sign-in as ${userId} failed: ${callback.status} ${await callback.text()}`)
  }
  return jar.header()
}

function api(instance: Instance, cookie: string) {
  return async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${instance.url}${url}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null, text }
  }
}

describe.skipIf(!DATABASE)('two server processes on one PostgreSQL database (skipped: TEST_DATABASE_URL is not set)', () => {
  const schema = `two_${randomBytes(6).toString('hex')}`
  const dataDirs: string[] = []
  let a: Instance
  let b: Instance
  let wecom: FastifyInstance
  let world: SimulatorWorld
  let linaOnA: string

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: DATABASE })
    await admin.connect()
    await admin.query(`create schema ${schema}`)
    await admin.end()
    const url = new URL(DATABASE!)
    url.searchParams.set('options', `-c search_path=${schema}`)
    world = SimulatorWorld.fromDemo(buildDemoData(Date.now()), {
      corpId: REAL_CORP_ID,
      agentId: REAL_AGENT_ID,
      secret: REAL_SECRET,
      now: Date.now,
    })
    wecom = await createWecomStandIn(world)
    const wecomApiBase = await wecom.listen({ port: 0, host: '127.0.0.1' })
    for (let i = 0; i < 2; i++) dataDirs.push(mkdtempSync(path.join(tmpdir(), 'gs-two-')))
    // Together, on the empty schema: the second must wait for the first's migrations, not repeat them.
    const started = await Promise.allSettled(dataDirs.map((dir) => startInstance(url.href, dir, wecomApiBase)))
    const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    const failed = started.find((result) => result.status === 'rejected')
    if (failed) {
      await Promise.all(running.map((instance) => instance.stop()))
      throw failed.reason
    }
    ;[a, b] = running as [Instance, Instance]
    linaOnA = await signIn(a, world, 'lina')
  }, 60_000)

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await wecom?.close()
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
    const admin = new pg.Client({ connectionString: DATABASE })
    await admin.connect()
    await admin.query(`drop schema if exists ${schema} cascade`)
    await admin.end()
  })

  it('both started on the empty schema: each migration applied once, the database marked once', async () => {
    // Both are up (beforeAll): neither tripped over the other's half-made tables.
    for (const instance of [a, b]) expect((await fetch(`${instance.url}/api/health`)).status).toBe(200)
    const client = new pg.Client({ connectionString: DATABASE })
    await client.connect()
    try {
      const applied = await client.query<{ name: string }>(`select name from ${schema}.kysely_migration order by name`)
      expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations).sort())
      const marks = await client.query<{ kind: string }>(`select kind from ${schema}.deployment`)
      expect(marks.rows).toEqual([{ kind: 'real' }])
    } finally {
      await client.end()
    }
  })

  it('a session made on one instance is valid on the other', async () => {
    for (const instance of [a, b]) {
      const me = await api(instance, linaOnA)('GET', '/api/me')
      expect(me.status, me.text).toBe(200)
      expect(me.body).toMatchObject({ userId: 'lina' })
    }
    expect((await api(b, '')('GET', '/api/me')).status).toBe(401)
  })

  it('writes on one instance are read on the other (a note, and facts in a profile the other has cached)', async () => {
    const onA = api(a, linaOnA)
    const onB = api(b, linaOnA)
    const list = await onA('GET', '/api/customers')
    expect(list.status, list.text).toBe(200)
    const customerId = (list.body as { items: { externalUserId: string }[] }).items[0]!.externalUserId
    const profileUrl = `/api/customers/${customerId}`
    expect((await onB('GET', profileUrl)).status).toBe(200)

    const noteId = randomUUID()
    const note = await onA('POST', `${profileUrl}/notes`, { id: noteId, text: '两台实例：A 写，B 读' })
    expect(note.status, note.text).toBe(201)
    const timeline = await onB('GET', `${profileUrl}/timeline?kind=note`)
    expect(timeline.status, timeline.text).toBe(200)
    expect((timeline.body as { items: { id: string; note?: { text: string } }[] }).items).toContainEqual(
      expect.objectContaining({ note: expect.objectContaining({ text: '两台实例：A 写，B 读' }) }),
    )

    const fit = `B 也看得到 ${randomBytes(3).toString('hex')}`
    expect((await onA('PATCH', `${profileUrl}/facts`, { fitNotes: fit })).status).toBe(200)
    const profile = await onB('GET', profileUrl)
    expect((profile.body as { facts: { fitNotes: string | null } }).facts.fitNotes).toBe(fit)
  })

  it('coupon stock holds when both instances issue from it at once', async () => {
    const manager = await signIn(b, world, 'wanglei')
    const created = await api(b, manager)('POST', '/api/coupon-templates', {
      name: '限量满减券',
      kind: 'amount_off',
      value: 5000,
      threshold: 50000,
      totalStock: 3,
      perCustomerLimit: 20,
      guideWeeklyQuota: 100,
      validDays: 7,
    })
    expect(created.status, created.text).toBe(201)
    const template = created.body as CouponTemplate
    const customers = (await api(a, linaOnA)('GET', '/api/customers')).body as { items: { externalUserId: string }[] }
    // Not the customer with the note: a coupon card must not repeat a note's words (private_text).
    const customerId = customers.items[1]!.externalUserId

    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(i % 2 === 0 ? a : b, linaOnA)('POST', `/api/coupons/${template.id}/issue`, {
          externalUserId: customerId,
          idempotencyKey: randomUUID(),
        }),
      ),
    )
    const issued = attempts.filter((attempt) => attempt.status < 300)
    const refused = attempts.filter((attempt) => attempt.status >= 300)
    expect(issued).toHaveLength(3)
    expect(new Set(issued.map((attempt) => (attempt.body as { code: string }).code)).size).toBe(3)
    expect(refused.map((attempt) => `${attempt.status} ${(attempt.body as { error?: { code: string } }).error?.code}`)).toEqual(
      Array(9).fill('409 out_of_stock'),
    )

    for (const instance of [a, b]) {
      const templates = (await api(instance, manager)('GET', '/api/coupon-templates')).body as { templates: CouponTemplate[] }
      expect(templates.templates.find((x) => x.id === template.id)?.stockLeft).toBe(0)
    }
  })

  it('signing out on one instance ends the session on the other', async () => {
    const cookie = await signIn(a, world, 'chenjing')
    expect((await api(b, cookie)('GET', '/api/me')).status).toBe(200)
    const logout = await api(a, cookie)('POST', '/api/auth/logout')
    expect(logout.status).toBeLessThan(300)
    expect((await api(a, cookie)('GET', '/api/me')).status).toBe(401)
    expect((await api(b, cookie)('GET', '/api/me')).status).toBe(401)
  })
})
