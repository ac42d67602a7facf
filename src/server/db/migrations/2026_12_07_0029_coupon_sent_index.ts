import { sql, type Kysely } from 'kysely'

/**
 * What a guide sent, by when (last contact, tasks done by a send) holds only issuances that
 * were sent. A reservation has no sent time yet, and its entry went into the guide's part
 * of the index in customer order: a page written at random per send, then moved again by
 * the confirm. Every reader asks for a sent time (`sent_at >= ?`), which both databases
 * take to imply it is there. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('coupon_issuances_guide_sent').execute()
  await db.schema
    .createIndex('coupon_issuances_guide_sent')
    .on('coupon_issuances')
    .columns(['guide_id', 'sent_at', 'external_user_id'])
    .where(sql.ref('sent_at'), 'is not', null)
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('coupon_issuances_guide_sent').execute()
  await db.schema
    .createIndex('coupon_issuances_guide_sent')
    .on('coupon_issuances')
    .columns(['guide_id', 'sent_at', 'external_user_id'])
    .execute()
}
