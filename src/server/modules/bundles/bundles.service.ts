/**
 * Outfit bundles: the brand's (managers publish them) and each guide's own, drawn as one
 * collage, ranked for the open customer, sent as a card whose link opens her lookbook,
 * and the open reported back to the guide.
 */
import { randomUUID } from 'node:crypto'
import type {
  Bundle,
  BundleCreate,
  BundleItem,
  BundleItemInput,
  BundleList,
  BundleFit,
  BundleScope,
  BundleSend,
  BundleSendCreate,
  BundleUpdate,
  Suggestions,
} from '../../../shared/bundles'
import { BUNDLE_MAX_ITEMS, BUNDLE_MIN_ITEMS } from '../../../shared/bundles'
import { STYLE_TAG_GROUP, type CustomerProfile } from '../../../shared/customer'
import { sizeForCategory, type CustomerSizes } from '../../../shared/sizes'
import type { AppContext } from '../../context'
import { iso, parseJsonArray } from '../../db/sql'
import type { BundlesTable } from '../../db/schema'
import { ApiError } from '../../http/errors'
import { CatalogRepository, categoryOf, type SkuWithStock } from '../catalog/catalog.repository'
import type { CustomersService } from '../customers/customers.service'
import { GroupChats } from '../groups/group-chats'
import { requireManager } from '../guides/roles'
import { PrivateTextGuard } from '../privacy/private-text.guard'
import { collageKey, renderCollage, type CollageItem, type LoadedImage } from './collage'
import { formatYuan } from '../../http/customer-page'
import type { LookbookView } from './lookbook-page'
import { lookbookToken, newSendId, readLookbookToken } from './lookbook-token'
import { fitBundle, type FitResult, type FitShopper } from './fit'
import { scoreBundle, scoreProduct, type Candidate, type Shopper } from './recommend'

type BundleRow = Omit<BundlesTable, 'never'>

interface Snapshot {
  title: string
  note: string
  items: BundleItem[]
  totalFen: number
  collageKey: string
}

export type SendTarget = BundleSendCreate

export interface MiniprogramConfig {
  appid: string
  page: string
}

const CANDIDATES_TTL_MS = 60_000

interface CandidateSet {
  candidates: Map<string, Candidate & { priceFen: number; imageUrl: string | null }>
  /** Every SKU by id, for the in-stock alternatives a fit offers. */
  skuById: Map<string, SkuWithStock>
  newestSeason: string | null
}
/** A customer who opens her link again after this long is a new timeline entry. */
const REOPEN_EVENT_MS = 6 * 3_600_000

