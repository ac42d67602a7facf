import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema, type Health } from '../../../shared/health'
import type { AppContext } from '../../context'

export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const health: Health = { status: 'ok', db: ctx.db.kind, wecom: ctx.config.wecom.mode }
  app.get('/api/health', { schema: { response: { 200: HealthSchema } } }, async () => health)
}
