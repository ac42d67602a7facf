/** What every kind shares: the shape of a kind, and the lookups its writes start from. */
import type { Trx } from '../../../db'
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
  parse(get: (column: string) => string): Row
  /**
   * Writes the rows it accepts, rejecting the rest; checks that span the whole file go
   * through `state`, claiming for a row only once every other check passed it.
   */
  write(trx: Trx, rows: ParsedRow<Row>[], state: ImportState, now: number): Promise<BatchResult>
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
