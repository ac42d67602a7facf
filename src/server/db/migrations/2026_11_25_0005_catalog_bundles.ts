import { SqliteAdapter, type Kysely } from 'kysely'

/**
 * The catalogue (styles gain season, tags, a description and pictures; colour × size SKUs;
 * stock per store and SKU) and outfit bundles: the bundles themselves, their sends with
 * what was sent and whether it was opened, and the rendered collages. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof SqliteAdapter ? 'blob' : 'bytea'

  await db.schema.alterTable('products').addColumn('season', 'text').execute()
  await db.schema
    .alterTable('products')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  await db.schema
    .alterTable('products')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('products_category').on('products').columns(['category', 'price_fen']).execute()

  await db.schema
    .createTable('product_skus')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('color_hex', 'text')
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('product_skus_product').on('product_skus').columns(['product_id', 'position']).execute()

  await db.schema
    .createTable('product_images')
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('color', 'text')
    .addPrimaryKeyConstraint('product_images_pk', ['product_id', 'position'])
    .execute()

  await db.schema
    .createTable('store_stock')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull().references('product_skus.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('store_stock_pk', ['store_id', 'sku_id'])
    .execute()
  await db.schema.createIndex('store_stock_sku').on('store_stock').column('sku_id').execute()

  await db.schema
    .createTable('bundles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    // JSON: [{productId, skuId}] in the guide's order.
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retired_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('bundles_scope').on('bundles').columns(['scope', 'owner_id']).execute()

  await db.schema
    .createTable('bundle_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bundle_id', 'text', (c) => c.notNull().references('bundles.id'))
    .addColumn('guide_id', 'text', (c) => c.notNull())
    .addColumn('external_user_id', 'text')
    .addColumn('chat_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    // JSON: the bundle as sent (title, note, items), so later edits do not change her page.
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('first_opened_at', 'bigint')
    .addColumn('last_opened_at', 'bigint')
    .addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('bundle_sends_bundle').on('bundle_sends').columns(['bundle_id', 'status']).execute()
  await db.schema.createIndex('bundle_sends_guide').on('bundle_sends').columns(['guide_id', 'created_at']).execute()

  await db.schema
    .createTable('bundle_collages')
    .addColumn('key', 'text', (c) => c.primaryKey())
    // JSON: what to draw (pictures and categories in order); the PNG once drawn.
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('png', binary)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['bundle_collages', 'bundle_sends', 'bundles', 'store_stock', 'product_images', 'product_skus']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.dropIndex('products_category').execute()
  for (const column of ['description', 'tags', 'season']) await db.schema.alterTable('products').dropColumn(column).execute()
}
