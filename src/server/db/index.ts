/**
 * One Kysely instance over SQLite (embedded default) or PostgreSQL (production, several
 * API instances). Everything above this file is dialect-agnostic.
 */
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider, type SqliteDatabase } from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from '../env'
import { PgChangeWatch, SESSIONS_CHANNEL, type ChangeVersion } from './change-watch'
import { migrations } from './migrations'
import type { Database } from './schema'
import { SAFETY_NET_PAGES, startWalCheckpoints } from './wal-checkpoints'

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
   * PostgreSQL only: from now on run this statement's text, whoever sends it (a
   * transaction too), as a named prepared statement on each connection: `name` below.
   * Only for statements whose text is the same at every run (lists as one array
   * parameter: `inList` in dialect.ts), or the set of names would grow without end.
   */
  prepareText?: (sql: string) => void
  /**
   * PostgreSQL only: run a statement outside any transaction, named and planned once for
   * all values (a generic plan, forced). For large statements of array parameters
   * (`inList`), which PostgreSQL would otherwise plan afresh at every run once it finds
   * the generic plan's estimate above the custom plans' (it plans them for the arrays'
   * lengths): planning them cost more than running them. Only for statements whose plan
   * does not hang on their values.
   */
  queryGeneric?: <Row>(sql: string, parameters: readonly unknown[]) => Promise<Row[]>
  /**
   * SQLite only: run a read at once, past Kysely's queue for the one connection, or null
   * while a transaction is open on it (its writes are not committed: then go through
   * Kysely, which waits for it). better-sqlite3 answers synchronously anyway; the queue,
   * its promises and Kysely's result objects cost a hot point lookup as much as the lookup.
   */
  readNow?: <Row>(sql: string, parameters: readonly unknown[]) => Row[] | null
  /**
   * A value that moves on whenever something was written, from this process or another:
   * on SQLite anything at all, on PostgreSQL the tables a customer's profile reads
   * (migration 0019, change-watch.ts). Equal values mean nothing was written in between.
   */
  changes?: ChangeVersion
  /**
   * Moves on whenever a session may have ended or been cut short, or a guide left, so an
   * instance may keep a session it checked until this moves. PostgreSQL: exactly those
   * writes (migration 0027). SQLite: a write to sessions or guides from this process, or
   * anything written by another.
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

/** A prepared statement's name, from its text: the same on every connection and instance. */
export function statementName(text: string): string {
  return `q_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`
}
const STATEMENT_CACHE_SIZE = 500
/** Writes a kept session hangs on (see `instrumentSqlite`); more is harmless, less is not. */
const SESSION_TABLES = /\b(sessions|guides)\b/i

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
 *   whether anything at all changed since a given moment. A second counter moves only
 *   with statements that name the sessions or guides table (no trigger or cascade writes
 *   them from elsewhere): a kept session hangs on that one, so coupon sends and notes
 *   written all day long no longer send every request back to read its session.
 */
function instrumentSqlite(sqlite: SQLite.Database): {
  database: SqliteDatabase
  changeVersion: () => string | null
  sessionVersion: () => string | null
  readNow: NonNullable<Db['readNow']>
} {
  const cache = new Map<string, SqliteStatement>()
  let localWrites = 0
  let sessionWrites = 0
  const dataVersion = sqlite.prepare('pragma data_version').pluck()
  const countingWrites = (statement: SQLite.Statement, sql: string): SqliteStatement => {
    const session = SESSION_TABLES.test(sql)
    const counted = () => {
      localWrites++
      if (session) sessionWrites++
    }
    return {
      reader: statement.reader,
      all: (parameters) => {
        try {
          return statement.all(parameters)
        } finally {
          counted()
        }
      },
      run: (parameters) => {
        try {
          return statement.run(parameters)
        } finally {
          counted()
        }
      },
      iterate: (parameters) => {
        counted()
        return statement.iterate(parameters)
      },
    }
  }
  // Inside a transaction (another request's, on this one connection) `data_version` stands
  // still while other processes commit: then it cannot say, and callers read afresh.
  const versionWith = (count: () => number) => () => (sqlite.inTransaction ? null : `${dataVersion.get() as number}:${count()}`)
  const database: SqliteDatabase = {
    prepare(sql: string) {
      let statement = cache.get(sql)
      if (statement) {
        cache.delete(sql)
      } else {
        const prepared = sqlite.prepare(sql)
        statement = prepared.readonly ? (prepared as unknown as SqliteStatement) : countingWrites(prepared, sql)
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
      }
      cache.set(sql, statement)
      return statement
    },
    close() {
      cache.clear()
      sqlite.close()
    },
  }
  return {
    changeVersion: versionWith(() => localWrites),
    sessionVersion: versionWith(() => sessionWrites),
    readNow: <Row>(sql: string, parameters: readonly unknown[]) =>
      sqlite.inTransaction ? null : (database.prepare(sql).all(parameters) as Row[]),
    database,
  }
}

