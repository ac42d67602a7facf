/**
 * The one client for WeCom's server API. It owns the access token and the JS-SDK tickets
 * (cached, single-flight, refreshed before expiry), recovers from a dead token once, and
 * retries WeCom's "system busy" a few times. Nothing else is retried: a limit (45009/45033)
 * blocks the API for a while and calls fail fast meanwhile, a configuration refusal
 * (40001/48002/60020) is recorded for admins (`status()`), and ids WeCom does not know
 * are remembered for a few minutes. Every call, body included, has a time limit. It uses
 * Node's own fetch; tests and the simulator change only where the requests go
 * (`apiBase`) or the fetch function itself.
 */
import {
  CONFIG_ERRCODES,
  UNKNOWN_CHAT_ERRCODES,
  UNKNOWN_CONTACT_ERRCODES,
  WecomError,
  WecomErrcode,
  WecomUnavailableError,
  isServiceErrcode,
  isTokenError,
} from './errors'
import { ExpiringValue } from './expiring'
import { fetchJson, type FetchLike } from './fetch-json'
import { UnknownIds, WecomGuard, type WecomStatus } from './guard'
import type {
  AppMessage,
  AppMessageResult,
  BatchGetByUserResult,
  CorpTagListResult,
  MediaUploadResult,
  ExternalContactListResult,
  ExternalContactResult,
  GroupChatResult,
  TicketResult,
  TokenResult,
  UserInfoByCodeResult,
  UserResult,
  WecomResult,
} from './types'

export type { FetchLike } from './fetch-json'

export interface WecomClientOptions {
  corpId: string
  agentId: string
  secret: string
  apiBase: string
  fetch?: FetchLike
  now?: () => number
  timeoutMs?: number
  /** Waits between retries of errcode -1; tests pass zeros. */
  busyBackoffMs?: readonly number[]
  onWarning?: (message: string, detail: Record<string, unknown>) => void
  /** Where set-up refusals go for admins, shared by every instance (modules/health). */
  setupErrors?: SetupErrorSink
}

/**
 * Told of every set-up refusal (CONFIG_ERRCODES) and of every normal answer, awaited
 * before the call returns, so an admin's next look sees it on any instance. Its failures
 * are logged, never thrown at the caller.
 */
export interface SetupErrorSink {
  refused(error: { api: string; errcode: number; errmsg: string; at: number }): Promise<void>
  answered(api: string, at: number): Promise<void>
}

export type TicketType = 'agent' | 'corp'

type Query = Record<string, string | number | undefined>

interface RequestOptions {
  method?: 'GET' | 'POST'
  query?: Query
  body?: unknown
  /** A body that is not JSON (a multipart upload). */
  raw?: { contentType: string; bytes: Uint8Array }
  /** gettoken itself does not take a token. */
  withToken?: boolean
}

export class WecomClient {
  readonly corpId: string
  readonly agentId: string
  private readonly secret: string
  private readonly apiBase: string
  private readonly fetchImpl: FetchLike
  private readonly timeoutMs: number
  private readonly busyBackoffMs: readonly number[]
  private readonly warn: (message: string, detail: Record<string, unknown>) => void
  private readonly token: ExpiringValue<string>
  private readonly tickets: Record<TicketType, ExpiringValue<string>>
  private readonly guard: WecomGuard
  private readonly unknownIds: UnknownIds
  private readonly setupErrors: SetupErrorSink | null
  private readonly now: () => number

