import type { Kysely } from 'kysely'

/**
 * The guide's day: tasks the system writes (a status, why, what to send, a skip reason);
 * orders credited to a guide (the CRM's selling guide, else the one who last served her);
 * per-store commission rate and evening-report time; monthly sales targets; and the log
 * of evening reports sent, so each goes out once. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tasks')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('todo'))
    .execute()
  await db.schema
    .alterTable('tasks')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.alterTable('tasks').addColumn('skip_reason', 'text').execute()
  // JSON: what the task suggests sending ({type, id}) and what its reason was made from.
  await db.schema.alterTable('tasks').addColumn('payload', 'text').execute()
  await db.schema.alterTable('tasks').addColumn('campaign_id', 'text').execute()
  await db.updateTable('tasks').set({ status: 'done' }).where('done_at', 'is not', null).execute()
  await db.schema.createIndex('tasks_guide_status_due').on('tasks').columns(['guide_id', 'status', 'due_date']).execute()
  await db.schema.createIndex('tasks_customer_status').on('tasks').columns(['external_user_id', 'status']).execute()

  await db.schema.alterTable('orders').addColumn('guide_user_id', 'text').execute()
  await db.schema.alterTable('orders').addColumn('credited_guide_id', 'text').execute()
  await db.schema.createIndex('orders_credited_guide').on('orders').columns(['credited_guide_id', 'purchased_at']).execute()

  // Basis points (300 = 3 %); null: no commission shown.
  await db.schema.alterTable('stores').addColumn('commission_bp', 'integer').execute()
  // 'HH:MM' China time; null: the default, 21:00.
  await db.schema.alterTable('stores').addColumn('evening_report_at', 'text').execute()

  await db.schema
    .createTable('sales_targets')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_targets_pk', ['scope', 'scope_id', 'month'])
    .execute()

  await db.schema
    .createTable('evening_reports')
    .addColumn('guide_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('evening_reports_pk', ['guide_id', 'day'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evening_reports').execute()
  await db.schema.dropTable('sales_targets').execute()
  await db.schema.dropIndex('orders_credited_guide').execute()
  for (const column of ['evening_report_at', 'commission_bp']) await db.schema.alterTable('stores').dropColumn(column).execute()
  for (const column of ['credited_guide_id', 'guide_user_id']) await db.schema.alterTable('orders').dropColumn(column).execute()
  await db.schema.dropIndex('tasks_customer_status').execute()
  await db.schema.dropIndex('tasks_guide_status_due').execute()
  for (const column of ['campaign_id', 'payload', 'skip_reason', 'reason', 'status'])
    await db.schema.alterTable('tasks').dropColumn(column).execute()
}
