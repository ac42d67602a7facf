import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  AuditPageSchema,
  GroupCreateSchema,
  GroupMoveSchema,
  GroupUpdateSchema,
  IdParamsSchema,
  MoveSchema,
  ReplyCreateSchema,
  ReplyUpdateSchema,
  SendPlanQuerySchema,
  SendReportSchema,
} from '../../../shared/replies'
import { Text } from '../../../shared/text'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { AuditService } from './audit.service'
import type { ReplyEditingService } from './reply-editing.service'
import type { ReplySendsService } from './reply-sends.service'
import type { RepliesService } from './replies.service'

const JSON_TYPE = 'application/json; charset=utf-8'

export const repliesRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext
  replies: RepliesService
  editing: ReplyEditingService
  sends: ReplySendsService
  audit: AuditService
}> = async (app, { ctx, replies, editing, sends, audit }) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId
  const params = IdParamsSchema

  // Libraries and send plans hold unions of part types; they are serialized here, as a
  // response schema would resolve each union member by validation, slowly.
  app.get('/api/replies', async (request, reply) => {
    const library = await replies.library(guide(request))
    return reply.header('cache-control', 'private, no-store').type(JSON_TYPE).send(JSON.stringify(library))
  })

  app.get('/api/manage/replies', async (request, reply) => {
    const library = await replies.manageLibrary(guide(request))
    return reply.header('cache-control', 'private, no-store').type(JSON_TYPE).send(JSON.stringify(library))
  })

  app.post('/api/replies', { schema: { body: ReplyCreateSchema } }, async (request, reply) =>
    reply
      .status(201)
      .type(JSON_TYPE)
      .send(JSON.stringify(await editing.createReply(guide(request), request.body))),
  )

  app.patch('/api/replies/:id', { schema: { params, body: ReplyUpdateSchema } }, async (request, reply) =>
    reply.type(JSON_TYPE).send(JSON.stringify(await editing.updateReply(guide(request), request.params.id, request.body))),
  )

  app.post('/api/replies/:id/move', { schema: { params, body: MoveSchema } }, async (request, reply) =>
    reply.type(JSON_TYPE).send(JSON.stringify(await editing.moveReply(guide(request), request.params.id, request.body))),
  )

  app.put(
    '/api/replies/:id/favorite',
    { schema: { params, body: Type.Object({ favorite: Type.Boolean() }, { additionalProperties: false }) } },
    async (request, reply) => {
      await replies.setFavorite(guide(request), request.params.id, request.body.favorite)
      return reply.status(204).send()
    },
  )

  app.post('/api/reply-groups', { schema: { body: GroupCreateSchema } }, async (request, reply) =>
    reply.status(201).send(await editing.createGroup(guide(request), request.body)),
  )

  app.patch('/api/reply-groups/:id', { schema: { params, body: GroupUpdateSchema } }, async (request) =>
    editing.updateGroup(guide(request), request.params.id, request.body),
  )

  app.post('/api/reply-groups/:id/move', { schema: { params, body: GroupMoveSchema } }, async (request) =>
    editing.moveGroup(guide(request), request.params.id, request.body),
  )

  app.get('/api/replies/:id/send-plan', { schema: { params, querystring: SendPlanQuerySchema } }, async (request, reply) => {
    const { mode, ...target } = request.query
    const plan = await sends.sendPlan(guide(request), request.params.id, target, mode)
    return reply.header('cache-control', 'private, no-store').type(JSON_TYPE).send(JSON.stringify(plan))
  })

  app.post('/api/replies/:id/sends', { schema: { params, body: SendReportSchema } }, async (request, reply) => {
    const { recorded } = await sends.recordSend(guide(request), request.params.id, request.body)
    return reply.status(recorded ? 201 : 200).send({ recorded })
  })

  app.get(
    '/api/manage/audit',
    {
      schema: {
        querystring: Type.Object({
          cursor: Type.Optional(Text({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: AuditPageSchema },
      },
    },
    async (request) => audit.auditLog(guide(request), request.query.cursor, request.query.limit ?? 30),
  )
}
