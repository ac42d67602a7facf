import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ChatIdParamsSchema, GroupChatSchema, type GroupChat } from '../../../shared/group'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { ApiError } from '../../http/errors'
import { isoOrNull } from '../../db/sql'
import type { CustomersService } from '../customers/customers.service'
import { GROUP_RECHECK_MS, GroupChats, type CachedGroup } from './group-chats'

export const groupsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; customers: CustomersService }> = async (
  app,
  { ctx, customers },
) => {
  const groups = new GroupChats(ctx)

  app.get(
    '/api/groups/:chatId',
    { schema: { params: ChatIdParamsSchema, response: { 200: GroupChatSchema } } },
    async (request, reply): Promise<GroupChat> => {
      const { userId } = requireSession(request, ctx.signer)
      let chat = await groups.get(request.params.chatId)
      // She may have joined since we cached the group: ask WeCom again before refusing.
      if (!isStaff(chat, userId) && ctx.now() - chat.fetchedAt > GROUP_RECHECK_MS) {
        chat = (await groups.refresh(request.params.chatId)) ?? chat
      }
      if (!isStaff(chat, userId)) throw ApiError.forbidden('You are not a member of this group chat')
      const members = chat.members
      const staff = members.filter((m) => m.type === 1)
      // Which of them are hers decides what she can open: know her customers first.
      await customers.ensureGuideCustomers(userId)
      const externals = members.filter((m) => m.type === 2)
      const ids = externals.map((m) => m.userid)
      const known = ids.length
        ? await ctx.db.kysely
            .selectFrom('wecom_customers as c')
            .leftJoin('wecom_follows as f', (join) =>
              join.onRef('f.external_user_id', '=', 'c.external_user_id').on('f.user_id', '=', userId),
            )
            .select(['c.external_user_id', 'c.name', 'c.avatar', 'f.remark', 'f.user_id'])
            .where('c.external_user_id', 'in', ids)
            .execute()
        : []
      const byId = new Map(known.map((k) => [k.external_user_id, k]))
      reply.header('cache-control', 'private, no-store')
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
              followedByMe: cached?.user_id === userId,
            }
          }),
        ),
      }
    },
  )
}

/** Her own customers first (those she can open), otherwise in the order they joined. */
function sortMineFirst<T extends { followedByMe: boolean }>(customers: T[]): T[] {
  return [...customers.filter((c) => c.followedByMe), ...customers.filter((c) => !c.followedByMe)]
}

function isStaff(chat: CachedGroup, userId: string): boolean {
  return chat.owner === userId || chat.members.some((m) => m.type === 1 && m.userid === userId)
}
