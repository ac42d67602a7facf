/** What every kind shares: the shape of a kind, and the lookups its writes start from. */
import type { Db, DbKind, Trx } from '../../../db'
import type { ImageFetchOptions } from '../../bundles/image-fetch'
import type { BatchResult, ImportState, ParsedRow, Rejection } from '../importer'

export interface Column {
  name: string
  /** Header names a Chinese spreadsheet may use instead. */
  aliases?: string[]
  required: boolean
}

export interface KindSpec<Row> {
  columns: Column[]
  keyLabel: string
  key(row: Row): string
  /** `has` says whether the header has a column (an absent column reads as empty). */
  parse(get: (column: string) => string, has: (column: string) => boolean): Row
  /** A problem with the header as a whole (columns that exclude each other), or null. */
  checkHeader?(has: (column: string) => boolean): string | null
  /**
   * Runs before each batch's transaction, for work that must not hold it (fetching what
   * the rows point at): the rows to write, and rejections for the rest.
   */
  prepare?(
    db: Db,
    rows: ParsedRow<Row>[],
    context: { now: number; imageFetch: ImageFetchOptions },
  ): Promise<{ rows: ParsedRow<Row>[]; rejected: Rejection[] }>
  /**
   * Writes the rows it accepts, rejecting the rest; checks that span the whole file go
   * through `state`, claiming for a row only once every other check passed it.
   */
  write(trx: Trx, rows: ParsedRow<Row>[], state: ImportState, now: number, dbKind: DbKind): Promise<BatchResult>
  /**
   * Runs once every row of the file was read and written (not when the import stopped
   * part way or the file broke off): what a whole file says beyond its rows, such as a
   * stock snapshot's SKUs that are no longer in a store.
   */
  finish?(db: Db, state: ImportState, now: number): Promise<{ removed: number }>
}

export async function existing(
  trx: Trx,
  table: 'stores' | 'members' | 'products' | 'orders',
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await trx
    .selectFrom(table)
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** Split rows into those whose references exist and rejections for the rest. */
export function keepKnown<Row>(
  rows: ParsedRow<Row>[],
  rejected: Rejection[],
  check: (row: Row, line: number) => string | null,
): ParsedRow<Row>[] {
  return rows.filter((r) => {
    const problem = check(r.row, r.line)
    if (problem) rejected.push({ line: r.line, reason: problem })
    return !problem
  })
}

/** Product ids by style code, for the codes that exist. */
export async function productsByStyle(trx: Trx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map()
  const rows = await trx
    .selectFrom('products')
    .select(['id', 'style_code'])
    .where('style_code', 'in', [...new Set(codes)])
    .execute()
  return new Map(rows.map((r) => [r.style_code, r.id]))
}

/**
 * Moves on the change counters of these scopes ('*': the catalogue; 'stock:<store id>':
 * that store's stock), so readers caching them (the suggestions) read again.
 */
export async function bumpCatalog(trx: Trx, scopes: string[]): Promise<void> {
  if (scopes.length === 0) return
  await trx
    .insertInto('catalog_changes')
    .values([...new Set(scopes)].sort().map((scope) => ({ scope, version: 1 })))
    .onConflict((oc) => oc.column('scope').doUpdateSet((eb) => ({ version: eb(eb.ref('catalog_changes.version'), '+', 1) })))
    .execute()
}
