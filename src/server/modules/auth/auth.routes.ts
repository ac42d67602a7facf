import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { CallbackQuerySchema, LoginQuerySchema, MeSchema } from '../../../shared/auth'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { ApiError } from '../../http/errors'
import { publicOrigin } from '../../http/origin'
import {
  OAUTH_COOKIE,
  OAUTH_TTL_SECONDS,
  SESSION_COOKIE,
  createOAuthState,
  readOAuthState,
  safeEqual,
  safeReturnPath,
} from '../../http/session'
import type { SessionsService } from '../sessions/sessions.service'
import { AuthService } from './auth.service'

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; sessions: SessionsService }> = async (
  app,
  { ctx, sessions },
) => {
  const service = new AuthService(ctx)
  const secureCookies = (ctx.config.publicUrl ?? '').startsWith('https:')
  const cookieBase = { httpOnly: true, sameSite: 'lax' as const, secure: secureCookies }

  app.get('/api/auth/login', { schema: { querystring: LoginQuerySchema } }, async (request, reply) => {
    const returnTo = safeReturnPath(request.query.return)
    const { state, cookie } = createOAuthState(ctx.signer, returnTo)
    const origin = publicOrigin(ctx.config, request)
    const authorize = new URL(ctx.config.wecom.oauthAuthorizeUrl, origin)
    // WeCom documents this exact parameter order, and the fragment is required.
    authorize.search = new URLSearchParams({
      appid: ctx.config.wecom.corpId,
      redirect_uri: `${origin}/api/auth/callback`,
      response_type: 'code',
      scope: 'snsapi_base',
      state,
      agentid: ctx.config.wecom.agentId,
    }).toString()
    authorize.hash = 'wechat_redirect'
    reply.setCookie(OAUTH_COOKIE, cookie, { ...cookieBase, path: '/api/auth', maxAge: OAUTH_TTL_SECONDS })
    reply.header('cache-control', 'no-store')
    return reply.redirect(authorize.href, 302)
  })

  app.get('/api/auth/callback', { schema: { querystring: CallbackQuerySchema } }, async (request, reply) => {
    const saved = readOAuthState(ctx.signer, request.cookies[OAUTH_COOKIE])
    reply.clearCookie(OAUTH_COOKIE, { ...cookieBase, path: '/api/auth' })
    reply.header('cache-control', 'no-store')
    const { code, state } = request.query
    if (!saved || !state || !safeEqual(saved.state, state)) {
      return failSignIn(
        request,
        reply,
        new ApiError(400, 'invalid_oauth_state', 'The sign-in link expired or was opened in another browser'),
        '/',
      )
    }
    if (!code) {
      return failSignIn(request, reply, new ApiError(400, 'invalid_oauth_code', 'WeCom sent no sign-in code'), saved.returnTo)
    }
    let userId: string
    try {
      userId = await service.signInWithCode(code, saved.state)
    } catch (error) {
      if (error instanceof ApiError) return failSignIn(request, reply, error, saved.returnTo)
      throw error
    }
    // A new session every sign-in; the one this browser brought (if any) ends here.
    reply.setCookie(SESSION_COOKIE, await sessions.start(userId, request.cookies[SESSION_COOKIE]), {
      ...cookieBase,
      path: '/',
      maxAge: sessions.limits.maxMs / 1000,
    })
    return reply.redirect(safeReturnPath(saved.returnTo), 302)
  })

  app.post('/api/auth/logout', async (request, reply) => {
    // The row ends, so a copy of the cookie kept anywhere is worth nothing either.
    await sessions.end(request.cookies[SESSION_COOKIE])
    reply.clearCookie(SESSION_COOKIE, { ...cookieBase, path: '/' })
    return reply.status(204).send()
  })

  app.get('/api/me', { schema: { response: { 200: MeSchema } } }, async (request, reply) => {
    const session = requireSession(request, ctx.signer)
    const me = await service.me(session.userId)
    if (!me) throw ApiError.unauthorized('Your session is no longer valid; sign in again')
    reply.header('cache-control', 'no-store')
    if (!session.previewBy) return me
    // A preview shows her exactly as a guide, whatever else she is.
    const by = await service.me(session.previewBy)
    return { ...me, role: 'guide' as const, preview: { by: session.previewBy, name: by?.name ?? session.previewBy } }
  })
}

/**
 * A failed sign-in is a top-level page in the sidebar, so a browser gets a small page
 * with a way forward instead of raw JSON; API clients still get the usual error body.
 */
function failSignIn(request: FastifyRequest, reply: FastifyReply, error: ApiError, returnTo: string) {
  reply.status(error.statusCode)
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds))
  if (!(request.headers.accept ?? '').includes('text/html')) {
    return reply.send({ error: { code: error.code, message: error.message } })
  }
  const retry = `/api/auth/login?return=${encodeURIComponent(returnTo)}`
  const message =
    error.code === 'not_a_member'
      ? '只有企业成员可以使用导购助手。'
      : error.code === 'rate_limited'
        ? `刚才登录失败的次数太多，请 ${error.retryAfterSeconds ?? 60} 秒后重新登录。`
        : '登录没有完成，可能是链接已过期或在其他浏览器中打开。'
  return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>登录未完成</title>
<style>body{font:15px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:48px 24px;color:#1f2329;background:#f5f6f7;text-align:center}
a{display:inline-block;margin-top:16px;padding:10px 24px;border-radius:6px;background:#1677ff;color:#fff;text-decoration:none}
@media (prefers-color-scheme:dark){body{background:#141414;color:#e6e6e6}}</style></head>
<body><h1 style="font-size:18px">登录未完成</h1><p>${message}</p><p style="color:#86909c;font-size:13px">Sign-in did not complete (${error.code}).</p>
${error.code === 'not_a_member' ? '' : `<a href="${retry}">重新登录</a>`}</body></html>`)
}
