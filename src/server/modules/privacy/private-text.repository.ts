/** The private things kept about customers, read for the check that nothing of it goes out. */
import type { Db, Trx } from '../../db'

export class PrivateTextRepository {
  private readonly db: Trx

  constructor(database: Db | Trx) {
    this.db = 'kysely' in database ? database.kysely : database
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

  /** Every guide's follow row of these customers: the part of `book` that is about them. */
  followsOf(ids: readonly string[]) {
    return this.follows().where('f.external_user_id', 'in', ids).execute()
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
