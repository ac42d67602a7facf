/**
 * Drawn, not downloaded: flat-lay garment pictures and abstract avatars for the demo, as
 * SVG. Deterministic, so the same URL is always the same picture and can be cached forever.
 */

const CATEGORIES = ['top', 'bottom', 'dress', 'outerwear', 'shoes', 'bag', 'accessory'] as const
export type GarmentCategory = (typeof CATEGORIES)[number]

export function isGarmentCategory(value: string): value is GarmentCategory {
  return (CATEGORIES as readonly string[]).includes(value)
}

function shade(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16)
  const channel = (shift: number) => {
    const v = (n >> shift) & 0xff
    const next = amount < 0 ? v * (1 + amount) : v + (255 - v) * amount
    return Math.max(0, Math.min(255, Math.round(next)))
      .toString(16)
      .padStart(2, '0')
  }
  return `#${channel(16)}${channel(8)}${channel(0)}`
}

/** Paths on a 400×400 canvas; `{f}` fill, `{s}` stroke, `{d}` detail colour. */
const SHAPES: Record<GarmentCategory, string[]> = {
  top: [
    // Shirt with collar, placket and long sleeves.
    `<path d="M150 70 L200 92 L250 70 L320 100 L352 250 L318 262 L296 160 L290 340 L110 340 L104 160 L82 262 L48 250 L80 100 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M150 70 L200 92 L250 70 L236 112 L200 96 L164 112 Z" fill="{d}" stroke="{s}" stroke-width="2"/>
     <line x1="200" y1="96" x2="200" y2="340" stroke="{s}" stroke-width="2"/>
     <g fill="{s}"><circle cx="210" cy="140" r="4"/><circle cx="210" cy="190" r="4"/><circle cx="210" cy="240" r="4"/><circle cx="210" cy="290" r="4"/></g>`,
    // Knit with ribbed hem and cuffs.
    `<path d="M140 78 Q200 104 260 78 L326 110 L356 262 L320 272 L294 170 L294 330 L106 330 L106 170 L80 272 L44 262 L74 110 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M106 310 L294 310 L294 336 L106 336 Z" fill="{d}" stroke="{s}" stroke-width="2"/>
     <path d="M140 78 Q200 120 260 78" fill="none" stroke="{s}" stroke-width="8" stroke-linecap="round"/>
     <g stroke="{s}" stroke-width="1.5" opacity=".5"><line x1="130" y1="312" x2="130" y2="334"/><line x1="160" y1="312" x2="160" y2="334"/><line x1="190" y1="312" x2="190" y2="334"/><line x1="220" y1="312" x2="220" y2="334"/><line x1="250" y1="312" x2="250" y2="334"/><line x1="280" y1="312" x2="280" y2="334"/></g>`,
    // Short-sleeve tee with stripes.
    `<path d="M150 80 Q200 106 250 80 L330 120 L310 176 L282 164 L282 330 L118 330 L118 164 L90 176 L70 120 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <g stroke="{d}" stroke-width="10" opacity=".8"><line x1="120" y1="190" x2="280" y2="190"/><line x1="120" y1="230" x2="280" y2="230"/><line x1="120" y1="270" x2="280" y2="270"/><line x1="120" y1="310" x2="280" y2="310"/></g>
     <path d="M150 80 Q200 110 250 80" fill="none" stroke="{s}" stroke-width="3"/>`,
  ],
  bottom: [
    // Wide-leg trousers.
    `<path d="M128 60 L272 60 L300 350 L214 350 L200 150 L186 350 L100 350 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <rect x="128" y="60" width="144" height="24" fill="{d}" stroke="{s}" stroke-width="2"/>
     <line x1="200" y1="84" x2="200" y2="150" stroke="{s}" stroke-width="2"/>`,
    // Pleated A-line skirt.
    `<path d="M140 70 L260 70 L320 330 L80 330 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <rect x="140" y="70" width="120" height="22" fill="{d}" stroke="{s}" stroke-width="2"/>
     <g stroke="{s}" stroke-width="1.6" opacity=".55"><line x1="160" y1="92" x2="120" y2="330"/><line x1="180" y1="92" x2="160" y2="330"/><line x1="200" y1="92" x2="200" y2="330"/><line x1="220" y1="92" x2="240" y2="330"/><line x1="240" y1="92" x2="280" y2="330"/></g>`,
  ],
  dress: [
    // Tea dress with short sleeves and a belt.
    `<path d="M160 56 Q200 80 240 56 L290 78 L306 130 L270 138 L262 120 L252 190 L320 350 L80 350 L148 190 L138 120 L130 138 L94 130 L110 78 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <rect x="146" y="180" width="108" height="14" rx="3" fill="{d}" stroke="{s}" stroke-width="2"/>
     <g fill="{d}" opacity=".7"><circle cx="130" cy="260" r="6"/><circle cx="200" cy="240" r="6"/><circle cx="250" cy="290" r="6"/><circle cx="170" cy="310" r="6"/><circle cx="280" cy="330" r="5"/><circle cx="110" cy="330" r="5"/><circle cx="220" cy="140" r="5"/><circle cx="175" cy="120" r="5"/></g>`,
    // Slip dress.
    `<path d="M160 100 L240 100 L252 190 L300 350 L100 350 L148 190 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M160 100 Q200 124 240 100" fill="{d}" stroke="{s}" stroke-width="2"/>
     <g stroke="{s}" stroke-width="2.5"><line x1="166" y1="100" x2="176" y2="50"/><line x1="234" y1="100" x2="224" y2="50"/></g>
     <path d="M150 190 Q200 204 250 190" fill="none" stroke="{s}" stroke-width="1.5" opacity=".6"/>`,
  ],
  outerwear: [
    // Long coat with lapels and two rows of buttons.
    `<path d="M146 50 L200 74 L254 50 L318 82 L350 300 L314 308 L292 170 L296 360 L104 360 L108 170 L86 308 L50 300 L82 82 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M146 50 L200 74 L178 170 L150 110 Z M254 50 L200 74 L222 170 L250 110 Z" fill="{d}" stroke="{s}" stroke-width="2"/>
     <line x1="200" y1="170" x2="200" y2="360" stroke="{s}" stroke-width="2"/>
     <g fill="{s}"><circle cx="180" cy="200" r="5"/><circle cx="220" cy="200" r="5"/><circle cx="180" cy="250" r="5"/><circle cx="220" cy="250" r="5"/></g>`,
    // Short jacket / trench with belt.
    `<path d="M146 70 L200 92 L254 70 L318 100 L344 270 L310 278 L290 170 L292 300 L108 300 L110 170 L90 278 L56 270 L82 100 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M146 70 L200 92 L184 150 L156 116 Z M254 70 L200 92 L216 150 L244 116 Z" fill="{d}" stroke="{s}" stroke-width="2"/>
     <rect x="108" y="236" width="184" height="16" fill="{d}" stroke="{s}" stroke-width="2"/>
     <line x1="200" y1="150" x2="200" y2="300" stroke="{s}" stroke-width="2"/>`,
  ],
  shoes: [
    // Mary Jane / loafer, side view.
    `<path d="M70 250 Q80 190 150 196 L230 206 Q300 214 330 250 Q344 270 330 282 L80 282 Q62 276 70 250 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M66 282 L334 282 L334 296 L66 296 Z" fill="{d}" stroke="{s}" stroke-width="2"/>
     <path d="M168 200 Q190 170 214 204" fill="none" stroke="{s}" stroke-width="6" stroke-linecap="round"/>
     <circle cx="214" cy="204" r="5" fill="{d}" stroke="{s}" stroke-width="2"/>`,
    // Chelsea boot.
    `<path d="M120 90 L200 90 L204 220 Q290 222 326 258 Q340 276 326 288 L104 288 L104 150 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M100 288 L330 288 L330 304 L100 304 Z" fill="{d}" stroke="{s}" stroke-width="2"/>
     <path d="M150 100 L170 100 L176 200 L146 200 Z" fill="{d}" opacity=".7"/>`,
  ],
  bag: [
    // Shoulder bag with a curved strap.
    `<path d="M130 170 Q130 80 200 80 Q270 80 270 170" fill="none" stroke="{s}" stroke-width="10" stroke-linecap="round"/>
     <rect x="90" y="160" width="220" height="150" rx="26" fill="{f}" stroke="{s}" stroke-width="3"/>
     <path d="M90 200 Q200 250 310 200" fill="{d}" stroke="{s}" stroke-width="2"/>
     <rect x="188" y="214" width="24" height="16" rx="3" fill="{s}"/>`,
    // Tote.
    `<path d="M150 150 Q150 80 200 80 Q250 80 250 150" fill="none" stroke="{s}" stroke-width="9"/>
     <path d="M90 140 L310 140 L290 330 L110 330 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <rect x="90" y="140" width="220" height="20" fill="{d}" stroke="{s}" stroke-width="2"/>`,
  ],
  accessory: [
    // Silk square scarf with a border and motif.
    `<g transform="rotate(12 200 200)"><rect x="90" y="90" width="220" height="220" rx="6" fill="{f}" stroke="{s}" stroke-width="3"/>
     <rect x="110" y="110" width="180" height="180" fill="none" stroke="{d}" stroke-width="8"/>
     <circle cx="200" cy="200" r="38" fill="{d}" opacity=".8"/><circle cx="200" cy="200" r="16" fill="{f}"/></g>`,
    // Pearl drop earrings.
    `<g stroke="{s}" stroke-width="3" fill="none"><path d="M140 100 Q140 80 156 80"/><path d="M250 100 Q250 80 266 80"/></g>
     <g stroke="{s}" stroke-width="2"><circle cx="140" cy="118" r="14" fill="{d}"/><circle cx="250" cy="118" r="14" fill="{d}"/>
     <circle cx="140" cy="200" r="44" fill="{f}"/><circle cx="250" cy="200" r="44" fill="{f}"/></g>
     <circle cx="126" cy="186" r="10" fill="#fff" opacity=".6"/><circle cx="236" cy="186" r="10" fill="#fff" opacity=".6"/>
     <g stroke="{s}" stroke-width="2"><line x1="140" y1="132" x2="140" y2="156"/><line x1="250" y1="132" x2="250" y2="156"/></g>`,
  ],
}

