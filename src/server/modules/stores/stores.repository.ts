import type { Db, Trx } from '../../db'

export interface StoreSummary {
  id: string
  name: string
}

/**
 * Every read of the `stores` table (the CRM import writes it) and its tills' keys. Takes the `Db` or a `Trx`
 * (a transaction on it): nothing here differs between SQLite and PostgreSQL, and a caller
 * may read inside its own transaction.
 */
export class StoresRepository {
  private readonly db: Trx

  constructor(database: Db | Trx) {
    this.db = 'kysely' in database ? database.kysely : database
  }

  /** Every store, in id order: what a guide picks from. */
  list(): Promise<{ id: string; name: string; city: string }[]> {
    return this.db.selectFrom('stores').select(['id', 'name', 'city']).orderBy('id').execute()
  }

  find(id: string): Promise<StoreSummary | undefined> {
    return this.db.selectFrom('stores').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
  }

  /** The stores with these ids, in no particular order; unknown ids are left out. */
  async findMany(ids: readonly string[]): Promise<StoreSummary[]> {
    if (ids.length === 0) return []
    return this.db
      .selectFrom('stores')
      .select(['id', 'name'])
      .where('id', 'in', [...new Set(ids)])
      .execute()
  }

  /** The store a key (by its hash) opens, and whether it was revoked. */
  keyByHash(keyHash: string): Promise<{ storeId: string; revokedAt: number | null } | undefined> {
    return this.db
      .selectFrom('store_api_keys')
      .select(['store_id as storeId', 'revoked_at as revokedAt'])
      .where('key_hash', '=', keyHash)
      .executeTakeFirst()
  }

  async insertKey(key: { id: string; storeId: string; keyHash: string; label: string; createdAt: number }): Promise<void> {
    await this.db
      .insertInto('store_api_keys')
      .values({
        id: key.id,
        store_id: key.storeId,
        key_hash: key.keyHash,
        label: key.label,
        created_at: key.createdAt,
        revoked_at: null,
      })
      .execute()
  }
}
