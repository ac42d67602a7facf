/** WeCom's refusals of our set-up, one row per API (migration 0022), shared by every instance. */
import type { Db, Trx } from '../../db'

export interface SetupErrorRow {
  api: string
  errcode: number
  errmsg: string
  at: number
}

export class WecomSetupRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  async record(error: SetupErrorRow): Promise<void> {
    const values = { errcode: error.errcode, errmsg: error.errmsg.slice(0, 500), at: error.at }
    await this.db
      .insertInto('wecom_setup_errors')
      .values({ api: error.api, ...values })
      .onConflict((oc) => oc.column('api').doUpdateSet(values))
      .execute()
  }

  /** The API answered at `answeredAt`: a refusal recorded before then is over (a later one, from another instance, stays). */
  async clear(api: string, answeredAt: number): Promise<void> {
    await this.db.deleteFrom('wecom_setup_errors').where('api', '=', api).where('at', '<=', answeredAt).execute()
  }

  async latest(): Promise<SetupErrorRow | undefined> {
    const row = await this.db.selectFrom('wecom_setup_errors').selectAll().orderBy('at', 'desc').orderBy('api').executeTakeFirst()
    return row && { api: row.api, errcode: Number(row.errcode), errmsg: row.errmsg, at: Number(row.at) }
  }
}
