import { sql, type AliasableExpression, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Db, Trx } from '../../db'
import type {
  CustomerFactsTable,
  Database,
  MemberOrderTotalsTable,
  MembersTable,
  WecomCustomersTable,
  WecomFollowsTable,
} from '../../db/schema'
import { containsIgnoreCase, containsPattern, parseJsonArray } from '../../db/sql'
import type { CustomerSort } from '../../../shared/customer'
import { PHONE_TAIL_PATTERN, searchPhones, searchQuery, searchText } from './search-key'

// Split out of this file; still importable from here.
export type { CachedContact } from './contacts.repository'
export type { OrderWithItems } from './profile.repository'

/**
 * Customers holding a coupon from any guide at `now`: sent or claimed, not past its end.
 * The status is written as migration 0030's index states it (literal words, not bound
 * values), so both databases read that index, which holds nothing else.
 */
export function couponHolders(db: Trx, now: number) {
  return db
    .selectFrom('coupon_issuances as ci')
    .select('ci.external_user_id')
    .where(sql<SqlBool>`${sql.ref('ci.status')} in ('sent', 'claimed')`)
    .where((ci) => ci.or([ci('ci.valid_until', 'is', null), ci('ci.valid_until', '>', now)]))
}

/** Where the last page ended: its sort key and id (the key's meaning depends on the sort). */
export interface ListCursor {
  key: number
  externalUserId: string
}

/** "Sent or noted by this guide since `since`" (since 0: ever). */
export type ContactFilter = { kind: 'since'; since: number } | { kind: 'ever-but-not-since'; since: number } | { kind: 'never' }

/** The list's filters as the database sees them: instants already worked out by the service. */
export interface CustomerFilter {
  q?: string
  /** A corporate tag id, or the name of a personal tag of hers (hers in this app, or from WeCom). */
  tag?: string
  /** A member level; `none`: not a member. */
  level?: string
  purchase?: { kind: 'never' } | { kind: 'since'; at: number } | { kind: 'before'; at: number }
  contact?: ContactFilter
  /** `01`…`12`: her birthday's month (her fact, else the member record's). */
  birthdayMonth?: string
  coupon?: { held: boolean; now: number }
  addWay?: number
}

/** One row of the list, before the service shapes it. */
export interface CustomerListRow {
  externalUserId: string
  name: string
  remark: string
  avatar: string | null
  addedAt: number | null
  memberLevel: string | null
  lastPurchaseAt: number | null
  totalSpendFen: number | null
  lastContactAt: number | null
  deletedByCustomerAt: number | null
}

type ListTables = Database & {
  f: WecomFollowsTable
  c: WecomCustomersTable
  m: MembersTable
  t: MemberOrderTotalsTable
  cf: CustomerFactsTable
}
type ListBuilder = ExpressionBuilder<ListTables, 'f' | 'c' | 'm' | 't' | 'cf'>

/** The column each sort orders by (descending, then by id); customers without one sort last. */
const SORT_KEYS: Record<CustomerSort, (eb: ListBuilder) => AliasableExpression<number>> = {
  added: (eb) => eb.fn.coalesce('f.added_at', eb.lit(0)),
  lastPurchase: (eb) => eb.fn.coalesce('t.last_purchase_at', eb.lit(0)),
  totalSpend: (eb) => eb.fn.coalesce('t.total_fen', eb.lit(0)),
}

