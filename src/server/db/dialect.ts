/**
 * Every place SQLite and PostgreSQL need different SQL or a different way of running it.
 * Repositories call these instead of testing `db.kind` themselves, so a reader looking
 * for "what differs between the two databases" finds it all here.
 */
import { sql, type Compilable, type RawBuilder, type SqlBool } from 'kysely'
import type { Db, DbKind, Trx } from './index'
import { prepareQuery, type PrepareOptions } from './prepared'

/**
 * Lock the rows a read-modify-write depends on. PostgreSQL needs `for update`; SQLite
 * runs one writer at a time, so the transaction already holds what it read.
 */
export function forUpdate<Q extends { forUpdate(): Q }>(kind: DbKind, query: Q): Q {
  return kind === 'postgres' ? query.forUpdate() : query
}

/** Where a stand-in list of a query built once (`prepareQuery`) keeps its parameter's marker. */
const LIST_MARKER = Symbol('list parameter')

/** A stand-in for a list argument while a query is built once: empty, carrying `marker`. */
export function markerList<T>(marker: string): T[] {
  return Object.assign([] as T[], { [LIST_MARKER]: marker })
}

const markerOf = (values: readonly unknown[]): string | undefined =>
  (values as unknown as Record<symbol, string | undefined>)[LIST_MARKER]

/**
 * A list of text values as one parameter: PostgreSQL an array, SQLite JSON text read with
 * `json_each`. Either way a statement has one text for any number of values, so it is
 * parsed once (on PostgreSQL a named prepared statement: `Db.prepareText`), and a query
 * of lists can be built once and only its parameters filled in (`prepareQuery`). SQLite
 * still searches the column's index for each value, as with a written-out list.
 */
export function listParameter(kind: DbKind, values: readonly string[]): unknown {
  return kind === 'postgres' ? [...values] : JSON.stringify(values)
}

/** `pairsIn`'s parameters: PostgreSQL two arrays, SQLite the pairs as JSON text. */
export function pairsParameters(kind: DbKind, pairs: readonly (readonly [string, string])[]): unknown[] {
  return kind === 'postgres' ? [pairs.map((pair) => pair[0]), pairs.map((pair) => pair[1])] : [JSON.stringify(pairs)]
}

/** `column in (values)` for text values, the list as one parameter (`listParameter`). */
export function inList(kind: DbKind, column: string, values: readonly string[]): RawBuilder<SqlBool> {
  const list = markerOf(values) ?? listParameter(kind, values)
  return kind === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = any(${list}::text[])`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${list}))`
}

/** `(first, second) in (pairs)`, the pairs of text values sent as `inList` sends a list. */
export function pairsIn(
  kind: DbKind,
  [first, second]: readonly [string, string],
  pairs: readonly (readonly [string, string])[],
): RawBuilder<SqlBool> {
  const columns = sql`(${sql.ref(first)}, ${sql.ref(second)})`
  const marker = markerOf(pairs)
  if (kind === 'postgres') {
    const [a, b] = marker ? [`${marker}#0`, `${marker}#1`] : pairsParameters(kind, pairs)
    return sql<SqlBool>`${columns} in (select * from unnest(${a}::text[], ${b}::text[]))`
  }
  const json = marker ?? pairsParameters(kind, pairs)[0]
  return sql<SqlBool>`${columns} in (select json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(${json}))`
}

/**
 * A text column compared as bytes. Cursors order ties by id in JavaScript too; PostgreSQL
 * would otherwise compare with the database's collation.
 */
export function bytewise(kind: DbKind, column: string): RawBuilder<string> {
  return kind === 'postgres' ? sql<string>`${sql.ref(column)} collate "C"` : sql<string>`${sql.ref(column)}`
}

