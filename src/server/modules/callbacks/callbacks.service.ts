/**
 * WeCom's callbacks: the URL check, and change events answered at once and acted on in the
 * background, each once (WeCom retries what it thinks went unanswered; a copy may reach
 * another instance). Events carry ids only, so what changed is read again from WeCom.
 */
import type { AppContext } from '../../context'
import { ApiError } from '../../http/errors'
import { ContactsRepository } from '../customers/contacts.repository'
import { CorpTags } from '../customers/corp-tags.service'
import type { CustomersService } from '../customers/customers.service'
import { GroupChats } from '../groups/group-chats'
import { GroupsRepository } from '../groups/groups.repository'
import { markGuideDeparted } from '../guides/departure'
import { assertFresh, openMessage, type CallbackKeys } from './callback-crypto'
import { envelopeCiphertext, parseEvent, type CallbackEvent } from './callback-xml'
import { CallbacksRepository } from './callbacks.repository'
import type { TransfersService } from './transfers.service'

export interface CallbackQuery {
  msg_signature: string
  timestamp: string
  nonce: string
}

export class CallbacksService {
  private readonly repo: CallbacksRepository
  private readonly contacts: ContactsRepository
  private readonly groups: GroupChats
  private readonly groupsRepo: GroupsRepository
  private readonly corpTags: CorpTags

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly transfers: TransfersService,
  ) {
    this.repo = new CallbacksRepository(ctx.db)
    this.contacts = new ContactsRepository(ctx.db)
    this.groups = new GroupChats(ctx)
    this.groupsRepo = new GroupsRepository(ctx.db)
    this.corpTags = new CorpTags(ctx)
  }

  get configured(): boolean {
    return this.ctx.config.wecom.callback !== null
  }

  private keys(): CallbackKeys {
    const callback = this.ctx.config.wecom.callback
    if (!callback)
      throw ApiError.notFound('WeCom callbacks are not configured: set WECOM_CALLBACK_TOKEN and WECOM_CALLBACK_AES_KEY')
    return { token: callback.token, aesKey: callback.aesKey, receiveId: this.ctx.config.wecom.corpId }
  }

  /** The URL check of the admin console: the decrypted `echostr`, and nothing else. */
  verifyUrl(query: CallbackQuery & { echostr: string }): string {
    return openMessage(this.keys(), {
      signature: query.msg_signature,
      timestamp: query.timestamp,
      nonce: query.nonce,
      encrypted: query.echostr,
    })
  }

  /** Check and open a POSTed event, and leave the work to the background. */
  receive(query: CallbackQuery, body: string): CallbackEvent {
    const keys = this.keys()
    const encrypted = envelopeCiphertext(body)
    const plaintext = openMessage(keys, {
      signature: query.msg_signature,
      timestamp: query.timestamp,
      nonce: query.nonce,
      encrypted,
    })
    // Checked once the signature proved the timestamp is WeCom's own.
    assertFresh(query.timestamp, this.ctx.now())
    const event = parseEvent(plaintext)
    this.ctx.background.run('wecom callback', () => this.handle(event))
    return event
  }

  /** Act on an event unless another delivery of it already did. */
  async handle(event: CallbackEvent): Promise<void> {
    if (!(await this.repo.claim(event, this.ctx.now()))) return
    let outcome: string | null
    try {
      outcome = await this.apply(event)
    } catch (error) {
      await this.repo.finish(event.key, this.ctx.now(), `failed: ${error instanceof Error ? error.message : String(error)}`)
      throw error
    }
    await this.repo.finish(event.key, this.ctx.now(), outcome)
  }

  private async apply(event: CallbackEvent): Promise<string | null> {
    switch (event.event) {
      case 'change_external_contact':
        return this.contactChanged(event)
      case 'change_external_chat':
        return this.chatChanged(event)
      case 'change_external_tag':
        await this.corpTags.refresh()
        return 'tags refreshed'
      case 'change_contact':
        return this.memberChanged(event)
      default:
        return 'ignored'
    }
  }

  private async contactChanged(event: CallbackEvent): Promise<string | null> {
    const { userId, externalUserId } = event
    if (!externalUserId) return 'ignored: no ExternalUserID'
    const now = this.ctx.now()
    switch (event.changeType) {
      case 'add_external_contact':
      case 'add_half_external_contact':
      case 'edit_external_contact': {
        // WeCom just vouched for her: a "no such customer" remembered from a bogus read must not hide her.
        this.ctx.wecom.forgetUnknown('contact', externalUserId)
        const known = await this.customers.refresh(externalUserId)
        // Her new guide may be taking her over from one who left (离职继承), whose follow WeCom never ends.
        const handovers = known
          ? [...(await this.transfers.settle([externalUserId])), ...(await this.transfers.settleDeparted([externalUserId]))]
          : []
        return handovers.length ? `handed over from ${handovers.map((h) => h.from).join(',')}` : known ? null : 'unknown to WeCom'
      }
      case 'del_external_contact':
      case 'del_follow_user': {
        if (!userId) return 'ignored: no UserID'
        const reason =
          event.changeType === 'del_follow_user'
            ? 'customer_deleted'
            : event.source === 'DELETE_BY_TRANSFER'
              ? 'transferred'
              : 'guide_deleted'
        const ended = await this.contacts.endFollow({ userId, externalUserId, reason, eventAt: event.createdAt, now })
        if (!ended) return 'stale: added again since'
        if (reason !== 'customer_deleted') await this.transfers.settle([externalUserId])
        return null
      }
      case 'transfer_fail':
        // She stays with the handover guide: nothing of hers moves.
        this.ctx.log.warn({ externalUserId, takeover: userId, reason: event.failReason }, 'WeCom customer transfer failed')
        return `transfer_fail: ${event.failReason || 'unknown'}`
      default:
        return 'ignored'
    }
  }

  private async chatChanged(event: CallbackEvent): Promise<string | null> {
    if (!event.chatId) return 'ignored: no ChatId'
    if (event.changeType === 'dismiss') {
      await this.groupsRepo.forget(event.chatId)
      return null
    }
    this.ctx.wecom.forgetUnknown('chat', event.chatId)
    // Only groups a guide has opened are cached; others are read when first opened.
    if (!(await this.groupsRepo.find(event.chatId))) return 'not cached'
    await this.groups.refresh(event.chatId)
    return null
  }

  private async memberChanged(event: CallbackEvent): Promise<string | null> {
    if (event.changeType !== 'delete_user' || !event.userId) return 'ignored'
    // She left the company: marked gone, her sessions ended; her customers wait for 离职继承.
    await markGuideDeparted(this.ctx.db.kysely, event.userId, this.ctx.now())
    return 'guide departed'
  }

  /** The stored record of an event, for tests and support. */
  record(key: string) {
    return this.repo.find(key)
  }
}
