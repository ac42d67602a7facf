/** A store's till keys: what a till sends to say which store it is. Only a key's hash is kept. */
import { createHash, randomBytes } from 'node:crypto'

export function newStoreKey(): string {
  return `gsk_${randomBytes(24).toString('base64url')}`
}

export function hashStoreKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}