/**
 * A transaction that writes. SQLite's begins `immediate`: a deferred transaction reads
 * first and must then upgrade to a write lock, and if another connection (the API server,
 * an import in another process) wrote in between, SQLite fails it at once with
 * SQLITE_BUSY instead of waiting out busy_timeout. Taking the write lock up front makes
 * it wait its turn. PostgreSQL's ordinary transaction already waits for row locks.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.kind !== 'sqlite') return db.kysely.transaction().execute(work)
  return db.kysely.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection)
    try {
      const result = await work(connection)
      await sql`commit`.execute(connection)
      return result
    } catch (error) {
      // SQLite ends the transaction itself after some errors (a full disk, for one); a
      // failed rollback then only says there was nothing left to undo.
      await sql`rollback`.execute(connection).catch(() => undefined)
      throw error
    }
  })
}

/**
 * Lock something that has no row to lock `for update` (a list rows may join), until the
 * transaction ends. PostgreSQL takes a transaction-scoped advisory lock on the key; SQLite
 * runs one writer at a time, so there is nothing to take.
 */
export async function lockKey(kind: DbKind, trx: Trx, key: string): Promise<void> {
  if (kind !== 'postgres') return
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx)
}

/**
 * One column's values as a JSON array, in the given order (none given: any), for a scalar subquery.
 * PostgreSQL answers json (parsed by the driver), SQLite its text: read it with
 * `jsonArrayValue`. Both take the order inside the aggregate.
 */
export function jsonArrayAgg(kind: DbKind, value: string, orderBy: readonly string[]): RawBuilder<unknown> {
  // In no particular order where none matters: SQLite sorts an ordered aggregate in a
  // temporary table it builds (and drops) on every run, even for no rows.
  const order = orderBy.length ? sql` order by ${sql.join(orderBy.map((column) => sql.ref(column)))}` : sql``
  return kind === 'postgres'
    ? sql`coalesce(json_agg(${sql.ref(value)}${order}), '[]'::json)`
    : sql`json_group_array(${sql.ref(value)}${order})`
}

/** What `jsonArrayAgg` answered, as an array, from either database. */
export function jsonArrayValue<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[]
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : []
}

/**
 * PostgreSQL: a coupon batch's insert and the stock it takes from the template, in one
 * statement whose text is the same for any number of rows (so it is prepared once): each
 * column's values as one array parameter, in `columns`' order, then the template's id.
 * It answers one row: `ids` written (a key already used writes nothing), `taken` 1 when
 * the stock covered them all (nothing is taken when nothing was written), and `gated` 1
 * when it went ahead at all. With `gate`, one more parameter, a version of the template
 * row (`prepareVersionedRead`): it goes ahead only if the row is still that version, waiting for
 * a writer that holds it and holding it to the end, so what was decided from that version
 * stands as if it had been decided under the lock (see `lockReading` for what moves the
 * version). Null on SQLite, which has no writes in a WITH and no round trip to save.
 */
export function insertTakingStock(
  kind: DbKind,
  columns: readonly (readonly [name: string, type: 'text' | 'bigint'])[],
  gate: boolean,
): string | null {
  if (kind !== 'postgres') return null
  const names = columns.map(([name]) => `"${name}"`).join(', ')
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')
  const template = `$${columns.length + 1}`
  const count = '(select count(*) from ins)'
  const gated = gate
    ? `gate as (select 1 from "coupon_templates" where "id" = ${template} and xmin::text = $${columns.length + 2} for update), `
    : ''
  return (
    `with ${gated}ins as (insert into "coupon_issuances" (${names}) select * from unnest(${arrays}) ` +
    `${gate ? 'where exists (select 1 from gate) ' : ''}` +
    `on conflict ("guide_id", "idempotency_key") do nothing returning "id"), ` +
    `taken as (update "coupon_templates" set "stock_left" = "stock_left" - ${count} ` +
    `where "id" = ${template} and "stock_left" >= ${count} and exists (select 1 from ins) returning 1) ` +
    `select coalesce((select json_agg(ins.id) from ins), '[]'::json) as ids, (select count(*) from taken) as taken, ` +
    `${gate ? '(select count(*) from gate)' : '1'} as gated`
  )
}

/** Each read's rows, as `prepareVersionedRead` answers them. */
export type RowsOf<Reads> = { [K in keyof Reads]: Reads[K] extends Compilable<infer Row> ? Row[] : never }

