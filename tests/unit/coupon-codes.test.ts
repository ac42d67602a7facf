import { describe, expect, it } from 'vitest'
import { isCodeShaped, newCode, normalizeCode } from '../../src/server/modules/coupons/codes'

describe('coupon codes', () => {
  it('are 12 readable characters, never the same twice, past the random pool refilling', () => {
    const codes = Array.from({ length: 2000 }, () => newCode())
    expect(codes.every((code) => isCodeShaped(code) && !/[01OI]/.test(code))).toBe(true)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('draw every letter about equally often', () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < 4000; i++) for (const letter of newCode()) counts.set(letter, (counts.get(letter) ?? 0) + 1)
    // 48,000 letters over 32: 1,500 each expected; a biased draw would leave some far off.
    expect(counts.size).toBe(32)
    for (const n of counts.values()) expect(Math.abs(n - 1500)).toBeLessThan(250)
  })

  it('are read back as typed at a till: any case, spaces and dashes', () => {
    expect(normalizeCode('abcd-efgh jkmn')).toBe('ABCDEFGHJKMN')
    expect(isCodeShaped(normalizeCode('abcd-efgh jkmn'))).toBe(true)
    expect(isCodeShaped('ABCDEFGHJKM0')).toBe(false)
  })
})
