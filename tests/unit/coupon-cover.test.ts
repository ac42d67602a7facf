import { describe, expect, it } from 'vitest'
import { COVER_SIZE, renderCouponCover } from '../../src/server/modules/coupons/coupon-cover'
import { COUPON_KINDS } from '../../src/shared/coupons'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

describe('renderCouponCover', () => {
  it('is a 300 × 300 PNG for every kind', async () => {
    expect(COVER_SIZE).toBe(300)
    for (const kind of COUPON_KINDS) {
      const png = await renderCouponCover(kind)
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
      expect(png.toString('latin1', 12, 16)).toBe('IHDR')
      expect(png.readUInt32BE(16)).toBe(300)
      expect(png.readUInt32BE(20)).toBe(300)
    }
  })

  it('is the same bytes every time, and differs by kind', async () => {
    const [a, b, c] = await Promise.all(COUPON_KINDS.map((kind) => renderCouponCover(kind)))
    expect(a!.equals(b!)).toBe(false)
    expect(b!.equals(c!)).toBe(false)
    const again = await renderCouponCover('amount_off')
    expect(again.equals(a!)).toBe(true)
  })
})
