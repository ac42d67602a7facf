import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  AuditPageSchema,
  GroupCreateSchema,
  GroupMoveSchema,
  GroupUpdateSchema,
  IdParamsSchema,
  MediaAssetSchema,
  MediaRefreshSchema,
  MoveSchema,
  ReplyCreateSchema,
  ReplyUpdateSchema,
  SendPlanQuerySchema,
  SendReportSchema,
} from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { ApiError } from '../../http/errors'
import { readMultipartFile } from '../../http/multipart'
import { requireManager } from '../guides/roles'
import type { MediaService } from '../media/media.service'
import type { RepliesService } from './replies.service'

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * The name an upload of raw bytes gives in `x-filename`, percent-encoded by the app (HTTP
 * headers carry no Chinese); taken as it is when it is not valid percent-encoding.
 */
function headerFilename(value: string | string[] | undefined): string {
  const raw = (Array.isArray(value) ? value[0] : value) ?? ''
  if (!raw) return 'image'
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export const repliesRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: RepliesService; media: MediaService }> = async (
  app,
  { ctx, service, media },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId
  const params = IdParamsSchema

  // Image uploads: multipart from a form, or the bytes themselves. Checked by content later.
  app.addContentTypeParser(
    ['multipart/form-data', 'image/png', 'image/jpeg', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: 11 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  )

  // Libraries and send plans hold unions of part types; they are serialized here, as a
  // response schema would resolve each union member by validation, slowly.
  app.get('/api/replies', async (request, reply) => {
    const library = await service.library(guide(request))
    return reply.header('cache-control', 'private, no-store').type(JSON_TYPE).send(JSON.stringify(library))
  })

  app.get('/api/manage/replies', async (request, reply) => {
    const library = await service.manageLibrary(guide(request))
    return reply.header('cache-control', 'private, no-store').type(JSON_TYPE).send(JSON.stringify(library))
  })

  app.post('/api/replies', { schema: { body: ReplyCreateSchema } }, async (request, reply) =>
    reply
      .status(201)
      .type(JSON_TYPE)
      .send(JSON.stringify(await service.createReply(guide(request), request.body))),
  )

  app.patch('/api/replies/:id', { schema: { params, body: ReplyUpdateSchema } }, async (request, reply) =>
    reply.type(JSON_TYPE).send(JSON.stringify(await service.updateReply(guide(request), request.params.id, request.body))),
  )

  app.post('/api/replies/:id/move', { schema: { params, body: MoveSchema } }, async (request, reply) =>
    reply.type(JSON_TYPE).send(JSON.stringify(await service.moveReply(guide(request), request.params.id, request.body))),
  )

  app.put(
    '/api/replies/:id/favorite',
    { schema: { params, body: Type.Object({ favorite: Type.Boolean() }, { additionalProperties: false }) } },
    async (request, reply) => {
      await service.setFavorite(guide(request), request.params.id, request.body.favorite)
      return reply.status(204).send()
    },
  )

  app.post('/api/reply-groups', { schema: { body: GroupCreateSchema } }, async (request, reply) =>
    reply.status(201).send(await service.createGroup(guide(request), request.body)),
  )

  app.patch('/api/reply-groups/:id', { schema: { params, body: GroupUpdateSchema } }, async (request) =>
    service.updateGroup(guide(request), request.params.id, request.body),
  )

  app.post('/api/reply-groups/:id/move', { schema: { params, body: GroupMoveSchema } }, async (request) =>
    service.moveGroup(guide(request), request.params.id, request.body),
  )

  app.get('/api/replies/:id/send-plan', { schema: { params, querystring: SendPlanQuerySchema } }, async (request, reply) => {
    const { mode, ...target } = request.query
    const plan = await service.sendPlan(guide(request), request.params.id, target, mode)
    return reply.header('cache-control', 'private, no-store').type(JSON_TYPE).send(JSON.stringify(plan))
  })

  app.post('/api/replies/:id/sends', { schema: { params, body: SendReportSchema } }, async (request, reply) => {
    const { recorded } = await service.recordSend(guide(request), request.params.id, request.body)
    return reply.status(recorded ? 201 : 200).send({ recorded })
  })

  app.post('/api/media/:id/refresh', { schema: { params, body: MediaRefreshSchema } }, async (request) => {
    guide(request)
    return service.refreshMedia(request.params.id, request.body.mediaId)
  })

  /** Managers upload images once (multipart `file`, or the raw bytes); checked by content. */
  app.post(
    '/api/media',
    { schema: { response: { 201: MediaAssetSchema } }, bodyLimit: 11 * 1024 * 1024 },
    async (request, reply) => {
      const userId = guide(request)
      await requireManager(ctx, userId)
      const contentType = String(request.headers['content-type'] ?? '')
      let bytes: Buffer | null = null
      let filename = headerFilename(request.headers['x-filename'])
      if (contentType.startsWith('multipart/form-data')) {
        const part = readMultipartFile(request.body as Buffer, contentType)
        if (part) {
          bytes = part.bytes
          // The multipart name is the file's own, not percent-encoded: '100%棉.png' stays so.
          filename = part.filename || filename
        }
      } else if (Buffer.isBuffer(request.body)) {
        bytes = request.body
      }
      if (!bytes) throw ApiError.badRequest('send the image as multipart/form-data (field "file") or as the request body')
      return reply.status(201).send(await media.store(bytes, filename, userId))
    },
  )

  app.get('/media/assets/:id', { schema: { params } }, async (request, reply) => {
    const file = await media.file(request.params.id)
    if (!file) throw ApiError.notFound('No such image')
    return reply.type(file.mime).header('cache-control', 'public, max-age=31536000, immutable').send(file.data)
  })

  app.get(
    '/api/manage/audit',
    {
      schema: {
        querystring: Type.Object({
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: AuditPageSchema },
      },
    },
    async (request) => service.auditLog(guide(request), request.query.cursor, request.query.limit ?? 30),
  )
}
