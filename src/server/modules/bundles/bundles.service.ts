/**
 * Outfit bundles: the brand's (managers publish them) and each guide's own, read as her
 * store sees them, and drawn as one collage. Suggesting them to a customer is in
 * suggestions.service.ts, sending them in sends.service.ts.
 */
import { randomUUID } from 'node:crypto'
import type {
  Bundle,
  BundleCreate,
  BundleItem,
  BundleItemInput,
  BundleList,
  BundleScope,
  BundleUpdate,
} from '../../../shared/bundles'
import { BUNDLE_MAX_ITEMS, BUNDLE_MIN_ITEMS } from '../../../shared/bundles'
import type { AppContext } from '../../context'
import { iso } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { CatalogRepository, categoryOf, colorImageKey } from '../catalog/catalog.repository'
import { GuidesRepository } from '../guides/guides.repository'
import { requireManager } from '../guides/roles'
import { BundlesRepository, type BundleRecord } from './bundles.repository'
import { collageItems, collageKey, collageKeyOf, collageUrl, renderCollage, type CollageItem, type LoadedImage } from './collage'

type Drawn = { png: Buffer; kept: boolean }

export class BundlesService {
  private readonly catalog: CatalogRepository
  private readonly guides: GuidesRepository
  private readonly repo: BundlesRepository

  constructor(private readonly ctx: AppContext) {
    this.catalog = new CatalogRepository(ctx.db)
    this.guides = new GuidesRepository(ctx.db)
    this.repo = new BundlesRepository(ctx.db)
  }

  // --- Reading --------------------------------------------------------------------------------

