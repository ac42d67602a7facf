import { SqliteAdapter, type Kysely } from 'kysely'

/**
 * Quick replies: groups (two levels) and replies, corporate or a guide's own; uploaded
 * images and the WeCom media ids they were uploaded as; favourites, usage counts, sends;
 * and an audit log of every change to shared content. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof SqliteAdapter ? 'blob' : 'bytea'

  await db.schema
    .createTable('reply_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('parent_id', 'text', (c) => c.references('reply_groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retired_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('reply_groups_scope').on('reply_groups').columns(['scope', 'owner_id']).execute()

  await db.schema
    .createTable('replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('group_id', 'text', (c) => c.notNull().references('reply_groups.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('parts', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('stages', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retired_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('replies_group').on('replies').columns(['group_id', 'position']).execute()
  await db.schema.createIndex('replies_scope').on('replies').columns(['scope', 'owner_id']).execute()

  await db.schema
    .createTable('media_assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('media_assets_sha').on('media_assets').column('sha256').execute()

  // The WeCom temporary media id of an asset: valid three days from uploaded_at.
  await db.schema
    .createTable('wecom_media')
    .addColumn('asset_id', 'text', (c) => c.primaryKey().references('media_assets.id'))
    .addColumn('media_id', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('reply_favorites')
    .addColumn('reply_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reply_favorites_pk', ['reply_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('reply_usage')
    .addColumn('reply_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reply_usage_pk', ['reply_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('reply_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reply_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('external_user_id', 'text')
    .addColumn('chat_id', 'text')
    .addColumn('parts_sent', 'integer', (c) => c.notNull())
    .addColumn('parts_total', 'integer', (c) => c.notNull())
    .addColumn('edited', 'integer', (c) => c.notNull())
    .addColumn('copied', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('reply_sends_customer').on('reply_sends').columns(['external_user_id', 'sent_at']).execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'reply_sends',
    'reply_usage',
    'reply_favorites',
    'wecom_media',
    'media_assets',
    'replies',
    'reply_groups',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
