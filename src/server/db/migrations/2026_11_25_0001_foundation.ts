import { sql, type Kysely } from 'kysely'

// Frozen in time: later changes get a new migration, never an edit here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull().defaultTo(''))
    .execute()

  await db.schema
    .createTable('guides')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('avatar', 'text')
    .addColumn('store_id', 'text', (c) => c.references('stores.id'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('guide'))
    .addColumn('customers_synced_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('wecom_customers')
    .addColumn('external_user_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('avatar', 'text')
    .addColumn('type', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('gender', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('corp_name', 'text')
    .addColumn('unionid', 'text')
    .addColumn('fetched_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('wecom_follows')
    .addColumn('external_user_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('remark', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('added_at', 'bigint')
    .addColumn('add_way', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text')
    .addColumn('remark_mobiles', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('wecom_follows_pk', ['external_user_id', 'user_id'])
    .execute()
  await db.schema.createIndex('wecom_follows_user_added').on('wecom_follows').columns(['user_id', 'added_at']).execute()

  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_user_id', 'text', (c) => c.unique())
    .addColumn('phone', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('store_id', 'text', (c) => c.references('stores.id'))
    .addColumn('size_top', 'text')
    .addColumn('size_bottom', 'text')
    .addColumn('size_dress', 'text')
    .addColumn('size_shoes', 'text')
    .addColumn('style_preferences', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('birthday', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('members_phone').on('members').column('phone').execute()

  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('style_code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('image_url', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('store_id', 'text', (c) => c.references('stores.id'))
    .addColumn('purchased_at', 'bigint', (c) => c.notNull())
    .addColumn('total_fen', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  // Newest first, in the exact order the profile reads them: no sort step.
  await db.schema
    .createIndex('orders_member_recent')
    .on('orders')
    .expression(sql`member_id, purchased_at desc, id desc`)
    .execute()

  await db.schema
    .createTable('order_items')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.references('products.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text')
    .addColumn('size', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('returned', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('order_items_pk', ['order_id', 'line_no'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['order_items', 'orders', 'products', 'members', 'wecom_follows', 'wecom_customers', 'guides', 'stores']) {
    await db.schema.dropTable(table).execute()
  }
}
