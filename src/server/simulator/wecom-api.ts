/**
 * WeCom's server API as documented: HTTP 200 with `{errcode, errmsg, ...}` for success and
 * failure alike, tokens that expire, single-use OAuth codes, paged customer lists.
 * Registered with a prefix (`/simulator/wecom-api` in the app, none when a test runs it
 * as a standalone stand-in for qyapi.weixin.qq.com).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { readMultipartFile } from './multipart'
import type { SimulatorWorld } from './world'

type Query = Record<string, string | undefined>
type Handler = (input: {
  query: Query
  body: Record<string, unknown>
  rawBody: Buffer | null
  contentType: string
}) => Record<string, unknown>

/** WeCom cuts an over-long title or description to its byte limit rather than refusing it. */
function truncateBytes(text: string, maxBytes: number): string {
  let out = ''
  let bytes = 0
  for (const char of text) {
    bytes += Buffer.byteLength(char)
    if (bytes > maxBytes) break
    out += char
  }
  return out
}

/** The content of a message/send body (text or textcard), or the errcode WeCom answers for it. */
function readAppMessage(
  body: Record<string, unknown>,
):
  | { msgtype: 'text' | 'textcard'; title: string; description: string; url: string | null; btntxt: string | null }
  | { errcode: number; errmsg: string } {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  if (body.msgtype === 'text') {
    const content = text((body.text as Record<string, unknown> | undefined)?.content)
    if (!content) return fail(44004, 'text content is empty')
    return { msgtype: 'text', title: '', description: truncateBytes(content, 2048), url: null, btntxt: null }
  }
  if (body.msgtype === 'textcard') {
    const card = body.textcard
    if (!card || typeof card !== 'object') return fail(40058, 'textcard missing')
    const { title, description, url, btntxt } = card as Record<string, unknown>
    if (!text(title)) return fail(41016, 'missing title')
    if (!text(description)) return fail(41033, 'missing description')
    if (!text(url)) return fail(41010, 'missing url')
    if (Buffer.byteLength(text(url)) > 2048) return fail(40039, 'invalid url size')
    if (!/^https?:\/\//.test(text(url))) return fail(40094, 'invalid url: must start with http:// or https://')
    return {
      msgtype: 'textcard',
      title: truncateBytes(text(title), 128),
      description: truncateBytes(text(description), 512),
      url: text(url),
      // 详情 is what WeCom shows without one; at most four characters.
      btntxt: [...(text(btntxt) || '详情')].slice(0, 4).join(''),
    }
  }
  return fail(40008, `invalid message type${body.msgtype === undefined ? '' : `: ${String(body.msgtype)}`}`)
}

const ok = (payload: Record<string, unknown> = {}) => ({ errcode: 0, errmsg: 'ok', ...payload })
const fail = (errcode: number, errmsg: string) => ({ errcode, errmsg })

export async function wecomApiPlugin(app: FastifyInstance, options: { world: SimulatorWorld }): Promise<void> {
  const { world } = options

  const withToken = (api: string, handler: Handler) => (request: FastifyRequest, reply: FastifyReply) => {
    world.calls.push(api)
    const query = request.query as Query
    const fault = world.takeFault(api)
    if (fault) return reply.send(fail(fault.errcode, fault.errmsg))
    const tokenState = world.checkToken(query.access_token)
    if (tokenState === 41001) return reply.send(fail(41001, 'access_token missing'))
    if (tokenState === 40014) return reply.send(fail(40014, 'invalid access_token'))
    if (tokenState === 42001) return reply.send(fail(42001, 'access_token expired'))
    const rawBody = Buffer.isBuffer(request.body) ? request.body : null
    const body = (!rawBody && request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>
    return reply.send(handler({ query, body, rawBody, contentType: String(request.headers['content-type'] ?? '') }))
  }

  app.get('/cgi-bin/gettoken', async (request, reply) => {
    world.calls.push('gettoken')
    const fault = world.takeFault('gettoken')
    if (fault) return reply.send(fail(fault.errcode, fault.errmsg))
    const { corpid, corpsecret } = request.query as Query
    if (!corpid) return reply.send(fail(41002, 'corpid missing'))
    if (!corpsecret) return reply.send(fail(41004, 'corpsecret missing'))
    if (corpid !== world.corpId) return reply.send(fail(40013, 'invalid corpid'))
    if (corpsecret !== world.secret) return reply.send(fail(40001, 'invalid credential'))
    const { token, expiresIn } = world.issueToken()
    return reply.send(ok({ access_token: token, expires_in: expiresIn }))
  })

  app.get(
    '/cgi-bin/get_jsapi_ticket',
    withToken('get_jsapi_ticket', () => {
      const { ticket, expiresIn } = world.ticket('corp')
      return ok({ ticket, expires_in: expiresIn })
    }),
  )

  app.get(
    '/cgi-bin/ticket/get',
    withToken('ticket/get', ({ query }) => {
      if (query.type !== 'agent_config') return fail(40058, 'invalid type, expected agent_config')
      const { ticket, expiresIn } = world.ticket('agent')
      return ok({ ticket, expires_in: expiresIn })
    }),
  )

  app.get(
    '/cgi-bin/auth/getuserinfo',
    withToken('auth/getuserinfo', ({ query }) => {
      if (!query.code) return fail(41008, 'missing oauth code')
      const identity = world.redeemCode(query.code)
      if (!identity) return fail(40029, 'invalid code')
      return identity.userId ? ok({ userid: identity.userId }) : ok({ openid: identity.openid })
    }),
  )

  app.get(
    '/cgi-bin/user/get',
    withToken('user/get', ({ query }) => {
      const user = query.userid ? world.users.get(query.userid) : undefined
      if (!user) return fail(60111, 'userid not found')
      return ok({ userid: user.userid, name: user.name, position: user.position, avatar: user.avatar, status: 1 })
    }),
  )

  app.get(
    '/cgi-bin/externalcontact/list',
    withToken('externalcontact/list', ({ query }) => {
      if (!query.userid || !world.users.has(query.userid)) return fail(60111, 'userid not found')
      const ids = world.customersOf(query.userid).map((c) => c.contact.external_userid)
      if (ids.length === 0) return fail(84061, 'not external contact')
      return ok({ external_userid: ids })
    }),
  )

  app.get(
    '/cgi-bin/externalcontact/get',
    withToken('externalcontact/get', ({ query }) => {
      const entry = query.external_userid ? world.contacts.get(query.external_userid) : undefined
      if (!entry) return fail(40096, 'invalid external userid')
      if (entry.follows.length === 0) return fail(84061, 'not external contact')
      return ok({
        external_contact: entry.contact,
        follow_user: entry.follows.map((f) => world.followUser(f)),
        next_cursor: '',
      })
    }),
  )

  app.post(
    '/cgi-bin/externalcontact/batch/get_by_user',
    withToken('externalcontact/batch/get_by_user', ({ body }) => {
      const userIds = Array.isArray(body.userid_list) ? (body.userid_list as unknown[]).map(String) : []
      if (userIds.length === 0 || userIds.length > 100) return fail(40058, 'userid_list must hold 1 to 100 userids')
      const limit = Math.min(100, Math.max(1, Number(body.limit ?? 50) || 50))
      const offset = body.cursor ? Number.parseInt(String(body.cursor), 36) : 0
      if (!Number.isFinite(offset) || offset < 0) return fail(40058, 'invalid cursor')
      const rows = userIds.flatMap((userId) =>
        world.customersOf(userId).map((c) => ({ c, follow: c.follows.find((f) => f.userid === userId)! })),
      )
      const page = rows.slice(offset, offset + limit)
      return ok({
        external_contact_list: page.map(({ c, follow }) => {
          const full = world.followUser(follow)
          return {
            external_contact: c.contact,
            follow_info: {
              userid: follow.userid,
              remark: full.remark,
              description: full.description,
              createtime: full.createtime,
              tag_id: follow.corpTagIds,
              remark_corp_name: '',
              remark_mobiles: full.remark_mobiles,
              oper_userid: full.oper_userid,
              add_way: full.add_way,
              state: full.state,
            },
          }
        }),
        next_cursor: offset + limit < rows.length ? (offset + limit).toString(36) : '',
      })
    }),
  )

  app.post(
    '/cgi-bin/externalcontact/groupchat/get',
    withToken('externalcontact/groupchat/get', ({ body }) => {
      const group = typeof body.chat_id === 'string' ? world.groups.get(body.chat_id) : undefined
      if (!group) return fail(40050, 'invalid chatid')
      const needName = Number(body.need_name) === 1
      return ok({
        group_chat: {
          chat_id: group.chatId,
          name: group.name,
          owner: group.owner,
          create_time: group.createTime,
          notice: group.notice,
          member_list: [
            ...group.staff.map((userid) => ({
              userid,
              type: 1,
              join_time: group.createTime,
              join_scene: 1,
              invitor: { userid: group.owner },
              group_nickname: '',
              ...(needName ? { name: world.users.get(userid)?.name ?? userid } : {}),
            })),
            ...group.customers.map((m) => ({
              userid: m.externalUserId,
              type: 2,
              join_time: m.joinTime,
              join_scene: 3,
              invitor: { userid: group.owner },
              group_nickname: '',
              ...(needName ? { name: world.contacts.get(m.externalUserId)?.contact.name ?? '' } : {}),
            })),
          ],
          admin_list: group.staff.filter((s) => s !== group.owner).map((userid) => ({ userid })),
        },
      })
    }),
  )

  app.post(
    '/cgi-bin/externalcontact/remark',
    withToken('externalcontact/remark', ({ body }) => {
      const follow = findFollow(body)
      if (typeof follow === 'number')
        return follow === 40096 ? fail(40096, 'invalid external userid') : fail(84061, 'not external contact')
      if (body.remark !== undefined) {
        if (typeof body.remark !== 'string' || [...body.remark].length > 20)
          return fail(40058, 'remark must be at most 20 characters')
        follow.remark = body.remark
      }
      if (body.description !== undefined) {
        if (typeof body.description !== 'string' || [...body.description].length > 150) {
          return fail(40058, 'description must be at most 150 characters')
        }
        follow.description = body.description
      }
      return ok()
    }),
  )

  app.post(
    '/cgi-bin/externalcontact/get_corp_tag_list',
    withToken('externalcontact/get_corp_tag_list', () =>
      ok({
        tag_group: world.tagGroups.map((group, g) => ({
          group_id: group.groupId,
          group_name: group.name,
          create_time: 1700000000,
          order: world.tagGroups.length - g,
          tag: group.tags.map((tag, t) => ({
            id: tag.id,
            name: tag.name,
            create_time: 1700000000,
            order: group.tags.length - t,
          })),
        })),
      }),
    ),
  )

  app.post(
    '/cgi-bin/externalcontact/mark_tag',
    withToken('externalcontact/mark_tag', ({ body }) => {
      const follow = findFollow(body)
      if (typeof follow === 'number')
        return follow === 40096 ? fail(40096, 'invalid external userid') : fail(84061, 'not external contact')
      const add = Array.isArray(body.add_tag) ? (body.add_tag as unknown[]).map(String) : []
      const remove = Array.isArray(body.remove_tag) ? (body.remove_tag as unknown[]).map(String) : []
      if (add.length === 0 && remove.length === 0) return fail(40058, 'add_tag and remove_tag are both empty')
      const unknown = [...add, ...remove].find((id) => !world.tagName(id))
      if (unknown) return fail(40068, `invalid tagid ${unknown}`)
      follow.corpTagIds = [...new Set([...follow.corpTagIds.filter((id) => !remove.includes(id)), ...add])]
      return ok()
    }),
  )

  // App messages to members (message/send), checked the way WeCom checks them.
  app.post(
    '/cgi-bin/message/send',
    withToken('message/send', ({ body }) => {
      if (body.agentid === undefined || body.agentid === null || body.agentid === '') return fail(41011, 'missing agentid')
      if (!/^\d+$/.test(String(body.agentid)) || String(body.agentid) !== world.agentId) return fail(40056, 'invalid agentid')
      const list = (value: unknown) =>
        typeof value === 'string' && value !== '' ? value.split('|').filter((part) => part !== '') : []
      const toUser = list(body.touser)
      if (toUser.length === 0 && list(body.toparty).length === 0 && list(body.totag).length === 0) {
        return fail(82001, 'touser, toparty and totag are all empty')
      }
      if (toUser.length > 1000) return fail(40032, 'invalid userid list size: at most 1000')
      const content = readAppMessage(body)
      if ('errcode' in content) return content
      // @all: every member in the app's visible range (the demo's every member).
      const everyone = toUser.includes('@all')
      const known = everyone ? [...world.users.keys()] : toUser.filter((id) => world.users.has(id))
      const unknown = everyone ? [] : toUser.filter((id) => !world.users.has(id))
      if (known.length === 0) return fail(81013, 'user & party & tag all invalid')
      const duplicateCheck = Number(body.enable_duplicate_check) === 1
      const interval = Number(body.duplicate_check_interval ?? 1800)
      const msgid = world.deliverAppMessage(
        known,
        content,
        duplicateCheck ? Math.min(4 * 3600, Math.max(0, Number.isFinite(interval) ? interval : 1800)) * 1000 : null,
      )
      return ok({ invaliduser: unknown.join('|'), invalidparty: '', invalidtag: '', unlicenseduser: '', msgid })
    }),
  )

  /** The follow entry `userid` has for `external_userid`, or the errcode WeCom would answer. */
  function findFollow(body: Record<string, unknown>) {
    const contact = typeof body.external_userid === 'string' ? world.contacts.get(body.external_userid) : undefined
    if (!contact) return 40096
    const follow = contact.follows.find((f) => f.userid === body.userid)
    return follow ?? 84061
  }

  // Uploads arrive as multipart/form-data; the simulator reads the part itself.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 25 * 1024 * 1024 }, (_request, body, done) =>
    done(null, body),
  )

  app.post(
    '/cgi-bin/media/upload',
    { config: { bodyTypes: ['multipart/form-data'] } },
    withToken('media/upload', ({ query, rawBody, contentType }) => {
      const type = query.type
      if (!type || !['image', 'voice', 'video', 'file'].includes(type)) return fail(40004, 'invalid media type')
      const part = readMultipartFile(rawBody, contentType)
      if (!part || part.name !== 'media') return fail(41005, 'media data missing')
      if (part.bytes.length <= 5) return fail(40005, 'invalid file size')
      if (type === 'image') {
        if (part.bytes.length > 10 * 1024 * 1024) return fail(40006, 'invalid file size: image over 10MB')
        const png = part.bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
        const jpg = part.bytes[0] === 0xff && part.bytes[1] === 0xd8
        if (!png && !jpg) return fail(40005, 'invalid file type: image must be JPG or PNG')
      }
      const { mediaId, createdAt } = world.storeMedia({ bytes: part.bytes, mime: part.contentType, filename: part.filename })
      return ok({ type, media_id: mediaId, created_at: String(Math.floor(createdAt / 1000)) })
    }),
  )

  app.get('/cgi-bin/media/get', async (request, reply) => {
    world.calls.push('media/get')
    const query = request.query as Query
    const tokenState = world.checkToken(query.access_token)
    if (tokenState !== 0) return reply.send(fail(tokenState, 'invalid access_token'))
    const media = query.media_id ? world.liveMedia(query.media_id) : null
    if (!media) return reply.send(fail(40007, 'invalid media_id'))
    return reply.type(media.mime).send(media.bytes)
  })

  // WeCom answers unknown APIs with an errcode, not an HTTP 404.
  app.all('/cgi-bin/*', async (request, reply) => {
    world.calls.push(`unknown:${request.url.split('?')[0]}`)
    return reply.send(fail(60023, 'api not supported by the simulator'))
  })
}
