import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { StoreListSchema } from '../../../shared/memory'
import {
  StoreParamsSchema,
  StoreSettingsListSchema,
  StoreSettingsSchema,
  StoreSettingsUpdateSchema,
  TillKeyCreateSchema,
  TillKeyCreatedSchema,
  TillKeyListSchema,
  TillKeyParamsSchema,
} from '../../../shared/team'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import type { StoresService } from './stores.service'

export const storesRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: StoresService }> = async (
  app,
  { ctx, service },
) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  app.get('/api/stores', { schema: { response: { 200: StoreListSchema } } }, async (request) => {
    requireSession(request, ctx.signer)
    return service.list()
  })

  // The desk's store settings: her stores only (every store for head office).
  app.get('/api/team/stores', { schema: { response: { 200: StoreSettingsListSchema } } }, async (request) => {
    const { userId } = requireSession(request, ctx.signer)
    return service.settingsList(userId)
  })

  app.patch(
    '/api/stores/:id/settings',
    { schema: { params: StoreParamsSchema, body: StoreSettingsUpdateSchema, response: { 200: StoreSettingsSchema } } },
    async (request) => {
      const { userId } = requireSession(request, ctx.signer)
      return service.updateSettings(userId, request.params.id, request.body)
    },
  )

  app.get(
    '/api/stores/:id/api-keys',
    { schema: { params: StoreParamsSchema, response: { 200: TillKeyListSchema } } },
    async (request) => {
      const { userId } = requireSession(request, ctx.signer)
      return service.listKeys(userId, request.params.id)
    },
  )

  // A till key is a secret shown once: never kept by a cache on the way.
  app.post(
    '/api/stores/:id/api-keys',
    { schema: { params: StoreParamsSchema, body: TillKeyCreateSchema, response: { 201: TillKeyCreatedSchema } } },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      return reply.status(201).send(await service.createKey(userId, request.params.id, request.body.label ?? ''))
    },
  )

  app.delete('/api/stores/:id/api-keys/:keyId', { schema: { params: TillKeyParamsSchema } }, async (request, reply) => {
    const { userId } = requireSession(request, ctx.signer)
    await service.revokeKey(userId, request.params.id, request.params.keyId)
    return reply.status(204).send()
  })
}