export function garmentSvg(category: GarmentCategory, variant: number, hex: string): string {
  const shapes = SHAPES[category]
  const shape = shapes[Math.abs(variant) % shapes.length]!
  const fill = hex
  const stroke = shade(hex, -0.35)
  const detail = shade(hex, hex === '#2b2b2e' ? 0.25 : -0.15)
  const body = shape.replaceAll('{f}', fill).replaceAll('{s}', stroke).replaceAll('{d}', detail)
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400">
<rect width="400" height="400" fill="#f4f1ec"/>
<ellipse cx="200" cy="372" rx="130" ry="10" fill="#000" opacity=".06"/>
${body}
</svg>`
}

function hash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}

const AVATAR_PALETTES: [string, string][] = [
  ['#f6d5c3', '#d9876b'],
  ['#d8e6d3', '#6f9a6a'],
  ['#d6e0f0', '#6b86b3'],
  ['#efd9e6', '#b06a90'],
  ['#f3e7c4', '#c29a3b'],
  ['#dcd6ef', '#7e6bb0'],
  ['#d2ebe9', '#4f9a93'],
  ['#f0dcd3', '#9c6455'],
]

/** An abstract portrait: soft background, a head-and-shoulders silhouette, a touch of colour. */
export function avatarSvg(seed: string): string {
  const h = hash(seed)
  const [bg, fg] = AVATAR_PALETTES[h % AVATAR_PALETTES.length]!
  const hair = ['#3b2f2a', '#5a4132', '#2a2a2e', '#7a5a3c'][(h >>> 8) % 4]!
  const longHair = ((h >>> 12) & 1) === 1
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96">
<rect width="96" height="96" fill="${bg}"/>
${longHair ? `<path d="M26 50 Q24 20 48 18 Q72 20 70 50 L72 74 L24 74 Z" fill="${hair}"/>` : ''}
<path d="M16 96 Q18 70 48 68 Q78 70 80 96 Z" fill="${fg}"/>
<circle cx="48" cy="44" r="17" fill="#f7e3d4"/>
<path d="M31 42 Q32 24 48 24 Q65 24 65 42 Q56 34 44 34 Q36 36 31 42 Z" fill="${hair}"/>
</svg>`
}
