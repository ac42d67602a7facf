/**
 * `npm run import -- <kind> <file> [--json]`: load a CRM export (CSV, UTF-8, with or
 * without Excel's byte order mark) into the database named by DATABASE_URL (or the
 * embedded SQLite file). Exit code 0: every row imported; 3: done, some rows rejected
 * (listed with their line numbers); 1: nothing imported (bad arguments, file or header);
 * 2: stopped part way by a database failure (the rows before the line named were imported).
 */
import { migrateToLatest, openDb } from '../../db'
import { ConfigError, loadConfig } from '../../env'
import { ImportError, importFile, type ImportReport } from './importer'
import { IMPORT_KINDS } from './kinds'

const USAGE = `usage: npm run import -- <kind> <file.csv> [--json]
kinds: ${Object.keys(IMPORT_KINDS).join(', ')}
Columns per kind are listed in src/server/modules/crm-import/README.md.`

const SHOWN_REJECTIONS = 100

function printHuman(report: ImportReport, file: string): void {
  console.log(`${report.kind} from ${file}: ${report.rows} rows in ${report.seconds.toFixed(2)} s`)
  const removed = report.removed ? `, removed ${report.removed}` : ''
  console.log(`  inserted ${report.inserted}, updated ${report.updated}${removed}, rejected ${report.rejected.length}`)
  if (report.ignoredColumns.length) console.log(`  ignored columns: ${report.ignoredColumns.join(', ')}`)
  for (const r of report.rejected.slice(0, SHOWN_REJECTIONS)) console.log(`  line ${r.line}: ${r.reason}`)
  if (report.rejected.length > SHOWN_REJECTIONS) {
    console.log(`  … and ${report.rejected.length - SHOWN_REJECTIONS} more rejected rows (use --json for all)`)
  }
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  const [kind, file, ...extra] = argv.filter((a) => a !== '--json')
  if (!kind || !file || extra.length || !(kind in IMPORT_KINDS)) {
    console.error(USAGE)
    return 1
  }
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`)
      return 1
    }
    throw error
  }
  const db = openDb(config.database)
  try {
    await migrateToLatest(db)
    // Pictures (product_images) come from public hosts, or the intranet ones IMAGE_FETCH_ALLOW_HOSTS names.
    const report = await importFile(db, kind, file, { imageFetch: { allowHosts: config.imageFetchAllowHosts } })
    if (json) console.log(JSON.stringify({ ...report, file }, null, 2))
    else printHuman(report, file)
    return report.rejected.length ? 3 : 0
  } catch (error) {
    if (error instanceof ImportError && error.report) {
      if (json) console.log(JSON.stringify({ ...error.report, file, stopped: error.message }, null, 2))
      else printHuman(error.report, file)
      console.error(`Import stopped: ${error.message}`)
      return 2
    }
    if (error instanceof ImportError) {
      console.error(`Import failed, nothing was written: ${error.message}`)
      return 1
    }
    throw error
  } finally {
    await db.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
