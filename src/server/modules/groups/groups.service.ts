/** A customer group as the guide in it sees it: who is in it, her own customers first. */
import type { GroupChat } from '../../../shared/group'
import type { AppContext } from '../../context'
import { isoOrNull } from '../../db/sql'
import { ApiError } from '../../http/errors'
import type { CustomersService } from '../customers/customers.service'
import { isWecomOutage } from '../../wecom/errors'
import { GROUP_RECHECK_MS, GROUP_STALE_MS, GroupChats } from './group-chats'
import { GroupsRepository, type CachedGroup } from './groups.repository'

export class GroupsService {
  private readonly groups: GroupChats
  private readonly repo: GroupsRepository

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
  ) {
    this.groups = new GroupChats(ctx)
    this.repo = new GroupsRepository(ctx.db)
  }

  async chat(userId: string, chatId: string): Promise<GroupChat> {
    let chat = await this.groups.get(chatId, userId)
    // An old copy while WeCom fails us: shown, and marked so the guide knows.
    let wecomStale = this.ctx.now() - chat.fetchedAt > GROUP_STALE_MS && this.ctx.wecom.degraded()
    // She may have joined since we cached the group: ask WeCom again before refusing.
    if (!isStaff(chat, userId) && this.ctx.now() - chat.fetchedAt > GROUP_RECHECK_MS) {
      chat = (await this.groups.refresh(chatId)) ?? chat
    }
    if (!isStaff(chat, userId)) throw ApiError.forbidden('You are not a member of this group chat')
    const members = chat.members
    const staff = members.filter((m) => m.type === 1)
    // Which of them are hers decides what she can open: know her customers first.
    try {
      await this.customers.ensureGuideCustomers(userId)
    } catch (error) {
      if (!isWecomOutage(error)) throw error
      wecomStale = true
    }
    const externals = members.filter((m) => m.type === 2)
    const known = await this.repo.knownMembers(
      userId,
      externals.map((m) => m.userid),
    )
    const byId = new Map(known.map((k) => [k.externalUserId, k]))
    return {
      chatId: chat.chatId,
      name: chat.name,
      ownerUserId: chat.owner,
      notice: chat.notice,
      memberCount: members.length,
      staffCount: staff.length,
      customers: sortMineFirst(
        externals.map((m) => {
          const cached = byId.get(m.userid)
          return {
            externalUserId: m.userid,
            name: cached?.remark || cached?.name || m.group_nickname || m.name || '',
            avatar: cached?.avatar ?? null,
            joinedAt: isoOrNull(m.join_time ? m.join_time * 1000 : null),
            followedByMe: cached?.followerId === userId,
          }
        }),
      ),
      ...(wecomStale ? { wecomStale: true } : {}),
    }
  }
}

/** Her own customers first (those she can open), otherwise in the order they joined. */
function sortMineFirst<T extends { followedByMe: boolean }>(customers: T[]): T[] {
  return [...customers.filter((c) => c.followedByMe), ...customers.filter((c) => !c.followedByMe)]
}

function isStaff(chat: CachedGroup, userId: string): boolean {
  return chat.owner === userId || chat.members.some((m) => m.type === 1 && m.userid === userId)
}
