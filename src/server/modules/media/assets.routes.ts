/**
 * The reply library's images: a manager uploads a JPG or PNG (`POST /api/media`), everyone
 * loads it (`GET /media/assets/:id`). The upload is the one route of the API that reads a
 * body other than JSON. It lives in this plugin so the multipart reader and the raw image
 * parser exist nowhere else, and it decides who may upload from the cookie before the body
 * is read: a stranger's 10 MB costs the server nothing but the headers.
 */
import fastifyMultipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyRequest } from 'fastify'
import { IdParamsSchema, MediaAssetSchema } from '../../../shared/replies'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { bodyMediaType } from '../../http/body-types'
import { ApiError } from '../../http/errors'
import { requireManager } from '../guides/roles'
import { MAX_IMAGE_BYTES } from './image-info'
import type { MediaService } from './media.service'

const RAW_TYPES = ['image/png', 'image/jpeg', 'application/octet-stream']
const FORM_TYPE = 'multipart/form-data'
/** A form around a 10 MB image: boundaries, part headers and a field or two. */
const FORM_OVERHEAD_BYTES = 64 * 1024
const TOO_LARGE = 'images may be at most 10 MB'

/**
 * The name an upload of raw bytes gives in `x-filename`, percent-encoded by the sender (HTTP
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

export const mediaAssetRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; media: MediaService }> = async (
  app,
  { ctx, media },
) => {
  await app.register(fastifyMultipart, {
    // One file, and little else: the app's form has the file and nothing more.
    limits: { files: 1, fileSize: MAX_IMAGE_BYTES, fields: 4, fieldSize: 1024, parts: 5, headerPairs: 20 },
  })
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES }, (_request, body, done) =>
    done(null, body),
  )

  async function formFile(request: FastifyRequest): Promise<{ bytes: Buffer; filename: string } | null> {
    try {
      const part = await request.file()
      if (!part) return null
      // The multipart name is the file's own, not percent-encoded: '100%棉.png' stays so.
      return { bytes: await part.toBuffer(), filename: part.filename || headerFilename(request.headers['x-filename']) }
    } catch (error) {
      if (error instanceof app.multipartErrors.RequestFileTooLargeError) throw new ApiError(413, 'payload_too_large', TOO_LARGE)
      // The reader's limits carry their status; anything else is a form it could not parse.
      if (typeof (error as FastifyError).statusCode === 'number') throw error
      throw ApiError.badRequest(`the form could not be read: ${(error as Error).message}`)
    }
  }

  app.post(
    '/api/media',
    {
      config: { bodyTypes: [FORM_TYPE, ...RAW_TYPES] },
      schema: { response: { 201: MediaAssetSchema } },
      onRequest: async (request) => {
        await requireManager(ctx, requireSession(request, ctx.signer).userId)
        const length = Number(request.headers['content-length'] ?? 0)
        const limit = bodyMediaType(request) === FORM_TYPE ? MAX_IMAGE_BYTES + FORM_OVERHEAD_BYTES : MAX_IMAGE_BYTES
        if (length > limit) throw new ApiError(413, 'payload_too_large', TOO_LARGE)
      },
    },
    async (request, reply) => {
      const { userId } = requireSession(request, ctx.signer)
      const upload = request.isMultipart()
        ? await formFile(request)
        : Buffer.isBuffer(request.body)
          ? { bytes: request.body, filename: headerFilename(request.headers['x-filename']) }
          : null
      if (!upload) throw ApiError.badRequest('send the image as multipart/form-data (field "file") or as the request body')
      return reply.status(201).send(await media.store(upload.bytes, upload.filename, userId))
    },
  )

  app.get('/media/assets/:id', { schema: { params: IdParamsSchema } }, async (request, reply) => {
    const file = await media.file(request.params.id)
    if (!file) throw ApiError.notFound('No such image')
    return reply.type(file.mime).header('cache-control', 'public, max-age=31536000, immutable').send(file.data)
  })
}
