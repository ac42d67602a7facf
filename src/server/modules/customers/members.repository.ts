/** The CRM's member records as guides see them: found by phone, bound to a WeCom customer. */
import type { Db, Trx } from '../../db'

export class MembersRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  byPhone(phone: string) {
    return this.db
      .selectFrom('members as m')
      .leftJoin('stores as s', 's.id', 'm.store_id')
      .select(['m.id', 'm.name', 'm.phone', 'm.level', 'm.external_user_id', 's.name as store_name'])
      .where('m.phone', '=', phone)
      .orderBy('m.id')
      .limit(10)
      .execute()
  }

  /** The member bound to this customer, if any. */
  of(externalUserId: string) {
    return this.db
      .selectFrom('members')
      .select(['id', 'name', 'phone'])
      .where('external_user_id', '=', externalUserId)
      .executeTakeFirst()
  }

  find(id: string) {
    return this.db
      .selectFrom('members')
      .select(['id', 'name', 'phone', 'external_user_id'])
      .where('id', '=', id)
      .executeTakeFirst()
  }

  /** Keep a lookup by phone on record: who asked, about which customer, and what she was shown. */
  async recordLookup(entry: {
    id: string
    guideId: string
    externalUserId: string
    phoneMasked: string
    shown: string[]
    hidden: number
    at: number
  }): Promise<void> {
    await this.db
      .insertInto('member_lookups')
      .values({
        id: entry.id,
        guide_id: entry.guideId,
        external_user_id: entry.externalUserId,
        phone_masked: entry.phoneMasked,
        shown: JSON.stringify(entry.shown),
        hidden: entry.hidden,
        at: entry.at,
      })
      .execute()
  }

  /** Claim the member for this customer only if nobody holds her: true when it took. */
  async bind(trx: Trx, memberId: string, externalUserId: string, now: number): Promise<boolean> {
    const result = await trx
      .updateTable('members')
      .set({ external_user_id: externalUserId, updated_at: now })
      .where('id', '=', memberId)
      .where('external_user_id', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }
}
