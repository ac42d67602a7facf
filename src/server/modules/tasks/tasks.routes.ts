import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  BirthdayListQuerySchema,
  BirthdayListSchema,
  TaskIdParamsSchema,
  TaskListQuerySchema,
  TaskListSchema,
  TaskSkipSchema,
} from '../../../shared/tasks'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { TasksService } from './tasks.service'

/** The signed-in guide's own tasks; another guide's task is not found. */
export const tasksRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: TasksService }> = async (
  app,
  { ctx, service },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  app.get('/api/tasks', { schema: { querystring: TaskListQuerySchema, response: { 200: TaskListSchema } } }, async (request) =>
    service.list(guide(request), request.query),
  )

  app.get(
    '/api/tasks/birthdays',
    { schema: { querystring: BirthdayListQuerySchema, response: { 200: BirthdayListSchema } } },
    async (request) => service.birthdays(guide(request), request.query.month ?? 'next'),
  )

  app.post('/api/tasks/:taskId/complete', { schema: { params: TaskIdParamsSchema } }, async (request, reply) => {
    await service.complete(guide(request), request.params.taskId)
    return reply.status(204).send()
  })

  app.post(
    '/api/tasks/:taskId/skip',
    { schema: { params: TaskIdParamsSchema, body: TaskSkipSchema } },
    async (request, reply) => {
      await service.skip(guide(request), request.params.taskId, request.body.reason)
      return reply.status(204).send()
    },
  )
}
