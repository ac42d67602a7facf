/**
 * Changing the reply library: corporate content is the managers' (every change audited),
 * personal content its owner's alone. Each read-modify-write runs in one transaction that
 * first locks what it depends on (see the locks in replies.repository.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type {
  GroupCreate,
  GroupMove,
  GroupUpdate,
  Move,
  Reply,
  ReplyCreate,
  ReplyGroup,
  ReplyPart,
  ReplyUpdate,
} from '../../../shared/replies'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { ApiError } from '../../http/errors'
import { requireManager } from '../guides/roles'
import type { MediaService } from '../media/media.service'
import { AuditRepository } from './audit.repository'
import { toGroup, toReply } from './replies.mapper'
import { RepliesRepository, type GroupRow } from './replies.repository'
import type { RepliesService } from './replies.service'

export class ReplyEditingService {
  private readonly repo: RepliesRepository
  private readonly auditLog: AuditRepository

  constructor(
    private readonly ctx: AppContext,
    private readonly replies: RepliesService,
    private readonly media: MediaService,
  ) {
    this.repo = new RepliesRepository(ctx.db)
    this.auditLog = new AuditRepository(ctx.db)
  }

  private newId(prefix: string): string {
    return `${prefix}_${randomBytes(9)
      .toString('base64url')
      .replace(/[^A-Za-z0-9]/g, 'x')}`
  }

  // --- Permission ------------------------------------------------------------------------------

  /** Corporate content is the managers'; personal content is its owner's alone. */
  private async assertCanEdit(userId: string, row: { scope: string; owner_id: string | null }): Promise<void> {
    if (row.scope === 'corp') return requireManager(this.ctx, userId)
    if (row.owner_id !== userId) throw ApiError.forbidden('This is another guide’s personal reply')
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

  private async audit(
    trx: Trx,
    actorId: string,
    entity: 'reply' | 'reply_group',
    entityId: string,
    action: string,
    before: unknown,
    after: unknown,
  ) {
    await this.auditLog.record(trx, { id: randomUUID(), actorId, entity, entityId, action, before, after, at: this.ctx.now() })
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
      const group = (await this.repo.lockGroups(trx, [found.id])).get(found.id)
      if (!group) throw ApiError.badRequest('groupId: no such group')
      await this.assertOpenGroup(trx, group, 'groupId')
      await this.repo.insertReply(trx, {
        id,
        scope: input.scope,
        ownerId: input.scope === 'personal' ? userId : null,
        groupId: group.id,
        title: input.title.trim(),
        parts: input.parts,
        tags: input.tags ?? [],
        stages: input.stages ?? [],
        now,
      })
      if (input.scope === 'corp') await this.audit(trx, userId, 'reply', id, 'create', undefined, input)
    })
    // Its images go to WeCom now, so the first guide to send it does not wait.
    this.media.warm(images)
    return toReply((await this.repo.findReply(id))!)
  }

  async updateReply(userId: string, id: string, update: ReplyUpdate): Promise<Reply> {
    const { expectedUpdatedAt, ...patch } = update
    if (Object.keys(patch).length === 0) throw ApiError.badRequest('say what to change: title, parts, tags, stages or retired')
    await this.assertCanEdit(userId, await this.replies.visibleReply(userId, id))
    const images = patch.parts ? await this.checkParts(patch.parts) : []
    const now = this.ctx.now()
    await this.repo.transaction(async (trx) => {
      const before = await this.repo.lockReply(trx, id)
      if (!before) throw ApiError.notFound('No such reply')
      if (expectedUpdatedAt !== undefined && Date.parse(expectedUpdatedAt) !== Number(before.updated_at)) {
        throw new ApiError(409, 'conflict', 'Someone else changed this reply since you opened it; reload to see their version')
      }
      await this.repo.updateReply(
        trx,
        id,
        {
          title: patch.title?.trim(),
          parts: patch.parts,
          tags: patch.tags,
          stages: patch.stages,
          ...(patch.retired !== undefined ? { retiredAt: patch.retired ? (before.retired_at ?? now) : null } : {}),
        },
        now,
      )
      if (before.scope === 'corp') {
        await this.audit(trx, userId, 'reply', id, auditAction(patch.retired, before.retired_at), toReply(before), patch)
      }
    })
    this.media.warm(images)
    return toReply((await this.repo.findReply(id))!)
  }

  async moveReply(userId: string, id: string, move: Move): Promise<Reply> {
    const found = await this.replies.visibleReply(userId, id)
    await this.assertCanEdit(userId, found)
    const groupId = move.groupId ?? found.group_id
    await this.repo.transaction(async (trx) => {
      // The group it leaves and the one it joins, then the reply: renumbering reads siblings
      // nobody else is renumbering, into a group nobody is retiring.
      const groups = await this.repo.lockGroups(trx, [found.group_id, groupId])
      const before = await this.repo.lockReply(trx, id)
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
        const parent = (await this.repo.lockGroups(trx, [parentId])).get(parentId)
        this.checkParent(input.scope, ownerId, parent)
      } else {
        await this.repo.lockTopLevel(trx, input.scope, ownerId)
      }
      await this.repo.insertGroup(trx, { id, scope: input.scope, ownerId, parentId, name: input.name.trim(), now })
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

  async updateGroup(userId: string, id: string, patch: GroupUpdate): Promise<ReplyGroup> {
    await this.assertCanEdit(userId, await this.replies.visibleGroup(userId, id))
    const now = this.ctx.now()
    await this.repo.transaction(async (trx) => {
      const before = (await this.repo.lockGroups(trx, [id])).get(id)
      if (!before) throw ApiError.notFound('No such group')
      await this.repo.updateGroup(
        trx,
        id,
        {
          name: patch.name?.trim(),
          ...(patch.retired !== undefined ? { retiredAt: patch.retired ? (before.retired_at ?? now) : null } : {}),
        },
        now,
      )
      if (before.scope === 'corp') {
        await this.audit(trx, userId, 'reply_group', id, auditAction(patch.retired, before.retired_at), toGroup(before), patch)
      }
    })
    return toGroup((await this.repo.findGroup(id))!)
  }

  async moveGroup(userId: string, id: string, move: GroupMove): Promise<ReplyGroup> {
    const found = await this.replies.visibleGroup(userId, id)
    await this.assertCanEdit(userId, found)
    const parentId = move.parentId === undefined ? found.parent_id : move.parentId
    if (parentId === id) throw ApiError.badRequest('parentId: a group cannot be inside itself')
    await this.repo.transaction(async (trx) => {
      // The group and its new parent, locked before the depth checks: a subgroup created
      // under this group, or its parent moved under another, waits for us (and we for it).
      const locked = await this.repo.lockGroups(trx, [id, parentId])
      if (parentId === null) await this.repo.lockTopLevel(trx, found.scope, found.owner_id)
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
}

/** How the audit log names a change: retiring, restoring, or any other edit. */
function auditAction(retired: boolean | undefined, retiredAt: number | null): 'retire' | 'restore' | 'update' {
  return retired === true && retiredAt === null ? 'retire' : retired === false && retiredAt !== null ? 'restore' : 'update'
}
