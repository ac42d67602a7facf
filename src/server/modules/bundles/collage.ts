/**
 * The outfit collage: a bundle's pieces laid flat on the brand's warm off-white, the way
 * a stylist would photograph them — garments large at the upper left, the bottom beside
 * them, bag, shoes and accessories smaller towards the bottom and the right.
 *
 * Pure and deterministic: the same items and the same image bytes always give the same
 * PNG, byte for byte, so a collage can be cached forever under `collageKey(items)`.
 * There is no text in the picture (the server has no CJK fonts): a missing image is a
 * quiet placeholder tile.
 */
import { createHash } from 'node:crypto'
import { Resvg } from '@resvg/resvg-js'
import type { ProductCategory } from '../../../shared/catalog'

export const COLLAGE_SIZE = 800

/** Bump when the picture for the same input changes, so cached collages are redrawn. */
const LAYOUT_VERSION = 'collage-v1'

/** The demo garment drawings have this very background, so their tiles disappear into it. */
const BACKGROUND = '#f4f1ec'
const PLACEHOLDER_FILL = '#ebe6de'
const PLACEHOLDER_INK = '#cfc6b9'

/** Space kept free around the group and between pieces (pictures carry their own margin too). */
const MARGIN = 16
const GAP = 12
/** The largest a piece of weight 1 may be drawn, however much room there is. */
const MAX_PIECE = 470

export interface CollageItem {
  imageUrl: string | null
  category: ProductCategory
}

export interface LoadedImage {
  mime: 'image/svg+xml' | 'image/png' | 'image/jpeg'
  data: Buffer
}

/** Where one piece goes, in canvas pixels; `item` is its index in the input. */
export interface CollageSlot {
  item: number
  x: number
  y: number
  size: number
  /** Degrees, clockwise; only small pieces are turned, and only a little. */
  rotate: number
}

/** Presence in the picture: the order pieces are placed in, and their relative size. */
const CATEGORY_RANK: Record<ProductCategory, number> = {
  outerwear: 0,
  dress: 1,
  top: 2,
  bottom: 3,
  bag: 4,
  shoes: 5,
  accessory: 6,
}

const CATEGORY_WEIGHT: Record<ProductCategory, number> = {
  outerwear: 1,
  dress: 1,
  top: 0.92,
  bottom: 0.92,
  bag: 0.7,
  shoes: 0.62,
  accessory: 0.55,
}

const SMALL: ReadonlySet<ProductCategory> = new Set(['bag', 'shoes', 'accessory'])

/** A small, fixed sequence of turns, so a row of small pieces never looks machine-set. */
const TURNS = [-4, 3, -2.5, 3.5, -3, 2.5]

interface Candidate {
  /** Pieces per line; lines are rows, or columns when `columns`. */
  lines: number[]
  columns: boolean
}

/** Every way to cut n pieces into one to three lines of at most three, as rows and as columns. */
function candidates(n: number): Candidate[] {
  const out: Candidate[] = []
  const walk = (left: number, lines: number[]) => {
    if (left === 0) {
      // On a tie columns win (top above bottom, as worn; the hero on the left), and any
      // arrangement beats a single row.
      if (lines.length > 1) out.push({ lines, columns: true })
      out.push({ lines, columns: false })
      return
    }
    if (lines.length === 3) return
    for (let take = Math.min(3, left); take >= 1; take--) walk(left - take, [...lines, take])
  }
  walk(n, [])
  return [...out.filter((c) => c.lines.length > 1), ...out.filter((c) => c.lines.length === 1)]
}

interface Placed {
  item: number
  /** Along the line, across the lines, size — in "row" space (x along, y across). */
  along: number
  across: number
  size: number
}

/**
 * Lays pieces (already in presence order) into lines: each line as wide as the canvas
 * allows, each piece sized by its weight, then everything scaled to fit the other way.
 */
