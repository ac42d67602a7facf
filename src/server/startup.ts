/**
 * What `main()` does with a migrated database before serving: keep the demo and a real
 * deployment apart, and seed the demo where the simulator may. The demo's till keys and
 * its manager are public (README), so real mode refuses a database that holds the demo,
 * and the simulator refuses one that holds anything else rather than seed into it.
 */
import type { Db } from './db'
import { deploymentKind, holdsData, markDeployment } from './db/deployment'
import { hasCatalog, hasReplies, isEmpty, seedDemo, seedDemoCatalog, seedDemoReplies } from './demo/seed'
import { hasCoupons, seedDemoCoupons } from './demo/coupons'
import { buildDemoData, type DemoData } from './demo/data'
import { buildDemoReplies } from './demo/replies'
import { ConfigError, DEFAULT_SQLITE_FILES, type Config, type DatabaseConfig } from './env'

export interface PreparedDatabase {
  /** Simulator mode: the demo world the simulator plays. */
  demo?: DemoData
  /** True when the demo was written just now, into an empty database. */
  seeded: boolean
}

function describe(database: DatabaseConfig): string {
  return database.kind === 'sqlite' ? `the SQLite file ${database.file}` : 'the PostgreSQL database of DATABASE_URL'
}

function demoRefusal(database: DatabaseConfig): ConfigError {
  const remedy =
    database.kind === 'sqlite'
      ? `Point DATABASE_URL at another database, or DATA_DIR at another folder (real mode creates ` +
        `${DEFAULT_SQLITE_FILES.real} there on first start), or delete ${database.file} (with its -wal and -shm files) ` +
        `if the demo is no longer needed`
      : 'Point DATABASE_URL at a database of your own (an empty one: the server migrates it on first start)'
  return new ConfigError(
    `${describe(database)} holds the simulator's demo, whose till keys and manager are public, so real mode will not ` +
      `start on it. ${remedy}. Without WeCom credentials the demo runs on its own file, ${DEFAULT_SQLITE_FILES.simulator}.`,
  )
}

function realDataRefusal(database: DatabaseConfig): ConfigError {
  return new ConfigError(
    `${describe(database)} holds a real deployment's data, so simulator mode will not seed its demo into it. ` +
      'Start with WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET to use it, or unset DATABASE_URL (or set another ' +
      `DATA_DIR) to run the demo on its own file (${DEFAULT_SQLITE_FILES.simulator}).`,
  )
}

/**
 * Decide whether this database may be served in this mode, mark it, and in simulator mode
 * seed the demo (or bring an older demo database up to date). Throws ConfigError when the
 * database belongs to the other mode.
 */
export async function prepareDatabase(db: Db, config: Config, now: number): Promise<PreparedDatabase> {
  const marked = await deploymentKind(db.kysely)
  if (config.wecom.mode === 'real') {
    if (marked === 'demo') throw demoRefusal(config.database)
    // A simulator starting on the same empty database at the same moment may have won.
    if (marked === null && (await markDeployment(db.kysely, 'real', now)) === 'demo') throw demoRefusal(config.database)
    return { seeded: false }
  }

  if (marked === 'real' || (marked === null && (await holdsData(db)))) throw realDataRefusal(config.database)
  if (marked === null && (await markDeployment(db.kysely, 'demo', now)) === 'real') throw realDataRefusal(config.database)

  const demo = buildDemoData(now)
  if ((await isEmpty(db)) && (await seedDemo(db, demo, now))) return { demo, seeded: true }
  const manager = demo.guides.find((g) => g.role === 'manager') ?? demo.guides[0]!
  // A demo database from before quick replies existed.
  if (!(await hasReplies(db.kysely))) await seedDemoReplies(db, buildDemoReplies(), manager.userId, now)
  // A demo database from before the catalogue (SKUs, pictures, stock) and bundles existed.
  if (!(await hasCatalog(db.kysely))) await seedDemoCatalog(db, demo, now)
  if (!(await hasCoupons(db.kysely))) await seedDemoCoupons(db.kysely, manager.userId, now)
  return { demo, seeded: false }
}
