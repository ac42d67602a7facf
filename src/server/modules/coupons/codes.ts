/** Coupon codes: what a cashier types and a customer reads. */
import { randomBytes } from 'node:crypto'

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** 12 characters a cashier can read and type: no 0/O, 1/I. */
export function newCode(): string {
  const bytes = randomBytes(12)
  let code = ''
  for (const byte of bytes) code += CODE_ALPHABET[byte % CODE_ALPHABET.length]
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
