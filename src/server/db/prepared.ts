/**
 * Hot-path queries, built and compiled once. Kysely builds and compiles a query on every
 * call, which on a point lookup costs several times what the database spends answering
 * it. A prepared query is built once with stand-in values, compiled, and afterwards only
 * its parameters are swapped, and on PostgreSQL it runs as a named prepared statement.
 * Use it for fixed-shape reads outside transactions (no `in (…)` lists, whose parameter
 * count varies).
 */
import { CompiledQuery, type Compilable } from 'kysely'
import { statementName, type Db } from '.'

const MARK = '\u0000param:'

export type PreparedQuery<Args, Row> = (args: Args) => Promise<Row[]>

export function prepareQuery<Args extends Record<string, unknown>, Row>(
  db: Db,
  build: (args: Args) => Compilable<Row>,
): PreparedQuery<Args, Row> {
  let compiled: CompiledQuery<Row> | null = null
  let name = ''
  let slots: ({ arg: string } | { value: unknown })[] = []
  const stand = new Proxy({} as Args, { get: (_, key) => `${MARK}${String(key)}` })

  return async (args) => {
    if (!compiled) {
      compiled = build(stand).compile()
      name = statementName(compiled.sql)
      slots = compiled.parameters.map((value) =>
        typeof value === 'string' && value.startsWith(MARK) ? { arg: value.slice(MARK.length) } : { value },
      )
    }
    const parameters = slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.value))
    if (db.queryPrepared) return db.queryPrepared<Row>(name, compiled.sql, parameters)
    // SQLite: the driver's statement cache already keeps this statement prepared.
    const now = db.readNow?.<Row>(compiled.sql, parameters)
    if (now) return now
    const result = await db.kysely.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<Row>)
    return result.rows
  }
}

/**
 * `query` compiled, its text made a named prepared statement on PostgreSQL (see
 * `Db.prepareText`: its text must be the same at every run); run it with `executeQuery`
 * on the database or inside a transaction.
 */
export function compileNamed<Row>(db: Db, query: Compilable<Row>): CompiledQuery<Row> {
  const compiled = query.compile()
  db.prepareText?.(compiled.sql)
  return compiled
}
