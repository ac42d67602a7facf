import type { Db, Trx } from '../../db'
import type { Database } from '../../db/schema'
import type { Kysely } from 'kysely'

export interface IntegrationKeyRow {
  id: string
  name: string
  scopes: string[]
  createdBy: string
  createdAt: number
  revokedAt: number | null
}

/** An order as stored: its header and lines, to tell a repeat from a change. */
export interface StoredOrder {
  memberId: string
  storeId: string | null
  purchasedAt: number
  guideUserId: string | null
  lines: Map<
    number,
    {
      productId: string | null
      name: string
      color: string | null
      size: string | null
      quantity: number
      priceFen: number
      returned: boolean
    }
  >
}

/** The integration keys, and the reads the live feed needs beyond the importer's. */
export class IntegrationRepository {
  private readonly db: Kysely<Database>

  constructor(database: Db | Trx) {
    this.db = 'kysely' in database ? database.kysely : database
  }

  /** Every key, newest first, with the name of whoever made it (null when she is not in our staff list). */
  async keys(): Promise<(IntegrationKeyRow & { createdByName: string | null })[]> {
    const rows = await this.db
      .selectFrom('integration_keys as k')
      .leftJoin('guides as g', 'g.user_id', 'k.created_by')
      .select(['k.id', 'k.name', 'k.scopes', 'k.created_by', 'k.created_at', 'k.revoked_at', 'g.name as created_by_name'])
      .orderBy('k.created_at', 'desc')
      .orderBy('k.id', 'desc')
      .execute()
    return rows.map((r) => ({ ...toKey(r), createdByName: r.created_by_name }))
  }

  async key(id: string): Promise<IntegrationKeyRow | undefined> {
    const row = await this.db
      .selectFrom('integration_keys')
      .select(['id', 'name', 'scopes', 'created_by', 'created_at', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toKey(row)
  }

  async keyByHash(keyHash: string): Promise<IntegrationKeyRow | undefined> {
    const row = await this.db
      .selectFrom('integration_keys')
      .select(['id', 'name', 'scopes', 'created_by', 'created_at', 'revoked_at'])
      .where('key_hash', '=', keyHash)
      .executeTakeFirst()
    return row && toKey(row)
  }

  async insertKey(key: IntegrationKeyRow & { keyHash: string }): Promise<void> {
    await this.db
      .insertInto('integration_keys')
      .values({
        id: key.id,
        name: key.name,
        scopes: key.scopes.join(','),
        key_hash: key.keyHash,
        created_by: key.createdBy,
        created_at: key.createdAt,
        revoked_at: null,
      })
      .execute()
  }

  /** Revoke a key still live; false when it already was. */
  async revokeKey(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('integration_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async order(orderId: string): Promise<StoredOrder | null> {
    const header = await this.db
      .selectFrom('orders')
      .select(['member_id', 'store_id', 'purchased_at', 'guide_user_id'])
      .where('id', '=', orderId)
      .executeTakeFirst()
    if (!header) return null
    const lines = await this.db
      .selectFrom('order_items')
      .select(['line_no', 'product_id', 'name', 'color', 'size', 'quantity', 'price_fen', 'returned'])
      .where('order_id', '=', orderId)
      .execute()
    return {
      memberId: header.member_id,
      storeId: header.store_id,
      purchasedAt: Number(header.purchased_at),
      guideUserId: header.guide_user_id,
      lines: new Map(
        lines.map((l) => [
          Number(l.line_no),
          {
            productId: l.product_id,
            name: l.name,
            color: l.color,
            size: l.size,
            quantity: Number(l.quantity),
            priceFen: Number(l.price_fen),
            returned: Number(l.returned) === 1,
          },
        ]),
      ),
    }
  }

  /**
   * The guides whose tasks these members' data feeds: those following the WeCom customer a
   * member is bound to (the task generator keeps to each customer's primary guide).
   */
  async guidesOfMembers(memberIds: readonly string[]): Promise<string[]> {
    if (memberIds.length === 0) return []
    const rows = await this.db
      .selectFrom('members as m')
      .innerJoin('wecom_follows as f', 'f.external_user_id', 'm.external_user_id')
      .select('f.user_id')
      .distinct()
      .where('m.id', 'in', [...new Set(memberIds)])
      .execute()
    return rows.map((r) => r.user_id).sort()
  }
}

function toKey(r: {
  id: string
  name: string
  scopes: string
  created_by: string
  created_at: number
  revoked_at: number | null
}): IntegrationKeyRow {
  return {
    id: r.id,
    name: r.name,
    scopes: r.scopes.split(',').filter(Boolean),
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  }
}