/** What a versioned read answers: the row (undefined if none), its version and each read's rows. */
export type VersionedRead<Reads> = { row: Record<string, unknown> | undefined; version: string; reads: RowsOf<Reads> }

/**
 * PostgreSQL: the row `id` of `table`, its version (`xmin`) and `reads`, in one statement
 * and without a lock, for a write that goes ahead only while the row is that version
 * (`insertTakingStock` with a gate): one round trip for everything a batch decides with,
 * all of it from one snapshot. Each read's rows come back as JSON (bigint as a number).
 * Built once (`prepareQuery`: `reads` must pass its arguments on as they are, lists named
 * in `lists`) and planned once for all values. Null on SQLite: there, the function answers null.
 */
export function prepareVersionedRead<Args extends object, Reads extends Record<string, Compilable<unknown>>>(
  db: Db,
  table: string,
  reads: (db: Trx, args: Args) => Reads,
  lists: PrepareOptions<Args>['lists'],
): (id: string, args: Args) => Promise<VersionedRead<Reads> | null> {
  if (db.kind !== 'postgres' || !db.queryGeneric) return () => Promise.resolve(null)
  let names: string[] = []
  const query = prepareQuery(
    db,
    (args: Args & { id: string }) => {
      const each = Object.entries(reads(db.kysely, args))
      names = each.map(([name]) => name)
      const columns = each.map(
        ([name, read]) => sql`(select coalesce(json_agg(r), '[]'::json) from (${read}) as r) as ${sql.ref(`__${name}`)}`,
      )
      return sql<Record<string, unknown>>`
        select t.*, t.xmin::text as "__version", ${sql.join(columns)}
        from ${sql.table(table)} as t where t.id = ${args.id}`
    },
    { lists: lists as PrepareOptions<Args & { id: string }>['lists'], generic: true },
  )
  return async (id, args) => {
    const [found] = await query({ ...args, id })
    const rows = Object.fromEntries(names.map((name) => [name, (found?.[`__${name}`] as unknown[] | undefined) ?? []]))
    if (!found) return { row: undefined, version: '', reads: rows as RowsOf<Reads> }
    const row = Object.fromEntries(Object.entries(found).filter(([key]) => !key.startsWith('__')))
    return { row, version: String(found.__version), reads: rows as RowsOf<Reads> }
  }
}

/**
 * PostgreSQL: lock the row `id` of `table` `for update` and run `read` in the same round
 * trip, where that is safe. A statement reads on the snapshot it began with, while a lock
 * it had to wait for hands back the row as the other transaction left it; so `read` is
 * current only if no transaction changed the row after that snapshot — the row's version
 * (`xmin`) the same in the snapshot as under the lock. Then `read` holds its rows; null
 * when they may be stale: read again, now under the lock. So it is only as current as the
 * row says: what is written without writing the row may be missed (for a coupon, every
 * issuance made, given back or revived also moves its stock; a key used by a send of
 * another coupon is caught by the insert, and a hand-over of her customers to another
 * guide, which moves weekly counts without the coupon's lock, is ordered against a batch
 * no better than before). Null on SQLite, whose transaction holds the whole database.
 */
export async function lockReading<Read>(
  db: Db,
  trx: Trx,
  table: string,
  id: string,
  read: () => Compilable<Read>,
): Promise<{ row: Record<string, unknown> | undefined; read: Read[] | null } | null> {
  if (db.kind !== 'postgres') return null
  const from = sql.table(table)
  const compiled = sql<Record<string, unknown>>`
    select t.*, t.xmin::text as "__locked",
      (select s.xmin::text from ${from} as s where s.id = ${id}) as "__seen",
      (select coalesce(json_agg(r), '[]'::json) from (${read()}) as r) as "__read"
    from ${from} as t where t.id = ${id} for update`.compile(trx)
  // Prepared once when `read`'s text is the same at every run (its lists sent as one parameter each).
  db.prepareText?.(compiled.sql)
  const { rows } = await trx.executeQuery(compiled)
  const [found] = rows
  if (!found) return { row: undefined, read: null }
  const { __locked, __seen, __read, ...row } = found
  return { row, read: __locked === __seen ? (__read as Read[]) : null }
}
