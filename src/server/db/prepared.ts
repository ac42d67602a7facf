/**
 * Hot-path queries, built and compiled once. Kysely builds and compiles a query on every
 * call, which on a point lookup costs several times what the database spends answering
 * it (and on a batch of coupon sends, several statements of lists, 14 % of SQLite's main
 * thread). A prepared query is built once with stand-in values, compiled, and afterwards
 * only its parameters are swapped, and on PostgreSQL it runs as a named prepared
 * statement. Lists are arguments too, named in `lists`: `inList` and `pairsIn` send each
 * as one parameter, so the text is the same for any length. The builder must pass its
 * arguments to the query as they are (no arithmetic, no dedupe: do that before).
 */
import { CompiledQuery, type Compilable, type RawBuilder } from 'kysely'
import { statementName, type Db, type Trx } from '.'
import { listParameter, markerList, pairsParameters } from './dialect'

const MARK = '\u0000param:'

/** Run it with its arguments; inside `trx` when given (its writes seen, its lock held). */
export type PreparedQuery<Args, Row> = (args: Args, trx?: Trx) => Promise<Row[]>

/** A parameter as compiled: a fixed value, or an argument (a pair list's half on PostgreSQL: `part`). */
type Slot = { value: unknown } | { arg: string; as: 'value' | 'list' | 'pairs'; part: 0 | 1 | null }

export interface PrepareOptions<Args> {
  /** The arguments that are lists of text (`inList`), or of pairs of text (`pairsIn`). */
  lists?: { [K in keyof Args]?: 'list' | 'pairs' }
  /**
   * PostgreSQL: run on the connections that plan a statement once for all values
   * (`Db.queryGeneric`); for a statement whose plan does not hang on its values.
   */
  generic?: boolean
}

export function prepareQuery<Args extends object, Row>(
  db: Db,
  build: (args: Args) => Compilable<Row> | RawBuilder<Row>,
  options: PrepareOptions<Args> = {},
): PreparedQuery<Args, Row> {
  let compiled: CompiledQuery<Row> | null = null
  let name = ''
  let slots: Slot[] = []
  const lists = (options.lists ?? {}) as Record<string, 'list' | 'pairs' | undefined>
  const stand = new Proxy({} as Args, {
    get: (_, key) => {
      const marker = `${MARK}${lists[String(key)] ?? 'value'}:${String(key)}`
      return lists[String(key)] ? markerList(marker) : marker
    },
  })
  // Stand-ins compile to `MARK` + kind + ':' + name; `pairsIn` adds '#0' or '#1' on PostgreSQL.
  const marked = new RegExp(`^${MARK}(value|list|pairs):([^#]*)(?:#([01]))?$`)
  const slotOf = (value: unknown): Slot => {
    const found = typeof value === 'string' ? marked.exec(value) : null
    if (!found) return { value }
    return { arg: found[2]!, as: found[1] as 'value' | 'list' | 'pairs', part: found[3] ? (Number(found[3]) as 0 | 1) : null }
  }
  const parametersOf = (args: Args): unknown[] => {
    const pairs = new Map<string, unknown[]>()
    return slots.map((slot) => {
      if ('value' in slot) return slot.value
      const arg = (args as Record<string, unknown>)[slot.arg]
      if (slot.as === 'value') return arg
      if (slot.as === 'list') return listParameter(db.kind, arg as string[])
      // Both halves of a pair list come from one pass over it.
      let both = pairs.get(slot.arg)
      if (!both) pairs.set(slot.arg, (both = pairsParameters(db.kind, arg as [string, string][])))
      return both[slot.part ?? 0]
    })
  }

  return async (args, trx) => {
    if (!compiled) {
      const built = build(stand)
      compiled = 'isRawBuilder' in built ? built.compile(db.kysely) : built.compile()
      name = statementName(compiled.sql)
      slots = compiled.parameters.map(slotOf)
      db.prepareText?.(compiled.sql)
    }
    const parameters = parametersOf(args)
    if (trx) return (await trx.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<Row>)).rows
    if (options.generic && db.queryGeneric) return db.queryGeneric<Row>(compiled.sql, parameters)
    if (db.queryPrepared) return db.queryPrepared<Row>(name, compiled.sql, parameters)
    // SQLite: the driver's statement cache already keeps this statement prepared.
    const now = db.readNow?.<Row>(compiled.sql, parameters)
    if (now) return now
    const result = await db.kysely.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<Row>)
    return result.rows
  }
}