/** A guide's own customers as a list: filtered, searched, counted, sorted and paged. */
export class CustomersRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  /**
   * Her customers, joined only to what the filter or the sort looks at: neither database
   * drops an unused join on its own here, and at 10,000 customers each costs milliseconds.
   */
  private base(userId: string, filter: CustomerFilter, sort: CustomerSort = 'added') {
    const sorted = sort !== 'added'
    const totals = sorted || filter.purchase !== undefined
    const member = totals || filter.level !== undefined || filter.birthdayMonth !== undefined
    return (
      this.db
        .selectFrom('wecom_follows as f')
        .$if(searchQuery(filter.q ?? '') !== null, (q) =>
          q.leftJoin('wecom_customers as c', 'c.external_user_id', 'f.external_user_id'),
        )
        .$if(member, (q) => q.leftJoin('members as m', 'm.external_user_id', 'f.external_user_id'))
        // `m` is joined just above whenever the totals are (typed apart by $if, hence the raw ON).
        .$if(totals, (q) => q.leftJoin('member_order_totals as t', (join) => join.on(sql<SqlBool>`t.member_id = m.id`)))
        .$if(filter.birthdayMonth !== undefined, (q) =>
          q.leftJoin('customer_facts as cf', 'cf.external_user_id', 'f.external_user_id'),
        )
        .where('f.user_id', '=', userId)
    )
  }

  async countForGuide(userId: string, filter: CustomerFilter): Promise<number> {
    const row = await this.base(userId, filter)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((eb) => this.matches(eb as unknown as ListBuilder, userId, filter))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /**
   * One page: first the ids and sort keys in order (the only step that sees every matching
   * customer), then what the page shows, for those few rows only.
   */
  async listForGuide(
    userId: string,
    options: { filter: CustomerFilter; sort: CustomerSort; after?: ListCursor; limit: number },
  ): Promise<{ rows: CustomerListRow[]; keys: Map<string, number> }> {
    const sortKey = SORT_KEYS[options.sort]
    const after = options.after
    const page = await this.base(userId, options.filter, options.sort)
      .select((eb) => ['f.external_user_id as id', sortKey(eb as unknown as ListBuilder).as('sortKey')])
      .where((eb) => {
        const b = eb as unknown as ListBuilder
        const conditions = [this.matches(b, userId, options.filter)]
        // A row value, so the index on (guide, added) serves the next page as it does the first.
        if (after)
          conditions.push(sql<SqlBool>`(${sortKey(b)}, ${b.ref('f.external_user_id')}) < (${after.key}, ${after.externalUserId})`)
        return b.and(conditions)
      })
      .orderBy((eb) => sortKey(eb as unknown as ListBuilder), 'desc')
      .orderBy('f.external_user_id', 'desc')
      .limit(options.limit)
      .execute()
    const keys = new Map(page.map((r) => [r.id, Number(r.sortKey)]))
    if (page.length === 0) return { rows: [], keys }
    const ids = page.map((r) => r.id)
    const [details, contacts] = await Promise.all([
      this.db
        .selectFrom('wecom_follows as f')
        .leftJoin('wecom_customers as c', 'c.external_user_id', 'f.external_user_id')
        .leftJoin('members as m', 'm.external_user_id', 'f.external_user_id')
        .leftJoin('member_order_totals as t', 't.member_id', 'm.id')
        .select([
          'f.external_user_id as externalUserId',
          'c.name as name',
          'f.remark as remark',
          'c.avatar as avatar',
          'f.added_at as addedAt',
          'm.level as memberLevel',
          'm.id as memberId',
          't.last_purchase_at as lastPurchaseAt',
          't.total_fen as totalSpendFen',
          'f.deleted_by_customer_at as deletedByCustomerAt',
        ])
        .where('f.user_id', '=', userId)
        .where('f.external_user_id', 'in', ids)
        .execute(),
      this.lastContacts(userId, ids),
    ])
    const byId = new Map(details.map((d) => [d.externalUserId, d]))
    const rows = ids.flatMap((id): CustomerListRow[] => {
      const d = byId.get(id)
      if (!d) return []
      return [
        {
          externalUserId: d.externalUserId,
          name: d.name ?? '',
          remark: d.remark,
          avatar: d.avatar,
          addedAt: d.addedAt === null ? null : Number(d.addedAt),
          memberLevel: d.memberLevel,
          lastPurchaseAt: d.lastPurchaseAt === null ? null : Number(d.lastPurchaseAt),
          // A member without orders has spent nothing; a customer who is not a member: unknown.
          totalSpendFen: d.memberId === null ? null : Number(d.totalSpendFen ?? 0),
          lastContactAt: contacts.get(id) ?? null,
          deletedByCustomerAt: d.deletedByCustomerAt === null ? null : Number(d.deletedByCustomerAt),
        },
      ]
    })
    return { rows, keys }
  }

  /** When this guide last sent each of these customers something or noted something about her. */
  private async lastContacts(userId: string, ids: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom(contactEvents(this.db, userId, 0, ids).as('x'))
      .select((eb) => ['x.externalUserId', eb.fn.max('x.at').as('at')])
      .groupBy('x.externalUserId')
      .execute()
    return new Map(rows.map((r) => [r.externalUserId, Number(r.at)]))
  }

  private matches(eb: ListBuilder, userId: string, filter: CustomerFilter): Expression<SqlBool> {
    const conditions: Expression<SqlBool>[] = []
    const search = searchQuery(filter.q ?? '')
    if (search) conditions.push(matchesSearch(eb, filter.q!, search))
    if (filter.tag !== undefined) conditions.push(hasTag(eb, userId, filter.tag))
    if (filter.level === 'none') conditions.push(eb('m.id', 'is', null))
    else if (filter.level !== undefined) conditions.push(eb('m.level', '=', filter.level))
    const purchase = filter.purchase
    if (purchase?.kind === 'never') conditions.push(eb('t.last_purchase_at', 'is', null))
    else if (purchase?.kind === 'since') conditions.push(eb('t.last_purchase_at', '>=', purchase.at))
    else if (purchase?.kind === 'before') conditions.push(eb('t.last_purchase_at', '<', purchase.at))
    const contact = filter.contact
    if (contact) {
      const contacted = (since: number) =>
        eb(
          'f.external_user_id',
          'in',
          this.db.selectFrom(contactEvents(this.db, userId, since).as('x')).select('x.externalUserId'),
        )
      if (contact.kind === 'since') conditions.push(contacted(contact.since))
      else if (contact.kind === 'never') conditions.push(eb.not(contacted(0)))
      else conditions.push(eb.and([contacted(0), eb.not(contacted(contact.since))]))
    }
    if (filter.birthdayMonth !== undefined) {
      const birthday = eb.fn.coalesce('cf.birthday', 'm.birthday')
      // `MM-DD`, or `YYYY-MM-DD` when the year is known.
      conditions.push(
        sql<SqlBool>`(case when length(${birthday}) = 10 then substr(${birthday}, 6, 2) else substr(${birthday}, 1, 2) end) = ${filter.birthdayMonth}`,
      )
    }
    if (filter.coupon) {
      const holds = eb('f.external_user_id', 'in', couponHolders(this.db, filter.coupon.now))
      conditions.push(filter.coupon.held ? holds : eb.not(holds))
    }
    if (filter.addWay !== undefined) conditions.push(eb('f.add_way', '=', filter.addWay))
    return eb.and(conditions)
  }
}

