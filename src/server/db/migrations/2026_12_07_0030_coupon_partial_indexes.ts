import { sql, type Kysely } from 'kysely'

/**
 * Two indexes of issuances keep only the rows their readers ask for. A reservation was
 * entered in both under its status, and the confirm moved it in both: in the held index
 * under its customer (a page written at random per send: in a flash sale one per send of
 * each batch's commit).
 * - Held coupons (sent or claimed), for the customer list's "holds a coupon" filter: the
 *   confirm adds a coupon once, a reservation never enters. The reader states the status
 *   in the same words (`couponHolders`): SQLite takes a partial index only for a condition
 *   it can match, which bound values are not.
 * - Reservations by when they lapse, for the sweep: a reservation's `reserved_until` is set
 *   while it is reserved and only then; the confirm takes it out. Every reader asks for
 *   `reserved_until < now`, which both databases take to imply it is set.
 * Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('coupon_issuances_held').execute()
  await db.schema
    .createIndex('coupon_issuances_held')
    .on('coupon_issuances')
    .columns(['valid_until', 'external_user_id'])
    .where(sql<boolean>`status in ('sent', 'claimed')`)
    .execute()
  await db.schema.dropIndex('coupon_issuances_reserved').execute()
  await db.schema
    .createIndex('coupon_issuances_reserved')
    .on('coupon_issuances')
    .column('reserved_until')
    .where(sql.ref('reserved_until'), 'is not', null)
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('coupon_issuances_reserved').execute()
  await db.schema.createIndex('coupon_issuances_reserved').on('coupon_issuances').columns(['status', 'reserved_until']).execute()
  await db.schema.dropIndex('coupon_issuances_held').execute()
  await db.schema
    .createIndex('coupon_issuances_held')
    .on('coupon_issuances')
    .columns(['status', 'valid_until', 'external_user_id'])
    .execute()
}
