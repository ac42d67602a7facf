import type { Kysely } from 'kysely'
import type { Db } from '../../db'
import type { Database } from '../../db/schema'
import type { GroupChatMember } from '../../wecom/types'

/** A customer group as WeCom last told us. */
export interface CachedGroup {
  chatId: string
  name: string
  owner: string
  notice: string
  members: GroupChatMember[]
  fetchedAt: number
}

/** A member of a group we know as a customer, with what this guide calls her if she follows her. */
export interface KnownMember {
  externalUserId: string
  name: string
  avatar: string | null
  remark: string | null
  followerId: string | null
}

export class GroupsRepository {
  private readonly db: Kysely<Database>

  constructor(database: Db) {
    this.db = database.kysely
  }

  async find(chatId: string): Promise<CachedGroup | undefined> {
    const row = await this.db.selectFrom('wecom_group_chats').selectAll().where('chat_id', '=', chatId).executeTakeFirst()
    if (!row) return undefined
    return {
      chatId,
      name: row.name,
      owner: row.owner,
      notice: row.notice,
      members: JSON.parse(row.members) as GroupChatMember[],
      fetchedAt: Number(row.fetched_at),
    }
  }

  /** Cache what WeCom said about `chatId` (the id asked for, as the cache is read by it). */
  async save(chatId: string, group: CachedGroup): Promise<void> {
    const values = {
      name: group.name,
      owner: group.owner,
      notice: group.notice,
      members: JSON.stringify(group.members),
      fetched_at: group.fetchedAt,
    }
    await this.db
      .insertInto('wecom_group_chats')
      .values({ chat_id: chatId, ...values })
      .onConflict((oc) => oc.column('chat_id').doUpdateSet(values))
      .execute()
  }

  async forget(chatId: string): Promise<void> {
    await this.db.deleteFrom('wecom_group_chats').where('chat_id', '=', chatId).execute()
  }

  /** Which of these external ids we know as customers, and whether `userId` follows each. */
  async knownMembers(userId: string, externalUserIds: string[]): Promise<KnownMember[]> {
    if (externalUserIds.length === 0) return []
    const rows = await this.db
      .selectFrom('wecom_customers as c')
      .leftJoin('wecom_follows as f', (join) =>
        join.onRef('f.external_user_id', '=', 'c.external_user_id').on('f.user_id', '=', userId),
      )
      .select(['c.external_user_id', 'c.name', 'c.avatar', 'f.remark', 'f.user_id'])
      .where('c.external_user_id', 'in', externalUserIds)
      .execute()
    return rows.map((r) => ({
      externalUserId: r.external_user_id,
      name: r.name,
      avatar: r.avatar,
      remark: r.remark,
      followerId: r.user_id,
    }))
  }
}
