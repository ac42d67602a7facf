import { createHash, randomBytes } from 'node:crypto'

/** The URL WeCom signs: everything before `#`. */
export function urlForSignature(url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}

/**
 * The JS-SDK signature (config and agentConfig alike): sha1 over the four fields in this
 * fixed order, raw values, no URL encoding, timestamp in seconds.
 */
export function jsapiSignature(input: { ticket: string; nonceStr: string; timestamp: number; url: string }): string {
  const plain = `jsapi_ticket=${input.ticket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${urlForSignature(input.url)}`
  return createHash('sha1').update(plain).digest('hex')
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function makeNonce(length = 16): string {
  const bytes = randomBytes(length)
  let out = ''
  for (const byte of bytes) out += NONCE_ALPHABET[byte % NONCE_ALPHABET.length]
  return out
}
