import type { Kysely } from 'kysely'
import type { ReplyPart, ReplyStage } from '../../../shared/replies'
import type { Db, DbKind, Trx } from '../../db'
import { forUpdate, lockKey } from '../../db/dialect'
import type { Database, RepliesTable, ReplyGroupsTable } from '../../db/schema'
import { bumped } from '../../db/sql'

export type ReplyRow = RepliesTable
export type GroupRow = ReplyGroupsTable

/** What changes in a reply or group; `retiredAt` null restores it. */
export interface ReplyChanges {
  title?: string
  parts?: ReplyPart[]
  tags?: string[]
  stages?: ReplyStage[]
  retiredAt?: number | null
}

export class RepliesRepository {
  private readonly db: Kysely<Database>
  private readonly kind: DbKind

  constructor(database: Db) {
    this.db = database.kysely
    this.kind = database.kind
  }

  transaction<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work)
  }

  /** Corporate content and this guide's own; retired rows too when asked (managers). */
  async groupsFor(userId: string, options: { withRetired: boolean; corpOnly?: boolean }): Promise<GroupRow[]> {
    let q = this.db.selectFrom('reply_groups').selectAll()
    q = options.corpOnly
      ? q.where('scope', '=', 'corp')
      : q.where((eb) => eb.or([eb('scope', '=', 'corp'), eb.and([eb('scope', '=', 'personal'), eb('owner_id', '=', userId)])]))
    if (!options.withRetired) q = q.where('retired_at', 'is', null)
    return q.orderBy('position').orderBy('id').execute()
  }

  async repliesFor(userId: string, options: { withRetired: boolean; corpOnly?: boolean }): Promise<ReplyRow[]> {
    let q = this.db.selectFrom('replies').selectAll()
    q = options.corpOnly
      ? q.where('scope', '=', 'corp')
      : q.where((eb) => eb.or([eb('scope', '=', 'corp'), eb.and([eb('scope', '=', 'personal'), eb('owner_id', '=', userId)])]))
    if (!options.withRetired) q = q.where('retired_at', 'is', null)
    return q.orderBy('group_id').orderBy('position').orderBy('id').execute()
  }

  findGroup(id: string, trx: Trx = this.db) {
    return trx.selectFrom('reply_groups').selectAll().where('id', '=', id).executeTakeFirst()
  }

  findReply(id: string, trx: Trx = this.db) {
    return trx.selectFrom('replies').selectAll().where('id', '=', id).executeTakeFirst()
  }

  // --- Locks ------------------------------------------------------------------------------------
  //
  // A read-modify-write of the library (renumbering siblings, taking the next position,
  // checking depth before nesting, checking a version before saving) runs in a transaction
  // that first locks what it depends on. On PostgreSQL (several API instances) that is
  // SELECT … FOR UPDATE; SQLite runs one transaction at a time on its one connection, so
  // reading inside the transaction is enough there (see src/server/db/dialect.ts).
  //
  // Order, so two writers never wait on each other in a circle: group rows (one statement,
  // by id), then the top-level list, then reply rows.

  /** The groups, locked; those that do not exist are missing from the answer. */
  async lockGroups(trx: Trx, ids: (string | null | undefined)[]): Promise<Map<string, GroupRow>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))].sort()
    if (wanted.length === 0) return new Map()
    const query = trx.selectFrom('reply_groups').selectAll().where('id', 'in', wanted).orderBy('id')
    const rows = await forUpdate(this.kind, query).execute()
    return new Map(rows.map((r) => [r.id, r]))
  }

  /**
   * The top-level groups of one library (corporate, or one guide's) have no parent row to
   * lock: writers of that list take a transaction-scoped advisory lock instead.
   */
  async lockTopLevel(trx: Trx, scope: string, ownerId: string | null): Promise<void> {
    await lockKey(this.kind, trx, `reply_groups:${scope}:${ownerId ?? ''}`)
  }

  async lockReply(trx: Trx, id: string): Promise<ReplyRow | undefined> {
    const query = trx.selectFrom('replies').selectAll().where('id', '=', id)
    return forUpdate(this.kind, query).executeTakeFirst()
  }

  /** Whether the group has subgroups (retired ones too). */
  async hasChildren(trx: Trx, id: string): Promise<boolean> {
    const rows = await trx.selectFrom('reply_groups').select('id').where('parent_id', '=', id).limit(1).execute()
    return rows.length > 0
  }

  // --- Writes -------------------------------------------------------------------------------------

  /** At the end of its group; call with the group locked (`lockGroups`). */
  async insertReply(
    trx: Trx,
    reply: {
      id: string
      scope: 'corp' | 'personal'
      ownerId: string | null
      groupId: string
      title: string
      parts: ReplyPart[]
      tags: string[]
      stages: ReplyStage[]
      now: number
    },
  ): Promise<void> {
    await trx
      .insertInto('replies')
      .values({
        id: reply.id,
        scope: reply.scope,
        owner_id: reply.ownerId,
        group_id: reply.groupId,
        title: reply.title,
        parts: JSON.stringify(reply.parts),
        tags: JSON.stringify(reply.tags),
        stages: JSON.stringify(reply.stages),
        position: await this.nextReplyPosition(trx, reply.groupId),
        retired_at: null,
        created_at: reply.now,
        updated_at: reply.now,
      })
      .execute()
  }

  async updateReply(trx: Trx, id: string, changes: ReplyChanges, now: number): Promise<void> {
    await trx
      .updateTable('replies')
      .set({
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.parts !== undefined ? { parts: JSON.stringify(changes.parts) } : {}),
        ...(changes.tags !== undefined ? { tags: JSON.stringify(changes.tags) } : {}),
        ...(changes.stages !== undefined ? { stages: JSON.stringify(changes.stages) } : {}),
        ...(changes.retiredAt !== undefined ? { retired_at: changes.retiredAt } : {}),
        updated_at: bumped('updated_at', now),
      })
      .where('id', '=', id)
      .execute()
  }

  /** At the end of its list; call with the parent locked, or the top-level list (`lockTopLevel`). */
  async insertGroup(
    trx: Trx,
    group: {
      id: string
      scope: 'corp' | 'personal'
      ownerId: string | null
      parentId: string | null
      name: string
      now: number
    },
  ): Promise<void> {
    await trx
      .insertInto('reply_groups')
      .values({
        id: group.id,
        scope: group.scope,
        owner_id: group.ownerId,
        parent_id: group.parentId,
        name: group.name,
        position: await this.nextGroupPosition(trx, group.scope, group.ownerId, group.parentId),
        retired_at: null,
        created_at: group.now,
        updated_at: group.now,
      })
      .execute()
  }

  async updateGroup(trx: Trx, id: string, changes: Pick<ReplyChanges, 'retiredAt'> & { name?: string }, now: number) {
    await trx
      .updateTable('reply_groups')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.retiredAt !== undefined ? { retired_at: changes.retiredAt } : {}),
        updated_at: bumped('updated_at', now),
      })
      .where('id', '=', id)
      .execute()
  }

  // --- Positions ----------------------------------------------------------------------------------

  /** Call with the group locked (`lockGroups`). */
  async nextReplyPosition(trx: Trx, groupId: string): Promise<number> {
    const row = await trx
      .selectFrom('replies')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('group_id', '=', groupId)
      .executeTakeFirst()
    return row?.p === null || row?.p === undefined ? 0 : Number(row.p) + 1
  }

  /** Call with the parent locked, or the top-level list (`lockTopLevel`). */
  async nextGroupPosition(trx: Trx, scope: string, ownerId: string | null, parentId: string | null): Promise<number> {
    let q = trx
      .selectFrom('reply_groups')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('scope', '=', scope as 'corp' | 'personal')
    q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId)
    q = ownerId === null ? q.where('owner_id', 'is', null) : q.where('owner_id', '=', ownerId)
    const row = await q.executeTakeFirst()
    return row?.p === null || row?.p === undefined ? 0 : Number(row.p) + 1
  }

  /**
   * Put `id` at `position` among the replies of `groupId`, renumbering them 0, 1, 2, …
   * Call with the group locked (`lockGroups`), so the siblings read are still the siblings.
   */
  async placeReply(trx: Trx, id: string, groupId: string, position: number, now: number): Promise<void> {
    const siblings = (
      await trx
        .selectFrom('replies')
        .select('id')
        .where('group_id', '=', groupId)
        .where('id', '!=', id)
        .orderBy('position')
        .orderBy('id')
        .execute()
    ).map((r) => r.id)
    siblings.splice(Math.min(position, siblings.length), 0, id)
    for (const [index, replyId] of siblings.entries()) {
      await trx
        .updateTable('replies')
        .set(replyId === id ? { position: index, group_id: groupId, updated_at: bumped('updated_at', now) } : { position: index })
        .where('id', '=', replyId)
        .execute()
    }
  }

  /** Like `placeReply`; call with the new parent locked, or the top-level list. */
  async placeGroup(trx: Trx, group: GroupRow, parentId: string | null, position: number, now: number): Promise<void> {
    let q = trx.selectFrom('reply_groups').select('id').where('scope', '=', group.scope).where('id', '!=', group.id)
    q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId)
    q = group.owner_id === null ? q.where('owner_id', 'is', null) : q.where('owner_id', '=', group.owner_id)
    const siblings = (await q.orderBy('position').orderBy('id').execute()).map((r) => r.id)
    siblings.splice(Math.min(position, siblings.length), 0, group.id)
    for (const [index, groupId] of siblings.entries()) {
      await trx
        .updateTable('reply_groups')
        .set(
          groupId === group.id
            ? { position: index, parent_id: parentId, updated_at: bumped('updated_at', now) }
            : { position: index },
        )
        .where('id', '=', groupId)
        .execute()
    }
  }

  usage(userId: string) {
    return this.db.selectFrom('reply_usage').selectAll().where('user_id', '=', userId).execute()
  }

  async favorites(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('reply_favorites')
      .select('reply_id')
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute()
    return rows.map((r) => r.reply_id)
  }

  async setFavorite(replyId: string, userId: string, favorite: boolean, now: number): Promise<void> {
    if (favorite) {
      await this.db
        .insertInto('reply_favorites')
        .values({ reply_id: replyId, user_id: userId, created_at: now })
        .onConflict((oc) => oc.columns(['reply_id', 'user_id']).doNothing())
        .execute()
    } else {
      await this.db.deleteFrom('reply_favorites').where('reply_id', '=', replyId).where('user_id', '=', userId).execute()
    }
  }

  findSend(id: string, trx: Trx = this.db) {
    return trx.selectFrom('reply_sends').selectAll().where('id', '=', id).executeTakeFirst()
  }

  // --- Sends --------------------------------------------------------------------------------------

  /** False when a send with this id is already recorded (the same report twice at once). */
  async insertSend(
    trx: Trx,
    send: {
      id: string
      replyId: string
      userId: string
      externalUserId: string | null
      chatId: string | null
      partsSent: number
      partsTotal: number
      edited: boolean
      copied: boolean
      sentAt: number
    },
  ): Promise<boolean> {
    const inserted = await trx
      .insertInto('reply_sends')
      .values({
        id: send.id,
        reply_id: send.replyId,
        user_id: send.userId,
        external_user_id: send.externalUserId,
        chat_id: send.chatId,
        parts_sent: send.partsSent,
        parts_total: send.partsTotal,
        edited: send.edited ? 1 : 0,
        copied: send.copied ? 1 : 0,
        sent_at: send.sentAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0
  }

  async countUse(trx: Trx, replyId: string, userId: string, now: number): Promise<void> {
    await trx
      .insertInto('reply_usage')
      .values({ reply_id: replyId, user_id: userId, count: 1, last_used_at: now })
      .onConflict((oc) =>
        oc.columns(['reply_id', 'user_id']).doUpdateSet((eb) => ({ count: eb('reply_usage.count', '+', 1), last_used_at: now })),
      )
      .execute()
  }

  /** The send on the customer's timeline. */
  async addSentEvent(
    trx: Trx,
    event: { id: string; externalUserId: string; actorId: string; occurredAt: number; payload: unknown },
  ): Promise<void> {
    await trx
      .insertInto('customer_events')
      .values({
        id: event.id,
        external_user_id: event.externalUserId,
        kind: 'reply_sent',
        actor_id: event.actorId,
        occurred_at: event.occurredAt,
        payload: JSON.stringify(event.payload),
      })
      .execute()
  }
}
