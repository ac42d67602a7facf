/**
 * The reply library: corporate content curated by managers (audited), personal content
 * each guide keeps for herself, favourites and usage, and turning a reply into the
 * messages `sendChatMessage` takes for one customer or group.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { ANY_MEMBER, fillVariables, MEMBER_LEVEL_NAMES, salutation, type FillValues } from '../../../shared/reply-fill'
import type {
  AuditEntry,
  AuditPage,
  CopyablePart,
  CopyPlan,
  GroupCreate,
  GroupMove,
  GroupUpdate,
  Move,
  Reply,
  ReplyCreate,
  ReplyGroup,
  ReplyLibrary,
  ReplyPart,
  ReplyUpdate,
  SendPlan,
  SendPlanMode,
  SendReport,
  SendablePart,
} from '../../../shared/replies'
import type { AppContext } from '../../context'
import { bumped, iso, parseJsonArray } from '../../db/sql'
import { ApiError } from '../../http/errors'
import type { CustomersService } from '../customers/customers.service'
import { GroupChats } from '../groups/group-chats'
import { requireManager } from '../guides/roles'
import { assetUrl, type MediaService } from '../media/media.service'
import { auditChanges } from './audit-changes'
import { RepliesRepository, type GroupRow, type ReplyRow, type Trx } from './replies.repository'

function toGroup(row: GroupRow): ReplyGroup {
  return {
    id: row.id,
    scope: row.scope,
    parentId: row.parent_id,
    name: row.name,
    position: row.position,
    retired: row.retired_at !== null,
  }
}

function toReply(row: ReplyRow): Reply {
  return {
    id: row.id,
    scope: row.scope,
    groupId: row.group_id,
    title: row.title,
    parts: parseJsonArray<ReplyPart>(row.parts),
    tags: parseJsonArray<string>(row.tags),
    stages: parseJsonArray(row.stages),
    position: row.position,
    retired: row.retired_at !== null,
    updatedAt: iso(Number(row.updated_at)),
  }
}

export class RepliesService {
  private readonly repo: RepliesRepository
  private readonly groups: GroupChats

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly media: MediaService,
  ) {
    this.repo = new RepliesRepository(ctx.db.kysely)
    this.groups = new GroupChats(ctx)
  }

  /** PostgreSQL locks the rows a read-modify-write depends on; SQLite runs one writer at a time. */
  private get rowLocks(): boolean {
    return this.ctx.db.kind === 'postgres'
  }

  private newId(prefix: string): string {
    return `${prefix}_${randomBytes(9)
      .toString('base64url')
      .replace(/[^A-Za-z0-9]/g, 'x')}`
  }

  // --- Reading ------------------------------------------------------------------------------

  /** What the sidebar searches: live corporate content and her own, with her usage. */
  async library(userId: string): Promise<ReplyLibrary> {
    const [groupRows, replyRows, usage, favorites] = await Promise.all([
      this.repo.groupsFor(userId, { withRetired: false }),
      this.repo.repliesFor(userId, { withRetired: false }),
      this.repo.usage(userId),
      this.repo.favorites(userId),
    ])
    // A reply in a retired group (or under one) is retired with it.
    const live = new Set(groupRows.map((g) => g.id))
    const groups = groupRows.filter((g) => g.parent_id === null || live.has(g.parent_id))
    const visible = new Set(groups.map((g) => g.id))
    const replies = replyRows.filter((r) => visible.has(r.group_id)).map(toReply)
    return {
      groups: groups.map(toGroup),
      replies,
      usage: usage.map((u) => ({ replyId: u.reply_id, count: u.count, lastUsedAt: iso(Number(u.last_used_at)) })),
      favorites: favorites.filter((id) => replies.some((r) => r.id === id)),
      assets: await this.assetsOf(replies),
    }
  }

  /** Everything corporate, retired included: the manager's desk. */
  async manageLibrary(userId: string): Promise<ReplyLibrary> {
    await requireManager(this.ctx, userId)
    const [groups, replies] = await Promise.all([
      this.repo.groupsFor(userId, { withRetired: true, corpOnly: true }),
      this.repo.repliesFor(userId, { withRetired: true, corpOnly: true }),
    ])
    const mapped = replies.map(toReply)
    return { groups: groups.map(toGroup), replies: mapped, usage: [], favorites: [], assets: await this.assetsOf(mapped) }
  }

  private async assetsOf(replies: Reply[]): Promise<ReplyLibrary['assets']> {
    const ids = [...new Set(replies.flatMap((r) => r.parts.flatMap((p) => (p.type === 'image' ? [p.assetId] : []))))]
    if (ids.length === 0) return []
    const rows = await this.ctx.db.kysely
      .selectFrom('media_assets')
      .select(['id', 'width', 'height'])
      .where('id', 'in', ids)
      .execute()
    return rows.map((r) => ({ id: r.id, url: assetUrl(r.id), width: r.width, height: r.height }))
  }

  // --- Permission ------------------------------------------------------------------------------

  /** Corporate content is the managers'; personal content is its owner's alone. */
  private async assertCanEdit(userId: string, row: { scope: string; owner_id: string | null }): Promise<void> {
    if (row.scope === 'corp') return requireManager(this.ctx, userId)
    if (row.owner_id !== userId) throw ApiError.forbidden('This is another guide’s personal reply')
  }

  private async visibleReply(userId: string, id: string): Promise<ReplyRow> {
    const row = await this.repo.findReply(id)
    if (!row || (row.scope === 'personal' && row.owner_id !== userId)) throw ApiError.notFound('No such reply')
    return row
  }

  private async checkParts(parts: ReplyPart[]): Promise<string[]> {
    const ids = parts.flatMap((p) => (p.type === 'image' ? [p.assetId] : []))
    const known = await this.media.exists(ids)
    const missing = ids.filter((id) => !known.has(id))
    if (missing.length) throw ApiError.badRequest(`parts: no uploaded image ${missing.join(', ')}`)
    return ids
  }

  /**
   * A group new content may go into: not retired, nor inside a retired group (what it
   * holds would be hidden from every guide at once).
   */
  private async assertOpenGroup(trx: Trx, group: GroupRow, field: string): Promise<void> {
    if (group.retired_at !== null) throw ApiError.badRequest(`${field}: this group is retired; restore it first`)
    if (group.parent_id === null) return
    const parent = await this.repo.findGroup(group.parent_id, trx)
    if (!parent || parent.retired_at !== null) {
      throw ApiError.badRequest(`${field}: this group is inside a retired group; restore that first`)
    }
  }

  /** Whether guides see what is in the group: it and the group above it are live. */
  private async groupIsLive(groupId: string): Promise<boolean> {
    const group = await this.repo.findGroup(groupId)
    if (!group || group.retired_at !== null) return false
    if (group.parent_id === null) return true
    const parent = await this.repo.findGroup(group.parent_id)
    return !!parent && parent.retired_at === null
  }

  private async audit(
    trx: Trx,
    actorId: string,
    entity: 'reply' | 'reply_group',
    entityId: string,
    action: string,
    before: unknown,
    after: unknown,
  ) {
    await this.repo.audit(trx, { id: randomUUID(), actorId, entity, entityId, action, before, after, at: this.ctx.now() })
  }

  // --- Replies --------------------------------------------------------------------------------

  async createReply(userId: string, input: ReplyCreate): Promise<Reply> {
    const found = await this.repo.findGroup(input.groupId)
    if (!found) throw ApiError.badRequest('groupId: no such group')
    if (found.scope !== input.scope || (input.scope === 'personal' && found.owner_id !== userId)) {
      throw ApiError.badRequest('groupId: a reply goes into a group of the same kind (corporate or your own)')
    }
    if (input.scope === 'corp') await requireManager(this.ctx, userId)
    const images = await this.checkParts(input.parts)
    const now = this.ctx.now()
    const id = this.newId('r')
    await this.repo.transaction(async (trx) => {
      // Locked: nobody retires it or takes the same position meanwhile.
      const group = (await this.repo.lockGroups(trx, [found.id], this.rowLocks)).get(found.id)
      if (!group) throw ApiError.badRequest('groupId: no such group')
      await this.assertOpenGroup(trx, group, 'groupId')
      await trx
        .insertInto('replies')
        .values({
          id,
          scope: input.scope,
          owner_id: input.scope === 'personal' ? userId : null,
          group_id: group.id,
          title: input.title.trim(),
          parts: JSON.stringify(input.parts),
          tags: JSON.stringify(input.tags ?? []),
          stages: JSON.stringify(input.stages ?? []),
          position: await this.repo.nextReplyPosition(trx, group.id),
          retired_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute()
      if (input.scope === 'corp') await this.audit(trx, userId, 'reply', id, 'create', undefined, input)
    })
    // Its images go to WeCom now, so the first guide to send it does not wait.
    this.media.warm(images)
    return toReply((await this.repo.findReply(id))!)
  }

  async updateReply(userId: string, id: string, update: ReplyUpdate): Promise<Reply> {
    const { expectedUpdatedAt, ...patch } = update
    if (Object.keys(patch).length === 0) throw ApiError.badRequest('say what to change: title, parts, tags, stages or retired')
    await this.assertCanEdit(userId, await this.visibleReply(userId, id))
    const images = patch.parts ? await this.checkParts(patch.parts) : []
    const now = this.ctx.now()
    await this.repo.transaction(async (trx) => {
      const before = await this.repo.lockReply(trx, id, this.rowLocks)
      if (!before) throw ApiError.notFound('No such reply')
      if (expectedUpdatedAt !== undefined && Date.parse(expectedUpdatedAt) !== Number(before.updated_at)) {
        throw new ApiError(409, 'conflict', 'Someone else changed this reply since you opened it; reload to see their version')
      }
      await trx
        .updateTable('replies')
        .set({
          ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
          ...(patch.parts !== undefined ? { parts: JSON.stringify(patch.parts) } : {}),
          ...(patch.tags !== undefined ? { tags: JSON.stringify(patch.tags) } : {}),
          ...(patch.stages !== undefined ? { stages: JSON.stringify(patch.stages) } : {}),
          ...(patch.retired !== undefined ? { retired_at: patch.retired ? (before.retired_at ?? now) : null } : {}),
          updated_at: bumped('updated_at', now),
        })
        .where('id', '=', id)
        .execute()
      if (before.scope === 'corp') {
        const action =
          patch.retired === true && before.retired_at === null
            ? 'retire'
            : patch.retired === false && before.retired_at !== null
              ? 'restore'
              : 'update'
        await this.audit(trx, userId, 'reply', id, action, toReply(before), patch)
      }
    })
    this.media.warm(images)
    return toReply((await this.repo.findReply(id))!)
  }

  async moveReply(userId: string, id: string, move: Move): Promise<Reply> {
    const found = await this.visibleReply(userId, id)
    await this.assertCanEdit(userId, found)
    const groupId = move.groupId ?? found.group_id
    await this.repo.transaction(async (trx) => {
      // The group it leaves and the one it joins, then the reply: renumbering reads siblings
      // nobody else is renumbering, into a group nobody is retiring.
      const groups = await this.repo.lockGroups(trx, [found.group_id, groupId], this.rowLocks)
      const before = await this.repo.lockReply(trx, id, this.rowLocks)
      if (!before) throw ApiError.notFound('No such reply')
      if (before.group_id !== found.group_id) {
        throw new ApiError(409, 'conflict', 'This reply was moved by someone else just now; try again')
      }
      const target = groups.get(groupId)
      if (!target || target.scope !== before.scope || target.owner_id !== before.owner_id) {
        throw ApiError.badRequest('groupId: a reply moves only between groups of the same kind')
      }
      if (groupId !== before.group_id) await this.assertOpenGroup(trx, target, 'groupId')
      await this.repo.placeReply(trx, id, groupId, move.position, this.ctx.now())
      if (before.scope === 'corp')
        await this.audit(
          trx,
          userId,
          'reply',
          id,
          'move',
          { groupId: before.group_id, position: before.position },
          { groupId, position: move.position },
        )
    })
    return toReply((await this.repo.findReply(id))!)
  }

  async setFavorite(userId: string, id: string, favorite: boolean): Promise<void> {
    await this.visibleReply(userId, id)
    await this.repo.setFavorite(id, userId, favorite, this.ctx.now())
  }

  // --- Groups ---------------------------------------------------------------------------------

  async createGroup(userId: string, input: GroupCreate): Promise<ReplyGroup> {
    if (input.scope === 'corp') await requireManager(this.ctx, userId)
    const parentId = input.parentId ?? null
    const now = this.ctx.now()
    const id = this.newId('g')
    const ownerId = input.scope === 'personal' ? userId : null
    await this.repo.transaction(async (trx) => {
      // Checked under the lock: the parent cannot become a subgroup, or retired, meanwhile.
      if (parentId) {
        const parent = (await this.repo.lockGroups(trx, [parentId], this.rowLocks)).get(parentId)
        this.checkParent(input.scope, ownerId, parent)
      } else {
        await this.repo.lockTopLevel(trx, input.scope, ownerId, this.rowLocks)
      }
      await trx
        .insertInto('reply_groups')
        .values({
          id,
          scope: input.scope,
          owner_id: ownerId,
          parent_id: parentId,
          name: input.name.trim(),
          position: await this.repo.nextGroupPosition(trx, input.scope, ownerId, parentId),
          retired_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute()
      if (input.scope === 'corp') await this.audit(trx, userId, 'reply_group', id, 'create', undefined, input)
    })
    return toGroup((await this.repo.findGroup(id))!)
  }

  /**
   * Two levels at most: a parent must itself be top-level, of the same kind and owner, and
   * live. Call with the parent read under lock, inside the write's transaction.
   */
  private checkParent(scope: string, ownerId: string | null, parent: GroupRow | undefined): asserts parent is GroupRow {
    if (!parent || parent.scope !== scope || parent.owner_id !== ownerId) throw ApiError.badRequest('parentId: no such group')
    if (parent.parent_id !== null) throw ApiError.badRequest('parentId: groups go two levels deep at most')
    if (parent.retired_at !== null) throw ApiError.badRequest('parentId: this group is retired; restore it first')
  }

  private async visibleGroup(userId: string, id: string): Promise<GroupRow> {
    const row = await this.repo.findGroup(id)
    if (!row || (row.scope === 'personal' && row.owner_id !== userId)) throw ApiError.notFound('No such group')
    return row
  }

  async updateGroup(userId: string, id: string, patch: GroupUpdate): Promise<ReplyGroup> {
    await this.assertCanEdit(userId, await this.visibleGroup(userId, id))
    const now = this.ctx.now()
    await this.repo.transaction(async (trx) => {
      const before = (await this.repo.lockGroups(trx, [id], this.rowLocks)).get(id)
      if (!before) throw ApiError.notFound('No such group')
      await trx
        .updateTable('reply_groups')
        .set({
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.retired !== undefined ? { retired_at: patch.retired ? (before.retired_at ?? now) : null } : {}),
          updated_at: bumped('updated_at', now),
        })
        .where('id', '=', id)
        .execute()
      if (before.scope === 'corp') {
        const action =
          patch.retired === true && before.retired_at === null
            ? 'retire'
            : patch.retired === false && before.retired_at !== null
              ? 'restore'
              : 'update'
        await this.audit(trx, userId, 'reply_group', id, action, toGroup(before), patch)
      }
    })
    return toGroup((await this.repo.findGroup(id))!)
  }

  async moveGroup(userId: string, id: string, move: GroupMove): Promise<ReplyGroup> {
    const found = await this.visibleGroup(userId, id)
    await this.assertCanEdit(userId, found)
    const parentId = move.parentId === undefined ? found.parent_id : move.parentId
    if (parentId === id) throw ApiError.badRequest('parentId: a group cannot be inside itself')
    await this.repo.transaction(async (trx) => {
      // The group and its new parent, locked before the depth checks: a subgroup created
      // under this group, or its parent moved under another, waits for us (and we for it).
      const locked = await this.repo.lockGroups(trx, [id, parentId], this.rowLocks)
      if (parentId === null) await this.repo.lockTopLevel(trx, found.scope, found.owner_id, this.rowLocks)
      const before = locked.get(id)
      if (!before) throw ApiError.notFound('No such group')
      if (move.parentId === undefined && before.parent_id !== found.parent_id) {
        throw new ApiError(409, 'conflict', 'This group was moved by someone else just now; try again')
      }
      if (parentId !== null) {
        const parent = locked.get(parentId)
        if (parentId !== before.parent_id) this.checkParent(before.scope, before.owner_id, parent)
        else if (!parent) throw ApiError.badRequest('parentId: no such group')
        if (await this.repo.hasChildren(trx, id)) {
          throw ApiError.badRequest('parentId: a group with subgroups stays at the top level')
        }
      }
      await this.repo.placeGroup(trx, before, parentId, move.position, this.ctx.now())
      if (before.scope === 'corp') {
        await this.audit(
          trx,
          userId,
          'reply_group',
          id,
          'move',
          { parentId: before.parent_id, position: before.position },
          { parentId, position: move.position },
        )
      }
    })
    return toGroup((await this.repo.findGroup(id))!)
  }

  // --- Sending --------------------------------------------------------------------------------

  private async fillValues(userId: string, target: { externalUserId?: string; chatId?: string }): Promise<FillValues> {
    const guide = await this.ctx.db.kysely
      .selectFrom('guides as g')
      .leftJoin('stores as s', 's.id', 'g.store_id')
      .select(['g.name', 's.name as store'])
      .where('g.user_id', '=', userId)
      .executeTakeFirst()
    const base = { guide: guide?.name ?? '', store: guide?.store ?? '' }
    if (target.externalUserId) {
      const profile = await this.customers.getProfile(userId, target.externalUserId)
      return {
        ...base,
        salutation: salutation({ remark: profile.follow.remark, name: profile.name, gender: profile.gender }),
        memberLevel: profile.member ? MEMBER_LEVEL_NAMES[profile.member.level] : ANY_MEMBER,
        store: profile.facts.preferredStore?.name ?? base.store,
      }
    }
    if (target.chatId) {
      await this.assertChatMember(userId, target.chatId)
      return { ...base, salutation: '大家', memberLevel: ANY_MEMBER }
    }
    // No chat (the workbench): the guide copies the text and sends it herself.
    return { ...base, salutation: '亲', memberLevel: ANY_MEMBER }
  }

  /** She sends into a group chat only if she is in it (its owner, or a staff member). */
  private async assertChatMember(userId: string, chatId: string): Promise<void> {
    const chat = await this.groups.get(chatId)
    if (chat.owner !== userId && !chat.members.some((m) => m.type === 1 && m.userid === userId)) {
      throw ApiError.forbidden('You are not a member of this group chat')
    }
  }

  /**
   * The reply as messages for `sendChatMessage`: variables filled for her, images as media
   * ids. In copy mode (nothing goes through WeCom) images are only shown, so none is uploaded.
   */
  async sendPlan(
    userId: string,
    id: string,
    target: { externalUserId?: string; chatId?: string },
    mode: SendPlanMode = 'send',
  ): Promise<SendPlan | CopyPlan> {
    const reply = toReply(await this.visibleReply(userId, id))
    if (reply.retired) throw ApiError.notFound('This reply was retired')
    // Guides no longer see a reply whose group (or the group above) was retired.
    if (!(await this.groupIsLive(reply.groupId))) throw ApiError.notFound('This reply’s group was retired')
    const values = await this.fillValues(userId, target)
    const parts: (SendablePart | CopyablePart)[] = []
    for (const part of reply.parts) {
      if (part.type === 'text') parts.push({ msgtype: 'text', text: { content: fillVariables(part.text, values) } })
      else if (part.type === 'image') {
        const shown = { assetId: part.assetId, previewUrl: assetUrl(part.assetId) }
        parts.push(
          mode === 'copy'
            ? { msgtype: 'image', ...shown }
            : { msgtype: 'image', image: { mediaid: await this.media.mediaIdFor(part.assetId) }, ...shown },
        )
      } else if (part.type === 'news') {
        parts.push({
          msgtype: 'news',
          news: {
            link: part.url,
            title: fillVariables(part.title, values),
            desc: fillVariables(part.desc, values),
            imgUrl: this.absolute(part.coverUrl),
          },
        })
      } else {
        parts.push({
          msgtype: 'miniprogram',
          miniprogram: {
            appid: part.appid,
            title: fillVariables(part.title, values),
            imgUrl: this.absolute(part.coverUrl),
            page: part.page,
          },
        })
      }
    }
    return { replyId: id, parts }
  }

  /** Cards shown in WeChat need absolute image addresses. */
  private absolute(url: string): string {
    if (!url.startsWith('/')) return url
    return `${this.ctx.config.publicUrl ?? `http://localhost:${this.ctx.config.port}`}${url}`
  }

  /** Record a send (idempotent on the app's id): usage counts, and her timeline. */
  async recordSend(userId: string, id: string, report: SendReport): Promise<{ recorded: boolean }> {
    const reply = await this.visibleReply(userId, id)
    if (report.partsSent > report.partsTotal) throw ApiError.badRequest('partsSent: more than partsTotal')
    // Reported before (the app retries when an answer is lost): nothing more to check.
    const existing = await this.repo.findSend(report.id)
    if (existing) return sameSend(existing, userId, id)
    if (report.externalUserId) await this.customers.assertFollower(userId, report.externalUserId)
    if (report.chatId) await this.assertChatMember(userId, report.chatId)
    if (!report.externalUserId && !report.chatId && !report.copied) {
      throw ApiError.badRequest('say where it was sent: externalUserId or chatId')
    }
    const now = this.ctx.now()
    return this.repo.transaction(async (trx) => {
      const inserted = await trx
        .insertInto('reply_sends')
        .values({
          id: report.id,
          reply_id: id,
          user_id: userId,
          external_user_id: report.externalUserId ?? null,
          chat_id: report.chatId ?? null,
          parts_sent: report.partsSent,
          parts_total: report.partsTotal,
          edited: report.edited ? 1 : 0,
          copied: report.copied ? 1 : 0,
          sent_at: now,
        })
        // The same report twice at once: one row, and the other learns it was recorded.
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst()
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
        const other = await this.repo.findSend(report.id, trx)
        if (!other) throw new ApiError(409, 'conflict', 'This send is being recorded; try again')
        return sameSend(other, userId, id)
      }
      await trx
        .insertInto('reply_usage')
        .values({ reply_id: id, user_id: userId, count: 1, last_used_at: now })
        .onConflict((oc) =>
          oc
            .columns(['reply_id', 'user_id'])
            .doUpdateSet((eb) => ({ count: eb('reply_usage.count', '+', 1), last_used_at: now })),
        )
        .execute()
      if (report.externalUserId) {
        await trx
          .insertInto('customer_events')
          .values({
            id: randomUUID(),
            external_user_id: report.externalUserId,
            kind: 'reply_sent',
            actor_id: userId,
            occurred_at: now,
            payload: JSON.stringify({
              replyId: id,
              title: reply.title,
              partsSent: report.partsSent,
              partsTotal: report.partsTotal,
              edited: report.edited,
              copied: report.copied ?? false,
            }),
          })
          .execute()
      }
      return { recorded: true }
    })
  }

  /** The chat refused an image's media id: a fresh one, uploaded now. */
  async refreshMedia(assetId: string, mediaId: string): Promise<{ mediaId: string }> {
    return { mediaId: await this.media.replaceRefused(assetId, mediaId) }
  }

  // --- Audit --------------------------------------------------------------------------------------

  async auditLog(userId: string, cursor: string | undefined, limit: number): Promise<AuditPage> {
    await requireManager(this.ctx, userId)
    let before: { at: number; id: string } | undefined
    if (cursor) {
      try {
        const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string]
        if (typeof at !== 'number' || typeof id !== 'string') throw new Error('bad cursor')
        before = { at, id }
      } catch {
        throw ApiError.badRequest('cursor is not one this API returned')
      }
    }
    const rows = await this.repo.auditPage({ before, limit: limit + 1 })
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    const read = page.map((r) => {
      const b = parseFields(r.before)
      const a = parseFields(r.after)
      return { row: r, before: b, after: a, changes: auditChanges(r.action, b, a) }
    })
    // The log keeps ids; the manager reads names.
    const idsOf = (fields: string[]) =>
      read.flatMap(({ changes }) =>
        changes.filter((c) => fields.includes(c.field)).flatMap((c) => [c.before, c.after].flat().filter(isText)),
      )
    const entityIds = (entity: string) => read.filter(({ row }) => row.entity === entity).map(({ row }) => row.entity_id)
    const names = await this.repo.auditNames({
      replies: entityIds('reply'),
      groups: [...entityIds('reply_group'), ...idsOf(['groupId', 'parentId'])],
      templates: entityIds('coupon_template'),
      stores: idsOf(['storeIds']),
    })
    const named = (map: Map<string, string>, value: unknown): unknown =>
      Array.isArray(value) ? value.map((v) => named(map, v)) : isText(value) ? (map.get(value) ?? value) : value
    return {
      items: read.map(({ row: r, before: b, after: a, changes }): AuditEntry => {
        const current = r.entity === 'reply' ? names.replies : r.entity === 'reply_group' ? names.groups : names.templates
        return {
          id: r.id,
          at: iso(Number(r.at)),
          actor: { userId: r.actor_id, name: r.actor_name ?? r.actor_id },
          entity: r.entity as AuditEntry['entity'],
          entityId: r.entity_id,
          action: r.action as AuditEntry['action'],
          summary: nameOf(a) ?? current.get(r.entity_id) ?? nameOf(b) ?? '',
          changes: changes.map((c) => {
            const map =
              c.field === 'storeIds' ? names.stores : c.field === 'groupId' || c.field === 'parentId' ? names.groups : null
            if (!map) return c
            return {
              field: c.field,
              ...('before' in c ? { before: named(map, c.before) } : {}),
              after: named(map, c.after),
            }
          }),
        }
      }),
      nextCursor:
        rows.length > limit && last ? Buffer.from(JSON.stringify([Number(last.at), last.id])).toString('base64url') : null,
    }
  }
}

function parseFields(json: string | null): Record<string, unknown> {
  return json ? (JSON.parse(json) as Record<string, unknown>) : {}
}

function isText(value: unknown): value is string {
  return typeof value === 'string'
}

/** The title or name an entry's content gives itself, if it carries one. */
function nameOf(fields: Record<string, unknown>): string | undefined {
  const name = fields.title ?? fields.name
  return typeof name === 'string' && name.trim() ? name.trim() : undefined
}

/** A send id reported again: fine for the same reply and guide, a conflict otherwise. */
function sameSend(existing: { user_id: string; reply_id: string }, userId: string, replyId: string): { recorded: false } {
  if (existing.user_id !== userId || existing.reply_id !== replyId) {
    throw new ApiError(409, 'conflict', 'This send id was used for another reply')
  }
  return { recorded: false }
}
