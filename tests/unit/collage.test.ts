import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  COLLAGE_SIZE,
  collageKey,
  layoutCollage,
  renderCollage,
  type CollageItem,
  type LoadedImage,
} from '../../src/server/modules/bundles/collage'
import { garmentSvg } from '../../src/server/modules/media/demo-art'
import { PRODUCT_CATEGORIES, type ProductCategory } from '../../src/shared/catalog'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
  expect(png.toString('latin1', 12, 16)).toBe('IHDR')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

/** Reads the pixels of an 8-bit RGBA PNG, as resvg writes them; returns a pixel's RGB. */
function decode(png: Buffer): (x: number, y: number) => [number, number, number] {
  const { width, height } = pngSize(png)
  expect(png[24]).toBe(8)
  expect(png[25]).toBe(6)
  const chunks: Buffer[] = []
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at)
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length))
    at += 12 + length
  }
  const raw = inflateSync(Buffer.concat(chunks))
  const stride = width * 4
  const rows: Buffer[] = []
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!
    const line = Buffer.from(raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1)))
    const up = rows[row - 1]
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? line[i - 4]! : 0
      const b = up ? up[i]! : 0
      const c = up && i >= 4 ? up[i - 4]! : 0
      const p = a + b - c
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!
      line[i] = (line[i]! + predictor) & 0xff
    }
    rows.push(line)
  }
  return (x, y) => {
    const line = rows[y]!
    return [line[x * 4]!, line[x * 4 + 1]!, line[x * 4 + 2]!]
  }
}

function near(actual: [number, number, number], hex: string, tolerance = 12): boolean {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255].every((v, i) => Math.abs(v - actual[i]!) <= tolerance)
}

/** An 8×8 JPEG of solid #c0392b. */
const RED_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABgf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCUAHVPf//Z',
  'base64',
)

function centre(slot: { x: number; y: number; size: number }): [number, number] {
  return [Math.round(slot.x + slot.size / 2), Math.round(slot.y + slot.size / 2)]
}

const COLORS = ['#d8c8ae', '#2f3d5c', '#a8693b', '#2b2b2e', '#8c3b3b', '#b9c4b1']

function items(categories: ProductCategory[]): CollageItem[] {
  return categories.map((category, i) => ({
    category,
    imageUrl: `/media/demo/${category}/${i}/${COLORS[i % COLORS.length]!.slice(1)}.svg`,
  }))
}

/** Serves the demo drawings for the URLs `items` makes; anything else is missing. */
async function load(url: string): Promise<LoadedImage | null> {
  const match = /^\/media\/demo\/(\w+)\/(\d+)\/([0-9a-f]{6})\.svg$/.exec(url)
  if (!match) return null
  return { mime: 'image/svg+xml', data: Buffer.from(garmentSvg(match[1] as 'top', Number(match[2]), `#${match[3]}`)) }
}

const OUTFIT: ProductCategory[] = ['outerwear', 'top', 'bottom', 'bag', 'shoes', 'accessory']

describe('renderCollage', () => {
  it('draws an 800×800 PNG, the same bytes every time', async () => {
    const input = items(['top', 'bottom', 'bag', 'shoes'])
    const first = await renderCollage(input, load)
    const second = await renderCollage(input, load)
    expect(pngSize(first)).toEqual({ width: COLLAGE_SIZE, height: COLLAGE_SIZE })
    expect(COLLAGE_SIZE).toBe(800)
    expect(first.equals(second)).toBe(true)
  })

  it('draws every count from 2 to 6, whatever the mix', async () => {
    const seen = new Set<string>()
    for (let n = 2; n <= 6; n++) {
      for (const categories of [
        OUTFIT.slice(0, n),
        Array<ProductCategory>(n).fill('accessory'),
        Array<ProductCategory>(n).fill('bag'),
      ]) {
        const png = await renderCollage(items(categories), load)
        expect(pngSize(png)).toEqual({ width: 800, height: 800 })
        seen.add(png.toString('base64'))
      }
    }
    expect(seen.size).toBe(15)
  })

  it('puts a placeholder where an image is missing, instead of failing', async () => {
    const input: CollageItem[] = [
      { category: 'dress', imageUrl: null },
      { category: 'shoes', imageUrl: '/media/gone.png' },
      { category: 'bag', imageUrl: '/media/broken.png' },
    ]
    const broken = async (url: string): Promise<LoadedImage | null> =>
      url === '/media/broken.png' ? { mime: 'image/png', data: Buffer.from('not a png at all') } : null
    const png = await renderCollage(input, broken)
    expect(pngSize(png)).toEqual({ width: 800, height: 800 })
    expect((await renderCollage(input, broken)).equals(png)).toBe(true)
    const pixel = decode(png)
    // The background in the corner, the placeholder's tile below the hanger of each piece.
    expect(near(pixel(2, 2), '#f4f1ec', 1)).toBe(true)
    for (const slot of layoutCollage(input.map((item) => item.category))) {
      const [x, y] = centre(slot)
      expect(near(pixel(x, y + Math.round(slot.size * 0.25)), '#ebe6de', 2)).toBe(true)
    }
  })

  it('draws PNG and JPEG pictures as well as SVG', async () => {
    const input: CollageItem[] = [
      { category: 'top', imageUrl: '/media/red.jpg' },
      { category: 'bag', imageUrl: '/media/drawn.png' },
    ]
    const drawn = await renderCollage(items(['top', 'bottom']), load)
    const png = await renderCollage(input, async (url) =>
      url.endsWith('.jpg') ? { mime: 'image/jpeg', data: RED_JPEG } : { mime: 'image/png', data: drawn },
    )
    expect(pngSize(png)).toEqual({ width: 800, height: 800 })
    const [jpeg, picture] = layoutCollage(input.map((item) => item.category))
    const pixel = decode(png)
    expect(near(pixel(...centre(jpeg!)), '#c0392b', 16)).toBe(true)
    // The PNG is itself a collage: its own off-white blends into the background.
    expect(near(pixel(Math.round(picture!.x + 4), Math.round(picture!.y + picture!.size / 2)), '#f4f1ec', 2)).toBe(true)
  })

  it('fails when the loader fails, so a passing outage is not cached as a picture', async () => {
    await expect(
      renderCollage(items(['top', 'bottom']), async () => {
        throw new Error('storage down')
      }),
    ).rejects.toThrow('storage down')
  })

  it('refuses an empty or oversized bundle', async () => {
    await expect(renderCollage([], load)).rejects.toThrow(RangeError)
    await expect(renderCollage(items([...OUTFIT, 'top']), load)).rejects.toThrow(RangeError)
  })
})

