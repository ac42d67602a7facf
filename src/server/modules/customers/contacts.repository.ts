import type { CustomerTag } from '../../../shared/customer'
import type { Db, Trx } from '../../db'
import type { FollowEndReason } from '../../db/schema'
import { bumped } from '../../db/sql'
import { refreshSearchKeys } from './customers.repository'

/** A customer's WeCom data as we cache it, already mapped from WeCom's field names. */
export interface CachedContact {
  externalUserId: string
  name: string
  avatar: string | null
  type: number
  gender: number
  corpName: string | null
  unionid: string | null
  follows: {
    userId: string
    remark: string
    description: string
    tags: CustomerTag[]
    addedAt: number | null
    addWay: number
    state: string | null
    remarkMobiles: string[]
  }[]
}

/**
 * Our copy of what WeCom knows about customers: their contact record and each guide's
 * follow entry, written whenever WeCom was read.
 */
export class ContactsRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  /** Replace everything we know from WeCom about one customer, atomically. */
  async saveContact(contact: CachedContact, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const values = {
        name: contact.name,
        avatar: contact.avatar,
        type: contact.type,
        gender: contact.gender,
        corp_name: contact.corpName,
        unionid: contact.unionid,
        fetched_at: now,
      }
      await trx
        .insertInto('wecom_customers')
        .values({ external_user_id: contact.externalUserId, ...values, updated_at: now })
        .onConflict((oc) =>
          oc.column('external_user_id').doUpdateSet({ ...values, updated_at: bumped('wecom_customers.updated_at', now) }),
        )
        .execute()
      const rows = await trx
        .selectFrom('wecom_follows')
        .select(['user_id', 'updated_at', 'deleted_by_customer_at'])
        .where('external_user_id', '=', contact.externalUserId)
        .execute()
      const previous = new Map(rows.map((r) => [r.user_id, Number(r.updated_at)]))
      const deletedAt = new Map(
        rows.map((r) => [r.user_id, r.deleted_by_customer_at === null ? null : Number(r.deleted_by_customer_at)]),
      )
      const still = new Set(contact.follows.map((f) => f.userId))
      // A guide she deleted keeps her, marked, whether or not WeCom still lists her there.
      const kept = rows.filter((r) => !still.has(r.user_id) && r.deleted_by_customer_at !== null).map((r) => r.user_id)
      await trx
        .deleteFrom('wecom_follows')
        .where('external_user_id', '=', contact.externalUserId)
        .$if(kept.length > 0, (q) => q.where('user_id', 'not in', kept))
        .execute()
      await recordLost(
        trx,
        rows
          .filter((r) => !still.has(r.user_id) && r.deleted_by_customer_at === null)
          .map((r) => ({ userId: r.user_id, externalUserId: contact.externalUserId })),
        now,
      )
      if (contact.follows.length > 0) {
        await trx
          .insertInto('wecom_follows')
          .values(
            contact.follows.map((f) => ({
              external_user_id: contact.externalUserId,
              user_id: f.userId,
              remark: f.remark,
              description: f.description,
              tags: JSON.stringify(f.tags),
              added_at: f.addedAt,
              add_way: f.addWay,
              state: f.state,
              remark_mobiles: JSON.stringify(f.remarkMobiles),
              updated_at: Math.max(now, (previous.get(f.userId) ?? 0) + 1),
              deleted_by_customer_at: deletedAt.get(f.userId) ?? null,
            })),
          )
          .execute()
        await settleFriendsAgain(trx, [contact.externalUserId])
      }
      await refreshSearchKeys(trx, [contact.externalUserId])
    })
  }

  /**
   * WeCom says the customer is gone (deleted, or never ours): her follows end. Her record
   * stays while a guide had her (the sidebar marks her, her history keeps its name);
   * a copy nobody followed is forgotten.
   */
  async forgetContact(externalUserId: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // A guide she deleted keeps her, marked (WeCom answers 84061 once she has deleted every
      // guide): that end was counted then, and keeps its reason.
      const follows = await trx
        .selectFrom('wecom_follows')
        .select('user_id')
        .where('external_user_id', '=', externalUserId)
        .where('deleted_by_customer_at', 'is', null)
        .execute()
      await recordLost(
        trx,
        follows.map((f) => ({ userId: f.user_id, externalUserId })),
        now,
      )
      await trx
        .deleteFrom('wecom_follows')
        .where('external_user_id', '=', externalUserId)
        .where('deleted_by_customer_at', 'is', null)
        .execute()
      const ended = await trx
        .selectFrom('wecom_follow_ends')
        .select('user_id')
        .where('external_user_id', '=', externalUserId)
        .executeTakeFirst()
      if (!ended) await trx.deleteFrom('wecom_customers').where('external_user_id', '=', externalUserId).execute()
    })
  }

  /**
   * Save one page of a guide's customers from `batch/get_by_user` (each contact carries
   * exactly this guide's follow entry). That API gives tag ids without names, so existing
   * tags are kept and a new customer is left unfetched (`fetched_at` 0): her profile reads
   * the full record the first time it opens.
   */
  async saveGuidePage(userId: string, contacts: CachedContact[], now: number): Promise<void> {
    if (contacts.length === 0) return
    await this.db.transaction().execute(async (trx) => {
      for (const c of contacts) {
        const customer = {
          name: c.name,
          avatar: c.avatar,
          type: c.type,
          gender: c.gender,
          corp_name: c.corpName,
          unionid: c.unionid,
        }
        await trx
          .insertInto('wecom_customers')
          .values({ external_user_id: c.externalUserId, ...customer, fetched_at: 0, updated_at: now })
          .onConflict((oc) =>
            oc.column('external_user_id').doUpdateSet({ ...customer, updated_at: bumped('wecom_customers.updated_at', now) }),
          )
          .execute()
        const f = c.follows.find((entry) => entry.userId === userId)
        if (!f) continue
        const follow = {
          remark: f.remark,
          description: f.description,
          added_at: f.addedAt,
          add_way: f.addWay,
          state: f.state,
          remark_mobiles: JSON.stringify(f.remarkMobiles),
        }
        await trx
          .insertInto('wecom_follows')
          .values({ external_user_id: c.externalUserId, user_id: userId, tags: '[]', ...follow, updated_at: now })
          .onConflict((oc) =>
            oc
              .columns(['external_user_id', 'user_id'])
              .doUpdateSet({ ...follow, updated_at: bumped('wecom_follows.updated_at', now) }),
          )
          .execute()
      }
      await settleFriendsAgain(
        trx,
        contacts.map((c) => c.externalUserId),
        userId,
      )
      await refreshSearchKeys(
        trx,
        contacts.map((c) => c.externalUserId),
      )
    })
  }

  /** Her customers WeCom should list for her: not those who deleted her (kept, marked, whatever WeCom says). */
  async followedIds(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('wecom_follows')
      .select('external_user_id')
      .where('user_id', '=', userId)
      .where('deleted_by_customer_at', 'is', null)
      .execute()
    return rows.map((r) => r.external_user_id)
  }

  async removeFollows(userId: string, externalUserIds: string[], now: number): Promise<void> {
    for (let i = 0; i < externalUserIds.length; i += 500) {
      const batch = externalUserIds.slice(i, i + 500)
      await this.db.transaction().execute(async (trx) => {
        await recordLost(
          trx,
          batch.map((externalUserId) => ({ userId, externalUserId })),
          now,
        )
        await trx.deleteFrom('wecom_follows').where('user_id', '=', userId).where('external_user_id', 'in', batch).execute()
      })
    }
  }

  /**
   * A change event says this follow ended (`reason`). Unless the guide and she are friends
   * again since the event (`eventAt`), the follow goes and its end is kept with the reason;
   * an end noticed earlier (a refresh) learns its reason. False when the event was stale.
   */
  async endFollow(input: {
    userId: string
    externalUserId: string
    reason: FollowEndReason
    eventAt: number
    now: number
  }): Promise<boolean> {
    const { userId, externalUserId, reason, now } = input
    return this.db.transaction().execute(async (trx) => {
      const follow = await trx
        .selectFrom('wecom_follows')
        .select(['added_at', 'deleted_by_customer_at'])
        .where('external_user_id', '=', externalUserId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (follow) {
        if (follow.added_at !== null && Number(follow.added_at) > input.eventAt) return false
        if (follow.deleted_by_customer_at !== null) {
          // Counted lost when she deleted him; WeCom repeating it changes nothing.
          if (reason === 'customer_deleted') return true
          await trx
            .updateTable('wecom_follow_ends')
            .set({ reason })
            .where('external_user_id', '=', externalUserId)
            .where('user_id', '=', userId)
            .execute()
        } else {
          await recordLost(trx, [{ userId, externalUserId }], now, reason)
        }
        // She deleted him: she stays in his list, marked. Any other end takes the follow away.
        if (reason === 'customer_deleted') {
          await trx
            .updateTable('wecom_follows')
            .set({ deleted_by_customer_at: input.eventAt })
            .where('external_user_id', '=', externalUserId)
            .where('user_id', '=', userId)
            .execute()
        } else {
          await trx
            .deleteFrom('wecom_follows')
            .where('external_user_id', '=', externalUserId)
            .where('user_id', '=', userId)
            .execute()
        }
        return true
      }
      await trx
        .updateTable('wecom_follow_ends')
        .set({ reason })
        .where('external_user_id', '=', externalUserId)
        .where('user_id', '=', userId)
        .where('transferred_to', 'is', null)
        .execute()
      return true
    })
  }

  /** Why and when this guide's follow of her ended; undefined while it lasts (or never was). */
  followEnd(userId: string, externalUserId: string): Promise<{ endedAt: number; reason: FollowEndReason } | undefined> {
    return this.db
      .selectFrom('wecom_follow_ends')
      .select(['ended_at as endedAt', 'reason'])
      .where('external_user_id', '=', externalUserId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
      .then((row) => (row ? { endedAt: Number(row.endedAt), reason: row.reason } : undefined))
  }
}

/**
 * Friends again: a mark of her deleting the guide goes once WeCom shows she added him after
 * it (a later `createtime`), and an end recorded earlier no longer stands for a follow that
 * exists unmarked. `userId` narrows it to one guide's follows.
 */
async function settleFriendsAgain(trx: Trx, externalUserIds: string[], userId?: string): Promise<void> {
  if (externalUserIds.length === 0) return
  await trx
    .updateTable('wecom_follows')
    .set({ deleted_by_customer_at: null })
    .where('external_user_id', 'in', externalUserIds)
    .$if(userId !== undefined, (q) => q.where('user_id', '=', userId!))
    .where('deleted_by_customer_at', 'is not', null)
    .where('added_at', 'is not', null)
    .whereRef('added_at', '>', 'deleted_by_customer_at')
    .execute()
  await trx
    .deleteFrom('wecom_follow_ends')
    .where('external_user_id', 'in', externalUserIds)
    .$if(userId !== undefined, (q) => q.where('user_id', '=', userId!))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('wecom_follows as f')
          .select('f.user_id')
          .whereRef('f.external_user_id', '=', 'wecom_follow_ends.external_user_id')
          .whereRef('f.user_id', '=', 'wecom_follow_ends.user_id')
          .where('f.deleted_by_customer_at', 'is', null),
      ),
    )
    .execute()
}

