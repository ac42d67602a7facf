import type { Kysely } from 'kysely'

/**
 * The manager's desk: which stores a manager looks after (beyond her own), campaigns a
 * manager pushes to her team as tasks, each store's weekly ranking schedule, and the log
 * of rankings posted so each goes out once a week. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('store_managers')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id'))
    .addPrimaryKeyConstraint('store_managers_pk', ['user_id', 'store_id'])
    .execute()

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // China's calendar days, YYYY-MM-DD, both included.
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    // JSON: the customer filters (the customer list's), {} for all her customers.
    .addColumn('audience', 'text', (c) => c.notNull())
    // What to send: 'reply' | 'bundle' | 'coupon' and its id; both null: just talk to her.
    .addColumn('content_type', 'text')
    .addColumn('content_id', 'text')
    .addColumn('note', 'text')
    // JSON: the store ids it runs in.
    .addColumn('store_ids', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // Ended early by a manager; null while it runs its course.
    .addColumn('ended_at', 'bigint')
    .execute()
  await db.schema.createIndex('campaigns_created').on('campaigns').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('tasks_campaign').on('tasks').columns(['campaign_id', 'guide_id']).execute()

  // 1 (Monday) … 7 (Sunday) and 'HH:MM' China time; null: no weekly ranking is posted.
  await db.schema.alterTable('stores').addColumn('ranking_weekday', 'integer').execute()
  await db.schema.alterTable('stores').addColumn('ranking_at', 'text').execute()
  // 'sales' (销售排名) or 'commission' (返佣排名).
  await db.schema.alterTable('stores').addColumn('ranking_metric', 'text').execute()

  await db.schema
    .createTable('ranking_reports')
    .addColumn('store_id', 'text', (c) => c.notNull())
    // The Monday (China) of the week ranked, YYYY-MM-DD.
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ranking_reports_pk', ['store_id', 'week'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ranking_reports').execute()
  for (const column of ['ranking_metric', 'ranking_at', 'ranking_weekday'])
    await db.schema.alterTable('stores').dropColumn(column).execute()
  await db.schema.dropIndex('tasks_campaign').execute()
  await db.schema.dropIndex('campaigns_created').execute()
  await db.schema.dropTable('campaigns').execute()
  await db.schema.dropTable('store_managers').execute()
}