  /** Items as the guide's store sees them; pieces no longer in the catalogue are left out. */
  async resolveItems(inputs: BundleItemInput[], storeId: string | null): Promise<BundleItem[]> {
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
        priceFen: sku.priceFen,
        imageUrl: images.get(colorImageKey(product.id, sku.color)) ?? product.image_url,
        stock: sku.stock,
      })
    }
    return items
  }

  private async toBundles(records: BundleRecord[], storeId: string | null): Promise<Bundle[]> {
    const items = await this.resolveItems(
      records.flatMap((r) => r.items),
      storeId,
    )
    const byInput = new Map(items.map((i) => [`${i.productId}\u0000${i.skuId}`, i]))
    const [stats, owners] = await Promise.all([
      this.repo.sendStats(records.map((r) => r.id)),
      this.guides.names(records.flatMap((r) => (r.ownerId ? [r.ownerId] : []))),
    ])
    const bundles = records.map((record) => {
      const resolved = record.items.flatMap((i) => byInput.get(`${i.productId}\u0000${i.skuId}`) ?? [])
      const key = collageKey(collageItems(resolved))
      const stat = stats.get(record.id) ?? { sent: 0, opened: 0 }
      return {
        id: record.id,
        scope: record.scope,
        owner: record.ownerId ? { userId: record.ownerId, name: owners.get(record.ownerId) ?? record.ownerId } : null,
        title: record.title,
        note: record.note,
        items: resolved,
        totalFen: resolved.reduce((sum, i) => sum + i.priceFen, 0),
        collageUrl: collageUrl(key),
        sent: stat.sent,
        opened: stat.opened,
        retired: record.retiredAt !== null,
        updatedAt: iso(record.updatedAt),
      } satisfies Bundle
    })
    await this.rememberCollages(bundles.map((b) => collageItems(b.items)))
    return bundles
  }

  async list(userId: string, query: { scope?: BundleScope; includeRetired?: boolean }): Promise<BundleList> {
    const records = await this.repo.listVisible(userId, query)
    return { bundles: await this.toBundles(records, await this.guides.storeIdOf(userId)) }
  }

  private async findVisible(userId: string, id: string): Promise<BundleRecord> {
    const record = await this.repo.findVisible(userId, id)
    if (!record) throw ApiError.notFound('No such bundle')
    return record
  }

  async get(userId: string, id: string): Promise<Bundle> {
    const record = await this.findVisible(userId, id)
    return (await this.toBundles([record], await this.guides.storeIdOf(userId)))[0]!
  }

  // --- Writing --------------------------------------------------------------------------------

  /** Every piece must be a SKU of its style, each SKU once. */
  async checkItems(items: BundleItemInput[]): Promise<void> {
    if (items.length < BUNDLE_MIN_ITEMS || items.length > BUNDLE_MAX_ITEMS) {
      throw ApiError.badRequest(`a bundle has ${BUNDLE_MIN_ITEMS} to ${BUNDLE_MAX_ITEMS} pieces`)
    }
    const seen = new Set<string>()
    for (const item of items) {
      if (seen.has(item.skuId)) throw ApiError.badRequest(`SKU ${item.skuId} is in the bundle twice`)
      seen.add(item.skuId)
    }
    const skus = await this.catalog.skus([...new Set(items.map((i) => i.productId))], null)
    const skuById = new Map(skus.map((s) => [s.id, s]))
    items.forEach((item, index) => {
      const sku = skuById.get(item.skuId)
      if (!sku) throw ApiError.badRequest(`piece ${index + 1}: no SKU ${item.skuId} for product ${item.productId}`)
      if (sku.productId !== item.productId)
        throw ApiError.badRequest(`piece ${index + 1}: SKU ${item.skuId} is not a SKU of ${item.productId}`)
    })
  }

  private async checkCanWrite(userId: string, record: Pick<BundleRecord, 'scope' | 'ownerId'>): Promise<void> {
    if (record.scope === 'corp') await requireManager(this.ctx, userId)
    else if (record.ownerId !== userId) throw ApiError.notFound('No such bundle')
  }

  async create(userId: string, input: BundleCreate): Promise<Bundle> {
    if (input.scope === 'corp') await requireManager(this.ctx, userId)
    await this.checkItems(input.items)
    const id = `b_${randomUUID().replace(/-/g, '').slice(0, 20)}`
    await this.repo.insert({
      id,
      scope: input.scope,
      ownerId: input.scope === 'personal' ? userId : null,
      title: input.title.trim(),
      note: (input.note ?? '').trim(),
      items: input.items,
      now: this.ctx.now(),
    })
    const bundle = await this.get(userId, id)
    this.warmCollageOf(bundle)
    return bundle
  }

  async update(userId: string, id: string, patch: BundleUpdate): Promise<Bundle> {
    const record = await this.findVisible(userId, id)
    await this.checkCanWrite(userId, record)
    if (patch.items) await this.checkItems(patch.items)
    const now = this.ctx.now()
    await this.repo.update(id, {
      ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
      ...(patch.note !== undefined ? { note: patch.note.trim() } : {}),
      ...(patch.items ? { items: patch.items } : {}),
      ...(patch.retired !== undefined ? { retiredAt: patch.retired ? (record.retiredAt ?? now) : null } : {}),
      updatedAt: Math.max(now, record.updatedAt + 1),
    })
    const bundle = await this.get(userId, id)
    this.warmCollageOf(bundle)
    return bundle
  }

  // --- Collages -------------------------------------------------------------------------------

  /** Record what each collage key draws, so its URL can be rendered by any instance. */
  async rememberCollages(specs: CollageItem[][]): Promise<void> {
    const byKey = new Map(specs.filter((s) => s.length > 0).map((s) => [collageKey(s), s]))
    await this.repo.addCollages(byKey, this.ctx.now())
  }

  private loader: ((url: string) => Promise<LoadedImage | null>) | null = null

  /** How pictures are read for collages (set by the routes, which can reach our own URLs). */
  setImageLoader(load: (url: string) => Promise<LoadedImage | null>): void {
    this.loader = load
  }

  /** Draw a collage now, in the background, so the first to ask for it does not wait. */
  warmCollage(key: string): void {
    this.ctx.background.run('draw collage', () => this.collagePng(key))
  }

  private warmCollageOf(bundle: Bundle): void {
    const key = collageKeyOf(bundle.collageUrl)
    if (key) this.warmCollage(key)
  }

  private readonly drawing = new Map<string, Promise<Drawn | null>>()

  /**
   * The PNG for a key: drawn once and kept in the database, so every instance serves the
   * same bytes. A picture that failed to load for a passing reason (a timeout, a 5xx) is
   * drawn as a placeholder for now but not kept, so the next request tries again.
   */
  collagePng(key: string): Promise<Drawn | null> {
    const inFlight = this.drawing.get(key)
    if (inFlight) return inFlight
    const work = this.drawCollage(key).finally(() => this.drawing.delete(key))
    this.drawing.set(key, work)
    return work
  }

  private async drawCollage(key: string): Promise<Drawn | null> {
    const collage = await this.repo.findCollage(key)
    if (!collage) return null
    if (collage.png) return { png: collage.png, kept: true }
    const load = this.loader ?? (async () => null)
    let passing = false
    const png = await renderCollage(collage.spec, async (url) => {
      try {
        return await load(url)
      } catch {
        passing = true
        return null
      }
    })
    if (passing) return { png, kept: false }
    await this.repo.keepCollagePng(key, png)
    return { png, kept: true }
  }
}
