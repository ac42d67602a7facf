/** The private things kept about customers, read for the check that nothing of it goes out. */
import { sql } from 'kysely'
import type { Db, Trx } from '../../db'
import { prepareQuery } from '../../db/prepared'

/**
 * Everything kept about one customer, as rows of one shape: `follow` rows (every guide's
 * remark of her, with her member record and facts), then `member`, `note` and `tag` rows
 * whose text is in `a` (a member's phone in `b`). One round trip instead of four: a coupon
 * send asks it for every new customer.
 */
function prepareAboutOne(database: Db) {
  const db = database.kysely
  const none = sql<string | null>`null`
  // The follow row's other columns, empty in the rows of one text.
  const rest = [none.as('c'), none.as('d'), none.as('e'), none.as('g'), none.as('h')] as const
  return prepareQuery(database, (p: { id: string }) =>
    db
      .selectFrom('wecom_follows as f')
      .leftJoin('members as m', 'm.external_user_id', 'f.external_user_id')
      .leftJoin('customer_facts as cf', 'cf.external_user_id', 'f.external_user_id')
      .select((eb) => [
        sql<string>`'follow'`.as('source'),
        eb.ref('f.remark').$castTo<string | null>().as('a'),
        eb.ref('f.description').$castTo<string | null>().as('b'),
        eb.ref('f.remark_mobiles').$castTo<string | null>().as('c'),
        'm.name as d',
        'm.phone as e',
        'cf.phone as g',
        'cf.fit_notes as h',
      ])
      .where('f.external_user_id', '=', p.id)
      .unionAll(
        db
          .selectFrom('members')
          .select([sql<string>`'member'`.as('source'), 'name as a', 'phone as b', ...rest])
          .where('external_user_id', '=', p.id),
      )
      .unionAll(
        db
          .selectFrom('customer_notes')
          .select([sql<string>`'note'`.as('source'), 'text as a', none.as('b'), ...rest])
          .where('external_user_id', '=', p.id),
      )
      .unionAll(
        db
          .selectFrom('personal_tags')
          .select([sql<string>`'tag'`.as('source'), 'name as a', none.as('b'), ...rest])
          .where('external_user_id', '=', p.id),
      ),
  )
}

export class PrivateTextRepository {
  private readonly db: Trx
  private readonly aboutOneQuery

  constructor(database: Db) {
    this.db = database.kysely
    this.aboutOneQuery = prepareAboutOne(database)
  }

  /** What is kept about one customer by anyone: follows, member record, notes, personal tags. */
  async aboutOne(id: string) {
    const rows = await this.aboutOneQuery({ id })
    return {
      follows: rows
        .filter((r) => r.source === 'follow')
        .map((r) => ({
          remark: r.a ?? '',
          description: r.b ?? '',
          remark_mobiles: r.c ?? '[]',
          name: r.d,
          phone: r.e,
          own_phone: r.g,
          fit_notes: r.h,
        })),
      members: rows.filter((r) => r.source === 'member').map((r) => ({ name: r.a ?? '', phone: r.b })),
      notes: rows.filter((r) => r.source === 'note').map((r) => ({ text: r.a ?? '' })),
      tags: rows.filter((r) => r.source === 'tag').map((r) => ({ name: r.a ?? '' })),
    }
  }

  /**
   * Every guide's follow row of these customers (every remark of her) and the rest of this
   * guide's book, with the member record and facts behind each.
   */
  book(guideId: string, ids: readonly string[]) {
    return this.follows()
      .where((eb) => eb.or([eb('f.user_id', '=', guideId), eb('f.external_user_id', 'in', ids)]))
      .execute()
  }

  /** The guide's book alone: the part of `book` that is the same whoever she sends to. */
  guideBook(guideId: string) {
    return this.follows().where('f.user_id', '=', guideId).execute()
  }

  /** The number the triggers move whenever anything read here changes (migration 0018). */
  async version(): Promise<string> {
    const row = await this.db.selectFrom('private_text_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow()
    return String(row.version)
  }

  private follows() {
    return this.db
      .selectFrom('wecom_follows as f')
      .leftJoin('members as m', 'm.external_user_id', 'f.external_user_id')
      .leftJoin('customer_facts as cf', 'cf.external_user_id', 'f.external_user_id')
      .select(['f.remark', 'f.description', 'f.remark_mobiles', 'm.name', 'm.phone', 'cf.phone as own_phone', 'cf.fit_notes'])
  }

  members(ids: readonly string[]) {
    return this.db.selectFrom('members').select(['name', 'phone']).where('external_user_id', 'in', ids).execute()
  }

  notes(ids: readonly string[]) {
    return this.db.selectFrom('customer_notes').select('text').where('external_user_id', 'in', ids).execute()
  }

  personalTags(ids: readonly string[]) {
    return this.db.selectFrom('personal_tags').select('name').where('external_user_id', 'in', ids).execute()
  }
}
