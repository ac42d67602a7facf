/**
 * Sending a reply: turned into the messages `sendChatMessage` takes for one customer or
 * group (variables filled for her, images as WeCom media ids), and each send recorded once.
 */
import { randomUUID } from 'node:crypto'
import { ANY_MEMBER, fillVariables, MEMBER_LEVEL_NAMES, salutation, type FillValues } from '../../../shared/reply-fill'
import type { CopyablePart, CopyPlan, SendablePart, SendPlan, SendPlanMode, SendReport } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import type { CustomersService } from '../customers/customers.service'
import { GroupChats } from '../groups/group-chats'
import { assetUrl } from '../media/media.mapper'
import type { MediaService } from '../media/media.service'
import { toReply } from './replies.mapper'
import { RepliesRepository } from './replies.repository'
import type { RepliesService } from './replies.service'
import { GuidesRepository } from '../guides/guides.repository'
import { TasksService } from '../tasks/tasks.service'

export class ReplySendsService {
  private readonly repo: RepliesRepository
  private readonly groups: GroupChats
  private readonly tasks: TasksService

  constructor(
    private readonly ctx: AppContext,
    private readonly replies: RepliesService,
    private readonly customers: CustomersService,
    private readonly media: MediaService,
  ) {
    this.repo = new RepliesRepository(ctx.db)
    this.groups = new GroupChats(ctx)
    this.tasks = new TasksService(ctx)
  }

  private async fillValues(userId: string, target: { externalUserId?: string; chatId?: string }): Promise<FillValues> {
    const guide = await new GuidesRepository(this.ctx.db).findWithStore(userId)
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
    const chat = await this.groups.get(chatId, userId)
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
    const reply = toReply(await this.replies.visibleReply(userId, id))
    if (reply.retired) throw ApiError.notFound('This reply was retired')
    // Guides no longer see a reply whose group (or the group above) was retired.
    if (!(await this.replies.groupIsLive(reply.groupId))) throw ApiError.notFound('This reply’s group was retired')
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
    const reply = await this.replies.visibleReply(userId, id)
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
      const inserted = await this.repo.insertSend(trx, {
        id: report.id,
        replyId: id,
        userId,
        externalUserId: report.externalUserId ?? null,
        chatId: report.chatId ?? null,
        partsSent: report.partsSent,
        partsTotal: report.partsTotal,
        edited: report.edited,
        copied: report.copied ?? false,
        sentAt: now,
      })
      // The same report twice at once: one row, and the other learns it was recorded.
      if (!inserted) {
        const other = await this.repo.findSend(report.id, trx)
        if (!other) throw new ApiError(409, 'conflict', 'This send is being recorded; try again')
        return sameSend(other, userId, id)
      }
      await this.repo.countUse(trx, id, userId, now)
      if (report.externalUserId) {
        await this.repo.addSentEvent(trx, {
          id: randomUUID(),
          externalUserId: report.externalUserId,
          actorId: userId,
          occurredAt: now,
          payload: {
            replyId: id,
            title: reply.title,
            partsSent: report.partsSent,
            partsTotal: report.partsTotal,
            edited: report.edited,
            copied: report.copied ?? false,
          },
        })
        // She wrote to her: the tasks a message serves are done.
        if (report.partsSent > 0 || report.copied) {
          await this.tasks.served({ guideId: userId, externalUserId: report.externalUserId, now }, trx)
        }
      }
      return { recorded: true }
    })
  }
}

/** A send id reported again: fine for the same reply and guide, a conflict otherwise. */
function sameSend(existing: { user_id: string; reply_id: string }, userId: string, replyId: string): { recorded: false } {
  if (existing.user_id !== userId || existing.reply_id !== replyId) {
    throw new ApiError(409, 'conflict', 'This send id was used for another reply')
  }
  return { recorded: false }
}
