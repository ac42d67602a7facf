import type { Kysely } from 'kysely'

/**
 * The guide's memory of a customer: facts she edits (kept apart from the CRM's member
 * record, so an import never overwrites what a guide learned), notes and follow-ups,
 * her personal tags, a timeline of changes, tasks, and caches of WeCom's corporate tags
 * and customer groups. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_facts')
    .addColumn('external_user_id', 'text', (c) => c.primaryKey())
    .addColumn('size_top', 'text')
    .addColumn('size_bottom', 'text')
    .addColumn('size_dress', 'text')
    .addColumn('size_shoes', 'text')
    .addColumn('fit_notes', 'text')
    .addColumn('style_preferences', 'text')
    .addColumn('colors_liked', 'text')
    .addColumn('colors_avoided', 'text')
    .addColumn('birthday', 'text')
    .addColumn('phone', 'text')
    // '' records "cleared by a guide" (so the member's store does not come back); the
    // service checks a store exists before saving it, hence no foreign key.
    .addColumn('preferred_store_id', 'text')
    // Moves on with every write about this customer (facts, personal tags, notes): part
    // of the profile's version token.
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('customer_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute()
  await db.schema
    .createIndex('customer_events_timeline')
    .on('customer_events')
    .columns(['external_user_id', 'occurred_at', 'id'])
    .execute()

  await db.schema
    .createTable('customer_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_user_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('next_follow_up', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('customer_notes_timeline')
    .on('customer_notes')
    .columns(['external_user_id', 'created_at', 'id'])
    .execute()

  await db.schema
    .createTable('personal_tags')
    .addColumn('external_user_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('personal_tags_pk', ['external_user_id', 'user_id', 'name'])
    .execute()

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('guide_id', 'text', (c) => c.notNull())
    .addColumn('external_user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('note_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('tasks_guide_due').on('tasks').columns(['guide_id', 'done_at', 'due_date']).execute()

  await db.schema
    .createTable('wecom_corp_tags')
    .addColumn('tag_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('group_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tag_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('wecom_group_chats')
    .addColumn('chat_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('notice', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('members', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .execute()

  // Small bookkeeping values (when the corporate tag list was last read, …).
  await db.schema
    .createTable('sync_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sync_state',
    'wecom_group_chats',
    'wecom_corp_tags',
    'tasks',
    'personal_tags',
    'customer_notes',
    'customer_events',
    'customer_facts',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
