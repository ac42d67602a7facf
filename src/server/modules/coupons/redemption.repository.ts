/** The SQL of the till: a coupon used once at a store. */
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
