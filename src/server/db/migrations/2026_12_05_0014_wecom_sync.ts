import type { Kysely } from 'kysely'

/**
 * Keeping in step with WeCom without polling:
 *
 * - `wecom_callback_events`: every change event WeCom delivered, once. WeCom retries an
 *   event it thinks went unanswered, and behind a load balancer two instances may each get
 *   a copy: the first insert of its key wins and only the winner processes it.
 * - `wecom_follow_ends`: a guide's follow of a customer that ended (she deleted the guide,
 *   the guide deleted her, WeCom no longer lists her, or she was handed over). Her notes,
 *   tasks and coupons stay, and the guide's sidebar can say what happened. `transferred_to`
 *   is set once her records moved to the guide who took her over.
 * - `wecom_follows.deleted_by_customer_at`: she deleted the guide. Unlike the other ends
 *   the follow stays, marked: she is still in the guide's list with her history (WeCom
 *   keeps her on the guide's side too, and she may add the guide again). Every other
 *   follow that ends leaves `wecom_follows`.
 *
 * Frozen in time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wecom_callback_events')
    .addColumn('key', 'text', (c) => c.primaryKey())
    // Event, ChangeType, UserID, ExternalUserID or ChatId as WeCom sent them.
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('change_type', 'text')
    .addColumn('user_id', 'text')
    .addColumn('target_id', 'text')
    // WeCom's CreateTime, in milliseconds.
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('processed_at', 'bigint')
    // What came of it, e.g. a transfer's FailReason or the error that stopped it.
    .addColumn('outcome', 'text')
    .execute()
  await db.schema.createIndex('wecom_callback_events_received').on('wecom_callback_events').column('received_at').execute()

  await db.schema
    .createTable('wecom_follow_ends')
    .addColumn('external_user_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    // 'customer_deleted' | 'guide_deleted' | 'transferred' | 'lost'
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('transferred_to', 'text')
    .addColumn('transferred_at', 'bigint')
    .addPrimaryKeyConstraint('wecom_follow_ends_pk', ['external_user_id', 'user_id'])
    .execute()
  await db.schema.createIndex('wecom_follow_ends_ended').on('wecom_follow_ends').column('ended_at').execute()

  await db.schema.alterTable('wecom_follows').addColumn('deleted_by_customer_at', 'bigint').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wecom_follows').dropColumn('deleted_by_customer_at').execute()
  await db.schema.dropTable('wecom_follow_ends').execute()
  await db.schema.dropTable('wecom_callback_events').execute()
}
