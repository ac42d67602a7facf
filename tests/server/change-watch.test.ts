/**
 * PostgreSQL's change notifications (migration 0019, src/server/db/change-watch.ts) with
 * two API instances on one schema: a write on one is seen by a profile revisit on the
 * other at once, a revoked session ends on both, and while the listening connection is
 * down revisits fall back to reading. Needs TEST_DATABASE_URL; skipped otherwise.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp, injectFetch } from '../../src/server/app'
import { migrateToLatest, openDb, type Db } from '../../src/server/db'
import type { PgChangeWatch } from '../../src/server/db/change-watch'
import { buildDemoData } from '../../src/server/demo/data'
import { seedDemo } from '../../src/server/demo/seed'
import { loadConfig } from '../../src/server/env'
import { SessionsRepository } from '../../src/server/modules/sessions/sessions.repository'
import { SimulatorWorld } from '../../src/server/simulator/world'
import { SESSION_SECRET, TestClock, parseSetCookies } from '../helpers/app'

const DATABASE = process.env.TEST_DATABASE_URL

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: DATABASE })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe.skipIf(!DATABASE)(
  'change notifications, two API instances on one PostgreSQL schema (skipped: no TEST_DATABASE_URL)',
  () => {
    const schema = `cw_${randomBytes(6).toString('hex')}`
    const clock = new TestClock()
    const demo = buildDemoData(clock.value)
    const dbs: Db[] = []
    const apps: FastifyInstance[] = []
    const contexts: { background: { idle(): Promise<void> } }[] = []
    let world: SimulatorWorld
    let cookie: string

    const watchOf = (db: Db) => db.changes as PgChangeWatch

    /** Lina (or another member) through OAuth on one instance: the Cookie header of the new session. */
    async function signIn(app: FastifyInstance, userId = 'lina'): Promise<string> {
      const login = await app.inject({ method: 'GET', url: '/api/auth/login' })
      const state = new URL(login.headers.location as string, 'http://x').searchParams.get('state')!
      const oauth = parseSetCookies(login.headers['set-cookie']).get('gs_oauth')!.value
      const callback = await app.inject({
        method: 'GET',
        url: `/api/auth/callback?code=${world.issueCode(userId)}&state=${state}`,
        headers: { cookie: `gs_oauth=${oauth}` },
      })
      return `gs_session=${parseSetCookies(callback.headers['set-cookie']).get('gs_session')!.value}`
    }

    beforeAll(async () => {
      await admin((client) => client.query(`create schema ${schema}`))
      const config = loadConfig({ SESSION_SECRET }, { persistSecrets: false, cwd: '/tmp/guide-sidebar-tests' })
      world = SimulatorWorld.fromDemo(demo, {
        corpId: config.wecom.corpId,
        agentId: config.wecom.agentId,
        secret: config.wecom.secret,
        now: clock.now,
      })
      for (let i = 0; i < 2; i++) {
        const db = openDb({ kind: 'postgres', url: DATABASE! }, { searchPath: schema, poolSize: 5 })
        dbs.push(db)
        await migrateToLatest(db)
        if (i === 0) await seedDemo(db, demo, clock.value)
        let self: FastifyInstance | null = null
        const built = await buildApp({
          config,
          db,
          now: clock.now,
          world,
          demo,
          fetch: injectFetch(() => self!),
          distDir: '/nonexistent',
          eveningReportMs: 0,
          wecomResyncMs: 0,
          taskJobMs: 0,
          couponSweepMs: 0,
        })
        self = built.app
        await built.app.ready()
        apps.push(built.app)
        contexts.push(built.ctx)
      }
      cookie = await signIn(apps[0]!)
      // Her first sign-in resyncs her customers in the background: those writes notify too,
      // and one landing mid-test would look like a change nobody made.
      for (const ctx of contexts) await ctx.background.idle()
      // Start listening on both and wait until they do: the tests are of the no-query path.
      for (const db of dbs) {
        db.changes!.current()
        await until('the change watch to listen', () => db.changes!.current() !== null)
      }
    }, 30_000)

    afterAll(async () => {
      for (const app of apps) await app.close()
      for (const db of dbs) await db.close()
      await admin((client) => client.query(`drop schema if exists ${schema} cascade`))
    })

    const customer = demo.customers.find(
      (c) => c.follows[0]!.userId === 'lina' && demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!
    const member = demo.members.find((m) => m.externalUserId === customer.externalUserId)!
    const profile = async (app: FastifyInstance, headers = { cookie }) => {
      const response = await app.inject({ method: 'GET', url: `/api/customers/${customer.externalUserId}`, headers })
      return { status: response.statusCode, body: response.json<{ facts: { fitNotes: string | null } }>() }
    }

    it('counts a write committed through either instance before a later settle answers', async () => {
      const [a, b] = dbs as [Db, Db]
      for (let i = 0; i < 20; i++) {
        const before = await b.changes!.settled()
        expect(before).not.toBeNull()
        expect(await b.changes!.settled()).toBe(before)
        const writer = i % 2 === 0 ? a : b
        await writer.kysely.updateTable('members').set({ points: i }).where('id', '=', member.id).execute()
        expect(await b.changes!.settled()).not.toBe(before)
      }
      // Tables no profile reads say nothing: a session touched, a rate limit counted.
      const before = await b.changes!.settled()
      await a.kysely.updateTable('sessions').set({ last_seen_at: clock.value }).execute()
      expect(await b.changes!.settled()).toBe(before)
    })

    it('a write on one instance is seen by a revisit on the other at once', async () => {
      const [a, b] = apps as [FastifyInstance, FastifyInstance]
      for (let i = 0; i < 10; i++) {
        // B holds the profile and has found it current: its next revisit asks no query.
        await profile(b)
        const cached = await profile(b)
        expect(cached.status).toBe(200)
        const fit = `A 写 B 读 ${i}`
        const patch = await a.inject({
          method: 'PATCH',
          url: `/api/customers/${customer.externalUserId}/facts`,
          headers: { cookie },
          payload: { fitNotes: fit },
        })
        expect(patch.statusCode, patch.body).toBe(200)
        expect((await profile(b)).body.facts.fitNotes).toBe(fit)
      }
      // Another process writes (an import): the member trigger moves the token, the notify the count.
      await profile(b)
      await admin((client) => client.query(`update ${schema}.members set size_shoes = '41' where id = $1`, [member.id]))
      expect((await profile(b)).body).toMatchObject({ member: { sizes: { shoes: '41' } } })
    })

    it('a session ended on one instance is refused on the other at once', async () => {
      const [a, b] = apps as [FastifyInstance, FastifyInstance]
      const second = await signIn(a)
      expect((await profile(b, { cookie: second })).status).toBe(200)
      expect((await profile(b, { cookie: second })).status).toBe(200)
      expect((await a.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: second } })).statusCode).toBeLessThan(
        300,
      )
      expect((await profile(b, { cookie: second })).status).toBe(401)
    })

    it('refuses a coupon sent from a session that another instance ended, writing nothing', async () => {
      const [a, b] = apps as [FastifyInstance, FastifyInstance]
      const manager = await signIn(a, 'wanglei')
      const created = await a.inject({
        method: 'POST',
        url: '/api/coupon-templates',
        headers: { cookie: manager },
        payload: {
          name: '两店券',
          kind: 'amount_off',
          value: 3000,
          threshold: 0,
          totalStock: 10,
          perCustomerLimit: 5,
          guideWeeklyQuota: 100,
          validDays: 7,
        },
      })
      expect(created.statusCode, created.body).toBe(201)
      const templateId = created.json<{ id: string }>().id
      const send = (session: string, key: string) =>
        b.inject({
          method: 'POST',
          url: `/api/coupons/${templateId}/issue`,
          headers: { cookie: session },
          payload: { externalUserId: customer.externalUserId, idempotencyKey: key },
        })
      const session = await signIn(a)
      // Kept by B after the first send: the send route takes it before its check is back.
      expect((await send(session, `cw-${randomBytes(6).toString('hex')}`)).statusCode).toBe(201)
      expect((await send(session, `cw-${randomBytes(6).toString('hex')}`)).statusCode).toBe(201)
      expect((await a.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session } })).statusCode).toBeLessThan(
        300,
      )
      const key = `cw-${randomBytes(6).toString('hex')}`
      expect((await send(session, key)).statusCode).toBe(401)
      const rows = await admin((client) =>
        client.query(`select id from ${schema}.coupon_issuances where idempotency_key = $1`, [key]),
      )
      expect(rows.rows).toEqual([])
      const left = await admin((client) =>
        client.query(`select stock_left from ${schema}.coupon_templates where id = $1`, [templateId]),
      )
      expect(Number(left.rows[0].stock_left)).toBe(8)
    })

    it('keeps a session it checked without reading it again, until it is ended anywhere or her guide leaves', async () => {
      const [a, b] = apps as [FastifyInstance, FastifyInstance]
      const finds = vi.spyOn(SessionsRepository.prototype, 'find')
      try {
        const ids = async () =>
          new Set(
            (await admin((client) => client.query<{ id: string }>(`select id from ${schema}.sessions`))).rows.map((r) => r.id),
          )
        const before = await ids()
        const kept = await signIn(a)
        const keptId = [...(await ids())].find((id) => !before.has(id))!
        expect((await profile(b, { cookie: kept })).status).toBe(200)
        finds.mockClear()
        for (let i = 0; i < 5; i++) expect((await profile(b, { cookie: kept })).status).toBe(200)
        expect(finds).not.toHaveBeenCalled()
        // Another process ends it (no instance's doing): the next request anywhere refuses it.
        await admin((client) =>
          client.query(`update ${schema}.sessions set revoked_at = $1, revoked_reason = 'admin' where id = $2`, [
            clock.value,
            keptId,
          ]),
        )
        expect((await profile(b, { cookie: kept })).status).toBe(401)

        // Her guide row marked gone by another process ends what an instance kept of her sessions.
        const other = await signIn(a)
        expect((await profile(b, { cookie: other })).status).toBe(200)
        expect((await profile(b, { cookie: other })).status).toBe(200)
        await admin((client) => client.query(`update ${schema}.guides set left_at = $1 where user_id = 'lina'`, [clock.value]))
        try {
          expect((await profile(b, { cookie: other })).status).toBe(401)
        } finally {
          await admin((client) => client.query(`update ${schema}.guides set left_at = null where user_id = 'lina'`))
        }
        // A session touched (last seen) says nothing: kept sessions stay kept.
        const third = await signIn(a)
        expect((await profile(b, { cookie: third })).status).toBe(200)
        await admin((client) => client.query(`update ${schema}.sessions set last_seen_at = last_seen_at + 1`))
        finds.mockClear()
        expect((await profile(b, { cookie: third })).status).toBe(200)
        expect(finds).not.toHaveBeenCalled()
      } finally {
        finds.mockRestore()
      }
    })

    it('listens for the schema its tables are in, whatever comes first on its search path', async () => {
      const empty = `${schema}_first`
      await admin((client) => client.query(`create schema ${empty}`))
      const db = openDb({ kind: 'postgres', url: DATABASE! }, { searchPath: `${empty},${schema}`, poolSize: 2 })
      try {
        db.changes!.current()
        await until('the change watch to listen', () => db.changes!.current() !== null)
        const before = await db.sessionChanges!.settled()
        expect(before).not.toBeNull()
        await admin((client) =>
          client.query(
            `update ${schema}.sessions set expires_at = expires_at where id = (select min(id) from ${schema}.sessions)`,
          ),
        )
        expect(await db.sessionChanges!.settled()).not.toBe(before)
      } finally {
        await db.close()
        await admin((client) => client.query(`drop schema ${empty} cascade`))
      }
    })

    it('reads again while the listening connection is down, and counts nothing from before the gap', async () => {
      const [a, b] = apps as [FastifyInstance, FastifyInstance]
      const watch = watchOf(dbs[1]!)
      const before = watch.current()
      await admin((client) => client.query('select pg_terminate_backend($1)', [watch.backendPid]))
      await until('the lost connection to be noticed', () => watch.current() === null)
      expect(await watch.settled()).toBeNull()
      // Down: a write on A is still seen on B (by its token read).
      const fit = '连接断了也看得到'
      await a.inject({
        method: 'PATCH',
        url: `/api/customers/${customer.externalUserId}/facts`,
        headers: { cookie },
        payload: { fitNotes: fit },
      })
      expect((await profile(b)).body.facts.fitNotes).toBe(fit)
      await until('the change watch to listen again', () => watch.current() !== null)
      expect(watch.current()).not.toBe(before)
      const again = '重新连上'
      await profile(b)
      await a.inject({
        method: 'PATCH',
        url: `/api/customers/${customer.externalUserId}/facts`,
        headers: { cookie },
        payload: { fitNotes: again },
      })
      expect((await profile(b)).body.facts.fitNotes).toBe(again)
    })
  },
)
