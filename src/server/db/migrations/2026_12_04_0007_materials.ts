import type { Kysely } from 'kysely'

/**
 * What a style is made of (羊毛, 真丝, 棉…) and the materials a customer will not wear
 * (不穿的面料), so outfits suggested for her leave out what she avoids. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // JSON string[]; '[]' for styles the catalogue says nothing about.
  await db.schema
    .alterTable('products')
    .addColumn('materials', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  // JSON string[], null when the guide has recorded nothing (as colors_avoided).
  await db.schema.alterTable('customer_facts').addColumn('materials_avoided', 'text').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customer_facts').dropColumn('materials_avoided').execute()
  await db.schema.alterTable('products').dropColumn('materials').execute()
}
