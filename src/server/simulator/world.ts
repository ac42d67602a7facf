/**
 * WeCom's side of the demo, held in memory: what the WeCom servers and the WeCom client
 * know. Mutations (a remark edit, a tag) last for the life of the process.
 */
import { randomBytes } from 'node:crypto'
import type { DemoData, DemoMessage } from '../demo/data'
import { jsapiSignature } from '../wecom/signature'
import type { ExternalContact, FollowUser } from '../wecom/types'

export const TOKEN_TTL_SECONDS = 7200
export const CODE_TTL_MS = 5 * 60 * 1000
export const MEDIA_TTL_MS = 3 * 24 * 3600 * 1000

export interface SimUser {
  userid: string
  name: string
  position: string
  storeId: string
  avatar: string
}

export interface SimFollow {
  userid: string
  remark: string
  description: string
  createtime: number
  corpTagIds: string[]
  personalTags: string[]
  addWay: number
  state: string
  remarkMobiles: string[]
}

export interface SimContact {
  contact: ExternalContact
  follows: SimFollow[]
}

export interface SimGroup {
  chatId: string
  name: string
  owner: string
  notice: string
  createTime: number
  staff: string[]
  customers: { externalUserId: string; joinTime: number }[]
}

export interface SimTagGroup {
  groupId: string
  name: string
  tags: { id: string; name: string }[]
}

/** An app message as the member's WeCom shows it, in the app's chat (应用消息). */
export interface SimAppMessage {
  msgid: string
  at: number
  msgtype: 'text' | 'textcard'
  /** textcard: title, description, url, btntxt; text: its content in `description`. */
  title: string
  description: string
  url: string | null
  btntxt: string | null
}

interface Expiring {
  value: string
  expiresAt: number
}

export interface WorldOptions {
  corpId: string
  agentId: string
  secret: string
  now?: () => number
  tokenTtlSeconds?: number
}

export class SimulatorWorld {
  readonly corpId: string
  readonly agentId: string
  readonly secret: string
  readonly now: () => number
  readonly tokenTtlSeconds: number
  corpName = ''
  readonly users = new Map<string, SimUser>()
  readonly contacts = new Map<string, SimContact>()
  readonly groups = new Map<string, SimGroup>()
  readonly tagGroups: SimTagGroup[] = []
  readonly messages = new Map<string, DemoMessage[]>()
  /** App messages each member received (`message/send`), oldest first. */
  readonly appMessages = new Map<string, SimAppMessage[]>()

  private readonly tokens = new Map<string, number>()
  private readonly tickets: Partial<Record<'agent' | 'corp', Expiring>> = {}
  private readonly codes = new Map<string, { userId: string | null; openid: string | null; expiresAt: number }>()
  /** Temporary media WeCom holds: media_id → the file, for three days. */
  readonly media = new Map<string, { bytes: Buffer; mime: string; filename: string; createdAt: number }>()
  /** Every API call, by name: tests count them (one gettoken for forty requests). */
  readonly calls: string[] = []
  private readonly faults: { api: string; errcode: number; errmsg: string; remaining: number }[] = []

  constructor(options: WorldOptions) {
    this.corpId = options.corpId
    this.agentId = options.agentId
    this.secret = options.secret
    this.now = options.now ?? Date.now
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? TOKEN_TTL_SECONDS
  }

  static fromDemo(data: DemoData, options: WorldOptions): SimulatorWorld {
    const world = new SimulatorWorld(options)
    world.corpName = data.corpName
    for (const g of data.guides) {
      world.users.set(g.userId, {
        userid: g.userId,
        name: g.name,
        position: g.position,
        storeId: g.storeId,
        avatar: `/media/demo/avatar/${g.userId}.svg`,
      })
    }
    for (const group of data.tagGroups) {
      world.tagGroups.push({ groupId: group.id, name: group.name, tags: group.tags.map((t) => ({ ...t })) })
    }
    for (const c of data.customers) {
      world.contacts.set(c.externalUserId, {
        contact: {
          external_userid: c.externalUserId,
          name: c.name,
          avatar: c.avatar,
          type: c.type,
          gender: c.gender,
          ...(c.type === 2 && c.corpName ? { corp_name: c.corpName, corp_full_name: c.corpName, position: '经理' } : {}),
        },
        follows: c.follows.map(({ userId, ...f }) => ({
          ...f,
          userid: userId,
          corpTagIds: [...f.corpTagIds],
          personalTags: [...f.personalTags],
          remarkMobiles: [...f.remarkMobiles],
        })),
      })
    }
    for (const g of data.groups) world.groups.set(g.chatId, { ...g, staff: [...g.staff], customers: [...g.customers] })
    for (const [id, lines] of Object.entries(data.messages)) world.messages.set(id, [...lines])
    return world
  }

  // --- Test hooks -----------------------------------------------------------------------

  /** Make the next `times` calls of `api` fail with `errcode`. */
  injectFault(api: string, errcode: number, times = 1, errmsg = 'injected by test'): void {
    this.faults.push({ api, errcode, errmsg, remaining: times })
  }

  clearFaults(): void {
    this.faults.length = 0
  }

  takeFault(api: string): { errcode: number; errmsg: string } | null {
    const fault = this.faults.find((f) => f.api === api && f.remaining > 0)
    if (!fault) return null
    fault.remaining--
    return { errcode: fault.errcode, errmsg: fault.errmsg }
  }