/**
 * A follow that ended (she deleted the guide, or WeCom no longer lists her) leaves a
 * `follow_lost` event, so the guide's numbers can count customers lost, and an end in
 * `wecom_follow_ends` (why and when: the sidebar says so, a takeover inherits her records).
 * The cached follow itself is gone, or marked when she deleted the guide. Not a timeline kind: her 动态 does not show it.
 */
async function recordLost(
  trx: Trx,
  lost: { userId: string; externalUserId: string }[],
  now: number,
  reason: FollowEndReason = 'lost',
): Promise<void> {
  if (lost.length === 0) return
  await trx
    .insertInto('wecom_follow_ends')
    .values(
      lost.map(({ userId, externalUserId }) => ({
        external_user_id: externalUserId,
        user_id: userId,
        ended_at: now,
        reason,
        transferred_to: null,
        transferred_at: null,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['external_user_id', 'user_id'])
        .doUpdateSet({ ended_at: now, reason, transferred_to: null, transferred_at: null }),
    )
    .execute()
  await trx
    .insertInto('customer_events')
    .values(
      lost.map(({ userId, externalUserId }) => ({
        id: `lost_${userId}_${externalUserId}_${now}`,
        external_user_id: externalUserId,
        kind: 'follow_lost',
        actor_id: userId,
        occurred_at: now,
        payload: '{}',
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}
