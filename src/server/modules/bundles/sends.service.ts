/**
 * Sending a bundle: the card prepared for WeCom (her sizes, nothing private on it), the
 * send confirmed or cancelled once WeCom answered, and the lookbook the card's link opens,
 * with each open reported back to the guide.
 */
import type { BundleItem, BundleItemInput, BundleSend, BundleSendCreate } from '../../../shared/bundles'
import { BUNDLE_MIN_ITEMS } from '../../../shared/bundles'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { writeTransaction } from '../../db/dialect'
import { formatYuan } from '../../http/customer-page'
import { ApiError } from '../../http/errors'
import { CatalogRepository } from '../catalog/catalog.repository'
import { GuidesRepository } from '../guides/guides.repository'
import type { CustomersService } from '../customers/customers.service'
import { GroupChats } from '../groups/group-chats'
import { PrivateTextGuard } from '../privacy/private-text.guard'
import type { BundlesService } from './bundles.service'
import { collageItems, collageKey, collageKeyOf, collageUrl } from './collage'
import type { LookbookView } from './lookbook-page'
import { lookbookToken, newSendId, readLookbookToken } from './lookbook-token'
import { SendsRepository, type SendRecord, type SendSnapshot } from './sends.repository'
import { TasksService } from '../tasks/tasks.service'
import type { SuggestionsService } from './suggestions.service'

export type SendTarget = BundleSendCreate

export interface MiniprogramConfig {
  appid: string
  page: string
}

/** A customer who opens her link again after this long is a new timeline entry. */
const REOPEN_EVENT_MS = 6 * 3_600_000

function eventPayload(send: SendRecord) {
  return { bundleId: send.bundleId, sendId: send.id, title: send.snapshot.title, items: send.snapshot.items.length }
}

