/** Our copy of the company's WeCom tag list, and when it was last read. */
import type { Db, Trx } from '../../db'
import type { WecomCorpTagsTable } from '../../db/schema'

const SYNC_KEY = 'corp_tags_synced_at'

export type CorpTagRow = WecomCorpTagsTable

export class CorpTagsRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  async syncedAt(): Promise<number | null> {
    const row = await this.db.selectFrom('sync_state').select('value').where('key', '=', SYNC_KEY).executeTakeFirst()
    return row ? Number(row.value) : null
  }

  /** Replace the whole list at once, and note when it was read. */
  async replaceAll(rows: CorpTagRow[], now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('wecom_corp_tags').execute()
      if (rows.length) await trx.insertInto('wecom_corp_tags').values(rows).execute()
      await trx
        .insertInto('sync_state')
        .values({ key: SYNC_KEY, value: String(now), updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(now), updated_at: now }))
        .execute()
    })
  }

  /** Every tag, groups and tags in WeCom's order. */
  all(): Promise<CorpTagRow[]> {
    return (
      this.db
        .selectFrom('wecom_corp_tags')
        .selectAll()
        // WeCom: a larger order comes first.
        .orderBy('group_order', 'desc')
        .orderBy('group_id')
        .orderBy('tag_order', 'desc')
        .orderBy('tag_id')
        .execute()
    )
  }

  async byIds(ids: readonly string[]): Promise<CorpTagRow[]> {
    if (ids.length === 0) return []
    return this.db
      .selectFrom('wecom_corp_tags')
      .selectAll()
      .where('tag_id', 'in', [...ids])
      .execute()
  }
}
