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
    // An update can move an order to another member (or a line to another order):
    // both sides change, so both members move on.
    const rows = { insert: ['new'], update: ['new', 'old'], delete: ['old'] } as const
    for (const event of ['insert', 'update', 'delete'] as const) {
      const members = rows[event].map((row) => `${row}.member_id`).join(', ')
      const orders = rows[event].map((row) => `${row}.order_id`).join(', ')
      await sql
        .raw(
          `create trigger orders_touch_member_${event} after ${event} on orders begin
             update members set updated_at = updated_at + 1 where id in (${members});
           end`,
        )
        .execute(db)
      await sql
        .raw(
          `create trigger order_items_touch_member_${event} after ${event} on order_items begin
             update members set updated_at = updated_at + 1
             where id in (select member_id from orders where id in (${orders}));
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
  // On an update both the old and the new member move on (an order moved between members).
  await sql`
    create function touch_member_from_order() returns trigger language plpgsql as $$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        update members set updated_at = updated_at + 1 where id = new.member_id;
      end if;
      if tg_op = 'DELETE' or (tg_op = 'UPDATE' and old.member_id is distinct from new.member_id) then
        update members set updated_at = updated_at + 1 where id = old.member_id;
      end if;
      return null;
    end $$`.execute(db)
  await sql`
    create function touch_member_from_order_item() returns trigger language plpgsql as $$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        update members set updated_at = updated_at + 1 where id = (select member_id from orders where id = new.order_id);
      end if;
      if tg_op = 'DELETE' or (tg_op = 'UPDATE' and old.order_id is distinct from new.order_id) then
        update members set updated_at = updated_at + 1 where id = (select member_id from orders where id = old.order_id);
      end if;
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
