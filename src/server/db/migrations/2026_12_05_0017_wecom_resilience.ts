import type { Kysely } from 'kysely'

/**
 * OAuth values already spent, shared by every instance: a sign-in `state` is good for one
 * callback and a WeCom code for one exchange, so a replayed state cookie or a code sent
 * again costs no `auth/getuserinfo` call. Kept by digest (never the value itself) until
 * they could no longer be valid anyway. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oauth_spent')
    // 'state' | 'code'
    .addColumn('kind', 'text', (c) => c.notNull())
    // sha256 hex of the value.
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oauth_spent_pk', ['kind', 'digest'])
    .execute()
  await db.schema.createIndex('oauth_spent_expires').on('oauth_spent').column('expires_at').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oauth_spent').execute()
}
