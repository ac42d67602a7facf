import type { Kysely } from 'kysely'

/**
 * Pictures from the retailer's files (`product_images` import): what each picture is
 * (main, detail, on_model), the address it was fetched from (so a picture is fetched
 * once) and the stored image it became (`media_assets`, which every instance reads).
 * Who marked a guide gone (`guides.left_by`: 'wecom' or 'import'), so a staff file that
 * still lists her as working cannot undo WeCom's word that she left. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('product_images')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('main'))
    .execute()
  await db.schema.alterTable('product_images').addColumn('source_url', 'text').execute()
  await db.schema.alterTable('product_images').addColumn('asset_id', 'text').execute()
  await db.schema.createIndex('product_images_source').on('product_images').column('source_url').execute()
  await db.schema.alterTable('guides').addColumn('left_by', 'text').execute()
  // Every departure recorded so far came from WeCom.
  await db.updateTable('guides').set({ left_by: 'wecom' }).where('left_at', 'is not', null).execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('guides').dropColumn('left_by').execute()
  await db.schema.dropIndex('product_images_source').execute()
  for (const column of ['asset_id', 'source_url', 'kind']) {
    await db.schema.alterTable('product_images').dropColumn(column).execute()
  }
}
