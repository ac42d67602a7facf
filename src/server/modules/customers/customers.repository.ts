import { sql, type ExpressionBuilder } from 'kysely'
import type { Db, Trx } from '../../db'
import type { Database, WecomCustomersTable, WecomFollowsTable } from '../../db/schema'
import { containsIgnoreCase, containsPattern, parseJsonArray } from '../../db/sql'
import { PHONE_TAIL_PATTERN, searchPhones, searchQuery, searchText } from './search-key'

// Split out of this file; still importable from here.
export type { CachedContact } from './contacts.repository'
export type { OrderWithItems } from './profile.repository'

export interface ListCursor {
  addedAt: number
  externalUserId: string
}

/** A guide's own customers as a list: counted, searched and paged. */
export class CustomersRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
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
