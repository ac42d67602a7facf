import type { Kysely } from 'kysely'
import type { Database, GuideRow } from '../../db/schema'

export class GuidesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(userId: string): Promise<GuideRow | undefined> {
    return this.db.selectFrom('guides').selectAll().where('user_id', '=', userId).executeTakeFirst()
  }

  /** Insert the guide on first sign-in; later sign-ins only refresh what WeCom told us. */
  async upsert(input: { userId: string; name: string; avatar: string | null; now: number }): Promise<void> {
    await this.db
      .insertInto('guides')
      .values({
        user_id: input.userId,
        name: input.name,
        avatar: input.avatar,
        store_id: null,
        role: 'guide',
        customers_synced_at: null,
        created_at: input.now,
        updated_at: input.now,
      })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ name: input.name, avatar: input.avatar, updated_at: input.now }))
      .execute()
  }

  async markCustomersSynced(userId: string, at: number): Promise<void> {
    await this.db.updateTable('guides').set({ customers_synced_at: at }).where('user_id', '=', userId).execute()
  }
}
