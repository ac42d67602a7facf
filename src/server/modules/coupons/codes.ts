/** Coupon codes: what a cashier types and a customer reads. */
import { randomFillSync } from 'node:crypto'

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

const CODE_LENGTH = 12
// Random bytes for 256 codes at a time: a flash sale's batch asks for dozens at once, and
// one call to the system's generator each was 2 % of the server's time per send.
const pool = Buffer.alloc(CODE_LENGTH * 256)
let used = pool.length

/** 12 characters a cashier can read and type: no 0/O, 1/I. */
export function newCode(): string {
  if (used + CODE_LENGTH > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  let code = ''
  // 256 is a multiple of the alphabet's 32 letters: every letter equally likely.
  for (let i = used; i < used + CODE_LENGTH; i++) code += CODE_ALPHABET[pool[i]! % CODE_ALPHABET.length]
  used += CODE_LENGTH
  return code
}

/** What a till or a customer types: any case, with or without spaces and dashes. */
export function normalizeCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '')
}

/** Whether a normalized code could be one of ours (anything else is unknown at once). */
export function isCodeShaped(code: string): boolean {
  return /^[A-Z2-9]{12}$/.test(code)
}
