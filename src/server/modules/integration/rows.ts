/**
 * JSON rows as the CSV kinds read them: every value becomes the text a spreadsheet cell
 * would hold, so the kinds' own parsers (modules/crm-import/kinds) judge both alike.
 */
import type { FieldRow, ImportReport } from '../crm-import/importer'
import type { RowResult } from '../../../shared/integration'

type Value = string | number | boolean | null | undefined | readonly string[]

export function cellOf(value: Value): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (Array.isArray(value)) return value.join('|')
  return String(value)
}

/** A row's fields by column; `rename` maps a JSON field onto the column it fills. */
export function fieldRow(line: number, row: Readonly<Record<string, Value>>, rename: Record<string, string> = {}): FieldRow {
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(row)) fields[rename[name] ?? name] = cellOf(value)
  return { line, fields }
}

/** One answer a row, in request order. Rows are numbered from 0, so the importer's "line" reads "row". */
export function rowResults(count: number, report: Pick<ImportReport, 'rejected'>): RowResult[] {
  const reasons = new Map<number, string>()
  for (const r of report.rejected) if (!reasons.has(r.line)) reasons.set(r.line, r.reason.replace(/\bline (\d+)/g, 'row $1'))
  return Array.from({ length: count }, (_, index) => {
    const error = reasons.get(index) ?? null
    return { index, ok: error === null, error }
  })
}
