/**
 * Customer groups from WeCom (`externalcontact/groupchat/get`), cached in our database:
 * a group read in the last five minutes is answered from the cache, an older one is
 * answered from the cache and re-read in the background, an unknown one is read first.
 */
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { WecomError } from '../../wecom/errors'
import { KeyedSingleFlight } from '../../wecom/expiring'
import type { GroupChatMember } from '../../wecom/types'

export const GROUP_STALE_MS = 5 * 60 * 1000
/** A guide missing from a cached group older than this is looked up again before a 403. */
export const GROUP_RECHECK_MS = 30 * 1000
/** WeCom's answers for a chat id that is not one of the company's customer groups. */
const UNKNOWN_CHAT_ERRCODES: ReadonlySet<number> = new Set([40050, 40058, 90500, 701008])

export interface CachedGroup {
  chatId: string
  name: string
  owner: string
  notice: string
  members: GroupChatMember[]
  fetchedAt: number
}

export class GroupChats {
  private readonly flight = new KeyedSingleFlight<string, CachedGroup | null>()

  constructor(private readonly ctx: AppContext) {}

  /** Read the group from WeCom into the cache; null when WeCom does not know it. */
  refresh(chatId: string): Promise<CachedGroup | null> {
    return this.flight.run(chatId, async () => {
      let chat
      try {
        chat = (await this.ctx.wecom.getGroupChat(chatId)).group_chat
      } catch (error) {
        if (error instanceof WecomError && UNKNOWN_CHAT_ERRCODES.has(error.errcode)) {
          await this.ctx.db.kysely.deleteFrom('wecom_group_chats').where('chat_id', '=', chatId).execute()
          return null
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
      const now = group.fetchedAt
      const values = {
        name: group.name,
        owner: group.owner,
        notice: group.notice,
        members: JSON.stringify(group.members),
        fetched_at: now,
      }
      await this.ctx.db.kysely
        .insertInto('wecom_group_chats')
        .values({ chat_id: chatId, ...values })
        .onConflict((oc) => oc.column('chat_id').doUpdateSet(values))
        .execute()
      return group
    })
  }

  async get(chatId: string): Promise<CachedGroup> {
    const row = await this.ctx.db.kysely
      .selectFrom('wecom_group_chats')
      .selectAll()
      .where('chat_id', '=', chatId)
      .executeTakeFirst()
    if (row) {
      if (this.ctx.now() - Number(row.fetched_at) > GROUP_STALE_MS)
        this.ctx.background.run('refresh group', () => this.refresh(chatId))
      return {
        chatId,
        name: row.name,
        owner: row.owner,
        notice: row.notice,
        members: JSON.parse(row.members) as GroupChatMember[],
        fetchedAt: Number(row.fetched_at),
      }
    }
    const fresh = await this.refresh(chatId)
    if (!fresh) throw ApiError.notFound('No such group chat')
    return fresh
  }
}