/**
 * Everything this guide sent a customer (a reply, an outfit, a coupon) or noted about her,
 * since `since`: one row each, by the indexes of migration 0012. Group chats have no
 * customer and are left out (a NULL would also make `not in` match nothing).
 */
function contactEvents(db: Trx, userId: string, since: number, ids?: readonly string[]) {
  const some = ids !== undefined
  return db
    .selectFrom('reply_sends')
    .select(['external_user_id as externalUserId', 'sent_at as at'])
    .where('user_id', '=', userId)
    .where('sent_at', '>=', since)
    .where('external_user_id', 'is not', null)
    .$if(some, (q) => q.where('external_user_id', 'in', ids!))
    .$narrowType<{ externalUserId: string }>()
    .unionAll(
      db
        .selectFrom('bundle_sends')
        .select(['external_user_id as externalUserId', 'sent_at as at'])
        .where('guide_id', '=', userId)
        .where('sent_at', '>=', since)
        .where('status', '=', 'sent')
        .where('external_user_id', 'is not', null)
        .$if(some, (q) => q.where('external_user_id', 'in', ids!))
        .$narrowType<{ externalUserId: string; at: number }>(),
    )
    .unionAll(
      db
        .selectFrom('coupon_issuances')
        .select(['external_user_id as externalUserId', 'sent_at as at'])
        .where('guide_id', '=', userId)
        .where('sent_at', '>=', since)
        .$if(some, (q) => q.where('external_user_id', 'in', ids!))
        .$narrowType<{ at: number }>(),
    )
    .unionAll(
      db
        .selectFrom('customer_notes')
        .select(['external_user_id as externalUserId', 'created_at as at'])
        .where('author_id', '=', userId)
        .where('created_at', '>=', since)
        .$if(some, (q) => q.where('external_user_id', 'in', ids!)),
    )
}

/** `text` as it appears inside a JSON string, for LIKE with `!` as the escape. */
function jsonLikePattern(prefix: string, value: string, suffix: string): string {
  const escape = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`)
  return `%${escape(prefix + JSON.stringify(value) + suffix)}%`
}

/**
 * A corporate tag by id, or a personal tag by name: one she has from WeCom (kept in the
 * follow's tags, written by JSON.stringify as mapTag orders the keys) or one this guide
 * gave her in the app.
 */
function hasTag(eb: ListBuilder, userId: string, tag: string): Expression<SqlBool> {
  return eb.or([
    sql<SqlBool>`${eb.ref('f.tags')} like ${jsonLikePattern('"tagId":', tag, '')} escape '!'`,
    sql<SqlBool>`${eb.ref('f.tags')} like ${jsonLikePattern('"name":', tag, ',"type":"personal"')} escape '!'`,
    eb.exists(
      eb
        .selectFrom('personal_tags as pt')
        .select('pt.name')
        .whereRef('pt.external_user_id', '=', 'f.external_user_id')
        .where('pt.user_id', '=', userId)
        .where('pt.name', '=', tag),
    ),
  ])
}

/**
 * Her name or the guide's remark, as typed or in pinyin, or the last four digits of a
 * phone of hers: one LIKE over this guide's own rows (search-key.ts says what is kept).
 * A row whose key is not filled yet is still found by its name or remark as typed.
 */
function matchesSearch(eb: ListBuilder, raw: string, search: NonNullable<ReturnType<typeof searchQuery>>): Expression<SqlBool> {
  const term = raw.trim()
  const conditions = [
    sql<SqlBool>`${eb.ref('f.search_text')} like ${containsPattern(search.text)} escape '!'`,
    eb.and([
      eb('f.search_text', 'is', null),
      eb.or([containsIgnoreCase(eb.ref('f.remark'), term), containsIgnoreCase(eb.ref('c.name'), term)]),
    ]),
  ]
  if (search.phoneTail) conditions.push(eb('f.search_phones', 'like', PHONE_TAIL_PATTERN(search.phoneTail)))
  return eb.or(conditions)
}

/**
 * Work out again what the search matches for these customers, for every guide who follows
 * them: after her name, a remark, a phone or her member record changed. Only rows whose
 * key differs are written.
 */
export async function refreshSearchKeys(db: Trx, externalUserIds: readonly string[]): Promise<void> {
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
export async function fillMissingSearchKeys(db: Trx, batch = 500): Promise<number> {
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
