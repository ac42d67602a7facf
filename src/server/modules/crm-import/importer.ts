// Long: one import from rows to report — batches, retries, row-by-row fallback and the file-wide claims — read together.
/**
 * Importing CRM files, and the integration API's batches: every row validated, good rows
 * upserted by their external key in batches (one transaction each, so a crash never
 * leaves half a batch), bad rows reported with their line and reason and never stopping
 * the good ones. Running the same file twice changes nothing the second time.
 */
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Db } from '../../db'
import { writeTransaction } from '../../db/dialect'
import type { ImageFetchOptions } from '../bundles/image-fetch'
import { CsvError, parseCsv } from './csv'
import { FieldError } from './fields'
import { IMPORT_KINDS, type ImportKind, type KindSpec } from './kinds'
import { TaskGenerator } from '../tasks/task-generator.service'

export const BATCH_SIZE = 1000

/** Kinds whose rows the task rules read (see modules/tasks/rules.ts). */
const TASK_SOURCES: ReadonlySet<string> = new Set(['members', 'customers', 'orders'])

/**
 * Pauses before writing again a batch the database turned away for the moment (busy,
 * locked, serialization failure, deadlock): growing, so a writer holding the database
 * for a while gets time to finish, and jittered, so two importers do not collide again.
 */
const RETRY_DELAYS_MS = [50, 200, 800]

export interface Rejection {
  line: number
  reason: string
}

export interface ImportReport {
  kind: ImportKind
  rows: number
  inserted: number
  updated: number
  /** Rows the file's rows imply away (a stock snapshot's SKUs a store no longer holds). */
  removed: number
  rejected: Rejection[]
  ignoredColumns: string[]
  seconds: number
}

export interface ImportOptions {
  /** The time written as created_at / updated_at. */
  now?: number
  batchSize?: number
  /**
   * For tests: runs inside each batch's transaction after its rows are written and before
   * the commit, with the batch's line numbers; throwing fails the batch as the database
   * would.
   */
  afterBatchWrite?: (lines: readonly number[]) => void | Promise<void>
  /** How pictures named by a file are fetched (product_images): hosts allowed to be private, limits. */
  imageFetch?: ImageFetchOptions
}

