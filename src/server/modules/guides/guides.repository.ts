import type { Db, DbKind, Trx } from '../../db'
import { inList } from '../../db/dialect'
import type { GuideRow } from '../../db/schema'

/**
 * Every read and write of the `guides` table. Takes the `Db` or a `Trx` (a transaction
 * on it): nothing here differs between SQLite and PostgreSQL, and a caller may read a
 * guide inside its own transaction.
 */
export class GuidesRepository {
  private readonly db: Trx

  constructor(database: Db | Trx) {
    this.db = 'kysely' in database ? database.kysely : database
  }

  find(userId: string): Promise<GuideRow | undefined> {
    return this.db.selectFrom('guides').selectAll().where('user_id', '=', userId).executeTakeFirst()
  }

  /** The guide's name and her store's name (null without a store), for text that speaks as her. */
  findWithStore(userId: string): Promise<{ name: string; store: string | null } | undefined> {
    return this.db
      .selectFrom('guides as g')
      .leftJoin('stores as s', 's.id', 'g.store_id')
      .select(['g.name', 's.name as store'])
      .where('g.user_id', '=', userId)
      .executeTakeFirst()
  }

  /** The store the guide works in, null when she has none (or is unknown). */
  async storeIdOf(userId: string): Promise<string | null> {
    const row = await this.db.selectFrom('guides').select('store_id').where('user_id', '=', userId).executeTakeFirst()
    return row?.store_id ?? null
  }

  /** The read behind `names`, its list sent as `inList` sends one (without repeats), to run inside another. */
  namesQuery(kind: DbKind, userIds: readonly string[]) {
    return this.db
      .selectFrom('guides')
      .select(['user_id', 'name'])
      .where(inList(kind, 'user_id', userIds))
  }

  /** Names by user id; ids no guide has are left out. */
  async names(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map()
    const rows = await this.db
      .selectFrom('guides')
      .select(['user_id', 'name'])
      .where('user_id', 'in', [...new Set(userIds)])
      .execute()
    return new Map(rows.map((r) => [r.user_id, r.name]))
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

  /** A manager's stores: her own and those `store_managers` gives her. */
  async managedStoreIds(userId: string): Promise<string[]> {
    const [own, extra] = await Promise.all([
      this.storeIdOf(userId),
      this.db.selectFrom('store_managers').select('store_id').where('user_id', '=', userId).execute(),
    ])
    return [...new Set([...(own ? [own] : []), ...extra.map((r) => r.store_id)])]
  }

  /** Everyone working in these stores (null: every store, and those in none), with the store's name. */
  team(storeIds: ReadonlySet<string> | null) {
    let query = this.db
      .selectFrom('guides as g')
      .leftJoin('stores as s', 's.id', 'g.store_id')
      .select(['g.user_id', 'g.name', 'g.avatar', 'g.role', 'g.store_id', 's.name as store_name'])
      .orderBy('g.store_id')
      .orderBy('g.name')
      .orderBy('g.user_id')
    if (storeIds) {
      if (storeIds.size === 0) return Promise.resolve([])
      query = query.where('g.store_id', 'in', [...storeIds])
    }
    return query.execute()
  }

  /** She left the company; the first departure's time is kept (nothing happens for an unknown id). */
  async markLeft(userId: string, at: number, by: 'wecom' | 'import' = 'wecom'): Promise<void> {
    await this.db
      .updateTable('guides')
      .set({ left_at: at, left_by: by })
      .where('user_id', '=', userId)
      .where('left_at', 'is', null)
      .execute()
  }

  async markCustomersSynced(userId: string, at: number): Promise<void> {
    await this.db.updateTable('guides').set({ customers_synced_at: at }).where('user_id', '=', userId).execute()
  }
}
