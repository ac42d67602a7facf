import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CampaignAudienceCountSchema,
  CampaignAudienceQuerySchema,
  CampaignCreateSchema,
  CampaignDetailSchema,
  CampaignIdParamsSchema,
  CampaignListSchema,
} from '../../../shared/campaigns'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { CampaignsService } from './campaigns.service'

/** Campaigns on the manager's desk; a guide is refused every one (the service asks roles.ts). */
export const campaignsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: CampaignsService }> = async (
  app,
  { ctx, service },
) => {
  const user = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  app.get('/api/campaigns', { schema: { response: { 200: CampaignListSchema } } }, async (request) => service.list(user(request)))

  app.post(
    '/api/campaigns',
    { schema: { body: CampaignCreateSchema, response: { 201: CampaignDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.create(user(request), request.body)),
  )

  // A read: POST only to carry the audience as JSON.
  app.post(
    '/api/campaigns/audience',
    { schema: { body: CampaignAudienceQuerySchema, response: { 200: CampaignAudienceCountSchema } } },
    async (request) => service.audienceCount(user(request), request.body),
  )

  app.get(
    '/api/campaigns/:id',
    { schema: { params: CampaignIdParamsSchema, response: { 200: CampaignDetailSchema } } },
    async (request) => service.detail(user(request), request.params.id),
  )

  app.post(
    '/api/campaigns/:id/end',
    { schema: { params: CampaignIdParamsSchema, response: { 200: CampaignDetailSchema } } },
    async (request) => service.end(user(request), request.params.id),
  )
}
