import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  ContentUsageSchema,
  TeamCsvQuerySchema,
  TeamMembersQuerySchema,
  TeamMembersSchema,
  TeamStatsQuerySchema,
  TeamStatsSchema,
} from '../../../shared/team'
import type { AppContext } from '../../context'
import { requireSession } from '../../http/auth'
import { requireTeamScope, type TeamScope } from '../guides/roles'
import { csvDisposition, teamCsv } from './csv'
import type { TeamService } from './team.service'

/**
 * /api/team/…: the manager's desk reads. Managers see their stores, head office every
 * store, guides nothing (403) — decided on the server from the session, whatever the app shows.
 */
export const teamRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: TeamService }> = async (app, { ctx, service }) => {
  const scopes = new WeakMap<FastifyRequest, TeamScope>()
  const scopeOf = (request: FastifyRequest) => scopes.get(request)!

  // Who may look comes first: signed out is 401 and a guide 403, whatever the query says.
  app.addHook('onRequest', async (request) => {
    const { userId } = requireSession(request, ctx.signer)
    scopes.set(request, await requireTeamScope(ctx, userId))
  })
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
  })

  app.get(
    '/api/team/stats',
    { schema: { querystring: TeamStatsQuerySchema, response: { 200: TeamStatsSchema } } },
    async (request) => service.teamStats(scopeOf(request), request.query.storeId, request.query.period ?? 'day'),
  )

  app.get('/api/team/stats.csv', { schema: { querystring: TeamCsvQuerySchema } }, async (request, reply) => {
    const { storeId, period, lang } = request.query
    const stats = await service.teamStats(scopeOf(request), storeId, period ?? 'day')
    const csvLang = lang?.startsWith('en') ? 'en' : 'zh'
    reply.type('text/csv; charset=utf-8')
    reply.header('content-disposition', csvDisposition(stats, csvLang))
    return teamCsv(stats, csvLang)
  })

  app.get(
    '/api/team/members',
    { schema: { querystring: TeamMembersQuerySchema, response: { 200: TeamMembersSchema } } },
    async (request) => service.members(scopeOf(request), request.query.storeId),
  )

  app.get(
    '/api/team/content',
    { schema: { querystring: TeamStatsQuerySchema, response: { 200: ContentUsageSchema } } },
    async (request) => service.content(scopeOf(request), request.query.storeId, request.query.period ?? 'day'),
  )
}
