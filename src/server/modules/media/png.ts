/**
 * A tiny raster canvas that writes PNG: enough to draw the demo's pictures (size charts,
 * care labels, store maps) without any image from the network or a native library.
 */
import { deflateSync } from 'node:zlib'

type Rgb = [number, number, number]

export function hex(color: string): Rgb {
  const n = Number.parseInt(color.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

export class Canvas {
  readonly pixels: Uint8Array

  constructor(
    readonly width: number,
    readonly height: number,
    background: string,
  ) {
    this.pixels = new Uint8Array(width * height * 3)
    this.rect(0, 0, width, height, background)
  }

  rect(x: number, y: number, w: number, h: number, color: string): this {
    const [r, g, b] = hex(color)
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) {
        const i = (yy * this.width + xx) * 3
        this.pixels[i] = r
        this.pixels[i + 1] = g
        this.pixels[i + 2] = b
      }
    }
    return this
  }

  circle(cx: number, cy: number, radius: number, color: string): this {
    const [r, g, b] = hex(color)
    for (let y = Math.max(0, cy - radius); y < Math.min(this.height, cy + radius); y++) {
      for (let x = Math.max(0, cx - radius); x < Math.min(this.width, cx + radius); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2) {
          const i = (y * this.width + x) * 3
          this.pixels[i] = r
          this.pixels[i + 1] = g
          this.pixels[i + 2] = b
        }
      }
    }
    return this
  }

  toPng(): Buffer {
    const raw = Buffer.alloc((this.width * 3 + 1) * this.height)
    for (let y = 0; y < this.height; y++) {
      raw[y * (this.width * 3 + 1)] = 0
      Buffer.from(this.pixels.buffer, y * this.width * 3, this.width * 3).copy(raw, y * (this.width * 3 + 1) + 1)
    }
    const header = Buffer.alloc(13)
    header.writeUInt32BE(this.width, 0)
    header.writeUInt32BE(this.height, 4)
    header[8] = 8 // bit depth
    header[9] = 2 // truecolour
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ])
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
