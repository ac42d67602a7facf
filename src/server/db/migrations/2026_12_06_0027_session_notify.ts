import { SqliteAdapter, sql, type Kysely } from 'kysely'

/**
 * PostgreSQL: `NOTIFY gs_sessions` (payload: the schema) when a session is ended or cut
 * short (revoked, its end moved, removed) or a guide leaves or is removed. An instance
 * keeps a session it checked and checks it again only once this channel moved
 * (sessions.service.ts), so a session ended on one instance is refused by the next
 * request on any other (change-watch.ts settles before answering). A session's
 * `last_seen_at` moving says nothing. SQLite needs nothing here: an instance there keeps a
 * session only while nothing at all was written (`data_version`). Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return
  await sql`
    create function notify_session_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('gs_sessions', tg_table_schema);
      return null;
    end $$`.execute(db)
  await sql`create trigger sessions_notify_end after update of revoked_at, expires_at, user_id or delete on sessions
    for each row execute function notify_session_change()`.execute(db)
  await sql`create trigger guides_notify_left after update of left_at or delete on guides
    for each row execute function notify_session_change()`.execute(db)
  for (const table of ['sessions', 'guides']) {
    await sql
      .raw(
        `create trigger ${table}_notify_session_truncate after truncate on ${table}
         for each statement execute function notify_session_change()`,
      )
      .execute(db)
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return
  await sql`drop trigger sessions_notify_end on sessions`.execute(db)
  await sql`drop trigger guides_notify_left on guides`.execute(db)
  for (const table of ['sessions', 'guides']) {
    await sql.raw(`drop trigger ${table}_notify_session_truncate on ${table}`).execute(db)
  }
  await sql`drop function notify_session_change()`.execute(db)
}
