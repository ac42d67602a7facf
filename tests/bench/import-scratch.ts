/**
 * What the import benches share: a scratch database (a temporary SQLite file, or a fresh
 * schema on BENCH_DATABASE_URL's PostgreSQL, dropped afterwards), migrated, and CSV files
 * written as a CRM exports them (BOM, CRLF).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { migrateToLatest, openDb, type Db } from '../../src/server/db'

export interface ImportScratch {
  db: Db
  /** Writes `rows` as a CSV file in the scratch folder and returns its path. */
  csv: (name: string, rows: string[]) => string
}

async function admin(databaseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** Runs `work` against a migrated scratch database, and cleans it away after. */
export async function withImportScratch<T>(
  databaseUrl: string | undefined,
  work: (scratch: ImportScratch) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-import-'))
  const schema = databaseUrl ? `bench_${randomBytes(4).toString('hex')}` : null
  if (databaseUrl) await admin(databaseUrl, `create schema ${schema}`)
  const db = databaseUrl
    ? openDb({ kind: 'postgres', url: databaseUrl }, { searchPath: schema! })
    : openDb({ kind: 'sqlite', file: path.join(dir, 'bench.db') })
  const csv = (name: string, rows: string[]) => {
    const file = path.join(dir, name)
    writeFileSync(file, `\uFEFF${rows.join('\r\n')}\r\n`)
    return file
  }
  try {
    await migrateToLatest(db)
    return await work({ db, csv })
  } finally {
    await db.close()
    if (databaseUrl) await admin(databaseUrl, `drop schema ${schema} cascade`)
  }
}
