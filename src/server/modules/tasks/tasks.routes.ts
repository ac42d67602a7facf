import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { TaskIdParamsSchema, TaskListSchema } from '../../../shared/tasks'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { TasksService } from './tasks.service'

/** The signed-in guide's own tasks. */
export const tasksRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: TasksService }> = async (
  app,
  { ctx, service },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  app.get('/api/tasks', { schema: { response: { 200: TaskListSchema } } }, async (request) => ({
    items: await service.list(guide(request)),
    nextCursor: null,
  }))

  app.post('/api/tasks/:taskId/complete', { schema: { params: TaskIdParamsSchema } }, async (request, reply) => {
    await service.complete(guide(request), request.params.taskId)
    return reply.status(204).send()
  })
}
