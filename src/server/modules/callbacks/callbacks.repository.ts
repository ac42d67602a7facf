/** The log of WeCom's change events (processed once each), and who the nightly resync reads. */
import type { Db, Trx } from '../../db'
import type { CallbackEvent } from './callback-xml'

export class CallbacksRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  /**
   * Record the event; true only for the first delivery. WeCom's retries and a copy that
   * reached another instance find the key taken and are dropped.
   */
  async claim(event: CallbackEvent, now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('wecom_callback_events')
      .values({
        key: event.key,
        event: event.event || event.msgType,
        change_type: event.changeType || null,
        user_id: event.userId || null,
        target_id: event.externalUserId || event.chatId || event.tagId || null,
        created_at: event.createdAt,
        received_at: now,
        processed_at: null,
        outcome: null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
  }

  async finish(key: string, now: number, outcome: string | null): Promise<void> {
    await this.db
      .updateTable('wecom_callback_events')
      .set({ processed_at: now, outcome: outcome === null ? null : outcome.slice(0, 500) })
      .where('key', '=', key)
      .execute()
  }

  async find(key: string) {
    return this.db.selectFrom('wecom_callback_events').selectAll().where('key', '=', key).executeTakeFirst()
  }

  /** Guides still with the company (WeCom refuses to list a departed member's customers). */
  async guideIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('guides').select('user_id').where('left_at', 'is', null).orderBy('user_id').execute()
    return rows.map((r) => r.user_id)
  }
}