export class ImportError extends Error {
  override name = 'ImportError'
  constructor(
    message: string,
    /** Set when the import stopped part way: what was written and rejected before. */
    readonly report?: ImportReport,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
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

/** A batch's transaction: on SQLite the one connection, inside `begin immediate`. */

export interface Claim {
  line: number
  holder: string
}

/**
 * What the rows written so far from one file settled: the header an order's first line
 * gave it, the member a WeCom customer went to. Batches see each other's rows in the
 * database, but there a row of this file cannot be told from one imported last month,
 * which a later line may rightly change; so the file's own claims are kept here.
 *
 * Claims made while a batch is written stand only once its transaction commits: a batch
 * rolled back and written again (retried, or row by row) must not trip over its own
 * rows, nor keep the claim of a row the database then refused.
 */
export class ImportState {
  readonly #settled = new Map<string, Claim>()
  readonly #pending = new Map<string, Claim>()

  /**
   * Gives `value` (an order id, a WeCom customer, a member) in `scope` to `holder` for
   * `line`, unless an earlier row gave it to another holder: that row's claim is returned
   * and nothing changes. The first claim stands.
   */
  claim(scope: string, value: string, line: number, holder: string): Claim | undefined {
    // Scopes are plain words, so the first ':' ends the scope whatever the value holds.
    const id = `${scope}:${value}`
    const earlier = this.#settled.get(id) ?? this.#pending.get(id)
    if (!earlier) this.#pending.set(id, { line, holder })
    return earlier && earlier.holder !== holder ? earlier : undefined
  }

  commit(): void {
    for (const [id, claim] of this.#pending) this.#settled.set(id, claim)
    this.#pending.clear()
  }

  rollback(): void {
    this.#pending.clear()
  }

  readonly #marks = new Map<string, Set<string>>()

  /** Notes that the file named `value` in `scope`, whatever became of the row. */
  mark(scope: string, value: string): void {
    const set = this.#marks.get(scope)
    if (set) set.add(value)
    else this.#marks.set(scope, new Set([value]))
  }

  /** The scopes marked, each with its values. */
  marks(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.#marks
  }
}

export async function importFile(db: Db, kind: string, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ImportError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return importText(db, kind, text, options)
}

export async function importText(db: Db, kind: string, text: string, options: ImportOptions = {}): Promise<ImportReport> {
  const spec = specOf(kind)
  const run = new ImportRun(db, kind as ImportKind, spec, options)

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
    else if (name) run.report.ignoredColumns.push(raw.trim())
  })
  const missing = spec.columns.filter((c) => c.required && !positions.has(c.name)).map((c) => c.name)
  if (missing.length) {
    throw new ImportError(
      `the header lacks ${missing.join(', ')} (expected columns: ${spec.columns.map((c) => c.name).join(', ')})`,
    )
  }
  const has = (column: string) => positions.has(column)
  const headerProblem = spec.checkHeader?.(has)
  if (headerProblem) throw new ImportError(`the header ${headerProblem}`)

  try {
    for (const record of records) {
      await run.add(
        record.line,
        (column) => {
          const index = positions.get(column)
          return index === undefined ? '' : (record.fields[index] ?? '')
        },
        has,
      )
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    // Malformed CSV from here on: keep what was read before, say where it broke.
    await run.flush()
    run.report.rejected.push({
      line: error.line,
      reason: `${error.message.replace(/^line \d+: /, '')}; the rest of the file was not read`,
    })
    return run.finish(false)
  }
  await run.flush()
  return run.finish(true)
}

/** One row of a batch that did not come from a file (the integration API): its fields by column name. */
export interface FieldRow {
  /** Where the caller reports it: the row's position in its request. */
  line: number
  fields: Readonly<Record<string, string>>
}

export interface RowsOptions extends ImportOptions {
  /** The columns the rows carry (what a file's header would name). */
  columns: readonly string[]
  /**
   * The rows are a part, not a whole file: what a kind concludes from a whole file (a stock
   * snapshot's SKUs no longer in a store) is not concluded.
   */
  partial?: boolean
  /** Only these guides' tasks are written again afterwards (default: every guide's). */
  taskGuides?: (db: Db) => Promise<readonly string[]>
}

/**
 * Rows already split into fields, through the very checks, batches and writes a file gets;
 * a row's `line` is what its rejection names. A header problem is an ImportError.
 */
export async function importRows(db: Db, kind: string, rows: readonly FieldRow[], options: RowsOptions): Promise<ImportReport> {
  const spec = specOf(kind)
  const columns = new Set(options.columns)
  const has = (column: string) => columns.has(column)
  const headerProblem = spec.checkHeader?.(has)
  if (headerProblem) throw new ImportError(`the rows ${headerProblem}`)
  const run = new ImportRun(db, kind as ImportKind, spec, options)
  for (const row of rows) await run.add(row.line, (column) => row.fields[column] ?? '', has)
  await run.flush()
  return run.finish(!options.partial)
}

function specOf(kind: string): KindSpec<unknown> {
  const spec = IMPORT_KINDS[kind as ImportKind] as KindSpec<unknown> | undefined
  if (!spec) throw new ImportError(`unknown kind "${kind}": use one of ${Object.keys(IMPORT_KINDS).join(', ')}`)
  return spec
}

/** One import under way: rows read one at a time, written a batch at a time, then the report. */
class ImportRun {
  readonly report: ImportReport
  private readonly started = performance.now()
  private readonly writer: BatchWriter
  private readonly batchSize: number
  private batch: ParsedRow<unknown>[] = []
  // A key seen twice is refused whatever became of its first row: the input itself is
  // ambiguous about which version it means.
  private readonly seen = new Map<string, number>()

  constructor(
    private readonly db: Db,
    private readonly kind: ImportKind,
    private readonly spec: KindSpec<unknown>,
    private readonly options: ImportOptions & Pick<RowsOptions, 'taskGuides'>,
  ) {
    this.report = { kind, rows: 0, inserted: 0, updated: 0, removed: 0, rejected: [], ignoredColumns: [], seconds: 0 }
    this.writer = {
      db,
      spec,
      state: new ImportState(),
      now: options.now ?? Date.now(),
      report: this.report,
      afterBatchWrite: options.afterBatchWrite,
    }
    this.batchSize = options.batchSize ?? BATCH_SIZE
  }

  async add(line: number, get: (column: string) => string, has: (column: string) => boolean): Promise<void> {
    const { report, spec } = this
    report.rows++
    try {
      const row = spec.parse(get, has)
      const key = spec.key(row)
      const earlier = this.seen.get(key)
      if (earlier !== undefined) {
        report.rejected.push({ line, reason: `repeats ${spec.keyLabel} ${key} from line ${earlier}` })
        return
      }
      this.seen.set(key, line)
      this.batch.push({ line, row })
    } catch (error) {
      if (!(error instanceof FieldError)) throw error
      report.rejected.push({ line, reason: error.message })
    }
    if (this.batch.length >= this.batchSize) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return
    const { report, spec, writer } = this
    let rows = this.batch
    if (spec.prepare) {
      // Outside the batch's transaction: a slow picture host must not hold the database.
      const prepared = await spec.prepare(this.db, rows, { now: writer.now, imageFetch: this.options.imageFetch ?? {} })
      report.rejected.push(...prepared.rejected)
      rows = prepared.rows
    }
    try {
      if (rows.length > 0) await writeBatch(writer, rows)
    } catch (error) {
      if (!(error instanceof Stopped)) throw error
      throw new ImportError(
        `stopped at line ${error.line}: ${error.message}. Rows before line ${error.line} were imported ` +
          `(${report.inserted} inserted, ${report.updated} updated, ${report.rejected.length} rejected); ` +
          `nothing from line ${error.line} on was written. Importing the same file again is safe.`,
        this.done(),
        { cause: error.cause },
      )
    }
    this.batch = []
  }

  async finish(complete: boolean): Promise<ImportReport> {
    const { db, spec, writer, report, options } = this
    if (complete && spec.finish) {
      try {
        report.removed += (await spec.finish(db, writer.state, writer.now)).removed
      } catch (error) {
        throw new ImportError(
          `every row was written, but the last step failed: ${describe(error, true)}. Importing the same file again is safe.`,
          this.done(),
          { cause: error },
        )
      }
    }
    // Orders, birthdays and bindings are what tasks are written from: a new purchase's
    // care message, a birthday, a repurchase, a purchase that ends a dormant task.
    if (TASK_SOURCES.has(this.kind) && report.inserted + report.updated > 0) {
      const guideIds = options.taskGuides ? await options.taskGuides(db) : undefined
      if (!guideIds || guideIds.length > 0) {
        await new TaskGenerator(db).run({ now: options.now ?? Date.now(), ...(guideIds ? { guideIds } : {}) })
      }
    }
    return this.done()
  }

  private done(): ImportReport {
    this.report.rejected.sort((a, b) => a.line - b.line)
    this.report.seconds = (performance.now() - this.started) / 1000
    return this.report
  }
}

interface BatchWriter {
  db: Db
  spec: KindSpec<unknown>
  state: ImportState
  now: number
  /** Counts and rejections go straight here, so a stop part way leaves it true. */
  report: ImportReport
  afterBatchWrite: ImportOptions['afterBatchWrite']
}

/** The database failed in a way no row caused: the import cannot go on. */
class Stopped extends Error {
  constructor(
    readonly line: number,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause })
  }
}

