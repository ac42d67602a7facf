import { SqliteAdapter, sql, type Kysely } from 'kysely'

/**
 * PostgreSQL: the trigger that keeps `member_order_totals` (migration 0012) matched her
 * orders with `member_id = any(array)`. PL/pgSQL keeps one plan for it per session, and a
 * plan made while `orders` was small or unanalysed reads the whole table: every order
 * written scanned every order, so a session writing orders in bulk slowed as it went
 * (10,000 members with three orders each: 291 M rows read, 21 s in the trigger; the 100k
 * bench book never finished seeding). Matching each member with `=` uses the index
 * whatever the plan. SQLite's triggers already compare with `=`. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return
  await sql`
    create or replace function member_order_totals_from_order() returns trigger language plpgsql as $$
    declare
      member text;
    begin
      foreach member in array (
        case tg_op
          when 'INSERT' then array[new.member_id]
          when 'DELETE' then array[old.member_id]
          else array(select distinct m from unnest(array[old.member_id, new.member_id]) m)
        end
      ) loop
        continue when member is null;
        delete from member_order_totals where member_id = member;
        insert into member_order_totals (member_id, order_count, total_fen, last_purchase_at)
          select member_id, count(*), coalesce(sum(total_fen), 0), max(purchased_at)
          from orders where member_id = member group by member_id;
      end loop;
      return null;
    end $$`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return
  await sql`
    create or replace function member_order_totals_from_order() returns trigger language plpgsql as $$
    declare ids text[];
    begin
      if tg_op = 'INSERT' then ids := array[new.member_id];
      elsif tg_op = 'DELETE' then ids := array[old.member_id];
      else ids := array[old.member_id, new.member_id];
      end if;
      delete from member_order_totals where member_id = any(ids);
      insert into member_order_totals (member_id, order_count, total_fen, last_purchase_at)
        select member_id, count(*), coalesce(sum(total_fen), 0), max(purchased_at)
        from orders where member_id = any(ids) group by member_id;
      return null;
    end $$`.execute(db)
}
