import { sql, type Kysely, type Transaction } from 'kysely'
import { bumped } from '../../db/sql'
import type { Database, RepliesTable, ReplyGroupsTable } from '../../db/schema'

export type Trx = Transaction<Database> | Kysely<Database>
export type ReplyRow = RepliesTable
export type GroupRow = ReplyGroupsTable

export class RepliesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
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
  // reading inside the transaction is enough there (`rowLocks` false).
  //
  // Order, so two writers never wait on each other in a circle: group rows (one statement,
  // by id), then the top-level list, then reply rows.

  /** The groups, locked; those that do not exist are missing from the answer. */
  async lockGroups(trx: Trx, ids: (string | null | undefined)[], rowLocks: boolean): Promise<Map<string, GroupRow>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))].sort()
    if (wanted.length === 0) return new Map()
    const query = trx.selectFrom('reply_groups').selectAll().where('id', 'in', wanted).orderBy('id')
    const rows = await (rowLocks ? query.forUpdate() : query).execute()
    return new Map(rows.map((r) => [r.id, r]))
  }

  /**
   * The top-level groups of one library (corporate, or one guide's) have no parent row to
   * lock: writers of that list take a transaction-scoped advisory lock instead.
   */
  async lockTopLevel(trx: Trx, scope: string, ownerId: string | null, rowLocks: boolean): Promise<void> {
    if (!rowLocks) return
    await sql`select pg_advisory_xact_lock(hashtext(${`reply_groups:${scope}:${ownerId ?? ''}`}))`.execute(trx)
  }

  async lockReply(trx: Trx, id: string, rowLocks: boolean): Promise<ReplyRow | undefined> {
    const query = trx.selectFrom('replies').selectAll().where('id', '=', id)
    return (rowLocks ? query.forUpdate() : query).executeTakeFirst()
  }

  /** Whether the group has subgroups (retired ones too). */
  async hasChildren(trx: Trx, id: string): Promise<boolean> {
    const rows = await trx.selectFrom('reply_groups').select('id').where('parent_id', '=', id).limit(1).execute()
    return rows.length > 0
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

  async audit(
    trx: Trx,
    entry: {
      id: string
      actorId: string
      entity: string
      entityId: string
      action: string
      before: unknown
      after: unknown
      at: number
    },
  ): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({
        id: entry.id,
        actor_id: entry.actorId,
        entity: entry.entity,
        entity_id: entry.entityId,
        action: entry.action,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        at: entry.at,
      })
      .execute()
  }

  /** Names for what audit entries point at: replies, groups, coupon templates, stores. */
  async auditNames(ids: { replies: string[]; groups: string[]; templates: string[]; stores: string[] }) {
    const byId = async (list: string[], read: (list: string[]) => Promise<{ id: string; name: string }[]>) =>
      new Map(list.length ? (await read([...new Set(list)])).map((r) => [r.id, r.name]) : [])
    return {
      replies: await byId(ids.replies, (list) =>
        this.db.selectFrom('replies').select(['id', 'title as name']).where('id', 'in', list).execute(),
      ),
      groups: await byId(ids.groups, (list) =>
        this.db.selectFrom('reply_groups').select(['id', 'name']).where('id', 'in', list).execute(),
      ),
      templates: await byId(ids.templates, (list) =>
        this.db.selectFrom('coupon_templates').select(['id', 'name']).where('id', 'in', list).execute(),
      ),
      stores: await byId(ids.stores, (list) =>
        this.db.selectFrom('stores').select(['id', 'name']).where('id', 'in', list).execute(),
      ),
    }
  }

  auditPage(options: { before?: { at: number; id: string }; limit: number }) {
    let q = this.db
      .selectFrom('audit_log as a')
      .leftJoin('guides as g', 'g.user_id', 'a.actor_id')
      .selectAll('a')
      .select('g.name as actor_name')
    const before = options.before
    if (before)
      q = q.where((eb) => eb.or([eb('a.at', '<', before.at), eb.and([eb('a.at', '=', before.at), eb('a.id', '<', before.id)])]))
    return q.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(options.limit).execute()
  }
}
