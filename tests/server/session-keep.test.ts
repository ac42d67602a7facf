import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AppContext } from '../../src/server/context'
import { migrateToLatest, openDb, type Db } from '../../src/server/db'
import { SESSION_TOUCH_MS } from '../../src/server/http/session'
import { SessionsRepository } from '../../src/server/modules/sessions/sessions.repository'
import { SessionsService } from '../../src/server/modules/sessions/sessions.service'
import { TestClock } from '../helpers/app'

/**
 * SQLite: an instance keeps a session it checked while this process writes nothing to
 * sessions or guides and no other process writes anything; either sends it back to the
 * database. PostgreSQL's counterpart is in change-watch.test.ts.
 */
describe('a kept session on SQLite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-session-keep-'))
  const file = path.join(dir, 'app.db')
  const clock = new TestClock()
  let db: Db
  let sessions: SessionsService
  let other: SQLite.Database

  beforeAll(async () => {
    db = openDb({ kind: 'sqlite', file })
    await migrateToLatest(db)
    await db.kysely
      .insertInto('guides')
      .values({
        user_id: 'lina',
        name: '李娜',
        avatar: null,
        store_id: null,
        role: 'guide',
        customers_synced_at: null,
        created_at: clock.value,
        updated_at: clock.value,
      })
      .execute()
    sessions = new SessionsService({ db, now: clock.now } as unknown as AppContext)
    other = new SQLite(file)
  })
  afterAll(async () => {
    other.close()
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const started = async (id: string) => {
    await new SessionsRepository(db).insert({ id, userId: 'lina', now: clock.value, expiresAt: clock.value + 12 * 3_600_000 })
    return id
  }

  it('answers from memory while nothing is written, and reads again after a write here or in another process', async () => {
    const finds = vi.spyOn(SessionsRepository.prototype, 'find')
    try {
      const id = await started('s-kept')
      expect(await sessions.resolve(id)).toMatchObject({ userId: 'lina', sessionId: id })
      finds.mockClear()
      expect(await sessions.resolve(id)).toMatchObject({ userId: 'lina' })
      expect(finds).not.toHaveBeenCalled()

      // This process writes elsewhere all day (coupons, notes): still kept.
      await db.kysely.insertInto('stores').values({ id: 'S9', name: '测试店', city: '上海' }).execute()
      await db.kysely.updateTable('stores').set({ name: '测试二店' }).where('id', '=', 'S9').execute()
      expect(await sessions.resolve(id)).toMatchObject({ userId: 'lina' })
      expect(finds).not.toHaveBeenCalled()

      // This process ends it, in plain SQL as much as through Kysely: refused at once.
      const local = await started('s-local')
      expect(await sessions.resolve(local)).not.toBeNull()
      await sql`update sessions set revoked_at = ${clock.value}, revoked_reason = 'admin' where id = ${local}`.execute(db.kysely)
      expect(await sessions.resolve(local)).toBeNull()

      // Another process (an import) ends it: the next check refuses it.
      other.prepare("update sessions set revoked_at = ?, revoked_reason = 'admin' where id = ?").run(clock.value, id)
      expect(await sessions.resolve(id)).toBeNull()

      // Ended by another process while a transaction of this one is open (SQLite holds its
      // snapshot, data_version included, until it ends): refused all the same.
      const during = await started('s-during')
      expect(await sessions.resolve(during)).not.toBeNull()
      let pending: Promise<unknown> = Promise.resolve()
      await db.kysely.transaction().execute(async (trx) => {
        await trx.selectFrom('guides').select('user_id').execute()
        other.prepare("update sessions set revoked_at = ?, revoked_reason = 'admin' where id = ?").run(clock.value, during)
        pending = sessions.resolve(during)
      })
      expect(await pending).toBeNull()

      // This process marks her gone: her other session ends too.
      const second = await started('s-second')
      expect(await sessions.resolve(second)).not.toBeNull()
      await db.kysely.updateTable('guides').set({ left_at: clock.value }).where('user_id', '=', 'lina').execute()
      expect(await sessions.resolve(second)).toBeNull()
      await db.kysely.updateTable('guides').set({ left_at: null }).where('user_id', '=', 'lina').execute()

      // Due a touch: read (and touched) again, even with nothing written.
      expect(await sessions.resolve(second)).not.toBeNull()
      clock.advance(SESSION_TOUCH_MS)
      finds.mockClear()
      expect(await sessions.resolve(second)).not.toBeNull()
      expect(finds).toHaveBeenCalledTimes(1)
    } finally {
      finds.mockRestore()
    }
  })

  it('hands a kept session out at once when its check may follow, the check saying whether it still counts', async () => {
    const finds = vi.spyOn(SessionsRepository.prototype, 'find')
    try {
      const id = await started('s-deferred')
      // Not kept yet: checked in full before it is handed out, nothing left pending.
      const first = await sessions.resolve(id, true)
      expect(first).toMatchObject({ userId: 'lina', sessionId: id })
      expect(first!.check).toBeUndefined()

      finds.mockClear()
      const kept = await sessions.resolve(id, true)
      expect(kept).toMatchObject({ userId: 'lina', sessionId: id })
      expect(await kept!.check!()).toBe(true)
      expect(finds).not.toHaveBeenCalled()

      // Another process writes something else after it was handed out: read again, still good.
      const unrelated = await sessions.resolve(id, true)
      other.prepare("insert into stores (id, name, city) values ('S-deferred', '测试店', '上海')").run()
      expect(await unrelated!.check!()).toBe(true)

      // Ended by another process after it was handed out: the check says so, and so does the next request.
      const ended = await sessions.resolve(id, true)
      other.prepare("update sessions set revoked_at = ?, revoked_reason = 'admin' where id = ?").run(clock.value, id)
      expect(await ended!.check!()).toBe(false)
      expect(await sessions.resolve(id, true)).toBeNull()

      // Without asking to defer, a kept session is checked before it is handed out, as ever.
      const plain = await started('s-plain')
      await sessions.resolve(plain)
      expect((await sessions.resolve(plain))!.check).toBeUndefined()
    } finally {
      finds.mockRestore()
    }
  })
})
