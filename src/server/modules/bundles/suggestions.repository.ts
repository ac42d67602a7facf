/**
 * The SQL only suggestions need besides the catalogue: what a member bought, in the
 * catalogue's terms, for ranking what completes it and never suggesting it again.
 */
import type { Kysely } from 'kysely'
import type { Db } from '../../db'
import type { Database } from '../../db/schema'
import { categoryOf } from '../catalog/catalog.repository'
import type { Purchase } from './recommend'

export class SuggestionsRepository {
  private readonly db: Kysely<Database>

  constructor(database: Db) {
    this.db = database.kysely
  }

  /** Every order line of the member, returned ones too (marked), with the style's category when it is still known. */
  async purchases(memberId: string): Promise<Purchase[]> {
    const rows = await this.db
      .selectFrom('order_items as i')
      .innerJoin('orders as o', 'o.id', 'i.order_id')
      .leftJoin('products as p', 'p.id', 'i.product_id')
      .select(['i.product_id', 'i.name', 'p.category', 'o.purchased_at', 'i.returned'])
      .where('o.member_id', '=', memberId)
      .execute()
    return rows.map((p) => ({
      productId: p.product_id,
      name: p.name,
      category: p.category ? categoryOf(p.category) : null,
      at: Number(p.purchased_at),
      returned: Number(p.returned) === 1,
    }))
  }
}
