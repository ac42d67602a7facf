/**
 * The thumbnail of a coupon's link card in the chat: a ticket on the brand's warm
 * off-white, in the accent colour of its kind, with a small emblem — a coin for money
 * off, a percent sign drawn in shapes for a discount, a bow for a gift without a
 * threshold. No text at all (the server has no CJK fonts, and a thumbnail this small
 * reads by colour and shape anyway).
 *
 * Deterministic: the same kind always gives the same PNG, byte for byte, and each is
 * drawn once per process.
 */
import { Resvg } from '@resvg/resvg-js'
import type { CouponKind } from '../../../shared/coupons'

export const COVER_SIZE = 300

/** One accent per kind, shared with the claim page so the card and the page match. */
export const KIND_ACCENT: Record<CouponKind, string> = {
  amount_off: '#8c3b3b',
  percent_off: '#2f3d5c',
  no_threshold: '#9a6137',
}

const PAPER = '#f4f1ec'
/** The second ticket peeking out behind the first, and the shadow under both. */
const UNDER = '#e4dcd0'
const SHADOW = '#2b2723'

/** The emblem on the ticket's face, centred on (0, 0), drawn in paper colour. */
const EMBLEM: Record<CouponKind, string> = {
  // A coin: a ring with a yen sign drawn in strokes.
  amount_off:
    `<circle r="28" fill="none" stroke="${PAPER}" stroke-width="4.5"/>` +
    `<path d="M-11 -15 L0 0 L11 -15 M0 0 V16 M-9 2 H9 M-9 9 H9" fill="none" stroke="${PAPER}" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>`,
  // A percent sign made of two rings and a bar.
  percent_off:
    `<circle cx="-15" cy="-15" r="9" fill="none" stroke="${PAPER}" stroke-width="5"/>` +
    `<circle cx="15" cy="15" r="9" fill="none" stroke="${PAPER}" stroke-width="5"/>` +
    `<path d="M19 -24 L-19 24" stroke="${PAPER}" stroke-width="5" stroke-linecap="round"/>`,
  // A bow: two loops and a knot, with short tails.
  no_threshold:
    `<path d="M0 0 C-10 -20 -34 -24 -32 -6 C-30 8 -12 6 0 0 Z" fill="none" stroke="${PAPER}" stroke-width="5.5" stroke-linejoin="round"/>` +
    `<path d="M0 0 C10 -20 34 -24 32 -6 C30 8 12 6 0 0 Z" fill="none" stroke="${PAPER}" stroke-width="5.5" stroke-linejoin="round"/>` +
    `<path d="M-3 3 L-16 26 M3 3 L16 26" stroke="${PAPER}" stroke-width="5.5" stroke-linecap="round"/>` +
    `<circle r="7" fill="${PAPER}"/>`,
}

/**
 * A ticket 200 × 120 centred on (0, 0): rounded corners, a notch on each long side at
 * the stub, as one path so the notches are real holes.
 */
const TICKET_PATH = (() => {
  const w = 100
  const h = 60
  const r = 8
  const stub = 44 // x of the perforation
  const n = 11 // notch radius
  return [
    `M${-w + r} ${-h}`,
    `H${stub - n}`,
    `A${n} ${n} 0 0 0 ${stub + n} ${-h}`,
    `H${w - r}`,
    `Q${w} ${-h} ${w} ${-h + r}`,
    `V${h - r}`,
    `Q${w} ${h} ${w - r} ${h}`,
    `H${stub + n}`,
    `A${n} ${n} 0 0 0 ${stub - n} ${h}`,
    `H${-w + r}`,
    `Q${-w} ${h} ${-w} ${h - r}`,
    `V${-h + r}`,
    `Q${-w} ${-h} ${-w + r} ${-h}`,
    'Z',
  ].join(' ')
})()

function coverSvg(kind: CouponKind): string {
  const accent = KIND_ACCENT[kind]
  const dots = Array.from(
    { length: 8 },
    (_, i) => `<circle cx="44" cy="${-42 + i * 12}" r="2" fill="${PAPER}" opacity=".55"/>`,
  ).join('')
  const stars = `<circle cx="72" cy="-24" r="3" fill="${PAPER}" opacity=".55"/><circle cx="72" cy="0" r="3" fill="${PAPER}" opacity=".55"/><circle cx="72" cy="24" r="3" fill="${PAPER}" opacity=".55"/>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_SIZE}" height="${COVER_SIZE}" viewBox="0 0 ${COVER_SIZE} ${COVER_SIZE}">
<defs><filter id="s" x="-30%" y="-30%" width="160%" height="160%"><feGaussianBlur stdDeviation="7"/></filter></defs>
<rect width="${COVER_SIZE}" height="${COVER_SIZE}" fill="${PAPER}"/>
<g transform="translate(150 152) scale(1.2)">
<g transform="translate(10 -16) rotate(9)"><path d="${TICKET_PATH}" fill="${UNDER}"/></g>
<g transform="translate(-6 10) rotate(-7)">
<path d="${TICKET_PATH}" transform="translate(0 7)" fill="${SHADOW}" opacity=".16" filter="url(#s)"/>
<path d="${TICKET_PATH}" fill="${accent}"/>
<rect x="-88" y="-48" width="120" height="96" rx="3" fill="none" stroke="${PAPER}" stroke-width="1.2" opacity=".35"/>
${dots}${stars}
<g transform="translate(-28 0)">${EMBLEM[kind]}</g>
</g>
</g>
</svg>`
}

const cache = new Map<CouponKind, Promise<Buffer>>()

/** The 300 × 300 PNG thumbnail for a coupon of this kind. */
export function renderCouponCover(kind: CouponKind): Promise<Buffer> {
  let png = cache.get(kind)
  if (!png) {
    const svg = coverSvg(kind)
    png = Promise.resolve().then(() =>
      new Resvg(svg, { fitTo: { mode: 'width', value: COVER_SIZE }, font: { loadSystemFonts: false } }).render().asPng(),
    )
    cache.set(kind, png)
    // A failed render is not kept: the next call tries again.
    png.catch(() => cache.delete(kind))
  }
  return png
}
