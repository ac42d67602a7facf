import type { Kysely } from 'kysely'

/**
 * Two things every instance must agree on about WeCom. `wecom_resync_runs`: the nightly
 * resync of one China day, claimed by one instance, its heartbeat while it runs, and
 * whether it finished, so a restart or a crash mid-run does not lose the day and a failed
 * run is tried again (a bounded number of times). `wecom_setup_errors`: the last refusal
 * of our set-up (IP not trusted, no API permission, wrong secret) per API, seen by
 * whichever instance made the call and cleared once that API answers again, for admins.
 * Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wecom_resync_runs')
    // The China date (YYYY-MM-DD) the run is for.
    .addColumn('day', 'text', (c) => c.primaryKey())
    // 'running' | 'done' | 'failed'
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('outcome', 'text')
    .execute()
  await db.schema
    .createTable('wecom_setup_errors')
    .addColumn('api', 'text', (c) => c.primaryKey())
    .addColumn('errcode', 'integer', (c) => c.notNull())
    .addColumn('errmsg', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wecom_setup_errors').execute()
  await db.schema.dropTable('wecom_resync_runs').execute()
}
