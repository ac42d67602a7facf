import type { FastifyInstance } from 'fastify'
import type { AgentConfigCheck, AgentConfigVerdict, SimulatorAppMessage, SimulatorWorldView } from '../../shared/simulator'
import { SIMULATOR_USER_COOKIE } from '../../shared/simulator'
import type { DemoData } from '../demo/data'
import type { SimulatorWorld } from './world'

/**
 * The simulator page's API and the two things WeCom's client does for a page: the OAuth
 * authorize step (which member is this?) and the signature check behind agentConfig.
 */
export async function simulatorRoutes(app: FastifyInstance, options: { world: SimulatorWorld; demo: DemoData }): Promise<void> {
  const { world, demo } = options
  const storeName = new Map(demo.stores.map((s) => [s.id, s.name]))

  app.get('/simulator/api/world', async (_request, reply): Promise<SimulatorWorldView> => {
    reply.header('cache-control', 'no-store')
    const guides = [...world.users.values()]
    return {
      corpName: world.corpName,
      guides: guides.map((u) => ({
        userId: u.userid,
        name: u.name,
        position: u.position,
        storeName: storeName.get(u.storeId) ?? '',
        avatar: u.avatar,
      })),
      chats: Object.fromEntries(
        guides.map((u) => {
          const singles = world.customersOf(u.userid).map((c) => {
            const follow = c.follows.find((f) => f.userid === u.userid)!
            return {
              kind: 'single' as const,
              externalUserId: c.contact.external_userid,
              title: follow.remark || c.contact.name,
              wechatName: c.contact.name,
              avatar: c.contact.avatar ?? '',
              corpName: c.contact.corp_name ?? null,
              lines: world.messages.get(c.contact.external_userid) ?? [],
            }
          })
          const groups = [...world.groups.values()]
            .filter((g) => g.owner === u.userid || g.staff.includes(u.userid))
            .map((g) => ({
              kind: 'group' as const,
              chatId: g.chatId,
              title: g.name,
              memberCount: g.staff.length + g.customers.length,
              lines: [{ from: 'guide' as const, text: g.notice, at: world.now() - 90 * 60_000 }],
            }))
          const lastAt = (lines: { at: number }[]) => lines.at(-1)?.at ?? 0
          return [u.userid, [...groups, ...singles].sort((a, b) => lastAt(b.lines) - lastAt(a.lines))]
        }),
      ),
      appMessages: Object.fromEntries(guides.map((u) => [u.userid, appMessagesOf(u.userid)])),
    }
  })

  const appMessagesOf = (userId: string): SimulatorAppMessage[] => (world.appMessages.get(userId) ?? []).map((m) => ({ ...m }))

  // The app's chat (应用消息) of one member: the page asks again now and then, as new ones arrive.
  app.get<{ Querystring: { userId?: string } }>('/simulator/api/app-messages', async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const userId = request.query.userId ?? ''
    if (!world.users.has(userId)) return reply.status(404).send({ error: { code: 'not_found', message: 'No such member' } })
    return { items: appMessagesOf(userId) }
  })

  // What WeCom's client shows for an image message: the file, while its media id lives.
  app.route({
    method: ['GET', 'HEAD'],
    url: '/simulator/api/media/:mediaId',
    handler: async (request, reply) => {
      const media = world.liveMedia((request.params as { mediaId: string }).mediaId)
      if (!media) return reply.status(404).send({ error: { code: 'not_found', message: 'media_id unknown or expired' } })
      return reply.type(media.mime).header('cache-control', 'no-store').send(media.bytes)
    },
  })

  app.post<{ Body: AgentConfigCheck }>(
    '/simulator/api/agent-config',
    {
      schema: {
        body: {
          type: 'object',
          required: ['url', 'corpid', 'agentid', 'timestamp', 'nonceStr', 'signature'],
          properties: {
            url: { type: 'string', maxLength: 4096 },
            corpid: { type: 'string', maxLength: 64 },
            agentid: { type: 'string', maxLength: 20 },
            timestamp: { type: 'integer' },
            nonceStr: { type: 'string', maxLength: 64 },
            signature: { type: 'string', maxLength: 64 },
          },
        },
      },
    },
    async (request): Promise<AgentConfigVerdict> => {
      const verdict = world.verifyAgentConfig(request.body)
      if (verdict === 'ok') return { ok: true }
      return { ok: false, errMsg: `agentConfig:fail ${verdict}`, errCode: verdict === 'invalid signature' ? 40093 : 40013 }
    },
  )

  // What open.weixin.qq.com does inside WeCom: it knows who is signed in to the client.
  app.get<{ Querystring: Record<string, string | undefined> }>('/simulator/connect/oauth2/authorize', async (request, reply) => {
    const { appid, redirect_uri: redirectUri, response_type: responseType, scope, state, agentid } = request.query
    const problem =
      appid !== world.corpId
        ? 'appid 不是本企业的 CorpID'
        : responseType !== 'code'
          ? 'response_type 必须为 code'
          : scope !== 'snsapi_base' && scope !== 'snsapi_privateinfo'
            ? 'scope 无效'
            : agentid !== undefined && agentid !== world.agentId
              ? 'agentid 无效'
              : !redirectUri
                ? '缺少 redirect_uri'
                : new URL(redirectUri, 'http://invalid').host !== request.host
                  ? 'redirect_uri 需与可信域名一致 (50001)'
                  : null
    if (problem) return reply.status(400).type('text/plain; charset=utf-8').send(`模拟器：授权失败，${problem}`)
    const chosen = request.cookies[SIMULATOR_USER_COOKIE]
    const userId = chosen && world.users.has(chosen) ? chosen : [...world.users.keys()][0]!
    const target = new URL(redirectUri!)
    target.searchParams.set('code', world.issueCode(userId))
    if (state !== undefined) target.searchParams.set('state', state)
    return reply.redirect(target.href, 302)
  })
}
