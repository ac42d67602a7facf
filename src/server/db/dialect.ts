/**
 * Every place SQLite and PostgreSQL need different SQL or a different way of running it.
 * Repositories call these instead of testing `db.kind` themselves, so a reader looking
 * for "what differs between the two databases" finds it all here.
 */
import { sql, type Compilable, type RawBuilder } from 'kysely'
import type { Db, DbKind, Trx } from './index'

/**
 * Lock the rows a read-modify-write depends on. PostgreSQL needs `for update`; SQLite
 * runs one writer at a time, so the transaction already holds what it read.
 */
export function forUpdate<Q extends { forUpdate(): Q }>(kind: DbKind, query: Q): Q {
  return kind === 'postgres' ? query.forUpdate() : query
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
 * PostgreSQL: a coupon batch's insert (`insert`, returning `id`, its last parameter before
 * `templateParam`) and the stock it takes from the template `$templateParam`, in one
 * statement: every row it returns says whether the stock covered all that was written
 * (`taken` 1), and nothing is taken when nothing was written. Null on SQLite, which has
 * no writes in a WITH and no round trip to save.
 */
export function insertTakingStock(kind: DbKind, insert: string, templateParam: number): string | null {
  if (kind !== 'postgres') return null
  const count = '(select count(*) from ins)'
  return (
    `with ins as (${insert}), taken as (update "coupon_templates" set "stock_left" = "stock_left" - ${count} ` +
    `where "id" = $${templateParam} and "stock_left" >= ${count} and exists (select 1 from ins) returning 1) ` +
    `select ins.id, (select count(*) from taken) as taken from ins`
  )
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
  kind: DbKind,
  trx: Trx,
  table: string,
  id: string,
  read: Compilable<Read>,
): Promise<{ row: Record<string, unknown> | undefined; read: Read[] | null } | null> {
  if (kind !== 'postgres') return null
  const from = sql.table(table)
  const { rows } = await sql<Record<string, unknown>>`
    select t.*, t.xmin::text as "__locked",
      (select s.xmin::text from ${from} as s where s.id = ${id}) as "__seen",
      (select coalesce(json_agg(r), '[]'::json) from (${read}) as r) as "__read"
    from ${from} as t where t.id = ${id} for update`.execute(trx)
  const [found] = rows
  if (!found) return { row: undefined, read: null }
  const { __locked, __seen, __read, ...row } = found
  return { row, read: __locked === __seen ? (__read as Read[]) : null }
}
