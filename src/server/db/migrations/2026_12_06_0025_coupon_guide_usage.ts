import { SqliteAdapter, sql, type Kysely } from 'kysely'

/**
 * How many of a coupon each guide has given out in a week (the weekly quota), kept in a
 * counter row instead of counted from her issuances on every send: in a flash sale a
 * busy guide's count was a scan of everything she sent this week, under the coupon's lock.
 *
 * The rows count exactly what the quota counted: issuances not given back, by template,
 * guide and the Shanghai week (Monday 00:00) they were issued in. Triggers keep them, so
 * every path that writes issuances (issuing, the sweep, a cancel, a revival, a hand-over
 * to another guide, demo data) moves them in the same transaction. Frozen in time.
 */

// Monday 00:00 in Shanghai of the week a moment falls in, in integer arithmetic both
// databases share (quota.ts `weekStart`): day 0 (1970-01-01) was a Thursday.
const DAY = 86_400_000
const SHANGHAI = 28_800_000
const week = (at: string): string =>
  `((((${at}) + ${SHANGHAI}) / ${DAY}) - (((((${at}) + ${SHANGHAI}) / ${DAY}) + 3) % 7)) * ${DAY} - ${SHANGHAI}`

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('coupon_guide_usage')
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('guide_id', 'text', (c) => c.notNull())
    .addColumn('week_start', 'bigint', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('coupon_guide_usage_pk', ['template_id', 'guide_id', 'week_start'])
    .execute()
  // PostgreSQL: no issuance may be written between the count below and the triggers that
  // keep it (another instance during a rolling deploy), or it would be counted by neither.
  // The lock lasts until the migration's transaction ends; reads go on.
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`lock table coupon_issuances in share row exclusive mode`.execute(db)
  }
  await sql
    .raw(
      `insert into coupon_guide_usage (template_id, guide_id, week_start, used)
       select template_id, guide_id, ${week('issued_at')}, count(*) from coupon_issuances
       where status <> 'released' group by template_id, guide_id, ${week('issued_at')}`,
    )
    .execute(db)

  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    // Row triggers: SQLite runs them in the writing statement, at the cost of an upsert.
    const add = (row: string) =>
      `insert into coupon_guide_usage (template_id, guide_id, week_start, used)
       select ${row}.template_id, ${row}.guide_id, ${week(`${row}.issued_at`)}, 1 where ${row}.status <> 'released'
       on conflict (template_id, guide_id, week_start) do update set used = used + 1;`
    const remove = (row: string) =>
      `update coupon_guide_usage set used = used - 1
       where ${row}.status <> 'released' and template_id = ${row}.template_id and guide_id = ${row}.guide_id
         and week_start = ${week(`${row}.issued_at`)};`
    await sql.raw(`create trigger coupon_usage_insert after insert on coupon_issuances begin ${add('new')} end`).execute(db)
    await sql.raw(`create trigger coupon_usage_delete after delete on coupon_issuances begin ${remove('old')} end`).execute(db)
    await sql
      .raw(
        `create trigger coupon_usage_update after update of status, guide_id, template_id, issued_at on coupon_issuances
         when (old.status = 'released') <> (new.status = 'released') or old.guide_id <> new.guide_id
           or old.template_id <> new.template_id or old.issued_at <> new.issued_at
         begin ${remove('old')} ${add('new')} end`,
      )
      .execute(db)
    return
  }

  // PostgreSQL: inserts and deletes by statement, over the rows the statement wrote, one
  // grouped upsert each (a batch of sends is one insert). Rows are taken in key order, so
  // two writers that touch the same counters lock them in the same order.
  await sql`
    create function coupon_usage_insert() returns trigger language plpgsql as $$
    begin
      insert into coupon_guide_usage as u (template_id, guide_id, week_start, used)
      select template_id, guide_id, ${sql.raw(week('issued_at'))}, count(*) from new_rows
      where status <> 'released'
      group by 1, 2, 3 order by 1, 2, 3
      on conflict (template_id, guide_id, week_start) do update set used = u.used + excluded.used;
      return null;
    end $$`.execute(db)
  // Updates row by row, and only those that move a count: the condition is checked before
  // any function runs, so the many updates that move none (a send confirmed, a sweep that
  // finds nothing overdue) cost nothing.
  await sql`
    create function coupon_usage_change() returns trigger language plpgsql as $$
    declare
      old_week bigint := ${sql.raw(week('old.issued_at'))};
      new_week bigint := ${sql.raw(week('new.issued_at'))};
      old_first boolean := (old.template_id, old.guide_id, old_week) <= (new.template_id, new.guide_id, new_week);
    begin
      -- The two counter rows in key order, as every other writer takes them (no deadlock
      -- between a hand-over and a batch, or two opposite hand-overs).
      for step in 1..2 loop
        if (step = 1) = old_first then
          if old.status <> 'released' then
            update coupon_guide_usage set used = used - 1
            where template_id = old.template_id and guide_id = old.guide_id and week_start = old_week;
          end if;
        elsif new.status <> 'released' then
          insert into coupon_guide_usage as u (template_id, guide_id, week_start, used)
          values (new.template_id, new.guide_id, new_week, 1)
          on conflict (template_id, guide_id, week_start) do update set used = u.used + 1;
        end if;
      end loop;
      return null;
    end $$`.execute(db)
  await sql`
    create function coupon_usage_delete() returns trigger language plpgsql as $$
    begin
      update coupon_guide_usage u set used = u.used - d.n
      from (
        select template_id, guide_id, ${sql.raw(week('issued_at'))} as week_start, count(*) as n from old_rows
        where status <> 'released' group by 1, 2, 3
      ) d
      where u.template_id = d.template_id and u.guide_id = d.guide_id and u.week_start = d.week_start;
      return null;
    end $$`.execute(db)
  await sql`
    create trigger coupon_usage_insert after insert on coupon_issuances
    referencing new table as new_rows for each statement execute function coupon_usage_insert()`.execute(db)
  await sql`
    create trigger coupon_usage_update after update of status, guide_id, template_id, issued_at on coupon_issuances
    for each row when ((old.status = 'released') <> (new.status = 'released') or old.guide_id <> new.guide_id
      or old.template_id <> new.template_id or old.issued_at <> new.issued_at)
    execute function coupon_usage_change()`.execute(db)
  await sql`
    create trigger coupon_usage_delete after delete on coupon_issuances
    referencing old table as old_rows for each statement execute function coupon_usage_delete()`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const t of ['insert', 'update', 'delete']) await sql.raw(`drop trigger coupon_usage_${t}`).execute(db)
  } else {
    for (const t of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger coupon_usage_${t} on coupon_issuances`).execute(db)
    for (const f of ['insert', 'change', 'delete']) await sql.raw(`drop function coupon_usage_${f}()`).execute(db)
  }
  await db.schema.dropTable('coupon_guide_usage').execute()
}
