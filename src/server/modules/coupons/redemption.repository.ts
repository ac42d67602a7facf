/** The SQL of the till: store keys, and a coupon used once at a store. */
import type { Kysely } from 'kysely'
import type { Db, DbKind, Trx } from '../../db'
import { forUpdate } from '../../db/dialect'
import type { Database } from '../../db/schema'
import { toIssuanceRecord, type IssuanceRecord } from './coupons.mapper'

export class RedemptionRepository {
  private readonly db: Kysely<Database>
  private readonly kind: DbKind

  constructor(database: Db) {
    this.db = database.kysely
    this.kind = database.kind
  }

  transaction<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work)
  }

  /** The store a key (by its hash) opens, and whether it was revoked. */
  storeKey(keyHash: string): Promise<{ storeId: string; revokedAt: number | null } | undefined> {
    return this.db
      .selectFrom('store_api_keys')
      .select(['store_id as storeId', 'revoked_at as revokedAt'])
      .where('key_hash', '=', keyHash)
      .executeTakeFirst()
  }

  async insertStoreKey(key: { id: string; storeId: string; keyHash: string; label: string; createdAt: number }): Promise<void> {
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

  async storeExists(id: string): Promise<boolean> {
    const store = await this.db.selectFrom('stores').select('id').where('id', '=', id).executeTakeFirst()
    return store !== undefined
  }

  async storeName(trx: Trx, id: string): Promise<string | undefined> {
    const store = await trx.selectFrom('stores').select('name').where('id', '=', id).executeTakeFirst()
    return store?.name
  }

  /** The issuance behind a code, its row held until the transaction ends. */
  async lockByCode(trx: Trx, code: string): Promise<IssuanceRecord | undefined> {
    const row = await forUpdate(
      this.kind,
      trx.selectFrom('coupon_issuances').selectAll().where('code', '=', code),
    ).executeTakeFirst()
    return row && toIssuanceRecord(row)
  }

  /** Used at a store; false when it was no longer sent or claimed. */
  async markRedeemed(trx: Trx, id: string, use: { at: number; storeId: string; orderId: string | null }): Promise<boolean> {
    const done = await trx
      .updateTable('coupon_issuances')
      .set({ status: 'redeemed', redeemed_at: use.at, redeemed_store_id: use.storeId, order_id: use.orderId })
      .where('id', '=', id)
      .where('status', 'in', ['sent', 'claimed'])
      .executeTakeFirst()
    return Number(done.numUpdatedRows) === 1
  }
}
