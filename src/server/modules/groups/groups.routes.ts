import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ChatIdParamsSchema, GroupChatSchema, type GroupChat } from '../../../shared/group'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { GroupsService } from './groups.service'

export const groupsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: GroupsService }> = async (
  app,
  { ctx, service },
) => {
  app.get(
    '/api/groups/:chatId',
    { schema: { params: ChatIdParamsSchema, response: { 200: GroupChatSchema } } },
    async (request, reply): Promise<GroupChat> => {
      const { userId } = requireSession(request, ctx.signer)
      const chat = await service.chat(userId, request.params.chatId)
      reply.header('cache-control', 'private, no-store')
      return chat
    },
  )
}
