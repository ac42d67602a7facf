import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import type { CustomerTag } from '../../../shared/customer'
import type { Db } from '../../db'
import type { Database, WecomCustomersTable, WecomFollowsTable } from '../../db/schema'
import { prepareQuery } from '../../db/prepared'
import { bumped, containsIgnoreCase, containsPattern, parseJsonArray } from '../../db/sql'
import { PHONE_TAIL_PATTERN, searchPhones, searchQuery, searchText } from './search-key'

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
  private readonly profileRow
  private readonly profileVersion
  private readonly latestOrders

  private readonly db: Kysely<Database>

  constructor(database: Db) {
    this.db = database.kysely
    this.profileRow = prepareProfileRow(database)
    this.profileVersion = prepareProfileVersion(database)
    this.latestOrders = prepareLatestOrders(database)
  }

  /**
   * What decides whether a profile changed, in one cheap read; null when the customer is
   * not cached, not fully fetched, or not followed by this guide (the full path decides).
   */
  async profileToken(externalUserId: string, userId: string): Promise<{ token: string; fetchedAt: number } | null> {
    const [row] = await this.profileVersion({ externalUserId, userId })
    if (!row || row.fetched_at === 0 || row.follow_updated_at === null) return null
    return {
      token: [
        row.fetched_at,
        row.customer_updated_at,
        row.follow_updated_at,
        row.member_id ?? '',
        row.member_updated_at ?? '',
        row.facts_updated_at ?? '',
      ].join(':'),
      fetchedAt: Number(row.fetched_at),
    }
  }

  /**
   * Everything the profile needs except orders, in one read: the cached WeCom contact,
   * this guide's follow entry (null when she does not follow), the member record and
   * its store. Null when the customer is not cached at all.
   */
  async findProfileRow(externalUserId: string, userId: string) {
    const [row] = await this.profileRow({ externalUserId, userId })
    return row ?? null
  }

  /** The tags this guide keeps for the customer in our database. */
  async personalTags(externalUserId: string, userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('personal_tags')
      .select('name')
      .where('external_user_id', '=', externalUserId)
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('name')
      .execute()
    return rows.map((r) => r.name)
  }

  /** Recent fact changes, newest first, with who made them. */
  async factChanges(externalUserId: string, limit = 100) {
    return this.db
      .selectFrom('customer_events as e')
      .leftJoin('guides as g', 'g.user_id', 'e.actor_id')
      .select(['e.payload', 'e.occurred_at', 'e.actor_id', 'g.name as actor_name'])
      .where('e.external_user_id', '=', externalUserId)
      .where('e.kind', '=', 'fact_changed')
      .orderBy('e.occurred_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute()
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
      }
      await trx
        .insertInto('wecom_customers')
        .values({ external_user_id: contact.externalUserId, ...values, updated_at: now })
        .onConflict((oc) =>
          oc.column('external_user_id').doUpdateSet({ ...values, updated_at: bumped('wecom_customers.updated_at', now) }),
        )
        .execute()
      const previous = new Map(
        (
          await trx
            .selectFrom('wecom_follows')
            .select(['user_id', 'updated_at'])
            .where('external_user_id', '=', contact.externalUserId)
            .execute()
        ).map((r) => [r.user_id, Number(r.updated_at)]),
      )
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
              updated_at: Math.max(now, (previous.get(f.userId) ?? 0) + 1),
            })),
          )
          .execute()
      }
      await refreshSearchKeys(trx, [contact.externalUserId])
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
        const customer = {
          name: c.name,
          avatar: c.avatar,
          type: c.type,
          gender: c.gender,
          corp_name: c.corpName,
          unionid: c.unionid,
        }
        await trx
          .insertInto('wecom_customers')
          .values({ external_user_id: c.externalUserId, ...customer, fetched_at: 0, updated_at: now })
          .onConflict((oc) =>
            oc.column('external_user_id').doUpdateSet({ ...customer, updated_at: bumped('wecom_customers.updated_at', now) }),
          )
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
        }
        await trx
          .insertInto('wecom_follows')
          .values({ external_user_id: c.externalUserId, user_id: userId, tags: '[]', ...follow, updated_at: now })
          .onConflict((oc) =>
            oc
              .columns(['external_user_id', 'user_id'])
              .doUpdateSet({ ...follow, updated_at: bumped('wecom_follows.updated_at', now) }),
          )
          .execute()
      }
      await refreshSearchKeys(
        trx,
        contacts.map((c) => c.externalUserId),
      )
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

  async countForGuide(userId: string, q: string | undefined): Promise<number> {
    const query = this.db
      .selectFrom('wecom_follows as f')
      .innerJoin('wecom_customers as c', 'c.external_user_id', 'f.external_user_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('f.user_id', '=', userId)
    const search = searchQuery(q ?? '')
    const row = await (search ? query.where(matchesSearch(q!, search)) : query).executeTakeFirstOrThrow()
    return Number(row.n)
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
    const search = searchQuery(options.q ?? '')
    if (search) query = query.where(matchesSearch(options.q!, search))
    const after = options.after
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn.coalesce('f.added_at', eb.lit(0)), '<', after.addedAt),
          eb.and([
            eb(eb.fn.coalesce('f.added_at', eb.lit(0)), '=', after.addedAt),
            eb('f.external_user_id', '<', after.externalUserId),
          ]),
        ]),
      )
    }
    return query
      .orderBy((eb) => eb.fn.coalesce('f.added_at', eb.lit(0)), 'desc')
      .orderBy('f.external_user_id', 'desc')
      .limit(options.limit)
      .execute()
  }

  /** A member's latest orders with their items, newest first, in one read. */
  async recentOrders(memberId: string, limit: number): Promise<OrderWithItems[]> {
    const rows = await this.latestOrders({ memberId, limit })
    const orders: OrderWithItems[] = []
    for (const row of rows) {
      let order = orders.at(-1)
      if (!order || order.id !== row.id) {
        order = {
          id: row.id,
          purchasedAt: Number(row.purchased_at),
          storeName: row.store_name,
          totalFen: row.total_fen,
          items: [],
        }
        orders.push(order)
      }
      if (row.line_no === null || row.name === null) continue
      order.items.push({
        productId: row.product_id,
        name: row.name,
        imageUrl: row.image_url,
        color: row.color,
        size: row.size,
        quantity: row.quantity ?? 1,
        priceFen: row.price_fen ?? 0,
        returned: row.returned === 1,
      })
    }
    return orders
  }
}

