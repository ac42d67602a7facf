/**
 * What an uploaded file really is, read from its bytes (never its name): JPEG or PNG,
 * and its pixel size. Anything else is refused.
 */
import { MAX_IMAGE_BYTES } from '../../../shared/reply-validate'

export { MAX_IMAGE_BYTES }

/** WeCom refuses media of five bytes or fewer. */
export const MIN_MEDIA_BYTES = 6

export interface ImageInfo {
  mime: 'image/jpeg' | 'image/png'
  width: number
  height: number
}

export class ImageError extends Error {
  override name = 'ImageError'
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export function imageInfo(bytes: Buffer): ImageInfo {
  if (bytes.length < MIN_MEDIA_BYTES) throw new ImageError('the file is empty or too small to be an image')
  if (bytes.length > MAX_IMAGE_BYTES) throw new ImageError('images may be at most 10 MB')
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    // The first chunk must be IHDR: width and height as 32-bit big-endian.
    if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') throw new ImageError('the PNG is damaged')
    const width = bytes.readUInt32BE(16)
    const height = bytes.readUInt32BE(20)
    if (!width || !height) throw new ImageError('the PNG has no size')
    return { mime: 'image/png', width, height }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    // Walk the segments to a start-of-frame marker, which carries the size.
    let offset = 2
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) throw new ImageError('the JPEG is damaged')
      const marker = bytes[offset + 1]!
      const length = bytes.readUInt16BE(offset + 2)
      const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
      if (isFrame) {
        const height = bytes.readUInt16BE(offset + 5)
        const width = bytes.readUInt16BE(offset + 7)
        if (!width || !height) throw new ImageError('the JPEG has no size')
        return { mime: 'image/jpeg', width, height }
      }
      offset += 2 + length
    }
    throw new ImageError('the JPEG is damaged')
  }
  throw new ImageError('only JPG and PNG images can be used')
}
