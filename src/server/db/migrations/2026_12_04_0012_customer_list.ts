import { SqliteAdapter, sql, type Kysely } from 'kysely'

/**
 * The guide's customer list, sliced and sorted at 10,000 customers a guide:
 *
 * - `member_order_totals`: each member's order count, spend and last purchase, kept by
 *   triggers on `orders` whoever writes them (the import, the demo, the till), so sorting
 *   her list by spend or last purchase reads one row a customer instead of summing orders;
 * - an index in the list's default order (newest added first), so its first page is read
 *   off the index rather than sorted;
 * - indexes that find everything one guide sent or noted, by when (the "last contact"
 *   filter), and the coupons still held by when they end (the "holds a coupon" filter).
 *
 * Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_order_totals')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('order_count', 'integer', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('last_purchase_at', 'bigint', (c) => c.notNull())
    .execute()

  // Each change recomputes the member's totals from her orders (a handful, by index):
  // simpler than increments, and right after any update, delete or move between members.
  const recompute = (ids: string) => `
    delete from member_order_totals where member_id in (${ids});
    insert into member_order_totals (member_id, order_count, total_fen, last_purchase_at)
      select member_id, count(*), coalesce(sum(total_fen), 0), max(purchased_at)
      from orders where member_id in (${ids}) group by member_id;`
  if (isSqlite(db)) {
    const events = {
      insert: { on: 'after insert', ids: 'new.member_id' },
      update: { on: 'after update of member_id, total_fen, purchased_at', ids: 'old.member_id, new.member_id' },
      delete: { on: 'after delete', ids: 'old.member_id' },
    }
    for (const [event, { on, ids }] of Object.entries(events)) {
      await sql.raw(`create trigger orders_totals_${event} ${on} on orders begin ${recompute(ids)} end`).execute(db)
    }
  } else {
    await sql
      .raw(
        `create function member_order_totals_from_order() returns trigger language plpgsql as $$
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
         end $$`,
      )
      .execute(db)
    await sql`create trigger orders_totals after insert or delete or update of member_id, total_fen, purchased_at on orders
      for each row execute function member_order_totals_from_order()`.execute(db)
  }
  await sql`insert into member_order_totals (member_id, order_count, total_fen, last_purchase_at)
    select member_id, count(*), coalesce(sum(total_fen), 0), max(purchased_at) from orders group by member_id`.execute(db)

  // Her list in its default order (newest added, ties by id), read straight off the index:
  // the first page of 10,000 without sorting them. The expression is the one the list orders by.
  await db.schema
    .createIndex('wecom_follows_user_list')
    .on('wecom_follows')
    .expression(sql`user_id, coalesce(added_at, 0), external_user_id`)
    .execute()

  // Sorting or filtering 10,000 of her customers by spend, last purchase or level reads
  // these per customer: covering indexes, one lookup each instead of two.
  await db.schema.createIndex('members_customer_level').on('members').columns(['external_user_id', 'id', 'level']).execute()
  await db.schema
    .createIndex('member_order_totals_keys')
    .on('member_order_totals')
    .columns(['member_id', 'total_fen', 'last_purchase_at'])
    .execute()

  // What one guide sent or noted, newest first, with whom: "last contact" reads only these.
  await db.schema
    .createIndex('reply_sends_user_at')
    .on('reply_sends')
    .columns(['user_id', 'sent_at', 'external_user_id'])
    .execute()
  await db.schema
    .createIndex('bundle_sends_guide_sent')
    .on('bundle_sends')
    .columns(['guide_id', 'sent_at', 'external_user_id'])
    .execute()
  await db.schema
    .createIndex('coupon_issuances_guide_sent')
    .on('coupon_issuances')
    .columns(['guide_id', 'sent_at', 'external_user_id'])
    .execute()
  await db.schema
    .createIndex('customer_notes_author_at')
    .on('customer_notes')
    .columns(['author_id', 'created_at', 'external_user_id'])
    .execute()
  // Coupons she holds (sent or claimed, not past their end).
  await db.schema
    .createIndex('coupon_issuances_held')
    .on('coupon_issuances')
    .columns(['status', 'valid_until', 'external_user_id'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'coupon_issuances_held',
    'customer_notes_author_at',
    'coupon_issuances_guide_sent',
    'bundle_sends_guide_sent',
    'reply_sends_user_at',
    'wecom_follows_user_list',
    'member_order_totals_keys',
    'members_customer_level',
  ])
    await db.schema.dropIndex(index).execute()
  if (isSqlite(db)) {
    for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger orders_totals_${event}`).execute(db)
  } else {
    await sql`drop trigger orders_totals on orders`.execute(db)
    await sql`drop function member_order_totals_from_order()`.execute(db)
  }
  await db.schema.dropTable('member_order_totals').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter
}
