/**
 * The reply library as guides and managers read it: live corporate content and her own,
 * her favourites and usage; and who may see a reply or group at all. Editing is in
 * reply-editing.service.ts, sending in reply-sends.service.ts, the audit log in
 * audit.service.ts.
 */
import type { Reply, ReplyLibrary } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { iso } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { requireManager } from '../guides/roles'
import type { MediaService } from '../media/media.service'
import { toGroup, toReply } from './replies.mapper'
import { RepliesRepository, type GroupRow, type ReplyRow } from './replies.repository'

export class RepliesService {
  private readonly repo: RepliesRepository

  constructor(
    private readonly ctx: AppContext,
    private readonly media: MediaService,
  ) {
    this.repo = new RepliesRepository(ctx.db)
  }

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

  private assetsOf(replies: Reply[]): Promise<ReplyLibrary['assets']> {
    const ids = [...new Set(replies.flatMap((r) => r.parts.flatMap((p) => (p.type === 'image' ? [p.assetId] : []))))]
    return this.media.shown(ids)
  }

  async setFavorite(userId: string, id: string, favorite: boolean): Promise<void> {
    await this.visibleReply(userId, id)
    await this.repo.setFavorite(id, userId, favorite, this.ctx.now())
  }

  // --- Who sees what ----------------------------------------------------------------------------

  /** The reply, if she may see it: corporate, or her own personal one. */
  async visibleReply(userId: string, id: string): Promise<ReplyRow> {
    const row = await this.repo.findReply(id)
    if (!row || (row.scope === 'personal' && row.owner_id !== userId)) throw ApiError.notFound('No such reply')
    return row
  }

  async visibleGroup(userId: string, id: string): Promise<GroupRow> {
    const row = await this.repo.findGroup(id)
    if (!row || (row.scope === 'personal' && row.owner_id !== userId)) throw ApiError.notFound('No such group')
    return row
  }

  /** Whether guides see what is in the group: it and the group above it are live. */
  async groupIsLive(groupId: string): Promise<boolean> {
    const group = await this.repo.findGroup(groupId)
    if (!group || group.retired_at !== null) return false
    if (group.parent_id === null) return true
    const parent = await this.repo.findGroup(group.parent_id)
    return !!parent && parent.retired_at === null
  }
}