function layLines(order: number[], weights: number[], lines: number[]): { placed: Placed[]; extentAcross: number } {
  const room = COLLAGE_SIZE - 2 * MARGIN
  const rows: { items: number[]; sizes: number[]; height: number; width: number }[] = []
  let cursor = 0
  for (const count of lines) {
    const items = order.slice(cursor, cursor + count)
    cursor += count
    const total = items.reduce((sum, i) => sum + weights[i]!, 0)
    const k = Math.min(MAX_PIECE, (room - GAP * (items.length - 1)) / total)
    const sizes = items.map((i) => weights[i]! * k)
    rows.push({ items, sizes, height: Math.max(...sizes), width: sizes.reduce((a, b) => a + b, 0) + GAP * (items.length - 1) })
  }
  const height = rows.reduce((sum, row) => sum + row.height, 0) + GAP * (rows.length - 1)
  const scale = Math.min(1, (room - GAP * (rows.length - 1)) / (height - GAP * (rows.length - 1)))
  // Room left across the lines opens the space between them a little, as along a row.
  const acrossSlack = room - (height - GAP * (rows.length - 1)) * scale - GAP * (rows.length - 1)
  const lineGap = GAP + (rows.length > 1 ? Math.min(64, Math.max(0, acrossSlack) / (rows.length + 1)) : 0)
  const placed: Placed[] = []
  let y = 0
  const singles = rows.every((row) => row.items.length === 1) && rows.length > 1
  let singleStep = 0
  rows.forEach((row, r) => {
    const rowHeight = row.height * scale
    const sizes = row.sizes.map((s) => s * scale)
    const used = sizes.reduce((a, b) => a + b, 0)
    // Slack along the row widens the gaps a little (never into a gappy spread).
    const slack = room - used - GAP * (sizes.length - 1)
    const gap = GAP + (sizes.length > 1 ? Math.min(64, slack / (sizes.length + 1)) : 0)
    const width = used + gap * (sizes.length - 1)
    // One piece per row: each steps halfway past the one before, a loose diagonal
    // (the group is centred later). Otherwise centred.
    let x = singles ? singleStep : (room - width) / 2
    if (singles) singleStep += width / 2
    row.items.forEach((item, i) => {
      const size = sizes[i]!
      // Lines lean towards each other: the first hangs from its bottom, the last from its top.
      const across =
        rows.length === 1 || size === rowHeight
          ? y + (rowHeight - size) / 2
          : r === 0
            ? y + rowHeight - size
            : r === rows.length - 1
              ? y
              : y + (rowHeight - size) / 2
      placed.push({ item, along: x, across, size })
      x += size + gap
    })
    y += rowHeight + lineGap
  })
  return { placed, extentAcross: y - lineGap }
}

/** Presence order: most prominent category first, then the guide's own order. */
function presenceOrder(categories: readonly ProductCategory[]): number[] {
  return categories.map((_, i) => i).sort((a, b) => CATEGORY_RANK[categories[a]!] - CATEGORY_RANK[categories[b]!] || a - b)
}

/**
 * Where each piece goes. Tries every arrangement of the pieces into rows or columns and
 * keeps the one that shows them largest (weighted towards the garments); ties keep the
 * earlier arrangement, so the result is always the same for the same categories.
 */
export function layoutCollage(categories: readonly ProductCategory[]): CollageSlot[] {
  const n = categories.length
  if (n === 0) return []
  const weights = categories.map((c) => CATEGORY_WEIGHT[c])
  const order = presenceOrder(categories)
  let best: { score: number; slots: CollageSlot[] } | null = null
  for (const candidate of candidates(n)) {
    const { placed, extentAcross } = layLines(order, weights, candidate.lines)
    const room = COLLAGE_SIZE - 2 * MARGIN
    const offset = MARGIN + (room - extentAcross) / 2
    const slots = placed.map((p): CollageSlot => {
      const along = MARGIN + p.along
      const across = offset + p.across
      return {
        item: p.item,
        x: candidate.columns ? across : along,
        y: candidate.columns ? along : across,
        size: p.size,
        rotate: 0,
      }
    })
    // Garments and small pieces read best in lines of their own (top over bottom, then
    // bag over shoes), so a line that mixes them counts for a little less.
    let mixed = 0
    let start = 0
    for (const count of candidate.lines) {
      const kinds = new Set(order.slice(start, start + count).map((i) => SMALL.has(categories[i]!)))
      if (kinds.size > 1) mixed++
      start += count
    }
    const score = placed.reduce((sum, p) => sum + p.size * p.size * weights[p.item]!, 0) * 0.95 ** mixed
    if (!best || score > best.score + 1e-6) best = { score, slots }
  }
  const slots = best!.slots
  // Centre the group as a whole (a diagonal or a narrow arrangement would otherwise lean).
  const minX = Math.min(...slots.map((s) => s.x))
  const maxX = Math.max(...slots.map((s) => s.x + s.size))
  const minY = Math.min(...slots.map((s) => s.y))
  const maxY = Math.max(...slots.map((s) => s.y + s.size))
  const dx = (COLLAGE_SIZE - (maxX - minX)) / 2 - minX
  const dy = (COLLAGE_SIZE - (maxY - minY)) / 2 - minY
  let turn = 0
  return slots
    .map((s) => ({
      item: s.item,
      x: round(s.x + dx),
      y: round(s.y + dy),
      size: round(s.size),
      rotate: SMALL.has(categories[s.item]!) ? TURNS[turn++ % TURNS.length]! : 0,
    }))
    .sort((a, b) => a.item - b.item)
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}

