/** The private things kept about customers, read for the check that nothing of it goes out. */
import { sql } from 'kysely'
import type { Db, DbKind, Trx } from '../../db'
import { inList } from '../../db/dialect'
import { prepareQuery } from '../../db/prepared'

/** Everything kept about a customer by anyone, as `about` answers it. */
export interface AboutCustomer {
  follows: {
    remark: string
    description: string
    remark_mobiles: string
    name: string | null
    phone: string | null
    own_phone: string | null
    fit_notes: string | null
  }[]
  members: { name: string; phone: string | null }[]
  notes: { text: string }[]
  tags: { name: string }[]
}

export class PrivateTextRepository {
  private readonly db: Trx
  private readonly kind: DbKind
  private readonly aboutOf

  constructor(database: Db) {
    this.db = database.kysely
    this.kind = database.kind
    // Every batch of coupon sends asks: built once, the ids sent as one parameter.
    this.aboutOf = prepareQuery(database, (p: { ids: readonly string[] }) => this.aboutQuery(this.db, p.ids), {
      lists: { ids: 'list' },
    })
  }

  /**
   * What is kept about these customers by anyone: follows (every guide's remark of her,
   * with her member record and facts), member records, notes, personal tags. One query of
   * rows of one shape for all of them (a batch of coupon sends asks for every customer it
   * has not judged yet); customers with nothing kept are not in the map.
   */
  async about(ids: readonly string[]): Promise<Map<string, AboutCustomer>> {
    return aboutFrom(await this.aboutOf({ ids }))
  }

  /** The read behind `about`, to run inside another (`aboutFrom` reads its rows). */
  aboutQuery(db: Trx, ids: readonly string[]) {
    const none = sql<string | null>`null`
    // The follow row's other columns, empty in the rows of one text.
    const rest = [none.as('c'), none.as('d'), none.as('e'), none.as('g'), none.as('h')] as const
    // Her member record is read once, as its own rows, not again beside every follow.
    return db
      .selectFrom('wecom_follows as f')
      .leftJoin('customer_facts as cf', 'cf.external_user_id', 'f.external_user_id')
      .select((eb) => [
        eb.ref('f.external_user_id').$castTo<string | null>().as('id'),
        sql<string>`'follow'`.as('source'),
        eb.ref('f.remark').$castTo<string | null>().as('a'),
        eb.ref('f.description').$castTo<string | null>().as('b'),
        eb.ref('f.remark_mobiles').$castTo<string | null>().as('c'),
        none.as('d'),
        none.as('e'),
        'cf.phone as g',
        'cf.fit_notes as h',
      ])
      .where(inList(this.kind, 'f.external_user_id', ids))
      .unionAll(
        db
          .selectFrom('members')
          .select(['external_user_id as id', sql<string>`'member'`.as('source'), 'name as a', 'phone as b', ...rest])
          .where(inList(this.kind, 'external_user_id', ids)),
      )
      .unionAll(
        db
          .selectFrom('customer_notes')
          .select(['external_user_id as id', sql<string>`'note'`.as('source'), 'text as a', none.as('b'), ...rest])
          .where(inList(this.kind, 'external_user_id', ids)),
      )
      .unionAll(
        db
          .selectFrom('personal_tags')
          .select(['external_user_id as id', sql<string>`'tag'`.as('source'), 'name as a', none.as('b'), ...rest])
          .where(inList(this.kind, 'external_user_id', ids)),
      )
  }

  /** What the private-text check compares against: moves on with every write to private data (see the guard). */
  versionQuery(db: Trx) {
    return db.selectFrom('private_text_version').select('version').where('id', '=', 1)
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

  private follows() {
    return this.db
      .selectFrom('wecom_follows as f')
      .leftJoin('members as m', 'm.external_user_id', 'f.external_user_id')
      .leftJoin('customer_facts as cf', 'cf.external_user_id', 'f.external_user_id')
      .select(['f.remark', 'f.description', 'f.remark_mobiles', 'm.name', 'm.phone', 'cf.phone as own_phone', 'cf.fit_notes'])
  }

  members(ids: readonly string[]) {
    return this.db
      .selectFrom('members')
      .select(['name', 'phone'])
      .where(inList(this.kind, 'external_user_id', ids))
      .execute()
  }

  notes(ids: readonly string[]) {
    return this.db
      .selectFrom('customer_notes')
      .select('text')
      .where(inList(this.kind, 'external_user_id', ids))
      .execute()
  }

  personalTags(ids: readonly string[]) {
    return this.db
      .selectFrom('personal_tags')
      .select('name')
      .where(inList(this.kind, 'external_user_id', ids))
      .execute()
  }
}

type AboutRows = Awaited<ReturnType<ReturnType<PrivateTextRepository['aboutQuery']>['execute']>>

/** `aboutQuery`'s rows, by customer. */
export function aboutFrom(rows: AboutRows): Map<string, AboutCustomer> {
  const about = new Map<string, AboutCustomer>()

  for (const r of rows) {
    // Never null: every row was found by its customer.
    const id = r.id ?? ''
    let her = about.get(id)
    if (!her) about.set(id, (her = { follows: [], members: [], notes: [], tags: [] }))
    if (r.source === 'follow') {
      her.follows.push({
        remark: r.a ?? '',
        description: r.b ?? '',
        remark_mobiles: r.c ?? '[]',
        name: r.d,
        phone: r.e,
        own_phone: r.g,
        fit_notes: r.h,
      })
    } else if (r.source === 'member') her.members.push({ name: r.a ?? '', phone: r.b })
    else if (r.source === 'note') her.notes.push({ text: r.a ?? '' })
    else her.tags.push({ name: r.a ?? '' })
  }
  return about
}
