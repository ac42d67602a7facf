import { SqliteAdapter, sql, type Kysely } from 'kysely'

/**
 * Any change to a member — her record, her orders, her order lines — moves
 * `members.updated_at` on, even when the writer forgot to, so "has this customer's
 * profile changed?" is one column to compare, whoever wrote (an import, an edit, another
 * API instance). Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (isSqlite(db)) {
    for (const event of ['insert', 'update', 'delete'] as const) {
      const row = event === 'delete' ? 'old' : 'new'
      await sql
        .raw(
          `create trigger orders_touch_member_${event} after ${event} on orders begin
             update members set updated_at = updated_at + 1 where id = ${row}.member_id;
           end`,
        )
        .execute(db)
      await sql
        .raw(
          `create trigger order_items_touch_member_${event} after ${event} on order_items begin
             update members set updated_at = updated_at + 1
             where id = (select member_id from orders where id = ${row}.order_id);
           end`,
        )
        .execute(db)
    }
    await sql`create trigger members_touch_on_update after update on members
      when new.updated_at = old.updated_at begin
        update members set updated_at = old.updated_at + 1 where id = new.id;
      end`.execute(db)
    return
  }
  await sql`
    create function touch_member_on_update() returns trigger language plpgsql as $$
    begin
      new.updated_at := old.updated_at + 1;
      return new;
    end $$`.execute(db)
  await sql`create trigger members_touch_on_update before update on members
    for each row when (new.updated_at = old.updated_at) execute function touch_member_on_update()`.execute(db)
  await sql`
    create function touch_member_from_order() returns trigger language plpgsql as $$
    begin
      update members set updated_at = updated_at + 1 where id = coalesce(new.member_id, old.member_id);
      return null;
    end $$`.execute(db)
  await sql`
    create function touch_member_from_order_item() returns trigger language plpgsql as $$
    begin
      update members set updated_at = updated_at + 1
      where id = (select member_id from orders where id = coalesce(new.order_id, old.order_id));
      return null;
    end $$`.execute(db)
  await sql`create trigger orders_touch_member after insert or update or delete on orders
    for each row execute function touch_member_from_order()`.execute(db)
  await sql`create trigger order_items_touch_member after insert or update or delete on order_items
    for each row execute function touch_member_from_order_item()`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (isSqlite(db)) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`drop trigger orders_touch_member_${event}`).execute(db)
      await sql.raw(`drop trigger order_items_touch_member_${event}`).execute(db)
    }
    await sql`drop trigger members_touch_on_update`.execute(db)
    return
  }
  await sql`drop trigger members_touch_on_update on members`.execute(db)
  await sql`drop function touch_member_on_update()`.execute(db)
  await sql`drop trigger orders_touch_member on orders`.execute(db)
  await sql`drop trigger order_items_touch_member on order_items`.execute(db)
  await sql`drop function touch_member_from_order()`.execute(db)
  await sql`drop function touch_member_from_order_item()`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter
}
