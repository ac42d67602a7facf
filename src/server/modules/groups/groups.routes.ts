import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ChatIdParamsSchema, GroupChatSchema, type GroupChat } from '../../../shared/group'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { ApiError } from '../../http/errors'
import { isoOrNull } from '../../db/sql'
import { WecomError } from '../../wecom/errors'
import type { CustomersService } from '../customers/customers.service'

/** WeCom's answers for a chat id that is not one of the company's customer groups. */
const UNKNOWN_CHAT_ERRCODES: ReadonlySet<number> = new Set([40050, 40058, 90500, 701008])

export const groupsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; customers: CustomersService }> = async (
  app,
  { ctx, customers },
) => {
  app.get(
    '/api/groups/:chatId',
    { schema: { params: ChatIdParamsSchema, response: { 200: GroupChatSchema } } },
    async (request, reply): Promise<GroupChat> => {
      const { userId } = requireSession(request, ctx.signer)
      let chat
      try {
        chat = (await ctx.wecom.getGroupChat(request.params.chatId)).group_chat
      } catch (error) {
        if (error instanceof WecomError && UNKNOWN_CHAT_ERRCODES.has(error.errcode)) throw ApiError.notFound('No such group chat')
        throw error
      }
      const members = chat.member_list ?? []
      const staff = members.filter((m) => m.type === 1)
      if (chat.owner !== userId && !staff.some((m) => m.userid === userId)) {
        throw ApiError.forbidden('You are not a member of this group chat')
      }
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
        chatId: chat.chat_id,
        name: chat.name ?? '',
        ownerUserId: chat.owner,
        notice: chat.notice ?? '',
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
