import type { Expression, ExpressionBuilder } from 'kysely'
import type { Db, DbKind, Trx } from '../../db'
import type { Database } from '../../db/schema'
import { jsonArrayAgg, pairsIn } from '../../db/dialect'
import { prepareQuery } from '../../db/prepared'
import { followKey } from './eligibility'

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

/**
 * The reads behind a customer's profile: its version token, the one-row read of her
 * contact, follow entry, member record and facts, her personal tags, fact history and
 * latest orders. The hot ones are prepared once.
 */
export class ProfileRepository {
  private readonly profileRow
  private readonly eligibilityRow
  private readonly profileVersion
  private readonly latestOrders
  private readonly personalTagsOf
  private readonly eligibilityRowsOf

  private readonly db: Trx
  private readonly kind: DbKind

  constructor(private readonly database: Db) {
    this.db = database.kysely
    this.kind = database.kind
    this.profileRow = prepareProfileRow(database)
    this.eligibilityRow = prepareEligibilityRow(database)
    this.profileVersion = prepareProfileVersion(database)
    this.latestOrders = prepareLatestOrders(database)
    const db = database.kysely
    this.personalTagsOf = prepareQuery(database, (p: { externalUserId: string; userId: string }) =>
      db
        .selectFrom('personal_tags')
        .select('name')
        .where('external_user_id', '=', p.externalUserId)
        .where('user_id', '=', p.userId)
        .orderBy('created_at')
        .orderBy('name'),
    )
    // Every batch of coupon sends asks: built once, the pairs sent as one parameter.
    this.eligibilityRowsOf = prepareQuery(database, (p: { pairs: FollowPairs }) => this.eligibilityRowsQuery(db, p.pairs), {
      lists: { pairs: 'pairs' },
    })
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

  /**
   * The part of that row a coupon's eligibility and the follow check read (whether she is
   * cached and followed, her WeCom tags and this guide's own, member level, order count):
   * a quarter of the full read's cost, which a flash sale pays once per send.
   */
  async findEligibilityRow(externalUserId: string, userId: string) {
    const [row] = await this.eligibilityRow({ externalUserId, userId })
    return row ?? null
  }

  /**
   * `findEligibilityRow` for many (guide, customer) pairs in one read: only customers
   * cached and followed by the guide asked with them are found, by `followKey`.
   */
  async findEligibilityRows(sends: readonly { userId: string; externalUserId: string }[]): Promise<EligibilityRows> {
    if (sends.length === 0) return new Map()
    return eligibilityRowsByFollow(await this.eligibilityRowsOf({ pairs: followPairs(sends) }))
  }

  /**
   * The read behind `findEligibilityRows`, to run inside another (`eligibilityRowsByFollow`
   * reads its rows); `pairs` are (customer, guide), as `followPairs` makes them.
   */
  eligibilityRowsQuery(db: Trx, pairs: FollowPairs) {
    // The pairs themselves, one look-up each in the follows' key: a list of guides beside a
    // list of customers would probe every guide with every customer.
    return db
      .selectFrom('wecom_follows as f')
      .innerJoin('wecom_customers as c', 'c.external_user_id', 'f.external_user_id')
      .leftJoin('members as m', 'm.external_user_id', 'c.external_user_id')
      .select((eb) => ['c.external_user_id', ...eligibilityColumns(this.kind, eb, eb.ref('f.user_id'))])
      .where(pairsIn(this.kind, ['f.external_user_id', 'f.user_id'], pairs))
  }

  /** The tags this guide keeps for the customer in our database. */
  async personalTags(externalUserId: string, userId: string): Promise<string[]> {
    const rows = await this.personalTagsOf({ externalUserId, userId })
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

/**
 * One customer with this guide's follow entry (if any), her member record (if any) and
 * the facts guides recorded (if any).
 */
function customerWithMember(db: Trx, p: { externalUserId: string; userId: string }) {
  return db
    .selectFrom('wecom_customers as c')
    .leftJoin('wecom_follows as f', (join) =>
      join.onRef('f.external_user_id', '=', 'c.external_user_id').on('f.user_id', '=', p.userId),
    )
    .leftJoin('members as m', 'm.external_user_id', 'c.external_user_id')
    .where('c.external_user_id', '=', p.externalUserId)
}

function customerForGuide(db: Trx, p: { externalUserId: string; userId: string }) {
  return customerWithMember(db, p).leftJoin('customer_facts as cf', 'cf.external_user_id', 'c.external_user_id')
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
        'c.updated_at as customer_updated_at',
        'f.user_id as follow_user_id',
        'f.remark',
        'f.description',
        'f.tags',
        'f.added_at',
        'f.add_way',
        'f.deleted_by_customer_at',
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

function prepareEligibilityRow(database: Db) {
  const db = database.kysely
  return prepareQuery(database, (p: { externalUserId: string; userId: string }) =>
    customerWithMember(db, p).select((eb) => eligibilityColumns(database.kind, eb, eb.val(p.userId))),
  )
}

/** What eligibility reads of her row; `guide` is the guide whose personal tags count. */
type EligibilityFrom = Database & { c: Database['wecom_customers']; f: Database['wecom_follows']; m: Database['members'] }

function eligibilityColumns(kind: DbKind, eb: ExpressionBuilder<EligibilityFrom, 'c' | 'f' | 'm'>, guide: Expression<string>) {
  return [
    eb.ref('c.fetched_at').as('fetched_at'),
    eb.ref('f.user_id').as('follow_user_id'),
    eb.ref('f.tags').as('tags'),
    eb.ref('m.id').as('member_id'),
    eb.ref('m.level').as('level'),
    eb
      .selectFrom('orders as o')
      .select((o) => o.fn.countAll<number | string>().as('n'))
      .whereRef('o.member_id', '=', 'm.id')
      .as('order_count'),
    // Her personal tags from this guide; eligibility asks which, never in what order.
    eb
      .selectFrom('personal_tags as pt')
      .select(jsonArrayAgg(kind, 'pt.name', []).as('n'))
      .whereRef('pt.external_user_id', '=', 'c.external_user_id')
      .where('pt.user_id', '=', guide)
      .as('personal_tags'),
  ] as const
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

type EligibilityRowsRead = Awaited<ReturnType<ReturnType<ProfileRepository['eligibilityRowsQuery']>['execute']>>
/** Rows of `eligibilityRowsQuery` by `followKey`. */
export type EligibilityRows = Map<string, Omit<EligibilityRowsRead[number], 'external_user_id'>>

export function eligibilityRowsByFollow(rows: EligibilityRowsRead): EligibilityRows {
  const found: EligibilityRows = new Map()
  for (const { external_user_id, ...row } of rows) found.set(followKey(row.follow_user_id, external_user_id), row)
  return found
}

/** (customer, guide) pairs, as `eligibilityRowsQuery` looks them up in the follows' key. */
export type FollowPairs = readonly (readonly [string, string])[]

export const followPairs = (sends: readonly { userId: string; externalUserId: string }[]): [string, string][] =>
  sends.map((send) => [send.externalUserId, send.userId])