describe('layoutCollage', () => {
  it('keeps every piece on the canvas, apart from the others, for every mix of 1 to 6', () => {
    // All multisets of categories up to six pieces would be many; every count with each
    // category leading and a rotating remainder covers the shapes the layout can take.
    for (let n = 1; n <= 6; n++) {
      for (let a = 0; a < PRODUCT_CATEGORIES.length; a++) {
        for (let b = 0; b < PRODUCT_CATEGORIES.length; b++) {
          const categories = Array.from({ length: n }, (_, i) => PRODUCT_CATEGORIES[(i === 0 ? a : b + i * (a + 1)) % 7]!)
          const slots = layoutCollage(categories)
          expect(slots.map((s) => s.item)).toEqual(categories.map((_, i) => i))
          for (const s of slots) {
            expect(s.size).toBeGreaterThan(120)
            expect(s.x).toBeGreaterThanOrEqual(0)
            expect(s.y).toBeGreaterThanOrEqual(0)
            expect(s.x + s.size).toBeLessThanOrEqual(COLLAGE_SIZE)
            expect(s.y + s.size).toBeLessThanOrEqual(COLLAGE_SIZE)
            expect(Math.abs(s.rotate)).toBeLessThanOrEqual(5)
            if (!['bag', 'shoes', 'accessory'].includes(categories[s.item]!)) expect(s.rotate).toBe(0)
          }
          for (const s of slots) {
            for (const o of slots) {
              if (s === o) continue
              const apart =
                s.x + s.size <= o.x + 0.5 || o.x + o.size <= s.x + 0.5 || s.y + s.size <= o.y + 0.5 || o.y + o.size <= s.y + 0.5
              expect(apart, `${categories.join(',')}: ${s.item} and ${o.item} overlap`).toBe(true)
            }
          }
        }
      }
    }
  })

  it('gives the garments more room than the small pieces, the leading one upper left', () => {
    const slots = layoutCollage(['shoes', 'top', 'bag', 'outerwear'])
    const [shoes, top, bag, coat] = slots
    expect(coat!.size).toBeGreaterThan(bag!.size)
    expect(top!.size).toBeGreaterThan(shoes!.size)
    expect(coat!.x).toBeLessThanOrEqual(Math.min(...slots.map((s) => s.x)))
    expect(coat!.y).toBeLessThanOrEqual(Math.min(...slots.map((s) => s.y)))
  })
})

describe('collageKey', () => {
  it('is stable for the same pieces and images', () => {
    const key = collageKey(items(['top', 'bottom', 'shoes']))
    expect(key).toMatch(/^[0-9a-f]{32}$/)
    expect(collageKey(items(['top', 'bottom', 'shoes']))).toBe(key)
  })

  it('changes with an image, a category or the order', () => {
    const base = items(['top', 'bottom', 'shoes'])
    const key = collageKey(base)
    expect(collageKey([{ ...base[0]!, imageUrl: '/media/other.png' }, ...base.slice(1)])).not.toBe(key)
    expect(collageKey([{ ...base[0]!, imageUrl: null }, ...base.slice(1)])).not.toBe(key)
    expect(collageKey([{ ...base[0]!, category: 'outerwear' }, ...base.slice(1)])).not.toBe(key)
    expect(collageKey([base[1]!, base[0]!, base[2]!])).not.toBe(key)
    expect(collageKey(base.slice(0, 2))).not.toBe(key)
  })
})
