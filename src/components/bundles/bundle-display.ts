/** Words for bundles: why one suits her, in a few words ("合你的尺码 · 配你上月买的风衣"). */
import { locale, t } from '@/i18n'
import type { BundleFit, Reason } from '@/shared/bundles'
import { sizeForCategory } from '@/shared/sizes'

const DAY = 86_400_000

function when(at: string | null, now: number): string {
  if (!at) return t('bundles.when.recent')
  const then = new Date(at)
  const today = new Date(now)
  const months = (today.getFullYear() - then.getFullYear()) * 12 + today.getMonth() - then.getMonth()
  if (months <= 0 || now - then.getTime() < 21 * DAY) return t('bundles.when.recent')
  if (months === 1) return t('bundles.when.lastMonth')
  return t('bundles.when.monthsAgo', { n: months })
}

export function reasonText(reason: Reason, now: number = Date.now()): string {
  switch (reason.code) {
    case 'completes_purchase':
      return t('bundles.reason.completes_purchase', { when: when(reason.at, now), detail: reason.detail })
    case 'likes_style':
      return t('bundles.reason.likes_style', { detail: reason.detail })
    case 'likes_color':
      return t('bundles.reason.likes_color', { detail: reason.detail })
    default:
      return t(`bundles.reason.${reason.code}`)
  }
}

export function reasonLine(reasons: readonly Reason[], now: number = Date.now(), max = 2): string {
  return reasons
    .slice(0, max)
    .map((r) => reasonText(r, now))
    .join(' · ')
}

/** Her size for a category, as the composer preselects it. */
export const herSizeFor = sizeForCategory

/** A piece as it will go out: the alternative when the guide switched to it. */
function sentSku(piece: BundleFit['pieces'][number], switched: readonly string[]): { size: string; color: string } {
  return piece.alternative && switched.includes(piece.item.productId) ? piece.alternative : piece.item
}

/** "按她的尺码：S · 26 · 39": the sizes chosen for her (not bags, nor pieces whose size of hers is unknown). */
export function sentSizes(fit: BundleFit, switched: readonly string[]): string {
  const sizes = fit.pieces.filter((p) => p.fit !== 'one_size' && p.fit !== 'size_unknown').map((p) => sentSku(p, switched).size)
  return sizes.length ? t('bundles.fit.sizes', { sizes: sizes.join(' · ') }) : ''
}

export interface FitNote {
  productId: string
  text: string
  /** Worth her attention before sending (not her size in stock, or something she avoids). */
  warn: boolean
  /** What the switch button says, when the piece has an in-stock alternative. */
  action: string | null
}

/**
 * One line per piece that does not simply go out in her size, in the bundle's order;
 * pieces whose size of hers is not recorded share one quiet line at the end.
 */
export function fitNotes(fit: BundleFit, switched: readonly string[]): FitNote[] {
  const unknown = fit.pieces.filter((p) => p.fit === 'size_unknown' && !p.avoided)
  const notes = fit.pieces.flatMap((piece): FitNote[] => {
    const { item, alternative } = piece
    const productId = item.productId
    if (piece.avoided) {
      const key = piece.avoided.kind === 'material' ? 'bundles.fit.avoided.material' : 'bundles.fit.avoided.color'
      return [{ productId, text: t(key, { name: item.name, detail: piece.avoided.detail }), warn: true, action: null }]
    }
    switch (piece.fit) {
      case 'hers_no_stock':
        if (alternative && switched.includes(productId)) {
          return [
            {
              productId,
              text: t('bundles.fit.usingAlternative', { name: item.name, size: alternative.size }),
              warn: false,
              action: t('bundles.fit.undoAlternative', { size: item.size }),
            },
          ]
        }
        return [
          {
            productId,
            text: t('bundles.fit.noStock', { name: item.name, size: item.size }),
            warn: true,
            action: alternative ? t('bundles.fit.useAlternative', { size: alternative.size }) : null,
          },
        ]
      case 'not_her_size': {
        const text = t('bundles.fit.notHerSize', { name: item.name, size: piece.herSize ?? '', sent: item.size })
        return [{ productId, text, warn: true, action: null }]
      }
      default:
        return []
    }
  })
  if (unknown.length === 0) return notes
  const categories = [...new Set(unknown.map((p) => t(`catalog.category.${p.item.category}`)))]
  const text = t('bundles.fit.sizeUnknown', { categories: categories.join(locale.value === 'zh-CN' ? '、' : ', ') })
  return [...notes, { productId: unknown[0]!.item.productId, text, warn: false, action: null }]
}

/** Pieces the guide should look at before the card goes out. */
export function needsConfirm(fit: BundleFit, switched: readonly string[]): FitNote[] {
  return fitNotes(fit, switched).filter((n) => n.warn)
}

const reasonKey = (r: Reason) => `${r.code}\u0000${r.detail}`

/**
 * Reasons for a list of outfits, each worth reading: what every one of them shares ("合你
 * 的尺码" on all five cards) is said once for the list, and a card whose remaining reasons
 * would repeat the card above shows another of its own when it has one.
 */
export function distinctReasons(lists: readonly (readonly Reason[])[]): { shared: Reason[]; own: Reason[][] } {
  const shared =
    lists.length < 2 ? [] : lists[0]!.filter((r) => lists.every((list) => list.some((o) => reasonKey(o) === reasonKey(r))))
  const sharedKeys = new Set(shared.map(reasonKey))
  const seen = new Set<string>()
  const own = lists.map((list) => {
    const mine = list.filter((r) => !sharedKeys.has(reasonKey(r)))
    const line = (rs: Reason[]) => rs.slice(0, 2).map(reasonKey).join('|')
    if (seen.has(line(mine)) && mine.length > 2) mine.splice(1, 1)
    seen.add(line(mine))
    return mine
  })
  return { shared, own }
}