/**
 * SQLite's `settled()`: `current()` read once for all who ask in a turn of the event loop,
 * after they all have (at its `setImmediate`), so what committed before any of them asked
 * is in it. Why not at each call: `data_version` opens and closes a read transaction,
 * two file locks and a stat, the dearest part of a request whose session is kept (in the
 * coupon bench about one request in ten of the server's system calls). A turn's requests
 * wait for the rest of the turn, which a send does anyway (issue-batch.ts). A test that
 * fakes `setImmediate` must let it run, or such a request waits.
 */
function settledPerTurn(read: () => string | null): () => Promise<string | null> {
  let turn: Promise<string | null> | null = null
  return () =>
    (turn ??= new Promise((resolve) =>
      setImmediate(() => {
        turn = null
        // A read that fails (the file closed, an I/O error) cannot say: callers read afresh,
        // and the error, if it lasts, comes out of that read as a request's error.
        let version: string | null = null
        try {
          version = read()
        } catch {
          // Null: cannot say.
        }
        resolve(version)
      }),
    ))
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
    // going to the OS for every page (the default cache is 2 MB; the file itself is mapped
    // below). Not larger: SQLite walks the whole page cache's hash table at every commit
    // (pcache1TruncateUnsafe), 4.3 % of the server's time in the coupon bench at 64 MB and
    // 0.5 % at 8 MB, with profile revisits no slower (tests/bench/customer-profile.ts).
    sqlite.pragma('cache_size = -8192')
    sqlite.pragma('mmap_size = 268435456')
    sqlite.pragma('temp_store = memory')
    let stopCheckpoints = async () => {}
    if (config.file !== ':memory:') {
      sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`)
      stopCheckpoints = startWalCheckpoints(config.file)
    }
    const { database, changeVersion, sessionVersion, readNow } = instrumentSqlite(sqlite)
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
    return {
      kysely,
      kind: 'sqlite',
      readNow,
      // SQLite answers for this process and any other on the file: `current()` at once, `settled()` at the turn's end.
      changes: { current: changeVersion, settled: settledPerTurn(changeVersion) },
      // Anything another process wrote counts as a session change; here, what names sessions or guides.
      sessionChanges: { current: sessionVersion, settled: settledPerTurn(sessionVersion) },
      close: async () => {
        await stopCheckpoints()
        await kysely.destroy()
      },
    }
  }
  const connection = {
    connectionString: config.url,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  }
  // bigint columns hold epoch milliseconds, well inside Number's exact range.
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID
        ? (value: string) => Number(value)
        : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  }
  const max = options.poolSize ?? 10
  const pool = new pg.Pool({ ...connection, max, types })
  // A few connections whose prepared statements are planned once for all values. Not the
  // setting for every connection: there it would also plan Kysely's unnamed statements
  // without their values.
  const generic = new pg.Pool({
    ...connection,
    options: [connection.options, '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' '),
    max: Math.max(2, Math.ceil(max / 4)),
    types,
  })
  const prepared = new Map<string, string>()
  const genericNames = new Map<string, string>()
  // Kysely sends every statement as `query(text, values)`, unnamed; a text made known by
  // `prepareText` goes named instead, on whichever connection (or transaction) runs it.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (config: unknown, values?: unknown, callback?: unknown) => unknown
    const named = (config: unknown, values?: unknown, callback?: unknown): unknown => {
      const name = typeof config === 'string' ? prepared.get(config) : undefined
      return name ? query({ name, text: config, values }, callback) : query(config, values, callback)
    }
    client.query = named as typeof client.query
  })
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  // Connects on first use: a command-line import never asks.
  const changes = new PgChangeWatch(connection)
  return {
    kysely,
    kind: 'postgres',
    queryPrepared: async <Row>(name: string, text: string, values: readonly unknown[]) =>
      (await pool.query<Row & pg.QueryResultRow>({ name, text, values: [...values] })).rows,
    queryGeneric: async <Row>(text: string, values: readonly unknown[]) => {
      // Its name is kept: hashing a batch's statement (kilobytes) at every run showed in profiles.
      let name = genericNames.get(text)
      if (name === undefined) genericNames.set(text, (name = statementName(text)))
      return (await generic.query<Row & pg.QueryResultRow>({ name, text, values: [...values] })).rows
    },
    prepareText: (text: string) => {
      if (!prepared.has(text)) prepared.set(text, statementName(text))
    },
    changes,
    sessionChanges: changes.channel(SESSIONS_CHANNEL),
    close: async () => {
      await changes.close()
      await Promise.all([kysely.destroy(), generic.end()])
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
