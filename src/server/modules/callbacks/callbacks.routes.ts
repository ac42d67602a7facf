/**
 * `GET/POST /api/wecom/callback`: the app's 接收消息 URL. WeCom signs every request;
 * nobody else can use it, so no session and no CSRF check applies (the body is XML).
 * XML is read here only, as a string of at most 64 KB: WeCom's events are a few hundred bytes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CallbackBodySchema, CallbackQuerySchema, CallbackVerifyQuerySchema } from '../../../shared/wecom-callback'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import type { CallbacksService } from './callbacks.service'

export const CALLBACK_PATH = '/api/wecom/callback'
export const CALLBACK_BODY_LIMIT = 64 * 1024
const XML_TYPES = ['text/xml', 'application/xml']

export const callbacksRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: CallbacksService }> = async (
  app,
  { service },
) => {
  app.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: CALLBACK_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  )
  // Before the query is validated: an unconfigured server says so, whatever was sent.
  const configured = async () => {
    if (!service.configured) {
      throw ApiError.notFound('WeCom callbacks are not configured: set WECOM_CALLBACK_TOKEN and WECOM_CALLBACK_AES_KEY')
    }
  }

  app.get(CALLBACK_PATH, { onRequest: configured, schema: { querystring: CallbackVerifyQuerySchema } }, async (request, reply) =>
    reply.type('text/plain; charset=utf-8').send(service.verifyUrl(request.query)),
  )

  app.post(
    CALLBACK_PATH,
    {
      onRequest: configured,
      config: { bodyTypes: XML_TYPES, json: false },
      bodyLimit: CALLBACK_BODY_LIMIT,
      schema: { querystring: CallbackQuerySchema, body: CallbackBodySchema, consumes: XML_TYPES },
    },
    async (request, reply) => {
      service.receive(request.query, request.body)
      // WeCom wants an answer within seconds; the event is acted on in the background.
      return reply.type('text/plain; charset=utf-8').send('success')
    },
  )
}
