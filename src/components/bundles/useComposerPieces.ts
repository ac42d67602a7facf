/**
 * The pieces of the outfit being composed: loaded when the composer opens, added from the
 * catalogue, switched in colour and size, reordered and removed. Every change marks the
 * outfit `dirty`, so closing asks before throwing the picks away.
 */
import { showToast } from 'vant'
import 'vant/es/toast/style'
import { computed, type MaybeRefOrGetter, type Ref, ref, toValue } from 'vue'
import { fetchProduct } from '@/api/catalog'
import { failureReason } from '@/api/status'
import { t } from '@/i18n'
import { BUNDLE_MAX_ITEMS, BUNDLE_MIN_ITEMS } from '@/shared/bundles'
import type { ProductSummary } from '@/shared/catalog'
import type { CustomerSizes } from '@/shared/sizes'
import { defaultSku, moved, type Piece, priceOf, skuInColor } from './bundle-piece'

export interface PieceChoice {
  productId: string
  skuId: string | null
}

export function useComposerPieces(options: { sizes: MaybeRefOrGetter<CustomerSizes | null | undefined>; dirty: Ref<boolean> }) {
  const { dirty } = options
  const pieces = ref<Piece[]>([])
  const loading = ref(false)
  let opened = 0

  const total = computed(() => pieces.value.reduce((sum, p) => sum + priceOf(p), 0))
  const enough = computed(() => pieces.value.length >= BUNDLE_MIN_ITEMS)
  const full = computed(() => pieces.value.length >= BUNDLE_MAX_ITEMS)

  function loadFailed(error: unknown): void {
    showToast({ message: t('bundles.composer.loadPieceFailed', { reason: failureReason(error) }), position: 'bottom' })
  }

  /** Starts over with these pieces; a later start wins over a slower earlier one. */
  async function start(items: PieceChoice[]): Promise<void> {
    const run = ++opened
    pieces.value = []
    if (items.length === 0) return
    loading.value = true
    try {
      const details = await Promise.all(items.map((i) => fetchProduct(i.productId)))
      const loaded = details.map((product, index) => ({
        product,
        skuId: defaultSku(product, toValue(options.sizes), items[index]!.skuId),
      }))
      if (run === opened) pieces.value = loaded
    } catch (error) {
      if (run === opened) loadFailed(error)
    } finally {
      if (run === opened) loading.value = false
    }
  }

  async function add(summary: ProductSummary): Promise<void> {
    if (full.value || pieces.value.some((p) => p.product.id === summary.id)) return
    try {
      const product = await fetchProduct(summary.id)
      pieces.value = [...pieces.value, { product, skuId: defaultSku(product, toValue(options.sizes)) }]
      dirty.value = true
    } catch (error) {
      loadFailed(error)
    }
  }

  function setSku(index: number, skuId: string): void {
    pieces.value = pieces.value.map((p, i) => (i === index ? { ...p, skuId } : p))
    dirty.value = true
  }

  function chooseColor(index: number, color: string): void {
    const next = skuInColor(pieces.value[index]!, color)
    if (next) setSku(index, next)
  }

  function move(index: number, by: -1 | 1): void {
    pieces.value = moved(pieces.value, index, by)
    dirty.value = true
  }

  function remove(index: number): void {
    pieces.value = pieces.value.filter((_, i) => i !== index)
    dirty.value = true
  }

  return { pieces, loading, total, enough, full, start, add, setSku, chooseColor, move, remove }
}
