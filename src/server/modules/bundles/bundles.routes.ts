import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  BundleCreateSchema,
  BundleListQuerySchema,
  BundleListSchema,
  BundleSchema,
  BundleUpdateSchema,
  SuggestionsSchema,
} from '../../../shared/bundles'
import { ExternalUserIdParamsSchema } from '../../../shared/customer'
import { IdParamsSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { ApiError } from '../../http/errors'
import type { BundlesService } from './bundles.service'
import type { LoadedImage } from './collage'
import { fetchImage, ImageFetchRefused, type FetchedImage } from './image-fetch'
import type { SuggestionsService } from './suggestions.service'

function imageMime(contentType: string | undefined): LoadedImage['mime'] | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  return type === 'image/svg+xml' || type === 'image/png' || type === 'image/jpeg' ? type : null
}

/** Bundles as the guide's app reads and edits them, their collages, and what suits the open customer. */
export const bundlesRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext
  service: BundlesService
  suggestions: SuggestionsService
}> = async (app, { ctx, service, suggestions }) => {
  const guide = (request: Parameters<typeof requireSession>[0]) => requireSession(request, ctx.signer).userId

  // Collages draw our own pictures (demo art, uploaded assets) through the app itself and
  // catalogue pictures hosted elsewhere over HTTP (image-fetch.ts: public addresses only,
  // a deadline and a size cap). A missing, refused or unusable picture is null (drawn as a
  // placeholder, for good); a passing failure throws, so the collage is not kept and the
  // next request tries again.
  const self = ctx.config.publicUrl ? `${ctx.config.publicUrl}/` : null
  service.setImageLoader(async (address) => {
    // Our own pictures by their full address are read in-process too, not over the network.
    const url = self && address.startsWith(self) ? address.slice(self.length - 1) : address
    if (url.startsWith('/') && !url.startsWith('//')) {
      const response = await app.inject({ method: 'GET', url })
      if (response.statusCode >= 500) throw new Error(`${url}: ${response.statusCode}`)
      const mime = imageMime(response.headers['content-type'] as string | undefined)
      return response.statusCode === 200 && mime ? { mime, data: response.rawPayload } : null
    }
    if (!/^https?:\/\//i.test(url)) return null
    let response: FetchedImage
    try {
      response = await fetchImage(url, { allowHosts: ctx.config.imageFetchAllowHosts })
    } catch (error) {
      ctx.log.warn({ err: error, url }, 'Could not load a picture for a collage')
      if (error instanceof ImageFetchRefused) return null
      throw error
    }
    if (response.status >= 500 || response.status === 429) throw new Error(`${url}: ${response.status}`)
    const mime = imageMime(response.contentType)
    return response.status >= 200 && response.status < 300 && mime ? { mime, data: response.data } : null
  })

  app.get(
    '/api/bundles',
    { schema: { querystring: BundleListQuerySchema, response: { 200: BundleListSchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store')
      return service.list(guide(request), request.query)
    },
  )

  app.post('/api/bundles', { schema: { body: BundleCreateSchema, response: { 201: BundleSchema } } }, async (request, reply) =>
    reply.status(201).send(await service.create(guide(request), request.body)),
  )

  app.get('/api/bundles/:id', { schema: { params: IdParamsSchema, response: { 200: BundleSchema } } }, async (request, reply) => {
    reply.header('cache-control', 'private, no-store')
    return service.get(guide(request), request.params.id)
  })

  app.patch(
    '/api/bundles/:id',
    { schema: { params: IdParamsSchema, body: BundleUpdateSchema, response: { 200: BundleSchema } } },
    async (request) => service.update(guide(request), request.params.id, request.body),
  )

  app.get(
    '/api/customers/:externalUserId/bundle-suggestions',
    { schema: { params: ExternalUserIdParamsSchema, response: { 200: SuggestionsSchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store')
      return suggestions.suggestions(guide(request), request.params.externalUserId)
    },
  )

  app.get<{ Params: { key: string } }>('/media/collages/:key', async (request, reply) => {
    const match = /^([0-9a-f]{16,64})\.png$/.exec(request.params.key)
    const drawn = match ? await service.collagePng(match[1]!) : null
    if (!drawn) throw ApiError.notFound('No such collage')
    return reply
      .type('image/png')
      .header('cache-control', drawn.kept ? 'public, max-age=31536000, immutable' : 'no-store')
      .send(drawn.png)
  })
}
