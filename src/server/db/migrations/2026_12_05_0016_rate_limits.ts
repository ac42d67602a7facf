import type { Kysely } from 'kysely'

/**
 * Rate limits counted where every instance sees them (when Redis is not configured): one
 * row per limited key holding the current window's count. And the log of member lookups
 * by phone: who asked for which phone (masked) about which customer, and what was shown.
 * Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    // '<bucket>:<ip or guide>'.
    .addColumn('key', 'text', (c) => c.primaryKey())
    // Start of the counted window (ms since the epoch, a multiple of the window's length).
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    // When the row may be deleted: the end of its window.
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('rate_limits_expires').on('rate_limits').column('expires_at').execute()

  await db.schema
    .createTable('member_lookups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('guide_id', 'text', (c) => c.notNull())
    .addColumn('external_user_id', 'text', (c) => c.notNull())
    // 138****8000: enough to investigate, not a list of the phones someone probed.
    .addColumn('phone_masked', 'text', (c) => c.notNull())
    // JSON: the member ids the guide was shown.
    .addColumn('shown', 'text', (c) => c.notNull())
    // How many matched but were hidden, being bound to another customer.
    .addColumn('hidden', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('member_lookups_guide').on('member_lookups').columns(['guide_id', 'at']).execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('member_lookups_guide').execute()
  await db.schema.dropTable('member_lookups').execute()
  await db.schema.dropIndex('rate_limits_expires').execute()
  await db.schema.dropTable('rate_limits').execute()
}