export class BundlesService {
  private readonly catalog: CatalogRepository
  private readonly groups: GroupChats
  private readonly privacy: PrivateTextGuard

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly options: { miniprogram?: MiniprogramConfig | null } = {},
  ) {
    this.catalog = new CatalogRepository(ctx.db)
    this.groups = new GroupChats(ctx)
    this.privacy = new PrivateTextGuard(ctx.db.kysely)
  }

  private get db() {
    return this.ctx.db.kysely
  }

  // --- Reading --------------------------------------------------------------------------------

  /** Items as the guide's store sees them; pieces no longer in the catalogue are left out. */
  private async resolveItems(inputs: BundleItemInput[], storeId: string | null): Promise<BundleItem[]> {
    const productIds = [...new Set(inputs.map((i) => i.productId))]
    const [rows, skus, images] = await Promise.all([
      this.catalog.productRows(productIds),
      this.catalog.skus(productIds, storeId),
      this.catalog.colorImages(productIds),
    ])
    const products = new Map(rows.map((r) => [r.id, r]))
    const skuById = new Map(skus.map((s) => [s.id, s]))
    const items: BundleItem[] = []
    for (const input of inputs) {
      const product = products.get(input.productId)
      const sku = skuById.get(input.skuId)
      if (!product || !sku || sku.productId !== product.id) continue
      items.push({
        productId: product.id,
        skuId: sku.id,
        styleCode: product.style_code,
        name: product.name,
        category: categoryOf(product.category),
        color: sku.color,
        size: sku.size,
        priceFen: product.price_fen,
        imageUrl: images.get(`${product.id}\u0000${sku.color}`) ?? product.image_url,
        stock: sku.stock,
      })
    }
    return items
  }

  private async stats(ids: string[]): Promise<Map<string, { sent: number; opened: number }>> {
    const stats = new Map<string, { sent: number; opened: number }>()
    if (ids.length === 0) return stats
    const rows = await this.db
      .selectFrom('bundle_sends')
      .select((eb) => [
        'bundle_id',
        eb.fn.countAll<number | string>().as('sent'),
        eb.fn.count<number | string>('first_opened_at').as('opened'),
      ])
      .where('bundle_id', 'in', ids)
      .where('status', '=', 'sent')
      .groupBy('bundle_id')
      .execute()
    for (const row of rows) stats.set(row.bundle_id, { sent: Number(row.sent), opened: Number(row.opened) })
    return stats
  }

  private async toBundles(rows: BundleRow[], storeId: string | null): Promise<Bundle[]> {
    const inputs = rows.map((r) => parseJsonArray<BundleItemInput>(r.items))
    const items = await this.resolveItems(inputs.flat(), storeId)
    const byInput = new Map(items.map((i) => [`${i.productId}\u0000${i.skuId}`, i]))
    const [stats, owners] = await Promise.all([
      this.stats(rows.map((r) => r.id)),
      this.ownerNames(rows.flatMap((r) => (r.owner_id ? [r.owner_id] : []))),
    ])
    const bundles = rows.map((row, index) => {
      const resolved = inputs[index]!.flatMap((i) => byInput.get(`${i.productId}\u0000${i.skuId}`) ?? [])
      const key = collageKey(collageItems(resolved))
      const stat = stats.get(row.id) ?? { sent: 0, opened: 0 }
      return {
        id: row.id,
        scope: row.scope,
        owner: row.owner_id ? { userId: row.owner_id, name: owners.get(row.owner_id) ?? row.owner_id } : null,
        title: row.title,
        note: row.note,
        items: resolved,
        totalFen: resolved.reduce((sum, i) => sum + i.priceFen, 0),
        collageUrl: collageUrl(key),
        sent: stat.sent,
        opened: stat.opened,
        retired: row.retired_at !== null,
        updatedAt: iso(Number(row.updated_at)),
      } satisfies Bundle
    })
    await this.rememberCollages(bundles.map((b) => collageItems(b.items)))
    return bundles
  }

  private async ownerNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map()
    const rows = await this.db
      .selectFrom('guides')
      .select(['user_id', 'name'])
      .where('user_id', 'in', [...new Set(ids)])
      .execute()
    return new Map(rows.map((r) => [r.user_id, r.name]))
  }

  /** Record what each collage key draws, so its URL can be rendered by any instance. */
  private async rememberCollages(specs: CollageItem[][]): Promise<void> {
    const byKey = new Map(specs.filter((s) => s.length > 0).map((s) => [collageKey(s), s]))
    if (byKey.size === 0) return
    const known = await this.db
      .selectFrom('bundle_collages')
      .select('key')
      .where('key', 'in', [...byKey.keys()])
      .execute()
    for (const { key } of known) byKey.delete(key)
    if (byKey.size === 0) return
    await this.db
      .insertInto('bundle_collages')
      .values([...byKey].map(([key, spec]) => ({ key, spec: JSON.stringify(spec), png: null, created_at: this.ctx.now() })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
  }

  private visible(userId: string) {
    return this.db
      .selectFrom('bundles')
      .selectAll()
      .where((eb) => eb.or([eb('scope', '=', 'corp'), eb.and([eb('scope', '=', 'personal'), eb('owner_id', '=', userId)])]))
  }

  async list(userId: string, query: { scope?: BundleScope; includeRetired?: boolean }): Promise<BundleList> {
    let rows = this.visible(userId)
    if (query.scope) rows = rows.where('scope', '=', query.scope)
    if (!query.includeRetired) rows = rows.where('retired_at', 'is', null)
    const found = await rows.orderBy('scope').orderBy('position').orderBy('updated_at', 'desc').orderBy('id').execute()
    return { bundles: await this.toBundles(found, await this.catalog.storeOf(userId)) }
  }

  private async findVisible(userId: string, id: string): Promise<BundleRow> {
    const row = await this.visible(userId).where('id', '=', id).executeTakeFirst()
    if (!row) throw ApiError.notFound('No such bundle')
    return row
  }

  async get(userId: string, id: string): Promise<Bundle> {
    const row = await this.findVisible(userId, id)
    return (await this.toBundles([row], await this.catalog.storeOf(userId)))[0]!
  }

  // --- Writing --------------------------------------------------------------------------------

  /** Every piece must be a SKU of its style, each SKU once. */
  private async checkItems(items: BundleItemInput[]): Promise<void> {
    if (items.length < BUNDLE_MIN_ITEMS || items.length > BUNDLE_MAX_ITEMS) {
      throw ApiError.badRequest(`a bundle has ${BUNDLE_MIN_ITEMS} to ${BUNDLE_MAX_ITEMS} pieces`)
    }
    const seen = new Set<string>()
    for (const item of items) {
      if (seen.has(item.skuId)) throw ApiError.badRequest(`SKU ${item.skuId} is in the bundle twice`)
      seen.add(item.skuId)
    }
    const skus: SkuWithStock[] = await this.catalog.skus([...new Set(items.map((i) => i.productId))], null)
    const skuById = new Map(skus.map((s) => [s.id, s]))
    items.forEach((item, index) => {
      const sku = skuById.get(item.skuId)
      if (!sku) throw ApiError.badRequest(`piece ${index + 1}: no SKU ${item.skuId} for product ${item.productId}`)
      if (sku.productId !== item.productId)
        throw ApiError.badRequest(`piece ${index + 1}: SKU ${item.skuId} is not a SKU of ${item.productId}`)
    })
  }

  private async checkCanWrite(userId: string, row: Pick<BundleRow, 'scope' | 'owner_id'>): Promise<void> {
    if (row.scope === 'corp') await requireManager(this.ctx, userId)
    else if (row.owner_id !== userId) throw ApiError.notFound('No such bundle')
  }

  async create(userId: string, input: BundleCreate): Promise<Bundle> {
    if (input.scope === 'corp') await requireManager(this.ctx, userId)
    await this.checkItems(input.items)
    const now = this.ctx.now()
    const id = `b_${randomUUID().replace(/-/g, '').slice(0, 20)}`
    const owner = input.scope === 'personal' ? userId : null
    const last = await this.db
      .selectFrom('bundles')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('scope', '=', input.scope)
      .$if(owner !== null, (qb) => qb.where('owner_id', '=', owner))
      .executeTakeFirst()
    await this.db
      .insertInto('bundles')
      .values({
        id,
        scope: input.scope,
        owner_id: owner,
        title: input.title.trim(),
        note: (input.note ?? '').trim(),
        items: JSON.stringify(input.items.map((i) => ({ productId: i.productId, skuId: i.skuId }))),
        position: Number(last?.max ?? -1) + 1,
        retired_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    const bundle = await this.get(userId, id)
    this.warmCollage(bundle)
    return bundle
  }

  async update(userId: string, id: string, patch: BundleUpdate): Promise<Bundle> {
    const row = await this.findVisible(userId, id)
    await this.checkCanWrite(userId, row)
    if (patch.items) await this.checkItems(patch.items)
    const now = this.ctx.now()
    await this.db
      .updateTable('bundles')
      .set({
        ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
        ...(patch.note !== undefined ? { note: patch.note.trim() } : {}),
        ...(patch.items ? { items: JSON.stringify(patch.items.map((i) => ({ productId: i.productId, skuId: i.skuId }))) } : {}),
        ...(patch.retired !== undefined ? { retired_at: patch.retired ? (row.retired_at ?? now) : null } : {}),
        updated_at: Math.max(now, Number(row.updated_at) + 1),
      })
      .where('id', '=', id)
      .execute()
    const bundle = await this.get(userId, id)
    this.warmCollage(bundle)
    return bundle
  }

  // --- Collages -------------------------------------------------------------------------------

  private loader: ((url: string) => Promise<LoadedImage | null>) | null = null

  /** How pictures are read for collages (set by the routes, which can reach our own URLs). */
  setImageLoader(load: (url: string) => Promise<LoadedImage | null>): void {
    this.loader = load
  }

  private warmCollage(bundle: Bundle): void {
    const key = collageKeyOf(bundle.collageUrl)
    if (key) this.ctx.background.run('draw collage', () => this.collagePng(key))
  }

  /** The PNG for a key: drawn once, kept in the database so every instance serves the same bytes. */
  private readonly drawing = new Map<string, Promise<{ png: Buffer; kept: boolean } | null>>()

  /**
   * The PNG for a key: drawn once and kept in the database, so every instance serves the
   * same bytes. A picture that failed to load for a passing reason (a timeout, a 5xx) is
   * drawn as a placeholder for now but not kept, so the next request tries again.
   */
  collagePng(key: string): Promise<{ png: Buffer; kept: boolean } | null> {
    const inFlight = this.drawing.get(key)
    if (inFlight) return inFlight
    const work = this.drawCollage(key).finally(() => this.drawing.delete(key))
    this.drawing.set(key, work)
    return work
  }

  private async drawCollage(key: string): Promise<{ png: Buffer; kept: boolean } | null> {
    const row = await this.db.selectFrom('bundle_collages').select(['spec', 'png']).where('key', '=', key).executeTakeFirst()
    if (!row) return null
    if (row.png) return { png: Buffer.from(row.png), kept: true }
    const load = this.loader ?? (async () => null)
    let passing = false
    const png = await renderCollage(JSON.parse(row.spec) as CollageItem[], async (url) => {
      try {
        return await load(url)
      } catch {
        passing = true
        return null
      }
    })
    if (passing) return { png, kept: false }
    await this.db.updateTable('bundle_collages').set({ png }).where('key', '=', key).where('png', 'is', null).execute()
    return { png, kept: true }
  }

  // --- Suggestions ----------------------------------------------------------------------------

  private readonly candidateCache = new Map<string, { at: number; value: Promise<CandidateSet> }>()

  /**
   * Every style with its SKUs and this store's stock, as ranking reads them. Reading them
   * costs a few hundred milliseconds at 5,000 styles, so one read serves a store for a
   * minute: a suggestion a minute behind the stock is still a good suggestion.
   */
  private candidates(storeId: string | null): Promise<CandidateSet> {
    const key = storeId ?? ''
    const now = this.ctx.now()
    const cached = this.candidateCache.get(key)
    if (cached && now - cached.at < CANDIDATES_TTL_MS) return cached.value
    const value = this.readCandidates(storeId)
    this.candidateCache.set(key, { at: now, value })
    value.catch(() => this.candidateCache.delete(key))
    return value
  }

  private async readCandidates(storeId: string | null): Promise<CandidateSet> {
    const [products, skus] = await Promise.all([
      this.db
        .selectFrom('products as p')
        .select(['p.id', 'p.name', 'p.category', 'p.tags', 'p.season', 'p.price_fen', 'p.image_url', 'p.materials'])
        .where(({ exists, selectFrom }) =>
          exists(selectFrom('product_skus as k').select('k.id').whereRef('k.product_id', '=', 'p.id')),
        )
        .execute(),
      this.catalog.skus('all', storeId),
    ])
    const skusOf = new Map<string, SkuWithStock[]>()
    for (const sku of skus) {
      const list = skusOf.get(sku.productId)
      if (list) list.push(sku)
      else skusOf.set(sku.productId, [sku])
    }
    const candidates: CandidateSet['candidates'] = new Map(
      products.map((p) => [
        p.id,
        {
          id: p.id,
          name: p.name,
          category: categoryOf(p.category),
          tags: parseJsonArray<string>(p.tags),
          season: p.season,
          materials: parseJsonArray<string>(p.materials),
          skus: skusOf.get(p.id) ?? [],
          priceFen: p.price_fen,
          imageUrl: p.image_url,
        },
      ]),
    )
    const seasons = products.flatMap((p) => (p.season ? [p.season] : [])).sort()
    return { candidates, skuById: new Map(skus.map((s) => [s.id, s])), newestSeason: seasons.at(-1) ?? null }
  }

  private shopperOf(facts: CustomerProfile['facts']): FitShopper {
    return {
      sizes: facts.sizes,
      colorsLiked: facts.colorsLiked,
      colorsAvoided: facts.colorsAvoided,
      materialsAvoided: facts.materialsAvoided,
    }
  }

  async suggestions(userId: string, externalUserId: string): Promise<Suggestions> {
    const profile = await this.customers.getProfile(userId, externalUserId)
    const storeId = await this.catalog.storeOf(userId)
    const { candidates, skuById, newestSeason } = await this.candidates(storeId)

    const purchases = profile.member
      ? await this.db
          .selectFrom('order_items as i')
          .innerJoin('orders as o', 'o.id', 'i.order_id')
          .leftJoin('products as p', 'p.id', 'i.product_id')
          .select(['i.product_id', 'i.name', 'p.category', 'o.purchased_at', 'i.returned'])
          .where('o.member_id', '=', profile.member.memberId)
          .execute()
      : []
    const shopper: Shopper = {
      ...this.shopperOf(profile.facts),
      styles: [
        ...new Set([
          ...profile.facts.stylePreferences,
          ...(profile.member?.stylePreferences ?? []),
          ...profile.follow.tags.filter((t) => t.type === 'corp' && t.groupName === STYLE_TAG_GROUP).map((t) => t.name),
        ]),
      ],
      purchases: purchases.map((p) => ({
        productId: p.product_id,
        name: p.name,
        category: p.category ? categoryOf(p.category) : null,
        at: Number(p.purchased_at),
        returned: Number(p.returned) === 1,
      })),
      now: this.ctx.now(),
      newestSeason,
    }

    const rankedProducts = [...candidates.values()]
      .map((product) => ({ product, scored: scoreProduct(product, shopper) }))
      .filter((p) => !p.scored.bought && !p.scored.excluded && p.scored.skuId !== null)
      .sort((a, b) => b.scored.score - a.scored.score || a.product.id.localeCompare(b.product.id))
      .slice(0, 20)

    const { bundles } = await this.list(userId, {})
    const scored = bundles
      .filter((b) => b.items.length >= BUNDLE_MIN_ITEMS)
      .map((bundle) => {
        const items = bundle.items.flatMap((i) => {
          const product = candidates.get(i.productId)
          return product ? [{ product, skuId: i.skuId }] : []
        })
        return { bundle, scored: scoreBundle({ items }, shopper) }
      })
    const rankedBundles = scored
      .filter((s) => !s.scored.excluded)
      .map(({ bundle, scored: { score, reasons } }) => ({ bundle, reasons, score: Math.round(score * 100) / 100 }))
      .sort((a, b) => b.score - a.score || a.bundle.id.localeCompare(b.bundle.id))
      .slice(0, 12)

    return {
      bundles: rankedBundles,
      products: rankedProducts.map(({ product, scored }) => ({
        productId: product.id,
        name: product.name,
        category: product.category,
        priceFen: product.priceFen,
        imageUrl: product.imageUrl,
        skuId: scored.skuId,
        reasons: scored.reasons.slice(0, 2),
        score: Math.round(scored.score * 100) / 100,
      })),
      fits: await this.fitViews(
        scored.map((s) => ({ bundle: s.bundle, fit: s.scored.fit })),
        storeId,
        profile.facts.sizes,
        (id) => skuById.get(id) ?? null,
      ),
      sizes: profile.facts.sizes,
    }
  }

  /** Fitted pieces as the app shows them: each piece as sent, with the in-stock alternative. */
  private async fitViews(
    fits: { bundle: Bundle; fit: FitResult }[],
    storeId: string | null,
    sizes: CustomerSizes,
    skuOf: (id: string) => { id: string; color: string; size: string; stock: number } | null,
  ): Promise<BundleFit[]> {
    const items = await this.resolveItems(
      fits.flatMap((f) => f.fit.pieces.map((p) => ({ productId: p.productId, skuId: p.skuId }))),
      storeId,
    )
    const itemOf = new Map(items.map((i) => [i.skuId, i]))
    const views = fits.map(({ bundle, fit }) => {
      const pieces = fit.pieces.flatMap((piece) => {
        const item = itemOf.get(piece.skuId)
        if (!item) return []
        const alt = piece.alternativeSkuId ? skuOf(piece.alternativeSkuId) : null
        return [
          {
            item,
            fit: piece.fit,
            herSize: sizeForCategory(item.category, sizes),
            alternative: alt ? { skuId: alt.id, color: alt.color, size: alt.size, stock: alt.stock } : null,
            avoided: piece.avoided,
          },
        ]
      })
      return {
        bundleId: bundle.id,
        pieces,
        allHers: fit.allHers,
        totalFen: pieces.reduce((sum, p) => sum + p.item.priceFen, 0),
        collageUrl: collageUrl(collageKey(collageItems(pieces.map((p) => p.item)))),
      }
    })
    await this.rememberCollages(views.map((v) => collageItems(v.pieces.map((p) => p.item))))
    return views
  }

  /** Each piece of a bundle as it would go to this customer, from fresh stock. */
  private async fitFor(
    userId: string,
    externalUserId: string,
    bundle: Bundle,
    storeId: string | null,
  ): Promise<BundleItemInput[]> {
    const profile = await this.customers.getProfile(userId, externalUserId)
    const productIds = [...new Set(bundle.items.map((i) => i.productId))]
    const [skus, rows] = await Promise.all([
      this.catalog.skus(productIds, storeId),
      this.db.selectFrom('products').select(['id', 'category', 'materials']).where('id', 'in', productIds).execute(),
    ])
    const products = new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          category: categoryOf(r.category),
          materials: parseJsonArray<string>(r.materials),
          skus: skus.filter((k) => k.productId === r.id),
        },
      ]),
    )
    const items = bundle.items.flatMap((i) => {
      const product = products.get(i.productId)
      return product ? [{ product, skuId: i.skuId }] : []
    })
    return fitBundle(items, this.shopperOf(profile.facts)).pieces.map((p) => ({ productId: p.productId, skuId: p.skuId }))
  }

  /** The SKUs a guide saw in her preview: the bundle's styles in its order, any of their SKUs. */
  private async checkSentItems(bundle: Bundle, items: BundleItemInput[]): Promise<void> {
    const same =
      items.length === bundle.items.length && items.every((item, index) => item.productId === bundle.items[index]!.productId)
    if (!same) throw ApiError.badRequest('items must be the pieces of this bundle, in its order (sizes and colours may differ)')
    await this.checkItems(items)
  }

  // --- Sending --------------------------------------------------------------------------------

  /** Checks she may send there; answers the customers who will see the card. */
  private async checkTarget(userId: string, target: SendTarget): Promise<string[]> {
    if (Boolean(target.externalUserId) === Boolean(target.chatId)) {
      throw ApiError.badRequest('send to one chat: give externalUserId or chatId')
    }
    if (target.externalUserId) {
      await this.customers.assertFollower(userId, target.externalUserId)
      return [target.externalUserId]
    }
    const chat = await this.groups.get(target.chatId!)
    if (chat.owner !== userId && !chat.members.some((m) => m.type === 1 && m.userid === userId)) {
      throw ApiError.forbidden('You are not a member of this group chat')
    }
    return chat.members.filter((m) => m.type === 2).map((m) => m.userid)
  }

  /** Words a card may say whatever a guide keeps about customers: the product data, brand, her name and store. */
  private async publicWords(userId: string, items: BundleItem[], storeId: string | null): Promise<string[]> {
    const [{ candidates }, page] = await Promise.all([
      this.candidates(storeId),
      this.privacy.pageWords(userId, this.ctx.config.brandName),
    ])
    const tags = new Set<string>()
    for (const c of candidates.values()) for (const tag of c.tags) tags.add(tag)
    const pieces = items.flatMap((i) => [i.name, i.color, i.size, i.styleCode, ...(candidates.get(i.productId)?.materials ?? [])])
    return [...page, ...tags, ...pieces]
  }

  /** A send waiting for WeCom: the card to pass to `sendChatMessage`, confirmed or cancelled after. */
  async createSend(userId: string, bundleId: string, target: SendTarget, origin: string): Promise<BundleSend> {
    const bundle = await this.get(userId, bundleId)
    if (bundle.retired) throw ApiError.notFound('This bundle has been retired')
    if (bundle.items.length < BUNDLE_MIN_ITEMS) {
      throw new ApiError(409, 'conflict', 'Pieces of this bundle left the catalogue: edit it before sending')
    }
    const audience = await this.checkTarget(userId, target)
    const storeId = await this.catalog.storeOf(userId)
    // What goes out is what the guide saw: her sizes for a customer, the SKUs of her
    // preview when the app says which; a group gets the outfit as it was made.
    let items = bundle.items
    if (target.items) {
      await this.checkSentItems(bundle, target.items)
      items = await this.resolveItems(target.items, storeId)
    } else if (target.externalUserId) {
      items = await this.resolveItems(await this.fitFor(userId, target.externalUserId, bundle, storeId), storeId)
    }
    await this.privacy.assertNothingPrivate(
      userId,
      audience,
      [bundle.title, bundle.note],
      await this.publicWords(userId, items, storeId),
    )
    const collage = collageItems(items)
    await this.rememberCollages([collage])
    const id = newSendId()
    const snapshot: Snapshot = {
      title: bundle.title,
      note: bundle.note,
      items,
      totalFen: items.reduce((sum, i) => sum + i.priceFen, 0),
      collageKey: collageKey(collage),
    }
    await this.db
      .insertInto('bundle_sends')
      .values({
        id,
        bundle_id: bundle.id,
        guide_id: userId,
        external_user_id: target.externalUserId ?? null,
        chat_id: target.chatId ?? null,
        status: 'pending',
        snapshot: JSON.stringify(snapshot),
        created_at: this.ctx.now(),
        sent_at: null,
        first_opened_at: null,
        last_opened_at: null,
      })
      .execute()
    if (snapshot.collageKey !== collageKeyOf(bundle.collageUrl)) {
      this.ctx.background.run('draw collage', () => this.collagePng(snapshot.collageKey))
    }
    return this.sendView(id, 'pending', snapshot, items.length, origin)
  }

  private sendView(id: string, status: BundleSend['status'], snapshot: Snapshot, count: number, origin: string): BundleSend {
    const link = `${origin}/l/${lookbookToken(this.ctx.config.sessionSecret, id)}`
    const imgUrl = `${origin}${collageUrl(snapshot.collageKey)}`
    const desc = snapshot.note || `${count} 件单品 · 合计 ${formatYuan(snapshot.totalFen)}`
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

  private async ownSend(userId: string, id: string) {
    const row = await this.db.selectFrom('bundle_sends').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row || row.guide_id !== userId) throw ApiError.notFound('No such send')
    return row
  }

  /** WeCom took the card: count it and put it in her timeline. Confirming twice is a no-op. */
  async confirmSend(userId: string, id: string, origin: string): Promise<BundleSend> {
    const row = await this.ownSend(userId, id)
    const snapshot = JSON.parse(row.snapshot) as Snapshot
    if (row.status === 'cancelled') throw new ApiError(409, 'conflict', 'This send was cancelled')
    if (row.status === 'pending') {
      const now = this.ctx.now()
      await this.db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('bundle_sends')
          .set({ status: 'sent', sent_at: now })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .executeTakeFirst()
        if (Number(updated.numUpdatedRows) === 1 && row.external_user_id) {
          await trx
            .insertInto('customer_events')
            .values({
              id: randomUUID(),
              external_user_id: row.external_user_id,
              kind: 'bundle_sent',
              actor_id: userId,
              occurred_at: now,
              payload: JSON.stringify({
                bundleId: row.bundle_id,
                sendId: id,
                title: snapshot.title,
                items: snapshot.items.length,
              }),
            })
            .execute()
        }
      })
    }
    return this.sendView(id, 'sent', snapshot, snapshot.items.length, origin)
  }

  /** The guide cancelled in WeCom's confirm, or sending failed: the link was never delivered. */
  async cancelSend(userId: string, id: string, origin: string): Promise<BundleSend> {
    const row = await this.ownSend(userId, id)
    const snapshot = JSON.parse(row.snapshot) as Snapshot
    if (row.status === 'sent') throw new ApiError(409, 'conflict', 'This send was already delivered')
    await this.db
      .updateTable('bundle_sends')
      .set({ status: 'cancelled' })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute()
    return this.sendView(id, 'cancelled', snapshot, snapshot.items.length, origin)
  }

  // --- The customer's page --------------------------------------------------------------------

  /**
   * The lookbook behind a link, or null (tampered, unknown or cancelled: all look alike).
   * Opening it is recorded for the guide; stock and sizes are read fresh.
   */
  async openLookbook(token: string, options: { record: boolean }): Promise<LookbookView | null> {
    const id = readLookbookToken(this.ctx.config.sessionSecret, token)
    if (!id) return null
    const row = await this.db
      .selectFrom('bundle_sends as s')
      .leftJoin('guides as g', 'g.user_id', 's.guide_id')
      .leftJoin('stores as st', 'st.id', 'g.store_id')
      .select([
        's.id',
        's.guide_id',
        's.status',
        's.snapshot',
        's.bundle_id',
        's.external_user_id',
        's.last_opened_at',
        'g.name',
        'g.store_id',
        'st.name as store_name',
      ])
      .where('s.id', '=', id)
      .executeTakeFirst()
    if (!row || row.status === 'cancelled') return null
    const snapshot = JSON.parse(row.snapshot) as Snapshot
    // A pending link she opens was delivered even if the app never heard back from WeCom.
    if (options.record) await this.recordOpen(row, snapshot)

    const productIds = [...new Set(snapshot.items.map((i) => i.productId))]
    const [skus, images] = await Promise.all([
      this.catalog.skus(productIds, row.store_id),
      this.db
        .selectFrom('product_images')
        .select(['product_id', 'url', 'color'])
        .where('product_id', 'in', productIds.length ? productIds : [''])
        .orderBy('position')
        .execute(),
    ])
    return {
      brand: this.ctx.config.brandName,
      title: snapshot.title,
      note: snapshot.note,
      guideName: row.name ?? '',
      storeName: row.store_name ?? null,
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
          .filter((i) => i.product_id === item.productId && (i.color === null || i.color === item.color))
          .map((i) => ({ url: i.url })),
        sizesAvailable: skus
          .filter((s) => s.productId === item.productId && s.color === item.color && s.stock > 0)
          .map((s) => s.size),
      })),
    }
  }

  private async recordOpen(
    row: {
      id: string
      guide_id: string
      status: string
      bundle_id: string
      external_user_id: string | null
      last_opened_at: number | null
    },
    snapshot: Snapshot,
  ): Promise<void> {
    const now = this.ctx.now()
    const last = row.last_opened_at === null ? null : Number(row.last_opened_at)
    await this.db.transaction().execute(async (trx) => {
      if (row.status === 'pending') {
        const delivered = await trx
          .updateTable('bundle_sends')
          .set((eb) => ({ status: 'sent', sent_at: eb.ref('created_at') }))
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .executeTakeFirst()
        // The app never confirmed (lost on the way): her timeline still says it was sent.
        if (Number(delivered.numUpdatedRows) === 1 && row.external_user_id) {
          await trx
            .insertInto('customer_events')
            .values({
              id: randomUUID(),
              external_user_id: row.external_user_id,
              kind: 'bundle_sent',
              actor_id: row.guide_id,
              occurred_at: now - 1,
              payload: JSON.stringify({
                bundleId: row.bundle_id,
                sendId: row.id,
                title: snapshot.title,
                items: snapshot.items.length,
              }),
            })
            .execute()
        }
      }
      await trx
        .updateTable('bundle_sends')
        .set((eb) => ({
          open_count: eb('open_count', '+', 1),
          first_opened_at: eb.fn.coalesce('first_opened_at', eb.val(now)),
          last_opened_at: now,
        }))
        .where('id', '=', row.id)
        .execute()
      if (row.external_user_id && (last === null || now - last >= REOPEN_EVENT_MS)) {
        await trx
          .insertInto('customer_events')
          .values({
            id: randomUUID(),
            external_user_id: row.external_user_id,
            kind: 'bundle_opened',
            actor_id: null,
            occurred_at: now,
            payload: JSON.stringify({
              bundleId: row.bundle_id,
              sendId: row.id,
              title: snapshot.title,
              items: snapshot.items.length,
            }),
          })
          .execute()
      }
    })
  }
}

export function collageItems(items: BundleItem[]): CollageItem[] {
  return items.map((i) => ({ imageUrl: i.imageUrl, category: i.category }))
}

export function collageUrl(key: string): string {
  return `/media/collages/${key}.png`
}

function collageKeyOf(url: string): string | null {
  return /\/media\/collages\/([0-9a-f]{16,64})\.png$/.exec(url)?.[1] ?? null
}
