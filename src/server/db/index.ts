/**
 * One Kysely instance over SQLite (embedded default) or PostgreSQL (production, several
 * API instances). Everything above this file is dialect-agnostic.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider, type SqliteDatabase } from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from '../env'
import { PgChangeWatch, SESSIONS_CHANNEL, type ChangeVersion } from './change-watch'
import { migrations } from './migrations'
import type { Database } from './schema'

export type DbKind = 'sqlite' | 'postgres'

/**
 * What a repository writes through: the database itself or a transaction on it (a
 * Kysely `Transaction` is a `Kysely`). Methods that must join a caller's transaction take
 * one of these.
 */
export type Trx = Kysely<Database>

export interface Db {
  kysely: Kysely<Database>
  kind: DbKind
  /**
   * PostgreSQL only: run a statement as a named prepared statement (parsed and planned
   * once per connection). Kysely sends every query unnamed, which makes PostgreSQL plan
   * it again each time; for hot point lookups that planning costs more than the lookup.
   */
  queryPrepared?: <Row>(name: string, sql: string, parameters: readonly unknown[]) => Promise<Row[]>
  /**
   * A value that moves on whenever something was written, from this process or another:
   * on SQLite anything at all, on PostgreSQL the tables a customer's profile reads
   * (migration 0019, change-watch.ts). Equal values mean nothing was written in between.
   */
  changes?: ChangeVersion
  /**
   * Moves on whenever a session may have ended or been cut short, or a guide left, so an
   * instance may keep a session it checked until this moves. PostgreSQL: exactly those
   * writes (migration 0027). SQLite: any write, as `changes`.
   */
  sessionChanges?: ChangeVersion
  close(): Promise<void>
}

export interface OpenDbOptions {
  /** PostgreSQL only: run in this schema (tests give every file a fresh one). */
  searchPath?: string
  poolSize?: number
}

const INT8_OID = 20
const STATEMENT_CACHE_SIZE = 500

type SqliteStatement = ReturnType<SqliteDatabase['prepare']>

/**
 * What Kysely gets as its SQLite database. Two jobs:
 *
 * - Kysely prepares every query afresh; with better-sqlite3 preparing costs as much as
 *   running a point lookup. The SQL Kysely compiles for a query shape is stable (values
 *   are parameters), so prepared statements are kept and reused, least recently used
 *   dropped first.
 * - Every statement that writes bumps a counter, which with SQLite's own `data_version`
 *   (moved by other connections, e.g. an import in another process) tells cheaply
 *   whether anything at all changed since a given moment.
 */
function instrumentSqlite(sqlite: SQLite.Database): { database: SqliteDatabase; changeVersion: () => string | null } {
  const cache = new Map<string, SqliteStatement>()
  let localWrites = 0
  const dataVersion = sqlite.prepare('pragma data_version').pluck()
  const countingWrites = (statement: SQLite.Statement): SqliteStatement => ({
    reader: statement.reader,
    all: (parameters) => {
      try {
        return statement.all(parameters)
      } finally {
        localWrites++
      }
    },
    run: (parameters) => {
      try {
        return statement.run(parameters)
      } finally {
        localWrites++
      }
    },
    iterate: (parameters) => {
      localWrites++
      return statement.iterate(parameters)
    },
  })
  return {
    // Inside a transaction (another request's, on this one connection) `data_version` stands
    // still while other processes commit: then it cannot say, and callers read afresh.
    changeVersion: () => (sqlite.inTransaction ? null : `${dataVersion.get() as number}:${localWrites}`),
    database: {
      prepare(sql: string) {
        let statement = cache.get(sql)
        if (statement) {
          cache.delete(sql)
        } else {
          const prepared = sqlite.prepare(sql)
          statement = prepared.readonly ? (prepared as unknown as SqliteStatement) : countingWrites(prepared)
          if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
        }
        cache.set(sql, statement)
        return statement
      },
      close() {
        cache.clear()
        sqlite.close()
      },
    },
  }
}

export function openDb(config: DatabaseConfig, options: OpenDbOptions = {}): Db {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(path.dirname(config.file), { recursive: true })
    const sqlite = new SQLite(config.file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
    // Reads are point lookups spread over the whole file: keep it in memory rather than
    // going to the OS for every page (the default cache is 2 MB).
    sqlite.pragma('cache_size = -65536')
    sqlite.pragma('mmap_size = 268435456')
    sqlite.pragma('temp_store = memory')
    const { database, changeVersion } = instrumentSqlite(sqlite)
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
    return {
      kysely,
      kind: 'sqlite',
      // SQLite answers at once, for this process and any other on the file.
      changes: { current: changeVersion, settled: changeVersion },
      // Anything written at all, here or by another process, counts as a session change:
      // a kept session is good only while nothing was (a quiet revisit).
      sessionChanges: { current: changeVersion, settled: changeVersion },
      close: () => kysely.destroy(),
    }
  }
  const connection = {
    connectionString: config.url,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  }
  const pool = new pg.Pool({
    ...connection,
    max: options.poolSize ?? 10,
    // bigint columns hold epoch milliseconds, well inside Number's exact range.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  })
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  // Connects on first use: a command-line import never asks.
  const changes = new PgChangeWatch(connection)
  return {
    kysely,
    kind: 'postgres',
    queryPrepared: async <Row>(name: string, text: string, values: readonly unknown[]) =>
      (await pool.query<Row & pg.QueryResultRow>({ name, text, values: [...values] })).rows,
    changes,
    sessionChanges: changes.channel(SESSIONS_CHANNEL),
    close: async () => {
      await changes.close()
      await kysely.destroy()
    },
  }
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