export class SendsService {
  private readonly catalog: CatalogRepository
  private readonly guides: GuidesRepository
  private readonly repo: SendsRepository
  private readonly groups: GroupChats
  private readonly privacy: PrivateTextGuard
  private readonly tasks: TasksService

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly bundles: BundlesService,
    private readonly suggestions: SuggestionsService,
    private readonly options: { miniprogram?: MiniprogramConfig | null } = {},
  ) {
    this.catalog = new CatalogRepository(ctx.db)
    this.guides = new GuidesRepository(ctx.db)
    this.repo = new SendsRepository(ctx.db)
    this.groups = new GroupChats(ctx)
    this.privacy = new PrivateTextGuard(ctx.db)
    this.tasks = new TasksService(ctx)
  }

  // --- Preparing ------------------------------------------------------------------------------

  /** Checks she may send there; answers the customers who will see the card. */
  private async checkTarget(userId: string, target: SendTarget): Promise<string[]> {
    if (Boolean(target.externalUserId) === Boolean(target.chatId)) {
      throw ApiError.badRequest('send to one chat: give externalUserId or chatId')
    }
    if (target.externalUserId) {
      await this.customers.assertFollower(userId, target.externalUserId)
      return [target.externalUserId]
    }
    const chat = await this.groups.get(target.chatId!, userId)
    if (chat.owner !== userId && !chat.members.some((m) => m.type === 1 && m.userid === userId)) {
      throw ApiError.forbidden('You are not a member of this group chat')
    }
    return chat.members.filter((m) => m.type === 2).map((m) => m.userid)
  }

  /** The SKUs a guide saw in her preview: the bundle's styles in its order, any of their SKUs. */
  private async checkSentItems(bundle: { items: BundleItem[] }, items: BundleItemInput[]): Promise<void> {
    const same =
      items.length === bundle.items.length && items.every((item, index) => item.productId === bundle.items[index]!.productId)
    if (!same) throw ApiError.badRequest('items must be the pieces of this bundle, in its order (sizes and colours may differ)')
    await this.bundles.checkItems(items)
  }

  /** Words a card may say whatever a guide keeps about customers: the product data, brand, her name and store. */
  private async publicWords(userId: string, items: BundleItem[], storeId: string | null): Promise<string[]> {
    const [{ candidates }, page] = await Promise.all([
      this.suggestions.candidates(storeId),
      this.privacy.pageWords(userId, this.ctx.config.brandName),
    ])
    const tags = new Set<string>()
    for (const c of candidates.values()) for (const tag of c.tags) tags.add(tag)
    const pieces = items.flatMap((i) => [i.name, i.color, i.size, i.styleCode, ...(candidates.get(i.productId)?.materials ?? [])])
    return [...page, ...tags, ...pieces]
  }

  /** A send waiting for WeCom: the card to pass to `sendChatMessage`, confirmed or cancelled after. */
  async createSend(userId: string, bundleId: string, target: SendTarget, origin: string): Promise<BundleSend> {
    const bundle = await this.bundles.get(userId, bundleId)
    if (bundle.retired) throw ApiError.notFound('This bundle has been retired')
    if (bundle.items.length < BUNDLE_MIN_ITEMS) {
      throw new ApiError(409, 'conflict', 'Pieces of this bundle left the catalogue: edit it before sending')
    }
    const audience = await this.checkTarget(userId, target)
    const storeId = await this.guides.storeIdOf(userId)
    // What goes out is what the guide saw: her sizes for a customer, the SKUs of her
    // preview when the app says which; a group gets the outfit as it was made.
    let items = bundle.items
    if (target.items) {
      await this.checkSentItems(bundle, target.items)
      items = await this.bundles.resolveItems(target.items, storeId)
    } else if (target.externalUserId) {
      items = await this.bundles.resolveItems(
        await this.suggestions.fitFor(userId, target.externalUserId, bundle, storeId),
        storeId,
      )
    }
    await this.privacy.assertNothingPrivate(
      userId,
      audience,
      [bundle.title, bundle.note],
      await this.publicWords(userId, items, storeId),
    )
    const collage = collageItems(items)
    await this.bundles.rememberCollages([collage])
    const id = newSendId()
    const snapshot: SendSnapshot = {
      title: bundle.title,
      note: bundle.note,
      items,
      totalFen: items.reduce((sum, i) => sum + i.priceFen, 0),
      collageKey: collageKey(collage),
    }
    await this.repo.insertPending({
      id,
      bundleId: bundle.id,
      guideId: userId,
      externalUserId: target.externalUserId ?? null,
      chatId: target.chatId ?? null,
      snapshot,
      createdAt: this.ctx.now(),
    })
    if (snapshot.collageKey !== collageKeyOf(bundle.collageUrl)) this.bundles.warmCollage(snapshot.collageKey)
    return this.sendView(id, 'pending', snapshot, origin)
  }

  private sendView(id: string, status: BundleSend['status'], snapshot: SendSnapshot, origin: string): BundleSend {
    const link = `${origin}/l/${lookbookToken(this.ctx.config.sessionSecret, id)}`
    const imgUrl = `${origin}${collageUrl(snapshot.collageKey)}`
    const desc = snapshot.note || `${snapshot.items.length} 件单品 · 合计 ${formatYuan(snapshot.totalFen)}`
    const mini = this.options.miniprogram
    if (mini) {
      const token = lookbookToken(this.ctx.config.sessionSecret, id)
      return {
        id,
        status,
        link,
        message: {
          msgtype: 'miniprogram',
          miniprogram: { appid: mini.appid, title: snapshot.title, imgUrl, page: `${mini.page}?t=${token}` },
        },
      }
    }
    return { id, status, link, message: { msgtype: 'news', news: { link, title: snapshot.title, desc, imgUrl } } }
  }

  // --- Delivery -------------------------------------------------------------------------------

  private async ownSend(userId: string, id: string): Promise<SendRecord> {
    const send = await this.repo.find(id)
    if (!send || send.guideId !== userId) throw ApiError.notFound('No such send')
    return send
  }

  /**
   * The card reached her chat: the send counts as sent and, for a customer's own chat, her
   * timeline says so. Only the first report does anything, whichever path it came by
   * (the app's confirm, or her opening a link the app never confirmed).
   */
  private async markSent(trx: Trx, send: SendRecord, at: { sentAt: number; eventAt: number }): Promise<void> {
    const delivered = await this.repo.markSent(trx, send.id, at.sentAt)
    if (!delivered || !send.externalUserId) return
    await this.repo.insertEvent(trx, {
      kind: 'bundle_sent',
      externalUserId: send.externalUserId,
      actorId: send.guideId,
      occurredAt: at.eventAt,
      payload: eventPayload(send),
    })
    // An outfit sent to her: the tasks a message serves are done.
    await this.tasks.served({ guideId: send.guideId, externalUserId: send.externalUserId, now: at.sentAt }, trx)
  }

  /** WeCom took the card: count it and put it in her timeline. Confirming twice is a no-op. */
  async confirmSend(userId: string, id: string, origin: string): Promise<BundleSend> {
    const send = await this.ownSend(userId, id)
    if (send.status === 'cancelled') throw new ApiError(409, 'conflict', 'This send was cancelled')
    if (send.status === 'pending') {
      const now = this.ctx.now()
      await writeTransaction(this.ctx.db, (trx) => this.markSent(trx, send, { sentAt: now, eventAt: now }))
    }
    return this.sendView(id, 'sent', send.snapshot, origin)
  }

  /** The guide cancelled in WeCom's confirm, or sending failed: the link was never delivered. */
  async cancelSend(userId: string, id: string, origin: string): Promise<BundleSend> {
    const send = await this.ownSend(userId, id)
    if (send.status === 'sent') throw new ApiError(409, 'conflict', 'This send was already delivered')
    await this.repo.cancelPending(id)
    return this.sendView(id, 'cancelled', send.snapshot, origin)
  }

  // --- The customer's page --------------------------------------------------------------------

  /**
   * The lookbook behind a link, or null (tampered, unknown or cancelled: all look alike).
   * Opening it is recorded for the guide; stock and sizes are read fresh.
   */
  async openLookbook(token: string, options: { record: boolean }): Promise<LookbookView | null> {
    const id = readLookbookToken(this.ctx.config.sessionSecret, token)
    if (!id) return null
    const send = await this.repo.findForLookbook(id)
    if (!send || send.status === 'cancelled') return null
    // A pending link she opens was delivered even if the app never heard back from WeCom.
    if (options.record) await this.recordOpen(send)

    const { snapshot } = send
    const productIds = [...new Set(snapshot.items.map((i) => i.productId))]
    const [skus, images] = await Promise.all([this.catalog.skus(productIds, send.storeId), this.catalog.images(productIds)])
    return {
      brand: this.ctx.config.brandName,
      title: snapshot.title,
      note: snapshot.note,
      guideName: send.guideName ?? '',
      storeName: send.storeName ?? null,
      collageUrl: collageUrl(snapshot.collageKey),
      totalFen: snapshot.totalFen,
      lang: 'zh',
      items: snapshot.items.map((item) => ({
        name: item.name,
        styleCode: item.styleCode,
        color: item.color,
        size: item.size,
        priceFen: item.priceFen,
        imageUrl: item.imageUrl,
        images: images
          .filter((i) => i.productId === item.productId && (i.color === null || i.color === item.color))
          .map((i) => ({ url: i.url })),
        sizesAvailable: skus
          .filter((s) => s.productId === item.productId && s.color === item.color && s.stock > 0)
          .map((s) => s.size),
      })),
    }
  }

  private async recordOpen(send: SendRecord): Promise<void> {
    const now = this.ctx.now()
    const last = send.lastOpenedAt
    await writeTransaction(this.ctx.db, async (trx) => {
      // The app never confirmed (lost on the way): her timeline still says it was sent,
      // just before she opened it.
      if (send.status === 'pending') await this.markSent(trx, send, { sentAt: send.createdAt, eventAt: now - 1 })
      await this.repo.countOpen(trx, send.id, now)
      if (send.externalUserId && (last === null || now - last >= REOPEN_EVENT_MS)) {
        await this.repo.insertEvent(trx, {
          kind: 'bundle_opened',
          externalUserId: send.externalUserId,
          actorId: null,
          occurredAt: now,
          payload: eventPayload(send),
        })
      }
    })
  }
}
