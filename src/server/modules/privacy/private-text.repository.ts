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
    return this.db
      .selectFrom('wecom_follows as f')
      .leftJoin('members as m', 'm.external_user_id', 'f.external_user_id')
      .leftJoin('customer_facts as cf', 'cf.external_user_id', 'f.external_user_id')
      .select(['f.remark', 'f.description', 'f.remark_mobiles', 'm.name', 'm.phone', 'cf.phone as own_phone', 'cf.fit_notes'])
      .where((eb) => eb.or([eb('f.user_id', '=', guideId), eb('f.external_user_id', 'in', ids)]))
      .execute()
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