/** A stable name for the picture of these items: same pieces, same images, same key. */
export function collageKey(items: readonly CollageItem[]): string {
  const payload = JSON.stringify([LAYOUT_VERSION, items.map((item) => [item.imageUrl, item.category])])
  return createHash('sha256').update(payload).digest('hex').slice(0, 32)
}

/** What a collage draws of these pieces: each piece's picture and where its category goes. */
export function collageItems(items: readonly { imageUrl: string | null; category: ProductCategory }[]): CollageItem[] {
  return items.map((i) => ({ imageUrl: i.imageUrl, category: i.category }))
}

/** Where the collage for a key is served. */
export function collageUrl(key: string): string {
  return `/media/collages/${key}.png`
}

/** The key back from a collage URL; null for anything else. */
export function collageKeyOf(url: string): string | null {
  return /\/media\/collages\/([0-9a-f]{16,64})\.png$/.exec(url)?.[1] ?? null
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** What the bytes really are, whatever the loader said; null when they are no picture we draw. */
function sniff(image: LoadedImage): LoadedImage['mime'] | null {
  const { data } = image
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png'
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg'
  if (/<svg[\s>]/i.test(data.subarray(0, 4096).toString('utf8'))) return 'image/svg+xml'
  return null
}

function placeholder(slot: CollageSlot): string {
  // Inset a little more than the drawings' own margin, with a hanger in a quiet line.
  const inset = slot.size * 0.16
  const side = slot.size - 2 * inset
  const u = side / 100
  const x = slot.x + inset
  const y = slot.y + inset
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(side)}" height="${round(side)}" rx="${round(7 * u)}" fill="${PLACEHOLDER_FILL}"/>
<g transform="translate(${round(x)} ${round(y)}) scale(${round(u * 1000) / 1000})" stroke="${PLACEHOLDER_INK}" stroke-width="2.4" fill="none" stroke-linecap="round" stroke-linejoin="round">
<path d="M44.5 40 a5.5 5.5 0 1 1 5.5 5.5 v4.5"/>
<path d="M50 50 L28 63 Q25.5 65 28.5 65 L71.5 65 Q74.5 65 72 63 Z"/>
</g>`
}

function piece(slot: CollageSlot, mime: LoadedImage['mime'], data: Buffer): string {
  const c = `${round(slot.x + slot.size / 2)} ${round(slot.y + slot.size / 2)}`
  const turn = slot.rotate ? ` transform="rotate(${slot.rotate} ${c})"` : ''
  // Photos usually sit on white: darkening lets that white become the table, as the
  // drawings' own background already does.
  const blend = mime === 'image/svg+xml' ? '' : ' style="mix-blend-mode:darken"'
  return `<image x="${slot.x}" y="${slot.y}" width="${slot.size}" height="${slot.size}" preserveAspectRatio="xMidYMid meet"${turn}${blend} href="data:${mime};base64,${data.toString('base64')}"/>`
}

/**
 * Draws the collage as an 800×800 PNG. `load` resolves an image URL to its bytes, or null
 * when there is no such image (drawn as a placeholder). A `load` that throws fails the
 * render: a passing outage must not be cached as a picture with holes.
 */
export async function renderCollage(items: CollageItem[], load: (url: string) => Promise<LoadedImage | null>): Promise<Buffer> {
  if (items.length === 0 || items.length > 6) throw new RangeError(`a collage has 1 to 6 pieces, not ${items.length}`)
  const slots = layoutCollage(items.map((item) => item.category))
  const images = await Promise.all(items.map((item) => (item.imageUrl ? load(item.imageUrl) : Promise.resolve(null))))
  const body = slots
    .map((slot) => {
      const image = images[slot.item]
      const mime = image ? sniff(image) : null
      return image && mime ? piece(slot, mime, image.data) : placeholder(slot)
    })
    .join('\n')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${COLLAGE_SIZE}" height="${COLLAGE_SIZE}" viewBox="0 0 ${COLLAGE_SIZE} ${COLLAGE_SIZE}">
<rect width="${COLLAGE_SIZE}" height="${COLLAGE_SIZE}" fill="${BACKGROUND}"/>
${body}
</svg>`
  return new Resvg(svg, { fitTo: { mode: 'width', value: COLLAGE_SIZE }, font: { loadSystemFonts: false } }).render().asPng()
}
