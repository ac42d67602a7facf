/**
 * The demo and a real deployment never share a database: the demo's till keys and manager
 * are public. `prepareDatabase` decides at start; `main()` exits with its message.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest, openDb, type Db } from '../../src/server/db'
import { deploymentKind } from '../../src/server/db/deployment'
import * as deploymentMigration from '../../src/server/db/migrations/2026_12_04_0008_deployment'
import { seedDemo } from '../../src/server/demo/seed'
import { buildDemoData } from '../../src/server/demo/data'
import { ConfigError, loadConfig, type Config } from '../../src/server/env'
import { prepareDatabase } from '../../src/server/startup'
import { FIXED_NOW, REAL_AGENT_ID, REAL_CORP_ID, REAL_SECRET, SESSION_SECRET } from '../helpers/app'
import { createTestDb, DB_KINDS, type TestDb } from '../helpers/db'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const REAL_ENV = {
  WECOM_CORP_ID: REAL_CORP_ID,
  WECOM_AGENT_ID: REAL_AGENT_ID,
  WECOM_SECRET: REAL_SECRET,
  PUBLIC_URL: 'https://sidebar.example.com',
  SESSION_SECRET,
}

describe.each(DB_KINDS)('which mode a database may serve (%s)', (kind) => {
  const options = { persistSecrets: false, cwd: '/tmp/guide-sidebar-tests' }
  const database = kind === 'postgres' ? { DATABASE_URL: process.env.TEST_DATABASE_URL! } : {}
  const simulator: Config = loadConfig({ SESSION_SECRET, ...database }, options)
  const real: Config = loadConfig({ ...REAL_ENV, ...database }, options)
  const opened: TestDb[] = []
  const fresh = async (): Promise<Db> => {
    const testDb = await createTestDb(kind)
    opened.push(testDb)
    return testDb.db
  }
  afterEach(async () => {
    for (const testDb of opened.splice(0)) await testDb.drop()
  })

  const refusedAsDemo = async (db: Db) => {
    const attempt = prepareDatabase(db, real, FIXED_NOW)
    await expect(attempt).rejects.toThrow(ConfigError)
    await expect(attempt).rejects.toThrow(/holds the simulator's demo.*real mode will not start on it/)
    await expect(attempt).rejects.toThrow(/DATABASE_URL/)
    await expect(attempt).rejects.not.toThrow(/demo-till/)
  }

  it('seeds the demo into an empty database in simulator mode, and real mode refuses it', async () => {
    const db = await fresh()
    const first = await prepareDatabase(db, simulator, FIXED_NOW)
    expect(first.seeded).toBe(true)
    expect(first.demo?.guides.length).toBeGreaterThan(0)
    expect(await deploymentKind(db.kysely)).toBe('demo')
    const again = await prepareDatabase(db, simulator, FIXED_NOW)
    expect(again.seeded).toBe(false)
    expect(again.demo).toBeDefined()
    await refusedAsDemo(db)
    // Refused, not changed: still the demo.
    expect(await deploymentKind(db.kysely)).toBe('demo')
  })

  it('seeds the demo once when two simulator instances start on one empty database at the same moment', async () => {
    const db = await fresh()
    const results = await Promise.all([prepareDatabase(db, simulator, FIXED_NOW), prepareDatabase(db, simulator, FIXED_NOW)])
    expect(results.filter((r) => r.seeded)).toHaveLength(1)
    const guides = await db.kysely
      .selectFrom('guides')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(guides.n)).toBe(buildDemoData(FIXED_NOW).guides.length)
  })

  it('recognises a demo database seeded before the mark existed', async () => {
    const db = await fresh()
    await seedDemo(db, buildDemoData(FIXED_NOW), FIXED_NOW)
    // As it was before the migration: no mark. The migration finds the demo by its rows.
    await db.kysely.schema.dropTable('deployment').execute()
    await deploymentMigration.up(db.kysely)
    expect(await deploymentKind(db.kysely)).toBe('demo')
    await refusedAsDemo(db)
  })

  it("tells the demo from a real brand's store of the same number or a manager of the same name", async () => {
    const db = await fresh()
    const unmarked = async () => {
      await db.kysely.schema.dropTable('deployment').execute()
      await deploymentMigration.up(db.kysely)
      return deploymentKind(db.kysely)
    }
    await db.kysely.insertInto('stores').values({ id: 'S001', name: '南京德基广场店', city: '南京' }).execute()
    expect(await unmarked()).toBeNull()
    // A real 王蕾 (userid wanglei) is no proof either, nor a store that happens to share the demo's name.
    await db.kysely
      .insertInto('guides')
      .values({
        user_id: 'wanglei',
        name: '王蕾',
        avatar: null,
        store_id: 'S001',
        role: 'manager',
        customers_synced_at: null,
        created_at: FIXED_NOW,
        updated_at: FIXED_NOW,
      })
      .execute()
    expect(await unmarked()).toBeNull()
    await db.kysely.updateTable('stores').set({ name: '上海静安嘉里中心店' }).where('id', '=', 'S001').execute()
    // The demo's store and its manager together are the demo.
    expect(await unmarked()).toBe('demo')
    await db.kysely.deleteFrom('guides').execute()
    expect(await unmarked()).toBeNull()
  })

  it('marks a real deployment, and the simulator will not seed its demo into it', async () => {
    const db = await fresh()
    expect(await prepareDatabase(db, real, FIXED_NOW)).toEqual({ seeded: false })
    expect(await deploymentKind(db.kysely)).toBe('real')
    const attempt = prepareDatabase(db, simulator, FIXED_NOW)
    await expect(attempt).rejects.toThrow(ConfigError)
    await expect(attempt).rejects.toThrow(/real deployment.*simulator mode will not seed/)
    expect(await db.kysely.selectFrom('guides').select('user_id').execute()).toEqual([])
    // Real mode starts again on its own database.
    expect(await prepareDatabase(db, real, FIXED_NOW)).toEqual({ seeded: false })
  })

  it('refuses to seed the demo into real data from before the mark (a CRM import)', async () => {
    const db = await fresh()
    await db.kysely.insertInto('stores').values({ id: 'BJ01', name: '北京国贸店', city: '北京' }).execute()
    await expect(prepareDatabase(db, simulator, FIXED_NOW)).rejects.toThrow(/real deployment/)
    expect(await deploymentKind(db.kysely)).toBeNull()
    await prepareDatabase(db, real, FIXED_NOW)
    expect(await deploymentKind(db.kysely)).toBe('real')
  })
})

describe('`main()` in real mode on a folder first started as the demo', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'gs-startup-'))
    // What a demo folder looks like from before the modes had files of their own: the demo
    // in the file real mode now opens by default.
    const db = openDb({ kind: 'sqlite', file: path.join(dataDir, 'guide-sidebar.db') })
    await migrateToLatest(db)
    await seedDemo(db, buildDemoData(FIXED_NOW), FIXED_NOW)
    await db.close()
  })
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('exits with a message that says what to do, before serving anything', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...REAL_ENV,
      WECOM_API_BASE: 'http://127.0.0.1:9',
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    }
    delete env.DATABASE_URL
    delete env.BRAND_NAME
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    clearTimeout(timer)
    expect(code, stdout + stderr).toBe(1)
    expect(stderr).toContain('Configuration error:')
    expect(stderr).toContain(path.join(dataDir, 'guide-sidebar.db'))
    expect(stderr).toMatch(/demo/)
    expect(stderr).toMatch(/DATABASE_URL at another database, or DATA_DIR at another folder/)
    expect(stderr).toMatch(/delete/)
    expect(stdout).not.toContain('is running')
    expect(stdout + stderr).not.toContain('demo-till-')
  }, 40_000)
})