type ListBuilder = ExpressionBuilder<Database & { f: WecomFollowsTable; c: WecomCustomersTable }, 'f' | 'c'>

/**
 * Her name or the guide's remark, as typed or in pinyin, or the last four digits of a
 * phone of hers: one LIKE over this guide's own rows (search-key.ts says what is kept).
 * A row whose key is not filled yet is still found by its name or remark as typed.
 */
function matchesSearch(raw: string, search: NonNullable<ReturnType<typeof searchQuery>>) {
  return (eb: ListBuilder) => {
    const term = raw.trim()
    const conditions = [
      sql<boolean>`${eb.ref('f.search_text')} like ${containsPattern(search.text)} escape '!'`,
      eb.and([
        eb('f.search_text', 'is', null),
        eb.or([containsIgnoreCase(eb.ref('f.remark'), term), containsIgnoreCase(eb.ref('c.name'), term)]),
      ]),
    ]
    if (search.phoneTail) conditions.push(eb('f.search_phones', 'like', PHONE_TAIL_PATTERN(search.phoneTail)))
    return eb.or(conditions)
  }
}

/**
 * Work out again what the search matches for these customers, for every guide who follows
 * them: after her name, a remark, a phone or her member record changed. Only rows whose
 * key differs are written.
 */
export async function refreshSearchKeys(db: Kysely<Database>, externalUserIds: readonly string[]): Promise<void> {
  const ids = [...new Set(externalUserIds)]
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('wecom_follows as f')
      .leftJoin('wecom_customers as c', 'c.external_user_id', 'f.external_user_id')
      .leftJoin('customer_facts as cf', 'cf.external_user_id', 'f.external_user_id')
      .leftJoin('members as m', 'm.external_user_id', 'f.external_user_id')
      .select([
        'f.external_user_id',
        'f.user_id',
        'f.remark',
        'f.remark_mobiles',
        'f.search_text',
        'f.search_phones',
        'c.name',
        'cf.phone as own_phone',
        'm.phone as member_phone',
      ])
      .where('f.external_user_id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const row of rows) {
      const text = searchText(row.name ?? '', row.remark)
      const phones = searchPhones([row.own_phone, row.member_phone, ...parseJsonArray<string>(row.remark_mobiles)])
      if (row.search_text === text && row.search_phones === phones) continue
      // The profile does not show these columns, so updated_at (its cache token) stays.
      await db
        .updateTable('wecom_follows')
        .set({ search_text: text, search_phones: phones })
        .where('external_user_id', '=', row.external_user_id)
        .where('user_id', '=', row.user_id)
        .execute()
    }
  }
}

/** Fill the keys of rows written before the search kept them (or by hand); returns how many customers. */
export async function fillMissingSearchKeys(db: Kysely<Database>, batch = 500): Promise<number> {
  let filled = 0
  for (;;) {
    const rows = await db
      .selectFrom('wecom_follows')
      .select('external_user_id')
      .distinct()
      .where('search_text', 'is', null)
      .limit(batch)
      .execute()
    if (rows.length === 0) return filled
    await db.transaction().execute((trx) =>
      refreshSearchKeys(
        trx,
        rows.map((r) => r.external_user_id),
      ),
    )
    filled += rows.length
  }
}

/**
 * One customer with this guide's follow entry (if any), her member record (if any) and
 * the facts guides recorded (if any).
 */
