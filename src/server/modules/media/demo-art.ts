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
    // Sleeveless V-neck vest with a ribbed hem.
    `<path d="M140 70 L170 70 Q200 150 230 70 L260 70 Q262 122 300 140 L300 330 L100 330 L100 140 Q138 122 140 70 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M170 70 Q200 150 230 70" fill="none" stroke="{d}" stroke-width="10"/>
     <rect x="100" y="306" width="200" height="24" fill="{d}" stroke="{s}" stroke-width="2"/>
     <g stroke="{s}" stroke-width="1.5" opacity=".5"><line x1="130" y1="308" x2="130" y2="328"/><line x1="165" y1="308" x2="165" y2="328"/><line x1="200" y1="308" x2="200" y2="328"/><line x1="235" y1="308" x2="235" y2="328"/><line x1="270" y1="308" x2="270" y2="328"/></g>`,
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
    // Straight midi skirt with a back slit.
    `<path d="M138 60 L262 60 L278 340 L122 340 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <rect x="138" y="60" width="124" height="22" fill="{d}" stroke="{s}" stroke-width="2"/>
     <line x1="200" y1="340" x2="200" y2="272" stroke="{s}" stroke-width="2"/>
     <g stroke="{s}" stroke-width="1.5" opacity=".5"><line x1="166" y1="82" x2="162" y2="150"/><line x1="234" y1="82" x2="238" y2="150"/></g>`,
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
    // Long-sleeve knit dress with a ribbed body.
    `<path d="M160 56 Q200 76 240 56 L296 80 L334 250 L302 260 L272 150 L292 350 L108 350 L128 150 L98 260 L66 250 L104 80 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M160 56 Q200 92 240 56" fill="none" stroke="{d}" stroke-width="8" stroke-linecap="round"/>
     <g stroke="{d}" stroke-width="2" opacity=".7"><line x1="160" y1="110" x2="150" y2="346"/><line x1="186" y1="100" x2="182" y2="348"/><line x1="214" y1="100" x2="218" y2="348"/><line x1="240" y1="110" x2="250" y2="346"/></g>`,
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
    // Quilted puffer with a stand collar.
    `<path d="M150 60 L250 60 L262 84 L322 110 Q350 190 346 290 L306 296 L296 190 L300 330 Q200 346 100 330 L104 190 L94 296 L54 290 Q50 190 78 110 L138 84 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <rect x="148" y="50" width="104" height="36" rx="12" fill="{d}" stroke="{s}" stroke-width="2"/>
     <g stroke="{s}" stroke-width="2" opacity=".5" fill="none"><path d="M104 140 Q200 152 296 140"/><path d="M104 190 Q200 202 296 190"/><path d="M104 240 Q200 252 296 240"/><path d="M104 290 Q200 302 296 290"/></g>
     <line x1="200" y1="86" x2="200" y2="338" stroke="{s}" stroke-width="2"/>`,
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
    // Pointed pump on a slim heel.
    `<path d="M62 284 Q60 262 96 256 L170 244 Q210 250 250 222 L300 196 Q326 192 330 214 L330 230 L318 232 L314 300 L300 300 L296 236 Q240 270 180 288 L72 292 Q62 290 62 284 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M170 244 Q236 236 304 204" fill="none" stroke="{d}" stroke-width="6" stroke-linecap="round"/>
     <path d="M72 292 L180 288" fill="none" stroke="{d}" stroke-width="4"/>`,
    // Low sneaker with laces and a white sole.
    `<path d="M70 250 Q70 200 120 196 L190 190 Q220 160 260 176 L320 220 Q344 236 340 262 L340 272 L70 272 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <rect x="64" y="272" width="282" height="22" rx="8" fill="#f7f5f0" stroke="{s}" stroke-width="2"/>
     <g stroke="{d}" stroke-width="4" stroke-linecap="round"><line x1="206" y1="192" x2="228" y2="210"/><line x1="192" y1="202" x2="214" y2="220"/><line x1="178" y1="212" x2="200" y2="230"/></g>
     <path d="M236 244 Q280 232 324 250" fill="none" stroke="{d}" stroke-width="6"/>`,
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
    // Quilted flap bag on a gold chain.
    `<path d="M120 170 L160 84 L240 84 L280 170" fill="none" stroke="#c9a85a" stroke-width="6" stroke-dasharray="10 6" stroke-linecap="round"/>
     <rect x="100" y="170" width="200" height="140" rx="14" fill="{f}" stroke="{s}" stroke-width="3"/>
     <g stroke="{s}" stroke-width="1.5" opacity=".25"><line x1="100" y1="210" x2="200" y2="310"/><line x1="140" y1="170" x2="280" y2="310"/><line x1="200" y1="170" x2="300" y2="270"/><line x1="300" y1="210" x2="200" y2="310"/><line x1="260" y1="170" x2="120" y2="310"/><line x1="200" y1="170" x2="100" y2="270"/></g>
     <path d="M100 184 Q100 170 114 170 L286 170 Q300 170 300 184 L300 250 L100 250 Z" fill="{d}" stroke="{s}" stroke-width="2"/>
     <rect x="186" y="238" width="28" height="22" rx="4" fill="#c9a85a" stroke="{s}" stroke-width="1.5"/>`,
    // Drawstring bucket bag.
    `<path d="M150 150 Q150 70 200 70 Q250 70 250 150" fill="none" stroke="{s}" stroke-width="8"/>
     <path d="M110 150 Q200 130 290 150 L300 310 Q200 340 100 310 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <path d="M110 150 Q200 172 290 150" fill="none" stroke="{d}" stroke-width="6"/>
     <g fill="{d}" stroke="{s}" stroke-width="1.5"><circle cx="140" cy="160" r="5"/><circle cx="180" cy="164" r="5"/><circle cx="220" cy="164" r="5"/><circle cx="260" cy="160" r="5"/></g>
     <path d="M200 164 L188 226 M200 164 L214 228" stroke="{d}" stroke-width="4" stroke-linecap="round"/>`,
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
    // Barrette lined with pearls.
    `<g transform="rotate(-18 200 200)"><rect x="80" y="180" width="240" height="40" rx="20" fill="{f}" stroke="{s}" stroke-width="3"/>
     <g fill="#f7f2e8" stroke="{s}" stroke-width="1.5"><circle cx="110" cy="200" r="13"/><circle cx="140" cy="200" r="13"/><circle cx="170" cy="200" r="13"/><circle cx="200" cy="200" r="13"/><circle cx="230" cy="200" r="13"/><circle cx="260" cy="200" r="13"/><circle cx="290" cy="200" r="13"/></g></g>`,
    // Leather belt with a gold buckle.
    `<path d="M40 230 Q200 150 360 230 L360 262 Q200 182 40 262 Z" fill="{f}" stroke="{s}" stroke-width="3" stroke-linejoin="round"/>
     <g fill="{s}"><circle cx="260" cy="214" r="4"/><circle cx="290" cy="224" r="4"/><circle cx="320" cy="236" r="4"/></g>
     <rect x="172" y="176" width="56" height="60" rx="8" fill="none" stroke="#c9a85a" stroke-width="7"/>
     <line x1="200" y1="182" x2="200" y2="230" stroke="#c9a85a" stroke-width="5"/>`,
    // Beret.
    `<ellipse cx="200" cy="200" rx="150" ry="80" fill="{f}" stroke="{s}" stroke-width="3"/>
     <path d="M100 236 Q200 276 300 236 L300 252 Q200 294 100 252 Z" fill="{d}" stroke="{s}" stroke-width="2"/>
     <path d="M194 122 L200 100 L208 122" fill="none" stroke="{s}" stroke-width="5" stroke-linecap="round"/>`,
    // Fine chain necklace with a round pendant.
    `<path d="M110 90 Q110 280 200 292" fill="none" stroke="#c9a85a" stroke-width="3"/><path d="M290 90 Q290 280 200 292" fill="none" stroke="#c9a85a" stroke-width="3"/>
     <circle cx="200" cy="316" r="22" fill="{f}" stroke="{s}" stroke-width="3"/><circle cx="192" cy="308" r="6" fill="#fff" opacity=".6"/>`,
  ],
}

