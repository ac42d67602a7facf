import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, injectFetch } from '../../src/server/app'
import { migrateToLatest, openDb, type Db } from '../../src/server/db'
import { buildDemoData } from '../../src/server/demo/data'
import { seedDemo } from '../../src/server/demo/seed'
import { loadConfig } from '../../src/server/env'
import { ProfileCache, PROFILE_CACHE_MAX_AGE_MS } from '../../src/server/modules/customers/profile-cache'
import { SimulatorWorld } from '../../src/server/simulator/world'
import type { FastifyInstance } from 'fastify'
import { SESSION_SECRET, parseSetCookies } from '../helpers/app'

describe('ProfileCache', () => {
  it('forgets entries past their age and the least recently used first', () => {
    let now = 0
    const cache = new ProfileCache(() => now, 2)
    const entry = (token: string) => ({ token, body: token, fetchedAt: 0, checkedAt: null })
    cache.set('g', 'a', entry('a'))
    cache.set('g', 'b', entry('b'))
    expect(cache.get('g', 'a')?.body).toBe('a')
    cache.set('g', 'c', entry('c'))
    expect(cache.get('g', 'b')).toBeNull()
    expect(cache.get('g', 'a')?.body).toBe('a')
    now = PROFILE_CACHE_MAX_AGE_MS + 1
    expect(cache.get('g', 'a')).toBeNull()
    expect(new ProfileCache(() => 0, 0).size).toBe(0)
  })
})

describe('profile reads on a SQLite file written by another process', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gs-cache-')), 'db.sqlite')
  const demo = buildDemoData(Date.UTC(2026, 10, 25))
  let db: Db
  let app: FastifyInstance
  let world: SimulatorWorld
  let cookie: string

  beforeAll(async () => {
    db = openDb({ kind: 'sqlite', file })
    await migrateToLatest(db)
    await seedDemo(db, demo, Date.now())
    const config = loadConfig({ SESSION_SECRET }, { persistSecrets: false })
    world = SimulatorWorld.fromDemo(demo, {
      corpId: config.wecom.corpId,
      agentId: config.wecom.agentId,
      secret: config.wecom.secret,
    })
    let self: FastifyInstance | null = null
    const built = await buildApp({ config, db, world, demo, fetch: injectFetch(() => self!), distDir: '/nonexistent' })
    app = self = built.app
    await app.ready()
    const login = await app.inject({ method: 'GET', url: '/api/auth/login', headers: { host: 'localhost:8080' } })
    const state = new URL(login.headers.location as string, 'http://x').searchParams.get('state')
    const oauth = parseSetCookies(login.headers['set-cookie']).get('gs_oauth')!.value
    const callback = await app.inject({
      method: 'GET',
      url: `/api/auth/callback?code=${world.issueCode('lina')}&state=${state}`,
      headers: { cookie: `gs_oauth=${oauth}` },
    })
    cookie = `gs_session=${parseSetCookies(callback.headers['set-cookie']).get('gs_session')!.value}`
  })
  afterAll(async () => {
    await app.close()
    await db.close()
  })

  it('sees a change committed by another connection on the very next read', async () => {
    const customer = demo.customers.find(
      (c) => c.follows[0]!.userId === 'lina' && demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!
    const member = demo.members.find((m) => m.externalUserId === customer.externalUserId)!
    const get = async () =>
      (await app.inject({ method: 'GET', url: `/api/customers/${customer.externalUserId}`, headers: { cookie } })).json()
    expect((await get()).member.sizes.shoes).toBe(member.sizes.shoes)
    expect((await get()).member.sizes.shoes).toBe(member.sizes.shoes)

    // Another process (an import, say) writes to the same file without touching
    // updated_at: the member trigger moves it, and SQLite's data_version tells this
    // process to check.
    const other = new SQLite(file)
    other.prepare('update members set size_shoes = ? where id = ?').run('41', member.id)
    expect((await get()).member.sizes.shoes).toBe('41')
    other
      .prepare('insert into orders (id, member_id, store_id, purchased_at, total_fen, created_at) values (?, ?, ?, ?, ?, ?)')
      .run('O-other', member.id, 'S001', Date.now(), 12300, Date.now())
    other.close()
    const after = await get()
    expect(after.member.stats.orderCount).toBe(demo.orders.filter((o) => o.memberId === member.id).length + 1)
  })
})