  /** Kill every token WeCom has issued, as an early expiry would. */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0)
  }

  callCount(api: string): number {
    return this.calls.filter((c) => c === api).length
  }

  // --- Tokens, tickets, codes -------------------------------------------------------------

  issueToken(): { token: string; expiresIn: number } {
    // Within its lifetime WeCom hands out the same token again; we do the same.
    const now = this.now()
    for (const [token, expiresAt] of this.tokens) {
      if (expiresAt > now) return { token, expiresIn: Math.floor((expiresAt - now) / 1000) }
    }
    const token = randomBytes(48).toString('base64url')
    this.tokens.set(token, now + this.tokenTtlSeconds * 1000)
    return { token, expiresIn: this.tokenTtlSeconds }
  }

  /** 0 valid, 40014 unknown, 42001 expired, 41001 missing: WeCom's answers for a token. */
  checkToken(token: string | undefined): 0 | 40014 | 42001 | 41001 {
    if (!token) return 41001
    const expiresAt = this.tokens.get(token)
    if (expiresAt === undefined) return 40014
    return expiresAt > this.now() ? 0 : 42001
  }

  ticket(type: 'agent' | 'corp'): { ticket: string; expiresIn: number } {
    const now = this.now()
    const current = this.tickets[type]
    if (current && current.expiresAt > now)
      return { ticket: current.value, expiresIn: Math.floor((current.expiresAt - now) / 1000) }
    const value = randomBytes(40).toString('base64url')
    this.tickets[type] = { value, expiresAt: now + 7200 * 1000 }
    return { ticket: value, expiresIn: 7200 }
  }

  currentTicket(type: 'agent' | 'corp'): string | null {
    const current = this.tickets[type]
    return current && current.expiresAt > this.now() ? current.value : null
  }

  /** A code for a member of the company (her userid). */
  issueCode(userId: string): string {
    return this.storeCode({ userId, openid: null })
  }

  /** A code for someone outside the company: WeCom identifies her only by openid. */
  issueNonMemberCode(openid: string): string {
    return this.storeCode({ userId: null, openid })
  }

  private storeCode(identity: { userId: string | null; openid: string | null }): string {
    const code = randomBytes(24).toString('hex')
    this.codes.set(code, { ...identity, expiresAt: this.now() + CODE_TTL_MS })
    return code
  }

  /** Codes are single use and live five minutes. */
  redeemCode(code: string): { userId: string | null; openid: string | null } | null {
    const entry = this.codes.get(code)
    this.codes.delete(code)
    if (!entry || entry.expiresAt <= this.now()) return null
    return { userId: entry.userId, openid: entry.openid }
  }

  /** What the WeCom client checks when a page calls agentConfig. */
  verifyAgentConfig(input: {
    corpid: string
    agentid: string
    url: string
    timestamp: number
    nonceStr: string
    signature: string
  }): 'ok' | 'invalid signature' | 'invalid corpid or agentid' {
    if (input.corpid !== this.corpId || String(input.agentid) !== this.agentId) return 'invalid corpid or agentid'
    const ticket = this.currentTicket('agent')
    if (!ticket) return 'invalid signature'
    const expected = jsapiSignature({ ticket, nonceStr: input.nonceStr, timestamp: input.timestamp, url: input.url })
    return expected === input.signature ? 'ok' : 'invalid signature'
  }

  storeMedia(file: { bytes: Buffer; mime: string; filename: string }): { mediaId: string; createdAt: number } {
    const mediaId = `3${randomBytes(30).toString('base64url')}`
    const createdAt = this.now()
    this.media.set(mediaId, { ...file, createdAt })
    return { mediaId, createdAt }
  }

  /** A media id the chat can still send: known, and younger than three days. */
  liveMedia(mediaId: string) {
    const media = this.media.get(mediaId)
    return media && this.now() - media.createdAt < MEDIA_TTL_MS ? media : null
  }

  // --- Reads in WeCom's shapes ------------------------------------------------------------

  tagName(tagId: string): { group: SimTagGroup; name: string } | null {
    for (const group of this.tagGroups) {
      const tag = group.tags.find((t) => t.id === tagId)
      if (tag) return { group, name: tag.name }
    }
    return null
  }

  followUser(follow: SimFollow): FollowUser {
    return {
      userid: follow.userid,
      remark: follow.remark,
      description: follow.description,
      createtime: follow.createtime,
      tags: [
        ...follow.corpTagIds.flatMap((id) => {
          const tag = this.tagName(id)
          return tag ? [{ group_name: tag.group.name, tag_name: tag.name, type: 1, tag_id: id }] : []
        }),
        ...follow.personalTags.map((name) => ({ group_name: '', tag_name: name, type: 2 })),
      ],
      remark_corp_name: '',
      remark_mobiles: follow.remarkMobiles,
      add_way: follow.addWay,
      oper_userid: follow.userid,
      state: follow.state,
    }
  }

  /**
   * Deliver an app message to members, as WeCom does: with the duplicate check on, the
   * same content to the same member within `duplicateWithinMs` is not delivered again.
   */
  deliverAppMessage(userIds: string[], message: Omit<SimAppMessage, 'msgid' | 'at'>, duplicateWithinMs: number | null): string {
    const msgid = randomBytes(24).toString('base64url')
    const at = this.now()
    for (const userId of userIds) {
      const inbox = this.appMessages.get(userId) ?? []
      const same = (m: SimAppMessage) =>
        m.msgtype === message.msgtype &&
        m.title === message.title &&
        m.description === message.description &&
        m.url === message.url &&
        m.btntxt === message.btntxt
      if (duplicateWithinMs !== null && inbox.some((m) => same(m) && at - m.at < duplicateWithinMs)) continue
      inbox.push({ ...message, msgid, at })
      this.appMessages.set(userId, inbox)
    }
    return msgid
  }

  customersOf(userId: string): SimContact[] {
    return [...this.contacts.values()].filter((c) => c.follows.some((f) => f.userid === userId))
  }
}
