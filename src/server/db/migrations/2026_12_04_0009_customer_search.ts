import type { Kysely } from 'kysely'

/**
 * What the guide's customer search matches, worked out when a customer is written rather
 * than at each query: `search_text` holds her name and the guide's remark for her, as
 * typed and in pinyin (full and initials), and `search_phones` the last four digits of her
 * phone numbers. Null until filled: rows from before are filled once after start.
 * Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wecom_follows').addColumn('search_text', 'text').execute()
  await db.schema.alterTable('wecom_follows').addColumn('search_phones', 'text').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wecom_follows').dropColumn('search_phones').execute()
  await db.schema.alterTable('wecom_follows').dropColumn('search_text').execute()
}
