import { SqliteAdapter, sql, type Kysely } from 'kysely'

/**
 * PostgreSQL: any statement that writes a table a customer's profile is built from says
 * so with `NOTIFY gs_changes` (payload: the schema, so instances on other schemas of the
 * same database skip it). Each instance counts them (src/server/db/change-watch.ts) and
 * serves a revisit nothing was written for since without asking the database. Per row
 * written, so a statement that changes nothing (a periodic backfill with nothing to do)
 * says nothing; PostgreSQL sends a transaction's identical notifications once. SQLite
 * needs nothing: it says itself when its file changed. Frozen in time.
 */
export const PROFILE_TABLES = [
  'wecom_customers',
  'wecom_follows',
  'members',
  'customer_facts',
  'stores',
  'orders',
  'order_items',
  'products',
  'product_images',
  'personal_tags',
  'customer_events',
  'guides',
] as const

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return
  await sql`
    create function notify_profile_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('gs_changes', tg_table_schema);
      return null;
    end $$`.execute(db)
  for (const table of PROFILE_TABLES) {
    await sql
      .raw(
        `create trigger ${table}_notify_change after insert or update or delete on ${table}
         for each row execute function notify_profile_change()`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger ${table}_notify_truncate after truncate on ${table}
         for each statement execute function notify_profile_change()`,
      )
      .execute(db)
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return
  for (const table of PROFILE_TABLES) {
    await sql.raw(`drop trigger ${table}_notify_change on ${table}`).execute(db)
    await sql.raw(`drop trigger ${table}_notify_truncate on ${table}`).execute(db)
  }
  await sql`drop function notify_profile_change()`.execute(db)
}
