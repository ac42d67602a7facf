import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { migrateToLatest, openDb } from '../../src/server/db'
import { prepareQuery } from '../../src/server/db/prepared'
import { SAFETY_NET_PAGES } from '../../src/server/db/wal-checkpoints'

/** What openDb does for SQLite beyond Kysely: reads past the queue, checkpoints on a thread. */
describe('the SQLite connection', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-sqlite-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads at once outside a transaction, and never sees a transaction’s writes before its commit', async () => {
    const db = openDb({ kind: 'sqlite', file: ':memory:' })
    try {
      await migrateToLatest(db)
      const store = prepareQuery(db, (p: { id: string }) => db.kysely.selectFrom('stores').select('name').where('id', '=', p.id))
      await db.kysely.insertInto('stores').values({ id: 'S1', name: '一店', city: '上海' }).execute()
      expect(db.readNow!('select name from stores', [])).toEqual([{ name: '一店' }])
      expect(await store({ id: 'S1' })).toEqual([{ name: '一店' }])

      let during: Promise<unknown> = Promise.resolve()
      await db.kysely.transaction().execute(async (trx) => {
        await trx.updateTable('stores').set({ name: '改名中' }).where('id', '=', 'S1').execute()
        // Inside the transaction the connection holds uncommitted rows: no read past the queue.
        expect(db.readNow!('select name from stores', [])).toBeNull()
        during = store({ id: 'S1' })
        await trx.updateTable('stores').set({ name: '二店' }).where('id', '=', 'S1').execute()
      })
      // Queued behind the transaction, it read what was committed.
      expect(await during).toEqual([{ name: '二店' }])
    } finally {
      await db.close()
    }
  })

  it('settles once for everyone who asks in a turn, with every write committed before they asked', async () => {
    const file = path.join(dir, 'settle.db')
    const db = openDb({ kind: 'sqlite', file })
    const other = new SQLite(file)
    try {
      await migrateToLatest(db)
      const watch = db.sessionChanges!
      const before = watch.current()
      const first = watch.settled()
      // Another process writes after the first asked and before the second did.
      other.prepare("insert into stores (id, name, city) values ('S9', '九店', '上海')").run()
      const second = watch.settled()
      expect(second).toBe(first)
      expect(await second).not.toBe(before)
      // Nothing written since: the next turn says so.
      const now = watch.current()
      expect(await watch.settled()).toBe(now)
      // A write here to what sessions hang on counts too.
      await db.kysely.deleteFrom('guides').where('user_id', '=', 'none').execute()
      expect(await watch.settled()).not.toBe(now)
    } finally {
      other.close()
      await db.close()
    }
    // A read that fails cannot say (callers read afresh): never an error out of a timer, never a wait.
    expect(await db.sessionChanges!.settled()).toBeNull()
  })

  it('copies the write-ahead log into the file on its own thread, and stops it on close', async () => {
    const file = path.join(dir, 'wal.db')
    const db = openDb({ kind: 'sqlite', file })
    await migrateToLatest(db)
    // The requests' connection checkpoints only past 64 MB of log: growth below is the thread's.
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely)
    expect(autocheckpoint.rows[0]!.wal_autocheckpoint).toBe(SAFETY_NET_PAGES)
    const size = () => statSync(file).size
    const before = size()
    // About 2 MB of new pages: far below the requests' own checkpoint at 64 MB.
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < 500; i++) {
        await trx
          .insertInto('stores')
          .values({ id: `S${i}`, name: 'x'.repeat(4000), city: '上海' })
          .execute()
      }
    })
    expect((await sql<{ n: number }>`select count(*) as n from stores`.execute(db.kysely)).rows[0]!.n).toBe(500)
    // Only a checkpoint grows the database file in WAL mode; no request ran one.
    await vi.waitFor(() => expect(size()).toBeGreaterThan(before + 1_500_000), { timeout: 5000, interval: 20 })
    await db.close()
    // Closed for good: the last connection gone, SQLite folded the log in and removed it.
    expect(existsSync(`${file}-wal`)).toBe(false)
  })
})