/**
 * One batch in one transaction. When the database turns it away for the moment, the
 * batch is written again after a pause. When it refuses the rows themselves (a
 * constraint the checks did not foresee), each row is written on its own so only the
 * offending rows are rejected. Anything else stops the import: splitting then would
 * only turn an outage into a rejection of every row.
 */
async function writeBatch(writer: BatchWriter, rows: ParsedRow<unknown>[]): Promise<void> {
  const { db, spec, state, now, report, afterBatchWrite } = writer
  for (let attempt = 0; ; attempt++) {
    let result: BatchResult
    try {
      result = await writeTransaction(db, async (trx) => {
        const written = await spec.write(trx, rows, state, now, db.kind)
        await afterBatchWrite?.(rows.map((r) => r.line))
        return written
      })
    } catch (error) {
      state.rollback()
      const verdict = classify(error)
      const retryIn = RETRY_DELAYS_MS[attempt]
      if (verdict === 'retry' && retryIn !== undefined) {
        await sleep(retryIn * (0.5 + Math.random()))
        continue
      }
      if (verdict === 'split' && rows.length === 1) {
        report.rejected.push({ line: rows[0]!.line, reason: `the database refused it: ${describe(error)}` })
        return
      }
      if (verdict === 'split') {
        for (const row of rows) await writeBatch(writer, [row])
        return
      }
      const lines = rows.length === 1 ? `line ${rows[0]!.line}` : `lines ${rows[0]!.line}–${rows.at(-1)!.line}`
      const reason =
        verdict === 'retry'
          ? `the database was still busy after ${attempt + 1} attempts to write ${lines} (${describe(error, true)})`
          : `the database failed to write ${lines} (${describe(error, true)})`
      throw new Stopped(rows[0]!.line, reason, error)
    }
    state.commit()
    report.inserted += result.inserted
    report.updated += result.updated
    report.rejected.push(...result.rejected)
    return
  }
}

/**
 * What a failed batch calls for: `retry` when another writer was in the way, `split`
 * when the database refused some row's data, `stop` for anything else (a broken
 * connection, a full disk, a bug), which no row of the file can be blamed for.
 */
function classify(error: unknown): 'retry' | 'split' | 'stop' {
  const code = errorCode(error)
  if (code === undefined) return 'stop'
  // better-sqlite3 reports SQLite's extended result codes: SQLITE_BUSY_SNAPSHOT, SQLITE_CONSTRAINT_UNIQUE…
  if (code.startsWith('SQLITE_')) {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'retry'
    return code.startsWith('SQLITE_CONSTRAINT') ? 'split' : 'stop'
  }
  // pg reports the SQLSTATE: 40001 serialization failure, 40P01 deadlock; class 23 is an
  // integrity constraint, class 22 a value the column cannot take.
  if (code === '40001' || code === '40P01') return 'retry'
  return /^2[23][0-9A-Z]{3}$/.test(code) ? 'split' : 'stop'
}

function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
  return typeof code === 'string' ? code : undefined
}

function describe(error: unknown, withCode = false): string {
  const message = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error)
  const code = withCode ? errorCode(error) : undefined
  return code ? `${code}: ${message}` : message
}
