import type { Kysely } from 'kysely'

/**
 * Sessions that can be ended. The cookie carries a signed random id; the row says whether
 * it still counts: revoked (logout, an admin, the guide leaving), idle too long or past
 * its absolute end. Every instance reads the same row, so a revocation holds everywhere
 * at once. `guides.left_at` marks a guide who left the company (null: active); her
 * history stays, her sessions do not. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // Moved forward at most every few minutes, so a busy sidebar is not a write per request.
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    // The absolute end, fixed at sign-in.
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    // 'logout' | 'rotated' | 'admin' | 'departed'
    .addColumn('revoked_reason', 'text')
    .execute()
  // Revoking every session of a member, and listing her live ones.
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'expires_at']).execute()
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute()

  await db.schema.alterTable('guides').addColumn('left_at', 'bigint').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('guides').dropColumn('left_at').execute()
  await db.schema.dropIndex('sessions_expires').execute()
  await db.schema.dropIndex('sessions_user').execute()
  await db.schema.dropTable('sessions').execute()
}
