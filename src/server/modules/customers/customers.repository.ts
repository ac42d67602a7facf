import type { Kysely } from 'kysely'
import type { CustomerTag } from '../../../shared/customer'
import type { Database, MemberRow, WecomCustomerRow, WecomFollowRow } from '../../db/schema'
import { containsIgnoreCase } from '../../db/sql'

/** A customer's WeCom data as we cache it, already mapped from WeCom's field names. */
export interface CachedContact {
  externalUserId: string
  name: string
  avatar: string | null
  type: number
  gender: number
  corpName: string | null
  unionid: string | null
  follows: {
    userId: string
    remark: string
    description: string
    tags: CustomerTag[]
    addedAt: number | null
    addWay: number
    state: string | null
    remarkMobiles: string[]
  }[]
}

export interface OrderWithItems {
  id: string
  purchasedAt: number
  storeName: string | null
  totalFen: number
  items: {
    productId: string | null
    name: string
    imageUrl: string | null
    color: string | null
    size: string | null
    quantity: number
    priceFen: number
    returned: boolean
  }[]
}

export interface ListCursor {
  addedAt: number
  externalUserId: string
}

export class CustomersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findCustomer(externalUserId: string): Promise<WecomCustomerRow | undefined> {
    return this.db.selectFrom('wecom_customers').selectAll().where('external_user_id', '=', externalUserId).executeTakeFirst()
  }

  async findFollow(externalUserId: string, userId: string): Promise<WecomFollowRow | undefined> {
    return this.db
      .selectFrom('wecom_follows')
      .selectAll()
      .where('external_user_id', '=', externalUserId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
  }

  /** Replace everything we know from WeCom about one customer, atomically. */
  async saveContact(contact: CachedContact, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const values = {
        name: contact.name,
        avatar: contact.avatar,
        type: contact.type,
        gender: contact.gender,
        corp_name: contact.corpName,
        unionid: contact.unionid,
        fetched_at: now,
        updated_at: now,
      }
      await trx
        .insertInto('wecom_customers')
        .values({ external_user_id: contact.externalUserId, ...values })
        .onConflict((oc) => oc.column('external_user_id').doUpdateSet(values))
        .execute()
      await trx.deleteFrom('wecom_follows').where('external_user_id', '=', contact.externalUserId).execute()
      if (contact.follows.length > 0) {
        await trx
          .insertInto('wecom_follows')
          .values(
            contact.follows.map((f) => ({
              external_user_id: contact.externalUserId,
              user_id: f.userId,
              remark: f.remark,
              description: f.description,
              tags: JSON.stringify(f.tags),
              added_at: f.addedAt,
              add_way: f.addWay,
              state: f.state,
              remark_mobiles: JSON.stringify(f.remarkMobiles),
              updated_at: now,
            })),
          )
          .execute()
      }
    })
  }

  /** WeCom says the customer is gone (deleted, or never ours): forget the cached copy. */
  async forgetContact(externalUserId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('wecom_follows').where('external_user_id', '=', externalUserId).execute()
      await trx.deleteFrom('wecom_customers').where('external_user_id', '=', externalUserId).execute()
    })
  }

  /**
   * Save one page of a guide's customers from `batch/get_by_user` (each contact carries
   * exactly this guide's follow entry). That API gives tag ids without names, so existing
   * tags are kept and a new customer is left unfetched (`fetched_at` 0): her profile reads
   * the full record the first time it opens.
   */
  async saveGuidePage(userId: string, contacts: CachedContact[], now: number): Promise<void> {
    if (contacts.length === 0) return
    await this.db.transaction().execute(async (trx) => {
      for (const c of contacts) {
        const customer = { name: c.name, avatar: c.avatar, type: c.type, gender: c.gender, corp_name: c.corpName, unionid: c.unionid, updated_at: now }
        await trx
          .insertInto('wecom_customers')
          .values({ external_user_id: c.externalUserId, ...customer, fetched_at: 0 })
          .onConflict((oc) => oc.column('external_user_id').doUpdateSet(customer))
          .execute()
        const f = c.follows.find((entry) => entry.userId === userId)
        if (!f) continue
        const follow = {
          remark: f.remark,
          description: f.description,
          added_at: f.addedAt,
          add_way: f.addWay,
          state: f.state,
          remark_mobiles: JSON.stringify(f.remarkMobiles),
          updated_at: now,
        }
        await trx
          .insertInto('wecom_follows')
          .values({ external_user_id: c.externalUserId, user_id: userId, tags: '[]', ...follow })
          .onConflict((oc) => oc.columns(['external_user_id', 'user_id']).doUpdateSet(follow))
          .execute()
      }
    })
  }

  async followedIds(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('wecom_follows').select('external_user_id').where('user_id', '=', userId).execute()
    return rows.map((r) => r.external_user_id)
  }

  async removeFollows(userId: string, externalUserIds: string[]): Promise<void> {
    for (let i = 0; i < externalUserIds.length; i += 500) {
      await this.db
        .deleteFrom('wecom_follows')
        .where('user_id', '=', userId)
        .where('external_user_id', 'in', externalUserIds.slice(i, i + 500))
        .execute()
    }
  }

  async listForGuide(userId: string, options: { q?: string; after?: ListCursor; limit: number }) {
    let query = this.db
      .selectFrom('wecom_follows as f')
      .innerJoin('wecom_customers as c', 'c.external_user_id', 'f.external_user_id')
      .leftJoin('members as m', 'm.external_user_id', 'f.external_user_id')
      .select((eb) => [
        'f.external_user_id as externalUserId',
        'c.name as name',
        'f.remark as remark',
        'c.avatar as avatar',
        'f.added_at as addedAt',
        'm.level as memberLevel',
        eb
          .selectFrom('orders as o')
          .select((o) => o.fn.max('o.purchased_at').as('last'))
          .whereRef('o.member_id', '=', 'm.id')
          .as('lastPurchaseAt'),
      ])
      .where('f.user_id', '=', userId)
    const q = options.q?.trim()
    if (q) {
      query = query.where((eb) => eb.or([containsIgnoreCase(eb.ref('f.remark'), q), containsIgnoreCase(eb.ref('c.name'), q)]))
    }
    const after = options.after
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn.coalesce('f.added_at', eb.lit(0)), '<', after.addedAt),
          eb.and([eb(eb.fn.coalesce('f.added_at', eb.lit(0)), '=', after.addedAt), eb('f.external_user_id', '<', after.externalUserId)]),
        ]),
      )
    }
    return query
      .orderBy((eb) => eb.fn.coalesce('f.added_at', eb.lit(0)), 'desc')
      .orderBy('f.external_user_id', 'desc')
      .limit(options.limit)
      .execute()
  }

  findMember(externalUserId: string): Promise<(MemberRow & { store_name: string | null }) | undefined> {
    return this.db
      .selectFrom('members as m')
      .leftJoin('stores as s', 's.id', 'm.store_id')
      .selectAll('m')
      .select('s.name as store_name')
      .where('m.external_user_id', '=', externalUserId)
      .executeTakeFirst()
  }

  async memberStats(memberId: string): Promise<{ orderCount: number; totalSpentFen: number; lastPurchaseAt: number | null }> {
    const row = await this.db
      .selectFrom('orders')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('count'),
        eb.fn.sum<number | string | null>('total_fen').as('total'),
        eb.fn.max('purchased_at').as('last'),
      ])
      .where('member_id', '=', memberId)
      .executeTakeFirstOrThrow()
    // PostgreSQL returns count and sum as strings (bigint/numeric).
    return {
      orderCount: Number(row.count),
      totalSpentFen: Number(row.total ?? 0),
      lastPurchaseAt: row.last === null ? null : Number(row.last),
    }
  }

  async recentOrders(memberId: string, limit: number): Promise<OrderWithItems[]> {
    const orders = await this.db
      .selectFrom('orders as o')
      .leftJoin('stores as s', 's.id', 'o.store_id')
      .select(['o.id', 'o.purchased_at', 'o.total_fen', 's.name as store_name'])
      .where('o.member_id', '=', memberId)
      .orderBy('o.purchased_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(limit)
      .execute()
    if (orders.length === 0) return []
    const items = await this.db
      .selectFrom('order_items as i')
      .leftJoin('products as p', 'p.id', 'i.product_id')
      .select(['i.order_id', 'i.line_no', 'i.product_id', 'i.name', 'i.color', 'i.size', 'i.quantity', 'i.price_fen', 'i.returned', 'p.image_url'])
      .where(
        'i.order_id',
        'in',
        orders.map((o) => o.id),
      )
      .orderBy('i.order_id')
      .orderBy('i.line_no')
      .execute()
    return orders.map((o) => ({
      id: o.id,
      purchasedAt: o.purchased_at,
      storeName: o.store_name,
      totalFen: o.total_fen,
      items: items
        .filter((i) => i.order_id === o.id)
        .map((i) => ({
          productId: i.product_id,
          name: i.name,
          imageUrl: i.image_url,
          color: i.color,
          size: i.size,
          quantity: i.quantity,
          priceFen: i.price_fen,
          returned: i.returned === 1,
        })),
    }))
  }
}
