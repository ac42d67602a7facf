import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ExternalUserIdParamsSchema } from '../../../shared/customer'
import {
  CorpTagGroupsSchema,
  FactsPatchSchema,
  MemberBindSchema,
  MemberLookupQuerySchema,
  MemberLookupSchema,
  NoteCreateSchema,
  NoteSchema,
  PersonalTagsChangeSchema,
  PhoneSchema,
  RemarkPatchSchema,
  TagsChangeSchema,
  TimelinePageSchema,
  TimelineQuerySchema,
} from '../../../shared/memory'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { MemoryService } from './memory.service'

/**
 * Writes about a customer, all under /api/customers/:externalUserId/…, allowed only to
 * guides who follow her (403 otherwise). Writes that change the profile answer with the
 * whole profile as it now is, so the app replaces what it showed in one step. Also the
 * company's tag list (/api/tags) the tag writes pick from.
 */
export const memoryRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: MemoryService }> = async (
  app,
  { ctx, service },
) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId
  const params = ExternalUserIdParamsSchema

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  app.patch('/api/customers/:externalUserId/facts', { schema: { params, body: FactsPatchSchema } }, async (request) =>
    service.patchFacts(guide(request), request.params.externalUserId, request.body),
  )

  // A POST: each reveal writes an audit entry, and a GET must not (a link or a prefetch could make one).
  app.post('/api/customers/:externalUserId/phone', { schema: { params, response: { 200: PhoneSchema } } }, async (request) =>
    service.revealPhone(guide(request), request.params.externalUserId),
  )

  app.patch('/api/customers/:externalUserId/wecom-remark', { schema: { params, body: RemarkPatchSchema } }, async (request) =>
    service.patchRemark(guide(request), request.params.externalUserId, request.body),
  )

  app.post('/api/customers/:externalUserId/tags', { schema: { params, body: TagsChangeSchema } }, async (request) =>
    service.changeTags(guide(request), request.params.externalUserId, request.body),
  )

  app.post(
    '/api/customers/:externalUserId/personal-tags',
    { schema: { params, body: PersonalTagsChangeSchema } },
    async (request) => service.changePersonalTags(guide(request), request.params.externalUserId, request.body),
  )

  app.post(
    '/api/customers/:externalUserId/notes',
    { schema: { params, body: NoteCreateSchema, response: { 200: NoteSchema, 201: NoteSchema } } },
    async (request, reply) => {
      const { note, created } = await service.addNote(guide(request), request.params.externalUserId, request.body)
      return reply.status(created ? 201 : 200).send(note)
    },
  )

  app.get(
    '/api/customers/:externalUserId/timeline',
    { schema: { params, querystring: TimelineQuerySchema, response: { 200: TimelinePageSchema } } },
    async (request) => service.timeline(guide(request), request.params.externalUserId, request.query),
  )

  app.get(
    '/api/customers/:externalUserId/member-candidates',
    { schema: { params, querystring: MemberLookupQuerySchema, response: { 200: MemberLookupSchema } } },
    async (request) => ({
      candidates: await service.memberCandidates(guide(request), request.params.externalUserId, request.query.phone),
    }),
  )

  app.post('/api/customers/:externalUserId/member', { schema: { params, body: MemberBindSchema } }, async (request) =>
    service.bindMember(guide(request), request.params.externalUserId, request.body.memberId, request.body.phone),
  )

  app.get('/api/tags', { schema: { response: { 200: CorpTagGroupsSchema } } }, async (request) => {
    guide(request)
    return service.corpTags.groups()
  })
}
