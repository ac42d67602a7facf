import type { Kysely } from 'kysely'

/**
 * A coupon's issuances by when they were issued, in place of (template, guide, issued at).
 * The guide's weekly count is a counter row now (migration 0025), and what still reads by
 * coupon (its counts, whether any went out, a campaign's) needs the coupon alone. In a
 * flash sale every send of the hot coupon then lands at the end of one index range
 * instead of in each guide's own part of it: fewer pages written per commit. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('coupon_issuances_template').on('coupon_issuances').columns(['template_id', 'issued_at']).execute()
  await db.schema.dropIndex('coupon_issuances_guide').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('coupon_issuances_guide')
    .on('coupon_issuances')
    .columns(['template_id', 'guide_id', 'issued_at'])
    .execute()
  await db.schema.dropIndex('coupon_issuances_template').execute()
}