  constructor(options: WecomClientOptions) {
    this.corpId = options.corpId
    this.agentId = options.agentId
    this.secret = options.secret
    this.apiBase = options.apiBase.replace(/\/+$/, '')
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init))
    this.timeoutMs = options.timeoutMs ?? 8000
    this.busyBackoffMs = options.busyBackoffMs ?? [200, 500, 1000]
    this.warn = options.onWarning ?? (() => {})
    const now = options.now ?? Date.now
    this.now = now
    this.setupErrors = options.setupErrors ?? null
    this.guard = new WecomGuard(now)
    this.unknownIds = new UnknownIds(now)
    this.token = new ExpiringValue(async () => {
      const result = await this.send<TokenResult>('gettoken', {
        query: { corpid: this.corpId, corpsecret: this.secret },
        withToken: false,
      })
      return { value: result.access_token, expiresIn: result.expires_in }
    }, now)
    this.tickets = {
      agent: new ExpiringValue(async () => {
        const result = await this.request<TicketResult>('ticket/get', { query: { type: 'agent_config' } })
        return { value: result.ticket, expiresIn: result.expires_in }
      }, now),
      corp: new ExpiringValue(async () => {
        const result = await this.request<TicketResult>('get_jsapi_ticket', {})
        return { value: result.ticket, expiresIn: result.expires_in }
      }, now),
    }
  }

  /** When WeCom last answered normally and what last went wrong: for admins (`/api/health`). */
  status(): WecomStatus {
    return this.guard.status()
  }

  /** WeCom's last word was a failure, or it has us blocked: copies we serve may be behind. */
  degraded(): boolean {
    return this.guard.degraded()
  }

  /**
   * Forget that WeCom did not know this customer or group chat (an event just told us it
   * exists), so the next read asks again.
   */
  forgetUnknown(kind: 'contact' | 'chat', id: string): void {
    this.unknownIds.forget(`${kind}\u0000${id}`)
  }

  getAccessToken(): Promise<string> {
    return this.token.get()
  }

  /** `agent` signs agentConfig (the sidebar's app identity); `corp` signs config. */
  getJsapiTicket(type: TicketType): Promise<string> {
    return this.tickets[type].get()
  }

  /**
   * Call an API that needs the access token. A 40014/42001 drops the token, fetches one
   * new token (shared by every caller that saw the same failure) and retries once.
   */
  async request<T extends WecomResult>(api: string, options: RequestOptions): Promise<T> {
    const token = await this.token.get()
    try {
      return await this.send<T>(api, options, token)
    } catch (error) {
      if (!(error instanceof WecomError) || !isTokenError(error.errcode)) throw error
      this.warn('WeCom rejected the access token; fetching a new one', { api, errcode: error.errcode })
      this.token.invalidate(token)
      const fresh = await this.token.get()
      return this.send<T>(api, options, fresh)
    }
  }

  private async send<T extends WecomResult>(api: string, options: RequestOptions, token?: string): Promise<T> {
    const url = new URL(`${this.apiBase}/cgi-bin/${api}`)
    if (token !== undefined) url.searchParams.set('access_token', token)
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    const method = options.method ?? (options.body === undefined && options.raw === undefined ? 'GET' : 'POST')
    for (let attempt = 0; ; attempt++) {
      this.guard.checkBlocked(api)
      let result: T
      try {
        result = await fetchJson<T>(this.fetchImpl, api, url, {
          method,
          headers: options.raw
            ? { 'content-type': options.raw.contentType }
            : options.body === undefined
              ? undefined
              : { 'content-type': 'application/json' },
          body: options.raw
            ? (options.raw.bytes as Uint8Array<ArrayBuffer>)
            : options.body === undefined
              ? undefined
              : JSON.stringify(options.body),
          timeoutMs: this.timeoutMs,
        })
      } catch (error) {
        if (error instanceof WecomUnavailableError) this.guard.unreachable(api, error.message)
        throw error
      }
      const errcode = result.errcode ?? 0
      if (errcode === WecomErrcode.busy && attempt < this.busyBackoffMs.length) {
        await sleep(this.busyBackoffMs[attempt] ?? 0)
        continue
      }
      const limited = this.guard.answered(api, errcode, result.errmsg ?? '')
      if (!isServiceErrcode(errcode)) await this.report(() => this.setupErrors?.answered(api, this.now()))
      if (errcode === 0) return result
      if (limited) {
        this.warn('WeCom is limiting our calls; pausing this API', {
          api,
          errcode,
          retryAfterSeconds: limited.retryAfterSeconds,
        })
        throw limited
      }
      if (CONFIG_ERRCODES.has(errcode)) {
        // Configuration problems: loud, kept for admins, and never retried in a loop (bad secrets get the IP blocked).
        this.warn('WeCom refused our credentials, IP or app permissions; check WECOM_* settings and the WeCom admin console', {
          api,
          errcode,
          errmsg: result.errmsg,
        })
        await this.report(() => this.setupErrors?.refused({ api, errcode, errmsg: result.errmsg ?? '', at: this.now() }))
      }
      throw new WecomError(api, errcode, result.errmsg ?? '')
    }
  }

  private async report(write: () => Promise<void> | undefined): Promise<void> {
    try {
      await write()
    } catch (error) {
      this.warn('Could not record what WeCom said for admins', { err: error })
    }
  }

  /**
   * A read of one customer or group: WeCom's "no such id" is remembered for a few minutes
   * and answered again without a call.
   */
  private async lookup<T>(
    kind: 'contact' | 'chat',
    id: string,
    unknownErrcodes: ReadonlySet<number>,
    read: () => Promise<T>,
  ): Promise<T> {
    const key = `${kind}\u0000${id}`
    const api = kind === 'contact' ? 'externalcontact/get' : 'externalcontact/groupchat/get'
    const known = this.unknownIds.get(key)
    if (known) throw new WecomError(api, known.errcode, known.errmsg, true)
    try {
      return await read()
    } catch (error) {
      if (error instanceof WecomError && unknownErrcodes.has(error.errcode)) {
        this.unknownIds.remember(key, error.errcode, error.errmsg)
      }
      throw error
    }
  }

  // --- Identity -----------------------------------------------------------------------

  /** OAuth code → who opened the page. Members get `userid`; anyone else an `openid`. */
  getUserInfoByCode(code: string): Promise<UserInfoByCodeResult> {
    return this.request<UserInfoByCodeResult>('auth/getuserinfo', { query: { code } })
  }

  getUser(userId: string): Promise<UserResult> {
    return this.request<UserResult>('user/get', { query: { userid: userId } })
  }

  // --- Customers ----------------------------------------------------------------------

  /** A customer with every follower (WeCom pages `follow_user` past 500; we read them all). */
  async getExternalContact(externalUserId: string): Promise<ExternalContactResult> {
    const first = await this.lookup('contact', externalUserId, UNKNOWN_CONTACT_ERRCODES, () =>
      this.request<ExternalContactResult>('externalcontact/get', { query: { external_userid: externalUserId } }),
    )
    let cursor = first.next_cursor
    const followUser = [...(first.follow_user ?? [])]
    while (cursor) {
      const page = await this.request<ExternalContactResult>('externalcontact/get', {
        query: { external_userid: externalUserId, cursor },
      })
      followUser.push(...(page.follow_user ?? []))
      cursor = page.next_cursor
    }
    return { ...first, follow_user: followUser, next_cursor: '' }
  }

  /** A member's customer ids; 84061 (no customers) is an empty list, not an error. */
  async listExternalContacts(userId: string): Promise<string[]> {
    try {
      const result = await this.request<ExternalContactListResult>('externalcontact/list', { query: { userid: userId } })
      return result.external_userid ?? []
    } catch (error) {
      if (error instanceof WecomError && error.errcode === WecomErrcode.notExternalContact) return []
      throw error
    }
  }

  batchGetByUser(userIds: string[], cursor: string, limit = 100): Promise<BatchGetByUserResult> {
    return this.request<BatchGetByUserResult>('externalcontact/batch/get_by_user', {
      body: { userid_list: userIds, cursor, limit },
    })
  }

  /** Change this member's remark and description of a customer (other fields untouched). */
  remark(input: { userId: string; externalUserId: string; remark?: string; description?: string }): Promise<WecomResult> {
    return this.request<WecomResult>('externalcontact/remark', {
      body: {
        userid: input.userId,
        external_userid: input.externalUserId,
        ...(input.remark !== undefined ? { remark: input.remark } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      },
    })
  }

  getCorpTagList(): Promise<CorpTagListResult> {
    return this.request<CorpTagListResult>('externalcontact/get_corp_tag_list', { body: {} })
  }

  /** Add and remove corporate tags on a customer, as this member. */
  markTag(input: { userId: string; externalUserId: string; add: string[]; remove: string[] }): Promise<WecomResult> {
    return this.request<WecomResult>('externalcontact/mark_tag', {
      body: { userid: input.userId, external_userid: input.externalUserId, add_tag: input.add, remove_tag: input.remove },
    })
  }

  /**
   * Upload temporary media (valid three days). The part is named `media` and carries
   * filename, filelength and content-type, as WeCom documents.
   */
  uploadMedia(input: {
    type: 'image' | 'voice' | 'video' | 'file'
    filename: string
    mime: string
    bytes: Uint8Array
  }): Promise<MediaUploadResult> {
    const boundary = `----GuideSidebar${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`
    const filename = input.filename.replace(/["\r\n]/g, '_')
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="${filename}"; filelength=${input.bytes.length}\r\n` +
        `Content-Type: ${input.mime}\r\n\r\n`,
    )
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    return this.request<MediaUploadResult>('media/upload', {
      query: { type: input.type },
      raw: { contentType: `multipart/form-data; boundary=${boundary}`, bytes: Buffer.concat([head, input.bytes, tail]) },
    })
  }

  // --- App messages -----------------------------------------------------------------

  /**
   * An app message to members (`message/send`), from this app (its agentid). WeCom's
   * duplicate check is on: a job retried within `duplicateCheckSeconds` (WeCom's default
   * half hour) never delivers the same message twice. Unknown members come back in
   * `invaliduser`, not as an error.
   */
  sendAppMessage(input: { toUsers: string[]; message: AppMessage; duplicateCheckSeconds?: number }): Promise<AppMessageResult> {
    return this.request<AppMessageResult>('message/send', {
      body: {
        touser: input.toUsers.join('|'),
        agentid: Number(this.agentId),
        ...input.message,
        safe: 0,
        enable_duplicate_check: 1,
        duplicate_check_interval: input.duplicateCheckSeconds ?? 1800,
      },
    })
  }

  getGroupChat(chatId: string): Promise<GroupChatResult> {
    return this.lookup('chat', chatId, UNKNOWN_CHAT_ERRCODES, () =>
      this.request<GroupChatResult>('externalcontact/groupchat/get', { body: { chat_id: chatId, need_name: 1 } }),
    )
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}
