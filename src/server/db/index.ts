/**
 * One Kysely instance over SQLite (embedded default) or PostgreSQL (production, several
 * API instances). Everything above this file is dialect-agnostic.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from '../env'
import { migrations } from './migrations'
import type { Database } from './schema'

export type DbKind = 'sqlite' | 'postgres'

export interface Db {
  kysely: Kysely<Database>
  kind: DbKind
  close(): Promise<void>
}

export interface OpenDbOptions {
  /** PostgreSQL only: run in this schema (tests give every file a fresh one). */
  searchPath?: string
  poolSize?: number
}

const INT8_OID = 20

export function openDb(config: DatabaseConfig, options: OpenDbOptions = {}): Db {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(path.dirname(config.file), { recursive: true })
    const sqlite = new SQLite(config.file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    return { kysely, kind: 'sqlite', close: () => kysely.destroy() }
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: options.poolSize ?? 10,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    // bigint columns hold epoch milliseconds, well inside Number's exact range.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  })
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { kysely, kind: 'postgres', close: () => kysely.destroy() }
}

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
}

export async function migrateToLatest(db: Db): Promise<void> {
  // Kysely looks for its own bookkeeping tables in every schema unless told which one;
  // with several schemas on one server (tests, shared clusters) it must be ours.
  const schema =
    db.kind === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema
      : undefined
  const migrator = new Migrator({ db: db.kysely, provider, migrationTableSchema: schema })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error')
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`)
  }
}
