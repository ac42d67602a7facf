import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Insertable } from 'kysely'
import { migrateToLatest, openDb, type Db } from '../../src/server/db'
import type { MembersTable } from '../../src/server/db/schema'

export type DbKind = 'sqlite' | 'postgres'

/** SQLite always; PostgreSQL as well when TEST_DATABASE_URL points at a server. */
export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']

export interface TestDb {
  db: Db
  drop(): Promise<void>
}

/** A fresh, migrated database: an in-memory SQLite file, or a new PostgreSQL schema. */
export async function createTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'sqlite') {
    const db = openDb({ kind: 'sqlite', file: ':memory:' })
    await migrateToLatest(db)
    return { db, drop: () => db.close() }
  }
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_DATABASE_URL is not set')
  const schema = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const db = openDb({ kind: 'postgres', url }, { searchPath: schema, poolSize: 20 })
  await migrateToLatest(db)
  return {
    db,
    drop: async () => {
      await db.close()
      const cleanup = new pg.Client({ connectionString: url })
      await cleanup.connect()
      await cleanup.query(`drop schema ${schema} cascade`)
      await cleanup.end()
    },
  }
}

/** A member row with nothing known about her but what the test says (sizes, birthday, phone unset). */
export function memberRow(
  id: string,
  overrides: Partial<Insertable<MembersTable>> & { at?: number } = {},
): Insertable<MembersTable> {
  const { at = 1, ...rest } = overrides
  return {
    id,
    external_user_id: null,
    phone: null,
    name: '会员',
    level: 'normal',
    points: 0,
    store_id: null,
    size_top: null,
    size_bottom: null,
    size_dress: null,
    size_shoes: null,
    style_preferences: '[]',
    birthday: null,
    created_at: at,
    updated_at: at,
    ...rest,
  }
}