function customerForGuide(db: Kysely<Database>, p: { externalUserId: string; userId: string }) {
  return db
    .selectFrom('wecom_customers as c')
    .leftJoin('wecom_follows as f', (join) =>
      join.onRef('f.external_user_id', '=', 'c.external_user_id').on('f.user_id', '=', p.userId),
    )
    .leftJoin('members as m', 'm.external_user_id', 'c.external_user_id')
    .leftJoin('customer_facts as cf', 'cf.external_user_id', 'c.external_user_id')
    .where('c.external_user_id', '=', p.externalUserId)
}

function prepareProfileRow(database: Db) {
  const db = database.kysely
  return prepareQuery(database, (p: { externalUserId: string; userId: string }) =>
    customerForGuide(db, p)
      .leftJoin('stores as s', 's.id', 'm.store_id')
      .select((eb) => [
        'c.name',
        'c.avatar',
        'c.type',
        'c.gender',
        'c.corp_name',
        'c.fetched_at',
        'f.user_id as follow_user_id',
        'f.remark',
        'f.description',
        'f.tags',
        'f.added_at',
        'f.add_way',
        'm.id as member_id',
        'm.level',
        'm.points',
        'm.size_top',
        'm.size_bottom',
        'm.size_dress',
        'm.size_shoes',
        'm.style_preferences',
        'm.phone',
        'm.birthday',
        'm.store_id',
        's.name as store_name',
        'cf.size_top as own_size_top',
        'cf.size_bottom as own_size_bottom',
        'cf.size_dress as own_size_dress',
        'cf.size_shoes as own_size_shoes',
        'cf.fit_notes as own_fit_notes',
        'cf.style_preferences as own_style_preferences',
        'cf.colors_liked as own_colors_liked',
        'cf.colors_avoided as own_colors_avoided',
        'cf.materials_avoided as own_materials_avoided',
        'cf.birthday as own_birthday',
        'cf.phone as own_phone',
        'cf.preferred_store_id as own_store_id',
        eb.selectFrom('stores as ps').select('ps.name').whereRef('ps.id', '=', 'cf.preferred_store_id').as('own_store_name'),
        eb
          .selectFrom('orders as o')
          .select((o) => o.fn.min('o.purchased_at').as('n'))
          .whereRef('o.member_id', '=', 'm.id')
          .as('first_purchase_at'),
        // Her totals over all orders: index lookups, nothing at all when she is not a member.
        eb
          .selectFrom('orders as o')
          .select((o) => o.fn.countAll<number | string>().as('n'))
          .whereRef('o.member_id', '=', 'm.id')
          .as('order_count'),
        eb
          .selectFrom('orders as o')
          .select((o) => o.fn.sum<number | string | null>('o.total_fen').as('n'))
          .whereRef('o.member_id', '=', 'm.id')
          .as('total_spent'),
        eb
          .selectFrom('orders as o')
          .select((o) => o.fn.max('o.purchased_at').as('n'))
          .whereRef('o.member_id', '=', 'm.id')
          .as('last_purchase_at'),
      ]),
  )
}

function prepareProfileVersion(database: Db) {
  const db = database.kysely
  return prepareQuery(database, (p: { externalUserId: string; userId: string }) =>
    customerForGuide(db, p).select([
      'c.fetched_at',
      'c.updated_at as customer_updated_at',
      'f.updated_at as follow_updated_at',
      'm.id as member_id',
      'm.updated_at as member_updated_at',
      'cf.updated_at as facts_updated_at',
    ]),
  )
}

function prepareLatestOrders(database: Db) {
  const db = database.kysely
  return prepareQuery(database, (p: { memberId: string; limit: number }) =>
    db
      .selectFrom(
        db
          .selectFrom('orders as o')
          .select(['o.id', 'o.purchased_at', 'o.total_fen', 'o.store_id'])
          .where('o.member_id', '=', p.memberId)
          .orderBy('o.purchased_at', 'desc')
          .orderBy('o.id', 'desc')
          .limit(p.limit)
          .as('o'),
      )
      .leftJoin('stores as s', 's.id', 'o.store_id')
      .leftJoin('order_items as i', 'i.order_id', 'o.id')
      .leftJoin('products as p', 'p.id', 'i.product_id')
      .select([
        'o.id',
        'o.purchased_at',
        'o.total_fen',
        's.name as store_name',
        'i.line_no',
        'i.product_id',
        'i.name',
        'i.color',
        'i.size',
        'i.quantity',
        'i.price_fen',
        'i.returned',
        // The picture of the colour she bought, else the style's.
        (eb) =>
          eb.fn
            .coalesce(
              eb
                .selectFrom('product_images as pi')
                .select('pi.url')
                .whereRef('pi.product_id', '=', 'i.product_id')
                .whereRef('pi.color', '=', 'i.color')
                .orderBy('pi.position')
                .limit(1),
              'p.image_url',
            )
            .as('image_url'),
      ])
      .orderBy('o.purchased_at', 'desc')
      .orderBy('o.id', 'desc')
      .orderBy('i.line_no'),
  )
}