/** Where a close-up looks: collar, waistband, clasp… (x y width height on the 400×400 canvas). */
const DETAIL_VIEW: Record<GarmentCategory, string> = {
  top: '100 50 200 200',
  bottom: '110 46 180 180',
  dress: '100 40 200 200',
  outerwear: '100 40 200 200',
  shoes: '130 150 210 210',
  bag: '100 140 200 200',
  accessory: '86 110 230 230',
}

/**
 * A flat-lay picture of one garment in one colour. `detail` is the close-up the product
 * page shows after the colours: a round loupe on the fabric (collar, waistband, clasp…)
 * with its weave, beside a small outline of the whole piece saying where it looks. A
 * plain zoomed crop read as a broken copy of the main picture; this reads as a detail.
 */
export function garmentSvg(category: GarmentCategory, variant: number, hex: string, detail = false): string {
  const shapes = SHAPES[category]
  const shape = shapes[Math.abs(variant) % shapes.length]!
  const fill = hex
  const stroke = shade(hex, -0.35)
  const accent = shade(hex, hex === '#2b2b2e' ? 0.25 : -0.15)
  const draw = (f: string, d: string) => shape.replaceAll('{f}', f).replaceAll('{s}', stroke).replaceAll('{d}', d)
  const body = draw(fill, accent)
  if (!detail) {
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400">
<rect width="400" height="400" fill="#f4f1ec"/>
<ellipse cx="200" cy="372" rx="130" ry="10" fill="#000" opacity=".06"/>
${body}
</svg>`
  }
  const [x, y, size] = DETAIL_VIEW[category].split(' ').map(Number) as [number, number, number]
  // The loupe shows the view box scaled into a circle of radius 150 centred at (220, 200).
  const scale = 300 / size
  const zoom = `translate(${220 - 150 - x * scale} ${200 - 150 - y * scale}) scale(${scale})`
  // The weave is drawn by repeating the shapes with a pattern fill, so it stays on the fabric.
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400">
<defs><pattern id="weave" width="4" height="4" patternUnits="userSpaceOnUse"><path d="M0 4 L4 0" stroke="${stroke}" stroke-width=".6" opacity=".4"/></pattern>
<clipPath id="loupe"><circle cx="220" cy="200" r="150"/></clipPath></defs>
<rect width="400" height="400" fill="#f4f1ec"/>
<g clip-path="url(#loupe)"><rect x="70" y="50" width="300" height="300" fill="#ece6dc"/><g transform="${zoom}">${body}${draw('url(#weave)', 'url(#weave)')}</g></g>
<circle cx="220" cy="200" r="150" fill="none" stroke="#fff" stroke-width="6"/>
<circle cx="220" cy="200" r="153" fill="none" stroke="#000" stroke-opacity=".08" stroke-width="1"/>
<g transform="translate(18 282) scale(.25)" opacity=".75"><rect width="400" height="400" rx="24" fill="#fff"/>${body}
<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="none" stroke="#1f2329" stroke-width="8" rx="6"/></g>
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
