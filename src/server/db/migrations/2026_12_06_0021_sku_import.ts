import type { Kysely } from 'kysely'

/**
 * SKUs from the retailer's files: a barcode (unique when given), a price that overrides
 * the style's, and whether the SKU is still sold. A SKU is its style's colour × size, so
 * that triple is unique. `catalog_changes` counts writes to the catalogue (scope '*') and
 * to one store's stock (scope 'stock:<store>'), so a reader caching either (the
 * suggestions' candidates) can tell it is stale on any instance. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('product_skus').addColumn('barcode', 'text').execute()
  await db.schema.alterTable('product_skus').addColumn('price_fen', 'integer').execute()
  await db.schema
    .alterTable('product_skus')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('product_skus_barcode').unique().on('product_skus').column('barcode').execute()
  await db.schema
    .createIndex('product_skus_variant')
    .unique()
    .on('product_skus')
    .columns(['product_id', 'color', 'size'])
    .execute()
  await db.schema
    .createTable('catalog_changes')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('catalog_changes').execute()
  await db.schema.dropIndex('product_skus_variant').execute()
  await db.schema.dropIndex('product_skus_barcode').execute()
  for (const column of ['active', 'price_fen', 'barcode']) {
    await db.schema.alterTable('product_skus').dropColumn(column).execute()
  }
}
