/**
 * Customer groups from WeCom (`externalcontact/groupchat/get`), cached in our database:
 * a group read in the last five minutes is answered from the cache, an older one is
 * answered from the cache and re-read in the background, an unknown one is read first.
 */
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { UNKNOWN_CHAT_ERRCODES, WecomError } from '../../wecom/errors'
import { KeyedSingleFlight } from '../../wecom/expiring'
import { GroupsRepository, type CachedGroup } from './groups.repository'

export type { CachedGroup } from './groups.repository'

export const GROUP_STALE_MS = 5 * 60 * 1000
/** A guide missing from a cached group older than this is looked up again before a 403. */
export const GROUP_RECHECK_MS = 30 * 1000

export class GroupChats {
  private readonly flight = new KeyedSingleFlight<string, CachedGroup | 'unknown' | 'remembered'>()
  private readonly repo: GroupsRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new GroupsRepository(ctx.db)
  }

  /** Read the group from WeCom into the cache; null when WeCom does not know it. */
  async refresh(chatId: string): Promise<CachedGroup | null> {
    const outcome = await this.refreshOutcome(chatId)
    return outcome === 'unknown' || outcome === 'remembered' ? null : outcome
  }

  /** As `refresh`, also telling whether WeCom was asked (`unknown`) or its earlier answer repeated (`remembered`). */
  private refreshOutcome(chatId: string): Promise<CachedGroup | 'unknown' | 'remembered'> {
    return this.flight.run(chatId, async () => {
      let chat
      try {
        chat = (await this.ctx.wecom.getGroupChat(chatId)).group_chat
      } catch (error) {
        if (error instanceof WecomError && UNKNOWN_CHAT_ERRCODES.has(error.errcode)) {
          await this.repo.forget(chatId)
          return error.remembered ? 'remembered' : 'unknown'
        }
        throw error
      }
      const group: CachedGroup = {
        chatId: chat.chat_id,
        name: chat.name ?? '',
        owner: chat.owner,
        notice: chat.notice ?? '',
        members: chat.member_list ?? [],
        fetchedAt: this.ctx.now(),
      }
      await this.repo.save(chatId, group)
      return group
    })
  }

  /**
   * The group as `userId` asks for it. One we hold nothing of is read from WeCom, within
   * her budget of lookups WeCom does not know either (the id may be made up).
   */
  async get(chatId: string, userId: string): Promise<CachedGroup> {
    const cached = await this.repo.find(chatId)
    if (cached) {
      if (this.ctx.now() - cached.fetchedAt > GROUP_STALE_MS) this.ctx.background.run('refresh group', () => this.refresh(chatId))
      return cached
    }
    const budget = this.ctx.budgets.lookups(userId)
    await budget.check()
    const fresh = await this.refreshOutcome(chatId)
    if (fresh === 'unknown') await budget.missed()
    if (fresh === 'unknown' || fresh === 'remembered') throw ApiError.notFound('No such group chat')
    return fresh
  }
}
