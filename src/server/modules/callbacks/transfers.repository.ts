/**
 * Customers handed from one guide to another (在职继承 / 离职继承): WeCom moves the follow,
 * we move what the handover guide had of hers — notes, open tasks, coupons not yet used,
 * her personal tags — in one transaction.
 */
import type { Db, Trx } from '../../db'

export interface PendingEnd {
  externalUserId: string
  userId: string
  endedAt: number
}

export interface DepartedFollow {
  externalUserId: string
  /** The guide who left. */
  userId: string
  leftAt: number
}

export interface MovedRecords {
  notes: number
  tasks: number
  coupons: number
  personalTags: number
}

export class TransfersRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  /** Ended follows since `since` whose records have not moved; she deleting the guide is no handover. */
  async pendingEnds(since: number, externalUserIds?: readonly string[]): Promise<PendingEnd[]> {
    if (externalUserIds && externalUserIds.length === 0) return []
    const rows = await this.db
      .selectFrom('wecom_follow_ends')
      .select(['external_user_id', 'user_id', 'ended_at'])
      .where('transferred_to', 'is', null)
      .where('reason', '<>', 'customer_deleted')
      .where('ended_at', '>=', since)
      .$if(externalUserIds !== undefined, (q) => q.where('external_user_id', 'in', externalUserIds!))
      .orderBy('ended_at')
      .execute()
    return rows.map((r) => ({ externalUserId: r.external_user_id, userId: r.user_id, endedAt: Number(r.ended_at) }))
  }

  /**
   * The guide who added her last, at `since` or later, other than `handover`; with
   * `stillEmployed`, not one who has left the company too (a guide we do not hold a row
   * for counts as employed: WeCom just listed her follow).
   */
  async takeover(
    externalUserId: string,
    handover: string,
    since: number,
    options: { stillEmployed?: boolean } = {},
  ): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('wecom_follows')
      .select('user_id')
      .where('external_user_id', '=', externalUserId)
      .where('user_id', '<>', handover)
      .where('added_at', '>=', since)
      .$if(options.stillEmployed === true, (q) =>
        q.where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('guides as g')
                .select('g.user_id')
                .whereRef('g.user_id', '=', 'wecom_follows.user_id')
                .where('g.left_at', 'is not', null),
            ),
          ),
        ),
      )
      .orderBy('added_at', 'desc')
      .orderBy('user_id')
      .executeTakeFirst()
    return row?.user_id
  }

  /**
   * Follows of guides who left the company, of customers another guide follows too (of
   * these customers, or of anyone): WeCom no longer lists a departed member's customers,
   * so nothing else ends these follows.
   */
  async heldByDeparted(externalUserIds?: readonly string[]): Promise<DepartedFollow[]> {
    if (externalUserIds && externalUserIds.length === 0) return []
    const rows = await this.db
      .selectFrom('wecom_follows as f')
      .innerJoin('guides as g', 'g.user_id', 'f.user_id')
      .select(['f.external_user_id', 'f.user_id', 'g.left_at'])
      .where('g.left_at', 'is not', null)
      .where('f.deleted_by_customer_at', 'is', null)
      .$if(externalUserIds !== undefined, (q) => q.where('f.external_user_id', 'in', externalUserIds!))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('wecom_follows as o')
            .select('o.user_id')
            .whereRef('o.external_user_id', '=', 'f.external_user_id')
            .whereRef('o.user_id', '<>', 'f.user_id')
            .where('o.deleted_by_customer_at', 'is', null),
        ),
      )
      .orderBy('f.external_user_id')
      .orderBy('f.user_id')
      .execute()
    return rows.map((r) => ({ externalUserId: r.external_user_id, userId: r.user_id, leftAt: Number(r.left_at) }))
  }

  async move(input: { externalUserId: string; from: string; to: string; now: number }): Promise<MovedRecords> {
    const { externalUserId: customer, from, to, now } = input
    return this.db.transaction().execute(async (trx) => {
      const notes = await trx
        .updateTable('customer_notes')
        .set({ author_id: to })
        .where('external_user_id', '=', customer)
        .where('author_id', '=', from)
        .executeTakeFirst()
      const tasks = await trx
        .updateTable('tasks')
        .set({ guide_id: to })
        .where('external_user_id', '=', customer)
        .where('guide_id', '=', from)
        .where('status', '=', 'todo')
        .executeTakeFirst()
      const coupons = await trx
        .updateTable('coupon_issuances')
        .set({ guide_id: to })
        .where('external_user_id', '=', customer)
        .where('guide_id', '=', from)
        .where('status', 'in', ['reserved', 'sent', 'claimed'])
        .executeTakeFirst()
      const tags = await trx
        .selectFrom('personal_tags')
        .select(['name', 'created_at'])
        .where('external_user_id', '=', customer)
        .where('user_id', '=', from)
        .execute()
      if (tags.length > 0) {
        await trx
          .insertInto('personal_tags')
          .values(tags.map((t) => ({ external_user_id: customer, user_id: to, name: t.name, created_at: t.created_at })))
          .onConflict((oc) => oc.columns(['external_user_id', 'user_id', 'name']).doNothing())
          .execute()
        await trx.deleteFrom('personal_tags').where('external_user_id', '=', customer).where('user_id', '=', from).execute()
      }
      const moved: MovedRecords = {
        notes: Number(notes.numUpdatedRows),
        tasks: Number(tasks.numUpdatedRows),
        coupons: Number(coupons.numUpdatedRows),
        personalTags: tags.length,
      }
      await trx
        .updateTable('wecom_follow_ends')
        .set({ reason: 'transferred', transferred_to: to, transferred_at: now })
        .where('external_user_id', '=', customer)
        .where('user_id', '=', from)
        .execute()
      // Not a timeline kind: a record of who had her, for support and the numbers.
      await trx
        .insertInto('customer_events')
        .values({
          id: `transfer_${from}_${to}_${customer}_${now}`,
          external_user_id: customer,
          kind: 'customer_transferred',
          actor_id: to,
          occurred_at: now,
          payload: JSON.stringify({ from, to, ...moved }),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
      return moved
    })
  }
}
