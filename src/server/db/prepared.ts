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

type Slot = { value: unknown } | { arg: string; as: 'value' | 'list' | 'pair0' | 'pair1' | 'pairs' }

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
  const slotOf = (value: unknown): Slot => {
    if (typeof value !== 'string' || !value.startsWith(MARK)) return { value }
    const [as, rest] = [
      value.slice(MARK.length, value.indexOf(':', MARK.length)),
      value.slice(value.indexOf(':', MARK.length) + 1),
    ]
    if (as === 'pairs' && db.kind === 'postgres') {
      const [arg, part] = rest.split('#') as [string, string]
      return { arg, as: part === '0' ? 'pair0' : 'pair1' }
    }
    return { arg: rest, as: as as 'value' | 'list' | 'pairs' }
  }
  const fill = (slot: Slot, args: Args): unknown => {
    if ('value' in slot) return slot.value
    const arg = (args as Record<string, unknown>)[slot.arg]
    if (slot.as === 'value') return arg
    if (slot.as === 'list') return listParameter(db.kind, arg as string[])
    const pairs = pairsParameters(db.kind, arg as [string, string][])
    return slot.as === 'pair1' ? pairs[1] : pairs[0]
  }

  return async (args, trx) => {
    if (!compiled) {
      const built = build(stand)
      compiled = 'isRawBuilder' in built ? built.compile(db.kysely) : built.compile()
      name = statementName(compiled.sql)
      slots = compiled.parameters.map(slotOf)
      db.prepareText?.(compiled.sql)
    }
    const parameters = slots.map((slot) => fill(slot, args))
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
