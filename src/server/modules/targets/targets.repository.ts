/** Monthly sales targets (sales_targets): a store's and each guide's, by month. */
import type { Db, Trx } from '../../db'
import { lockKey } from '../../db/dialect'

export type TargetScope = 'store' | 'guide'

export class TargetsRepository {
  constructor(private readonly db: Db) {}

  /** The month's targets of these stores or guides, by id; ids without one are left out. */
  async amounts(
    scope: TargetScope,
    ids: readonly string[],
    month: string,
    trx: Trx = this.db.kysely,
  ): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map()
    const rows = await trx
      .selectFrom('sales_targets')
      .select(['scope_id', 'amount_fen'])
      .where('scope', '=', scope)
      .where('month', '=', month)
      .where('scope_id', 'in', [...new Set(ids)])
      .execute()
    return new Map(rows.map((r) => [r.scope_id, Number(r.amount_fen)]))
  }

  /**
   * Hold the month's targets until the transaction ends: two managers saving at once
   * each audit what the other left, not what both read before.
   */
  lockMonth(trx: Trx, month: string): Promise<void> {
    return lockKey(this.db.kind, trx, `sales_targets:${month}`)
  }

  async set(
    trx: Trx,
    target: { scope: TargetScope; id: string; month: string; amountFen: number; by: string; at: number },
  ): Promise<void> {
    await trx
      .insertInto('sales_targets')
      .values({
        scope: target.scope,
        scope_id: target.id,
        month: target.month,
        amount_fen: target.amountFen,
        updated_by: target.by,
        updated_at: target.at,
      })
      .onConflict((oc) =>
        oc.columns(['scope', 'scope_id', 'month']).doUpdateSet({
          amount_fen: target.amountFen,
          updated_by: target.by,
          updated_at: target.at,
        }),
      )
      .execute()
  }

  async clear(trx: Trx, target: { scope: TargetScope; id: string; month: string }): Promise<void> {
    await trx
      .deleteFrom('sales_targets')
      .where('scope', '=', target.scope)
      .where('scope_id', '=', target.id)
      .where('month', '=', target.month)
      .execute()
  }
}
