/**
 * What to show the open customer: bundles and single styles ranked for her, and each
 * bundle fitted to her sizes and colours from the store's stock.
 */
import type { Bundle, BundleFit, BundleItemInput, Suggestions } from '../../../shared/bundles'
import { BUNDLE_MIN_ITEMS } from '../../../shared/bundles'
import { STYLE_TAG_GROUP, type CustomerProfile } from '../../../shared/customer'
import { sizeForCategory, type CustomerSizes } from '../../../shared/sizes'
import type { AppContext } from '../../context'
import { CatalogRepository, colorImageKey, type SkuWithStock, type StyleForRanking } from '../catalog/catalog.repository'
import { GuidesRepository } from '../guides/guides.repository'
import type { CustomersService } from '../customers/customers.service'
import type { BundlesService } from './bundles.service'
import { collageItems, collageKey, collageUrl } from './collage'
import { fitBundle, type FitResult, type FitShopper } from './fit'
import { scoreBundle, scoreProduct, type Candidate, type Shopper } from './recommend'
import { SuggestionsRepository } from './suggestions.repository'

const CANDIDATES_TTL_MS = 60_000

export interface CandidateSet {
  candidates: Map<string, Candidate & Pick<StyleForRanking, 'priceFen' | 'imageUrl'>>
  /** Every SKU by id, for the in-stock alternatives a fit offers. */
  skuById: Map<string, SkuWithStock>
  newestSeason: string | null
}

function shopperOf(facts: CustomerProfile['facts']): FitShopper {
  return {
    sizes: facts.sizes,
    colorsLiked: facts.colorsLiked,
    colorsAvoided: facts.colorsAvoided,
    materialsAvoided: facts.materialsAvoided,
  }
}

export class SuggestionsService {
  private readonly catalog: CatalogRepository
  private readonly guides: GuidesRepository
  private readonly repo: SuggestionsRepository

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly bundles: BundlesService,
  ) {
    this.catalog = new CatalogRepository(ctx.db)
    this.guides = new GuidesRepository(ctx.db)
    this.repo = new SuggestionsRepository(ctx.db)
  }

  private readonly candidateCache = new Map<string, { at: number; version: string; value: Promise<CandidateSet> }>()

  /**
   * Every style with its SKUs and this store's stock, as ranking reads them. Reading them
   * costs a few hundred milliseconds at 5,000 styles, so one read serves a store for a
   * minute: a suggestion a minute behind the stock is still a good suggestion. A write to
   * the catalogue or to the store's stock (an import, on any instance) moves its counter
   * in `catalog_changes`, one indexed read, and the next call reads again.
   */
  candidates(storeId: string | null): Promise<CandidateSet> {
    const key = storeId ?? ''
    return this.catalog.changeVersion(storeId).then((version) => {
      const now = this.ctx.now()
      const cached = this.candidateCache.get(key)
      if (cached && cached.version === version && now - cached.at < CANDIDATES_TTL_MS) return cached.value
      const value = this.readCandidates(storeId)
      this.candidateCache.set(key, { at: now, version, value })
      value.catch(() => this.candidateCache.delete(key))
      return value
    })
  }

  private async readCandidates(storeId: string | null): Promise<CandidateSet> {
    const [styles, skus] = await Promise.all([this.catalog.styles(), this.catalog.skus('all', storeId)])
    const skusOf = new Map<string, SkuWithStock[]>()
    for (const sku of skus) {
      const list = skusOf.get(sku.productId)
      if (list) list.push(sku)
      else skusOf.set(sku.productId, [sku])
    }
    const candidates: CandidateSet['candidates'] = new Map(styles.map((s) => [s.id, { ...s, skus: skusOf.get(s.id) ?? [] }]))
    const seasons = styles.flatMap((s) => (s.season ? [s.season] : [])).sort()
    return { candidates, skuById: new Map(skus.map((s) => [s.id, s])), newestSeason: seasons.at(-1) ?? null }
  }

  async suggestions(userId: string, externalUserId: string): Promise<Suggestions> {
    const profile = await this.customers.getProfile(userId, externalUserId)
    const storeId = await this.guides.storeIdOf(userId)
    const { candidates, skuById, newestSeason } = await this.candidates(storeId)

    const purchases = profile.member ? await this.repo.purchases(profile.member.memberId) : []
    const shopper: Shopper = {
      ...shopperOf(profile.facts),
      styles: [
        ...new Set([
          ...profile.facts.stylePreferences,
          ...(profile.member?.stylePreferences ?? []),
          ...profile.follow.tags.filter((t) => t.type === 'corp' && t.groupName === STYLE_TAG_GROUP).map((t) => t.name),
        ]),
      ],
      purchases,
      now: this.ctx.now(),
      newestSeason,
    }

    const rankedProducts = [...candidates.values()]
      .map((product) => ({ product, scored: scoreProduct(product, shopper) }))
      .filter((p) => !p.scored.bought && !p.scored.excluded && p.scored.skuId !== null)
      .sort((a, b) => b.scored.score - a.scored.score || a.product.id.localeCompare(b.product.id))
      .slice(0, 20)

    // Each suggested style shows in the colour suggested to her, as the composer will add it.
    const [{ bundles }, colorImages] = await Promise.all([
      this.bundles.list(userId, {}),
      this.catalog.colorImages(rankedProducts.map((p) => p.product.id)),
    ])
    const pictureOf = (productId: string, skuId: string | null, fallback: string | null) => {
      const color = skuId ? skuById.get(skuId)?.color : undefined
      return (color !== undefined ? colorImages.get(colorImageKey(productId, color)) : undefined) ?? fallback
    }
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
        priceFen: (scored.skuId ? skuById.get(scored.skuId)?.priceFen : undefined) ?? product.priceFen,
        imageUrl: pictureOf(product.id, scored.skuId, product.imageUrl),
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
    const items = await this.bundles.resolveItems(
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
    await this.bundles.rememberCollages(views.map((v) => collageItems(v.pieces.map((p) => p.item))))
    return views
  }

  /** Each piece of a bundle as it would go to this customer, from fresh stock. */
  async fitFor(userId: string, externalUserId: string, bundle: Bundle, storeId: string | null): Promise<BundleItemInput[]> {
    const profile = await this.customers.getProfile(userId, externalUserId)
    const productIds = [...new Set(bundle.items.map((i) => i.productId))]
    const [skus, facts] = await Promise.all([this.catalog.skus(productIds, storeId), this.catalog.fitFacts(productIds)])
    const products = new Map(facts.map((f) => [f.id, { ...f, skus: skus.filter((k) => k.productId === f.id) }]))
    const items = bundle.items.flatMap((i) => {
      const product = products.get(i.productId)
      return product ? [{ product, skuId: i.skuId }] : []
    })
    return fitBundle(items, shopperOf(profile.facts)).pieces.map((p) => ({ productId: p.productId, skuId: p.skuId }))
  }
}
