import { sql, type Kysely } from 'kysely'

/**
 * Coupons: templates with a stock counter taken and given back by conditional updates,
 * issuances (one per send, idempotent per guide and key), and the API keys of store
 * tills that redeem them. Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('coupon_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('total_stock', 'integer', (c) => c.notNull())
    .addColumn('stock_left', 'integer', (c) => c.notNull())
    .addColumn('per_customer_limit', 'integer', (c) => c.notNull())
    .addColumn('guide_weekly_quota', 'integer', (c) => c.notNull())
    .addColumn('valid_days', 'integer')
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('eligible_levels', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('eligible_tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('store_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('online', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('coupon_templates_stock', sql`stock_left >= 0 and stock_left <= total_stock`)
    .execute()

  await db.schema
    .createTable('coupon_issuances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template_id', 'text', (c) => c.notNull().references('coupon_templates.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('guide_id', 'text', (c) => c.notNull())
    .addColumn('external_user_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reserved_until', 'bigint')
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('claimed_at', 'bigint')
    .addColumn('redeemed_at', 'bigint')
    .addColumn('redeemed_store_id', 'text')
    .addColumn('released_at', 'bigint')
    // 'cancel' (the guide's) is final; 'timeout' (the sweep's) is undone by a late confirm
    // or by her opening the link, while stock lasts.
    .addColumn('release_reason', 'text')
    .addColumn('valid_from', 'bigint')
    .addColumn('valid_until', 'bigint')
    .addColumn('order_id', 'text')
    .execute()
  await db.schema
    .createIndex('coupon_issuances_key')
    .on('coupon_issuances')
    .columns(['guide_id', 'idempotency_key'])
    .unique()
    .execute()
  await db.schema
    .createIndex('coupon_issuances_customer')
    .on('coupon_issuances')
    .columns(['external_user_id', 'template_id'])
    .execute()
  await db.schema
    .createIndex('coupon_issuances_guide')
    .on('coupon_issuances')
    .columns(['template_id', 'guide_id', 'issued_at'])
    .execute()
  await db.schema.createIndex('coupon_issuances_reserved').on('coupon_issuances').columns(['status', 'reserved_until']).execute()

  await db.schema
    .createTable('store_api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['store_api_keys', 'coupon_issuances', 'coupon_templates']) await db.schema.dropTable(table).execute()
}
