import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  ClientConfigSchema,
  JssdkSignatureSchema,
  SignatureQuerySchema,
  type ClientConfig,
  type EmbeddedSignature,
  type JssdkSignature,
  type SignatureType,
} from '../../../shared/wecom'
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { publicOrigin } from '../../http/origin'
import { jsapiSignature, makeNonce, urlForSignature } from '../../wecom/signature'

async function sign(ctx: AppContext, type: SignatureType, url: string): Promise<JssdkSignature> {
  const ticket = await ctx.wecom.getJsapiTicket(type)
  const timestamp = Math.floor(ctx.now() / 1000)
  const nonceStr = makeNonce()
  return {
    corpId: ctx.config.wecom.corpId,
    agentId: ctx.config.wecom.agentId,
    timestamp,
    nonceStr,
    signature: jsapiSignature({ ticket, nonceStr, timestamp, url: urlForSignature(url) }),
  }
}

/**
 * agentConfig's signature for the page being served, when WeCom's webview asks for it (its
 * user agent says `wxwork/`, as the JS-SDK itself decides): the URL is the one requested,
 * on our public origin. Null outside WeCom, or when the ticket cannot be had just now (the
 * app then asks `/api/wecom/jssdk-signature`, which reports the failure properly).
 */
/** WeCom's own webview (its user agent says `wxwork/<version>`). */
export function isWecomClient(request: FastifyRequest): boolean {
  return /wxwork\//i.test(request.headers['user-agent'] ?? '')
}

export async function signPageForWecom(ctx: AppContext, request: FastifyRequest): Promise<EmbeddedSignature | null> {
  if (!isWecomClient(request)) return null
  const url = urlForSignature(`${publicOrigin(ctx.config, request)}${request.url}`)
  try {
    return { url, ...(await sign(ctx, 'agent', url)) }
  } catch (error) {
    request.log.warn({ err: error }, 'no agentConfig signature in the page')
    return null
  }
}

export const jssdkRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const clientConfig: ClientConfig = {
    corpId: ctx.config.wecom.corpId,
    agentId: ctx.config.wecom.agentId,
    mode: ctx.config.wecom.mode,
  }

  app.get('/api/wecom/config', { schema: { response: { 200: ClientConfigSchema } } }, async () => clientConfig)

  app.get(
    '/api/wecom/jssdk-signature',
    { schema: { querystring: SignatureQuerySchema, response: { 200: JssdkSignatureSchema } } },
    async (request, reply) => {
      const { url, type = 'agent' } = request.query
      let page: URL
      try {
        page = new URL(url)
      } catch {
        throw ApiError.badRequest('url must be the absolute URL of the page, e.g. https://sidebar.example.com/')
      }
      const trusted = new URL(publicOrigin(ctx.config, request))
      // WeCom only honours signatures for its trusted domain; refusing others keeps our
      // ticket from signing pages that are not ours.
      if ((page.protocol !== 'https:' && page.protocol !== 'http:') || page.host !== trusted.host) {
        throw ApiError.badRequest(`url must be a page on ${trusted.host}`)
      }
      const signature = await sign(ctx, type, url)
      reply.header('cache-control', 'no-store')
      return signature
    },
  )
}
