/**
 * The opaque token in a lookbook link: a random send id and a MAC over it, nothing else.
 * No customer, guide or bundle id can be read from it, and a changed character fails the
 * MAC without a database lookup.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const ID_BYTES = 12
const MAC_BYTES = 12

export function newSendId(): string {
  return randomBytes(ID_BYTES).toString('base64url')
}

function mac(secret: string, id: Buffer): Buffer {
  return createHmac('sha256', secret).update('lookbook\n').update(id).digest().subarray(0, MAC_BYTES)
}

export function lookbookToken(secret: string, sendId: string): string {
  const id = Buffer.from(sendId, 'base64url')
  return Buffer.concat([id, mac(secret, id)]).toString('base64url')
}

/** The send id a token stands for, or null for anything we did not issue. */
export function readLookbookToken(secret: string, token: string): string | null {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null
  const raw = Buffer.from(token, 'base64url')
  if (raw.length !== ID_BYTES + MAC_BYTES) return null
  const id = raw.subarray(0, ID_BYTES)
  if (!timingSafeEqual(raw.subarray(ID_BYTES), mac(secret, id))) return null
  return id.toString('base64url')
}
