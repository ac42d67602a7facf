/**
 * Importing CRM files: every row validated, good rows upserted by their external key in
 * batches (one transaction each, so a crash never leaves half a batch), bad rows
 * reported with their line and reason and never stopping the good ones. Running the
 * same file twice changes nothing the second time.
 */
import { readFile } from 'node:fs/promises'
import type { Kysely, Transaction } from 'kysely'
import type { Db } from '../../db'
import type { Database } from '../../db/schema'
import { CsvError, parseCsv } from './csv'
import { FieldError } from './fields'
import { IMPORT_KINDS, type ImportKind, type KindSpec } from './kinds'

export const BATCH_SIZE = 1000

export interface Rejection {
  line: number
  reason: string
}

export interface ImportReport {
  kind: ImportKind
  rows: number
  inserted: number
  updated: number
  rejected: Rejection[]
  ignoredColumns: string[]
  seconds: number
}

export class ImportError extends Error {
  override name = 'ImportError'
}

export interface ParsedRow<Row> {
  line: number
  row: Row
}

export interface BatchResult {
  inserted: number
  updated: number
  rejected: Rejection[]
}

export async function importFile(db: Db, kind: string, file: string, now = Date.now()): Promise<ImportReport> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ImportError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return importText(db, kind, text, now)
}

export async function importText(db: Db, kind: string, text: string, now = Date.now()): Promise<ImportReport> {
  const spec = IMPORT_KINDS[kind as ImportKind] as KindSpec<unknown> | undefined
  if (!spec) throw new ImportError(`unknown kind "${kind}": use one of ${Object.keys(IMPORT_KINDS).join(', ')}`)
  const started = performance.now()
  const report: ImportReport = {
    kind: kind as ImportKind,
    rows: 0,
    inserted: 0,
    updated: 0,
    rejected: [],
    ignoredColumns: [],
    seconds: 0,
  }

  let records: ReturnType<typeof parseCsv>
  let header: { line: number; fields: string[] } | undefined
  try {
    records = parseCsv(text)
    header = records.next().value ?? undefined
  } catch (error) {
    throw new ImportError(error instanceof CsvError ? `the header ${error.message}` : String(error))
  }
  if (!header) throw new ImportError('the file is empty: it needs a header row')

  // Map header names (or their Chinese aliases) to column positions.
  const positions = new Map<string, number>()
  header.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase()
    const column = spec.columns.find((c) => c.name === name || c.aliases?.includes(raw.trim()))
    if (column) positions.set(column.name, index)
    else if (name) report.ignoredColumns.push(raw.trim())
  })
  const missing = spec.columns.filter((c) => c.required && !positions.has(c.name)).map((c) => c.name)
  if (missing.length) {
    throw new ImportError(
      `the header lacks ${missing.join(', ')} (expected columns: ${spec.columns.map((c) => c.name).join(', ')})`,
    )
  }

  let batch: ParsedRow<unknown>[] = []
  const flush = async () => {
    if (batch.length === 0) return
    const result = await writeBatch(db.kysely, spec, batch, now)
    report.inserted += result.inserted
    report.updated += result.updated
    report.rejected.push(...result.rejected)
    batch = []
  }

  const seen = new Map<string, number>()
  try {
    for (const record of records) {
      report.rows++
      const get = (column: string) => {
        const index = positions.get(column)
        return index === undefined ? '' : (record.fields[index] ?? '')
      }
      try {
        const row = spec.parse(get)
        const key = spec.key(row)
        const earlier = seen.get(key)
        if (earlier !== undefined) {
          report.rejected.push({ line: record.line, reason: `repeats ${spec.keyLabel} ${key} from line ${earlier}` })
          continue
        }
        seen.set(key, record.line)
        batch.push({ line: record.line, row })
      } catch (error) {
        if (!(error instanceof FieldError)) throw error
        report.rejected.push({ line: record.line, reason: error.message })
      }
      if (batch.length >= BATCH_SIZE) await flush()
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    // Malformed CSV from here on: keep what was read before, say where it broke.
    await flush()
    report.rejected.push({
      line: error.line,
      reason: `${error.message.replace(/^line \d+: /, '')}; the rest of the file was not read`,
    })
    report.seconds = (performance.now() - started) / 1000
    return report
  }
  await flush()
  report.rejected.sort((a, b) => a.line - b.line)
  report.seconds = (performance.now() - started) / 1000
  return report
}

/**
 * One batch in one transaction. If the database refuses the batch as a whole (a
 * constraint the checks did not foresee), each row is retried on its own so only the
 * offending rows are rejected.
 */
async function writeBatch(
  db: Kysely<Database>,
  spec: KindSpec<unknown>,
  rows: ParsedRow<unknown>[],
  now: number,
): Promise<BatchResult> {
  try {
    return await db.transaction().execute((trx) => spec.write(trx, rows, now))
  } catch (error) {
    if (rows.length === 1) {
      return {
        inserted: 0,
        updated: 0,
        rejected: [{ line: rows[0]!.line, reason: `the database refused it: ${describe(error)}` }],
      }
    }
    const total: BatchResult = { inserted: 0, updated: 0, rejected: [] }
    for (const row of rows) {
      const result = await writeBatch(db, spec, [row], now)
      total.inserted += result.inserted
      total.updated += result.updated
      total.rejected.push(...result.rejected)
    }
    return total
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error)
}

export type Trx = Transaction<Database>
