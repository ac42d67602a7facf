import { SqliteAdapter, sql, type Kysely } from 'kysely'

/**
 * One number that moves on whenever anything the privacy check reads could have changed:
 * remarks, descriptions and phones on follows, member names and phones, her own facts
 * (phone, fit notes), notes, personal tags, and the guide's name and store (words a page
 * says anyway). A verdict on outgoing text is then good for as long as the number stays,
 * on every instance sharing the database. Kept by triggers, so no writer can forget it.
 *
 * PostgreSQL moves it from a deferred trigger, once per transaction at commit: the row is
 * locked only for the instant of the commit, so writers of private data never wait on each
 * other for the length of their transaction, nor deadlock over it. Frozen in time.
 */
const WATCHED: { table: string; columns: string[] }[] = [
  { table: 'wecom_follows', columns: ['external_user_id', 'user_id', 'remark', 'description', 'remark_mobiles'] },
  { table: 'members', columns: ['external_user_id', 'name', 'phone'] },
  { table: 'customer_facts', columns: ['external_user_id', 'phone', 'fit_notes'] },
  { table: 'customer_notes', columns: ['external_user_id', 'text'] },
  { table: 'personal_tags', columns: ['external_user_id', 'name'] },
  { table: 'guides', columns: ['user_id', 'name', 'store_id'] },
  { table: 'stores', columns: ['id', 'name'] },
]

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('private_text_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute()
  await db.insertInto('private_text_version').values({ id: 1, version: 0 }).execute()
  if (isSqlite(db)) {
    // SQLite has one writer at a time: a plain row trigger costs one page write it already holds.
    for (const { table, columns } of WATCHED) {
      for (const event of ['insert', 'delete', `update of ${columns.join(', ')}`]) {
        const name = `${table}_private_text_${event.split(' ')[0]}`
        await sql
          .raw(
            `create trigger ${name} after ${event} on ${table} begin
               update private_text_version set version = version + 1 where id = 1;
             end`,
          )
          .execute(db)
      }
    }
    return
  }
  // Once per transaction: the transaction-local setting says it was already done.
  await sql`
    create function bump_private_text_version() returns trigger language plpgsql as $$
    begin
      if current_setting('gs.private_text_bumped', true) is distinct from 'yes' then
        update private_text_version set version = version + 1 where id = 1;
        perform set_config('gs.private_text_bumped', 'yes', true);
      end if;
      return null;
    end $$`.execute(db)
  for (const { table, columns } of WATCHED) {
    await sql
      .raw(
        `create constraint trigger ${table}_private_text after insert or delete or update of ${columns.join(', ')}
           on ${table} deferrable initially deferred for each row execute function bump_private_text_version()`,
      )
      .execute(db)
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (isSqlite(db)) {
    for (const { table } of WATCHED) {
      for (const event of ['insert', 'delete', 'update']) await sql.raw(`drop trigger ${table}_private_text_${event}`).execute(db)
    }
  } else {
    for (const { table } of WATCHED) await sql.raw(`drop trigger ${table}_private_text on ${table}`).execute(db)
    await sql`drop function bump_private_text_version()`.execute(db)
  }
  await db.schema.dropTable('private_text_version').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter
}
