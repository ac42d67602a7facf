/**
 * WeCom's callback envelope (WXBizMsgCrypt): `msg_signature` is sha1 over the sorted token,
 * timestamp, nonce and ciphertext; the ciphertext is AES-256-CBC of random(16) ‖ length ‖
 * message ‖ receive id. `@wecom/crypto` does the arithmetic but checks nothing: the
 * signature (in constant time), the receive id and the age are checked here.
 */
import { timingSafeEqual } from 'node:crypto'
import { decrypt, getSignature } from '@wecom/crypto'
import { ApiError } from '../../http/errors'

/** WeCom signs each delivery when it sends it; older ones are replays. */
export const CALLBACK_MAX_AGE_MS = 5 * 60 * 1000

export interface CallbackKeys {
  token: string
  aesKey: string
  /** Our corp id: the only receive id we accept. */
  receiveId: string
}

export interface SignedMessage {
  signature: string
  timestamp: string
  nonce: string
  encrypted: string
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** The plaintext of a message WeCom signed for us; a 4xx for anything else. */
export function openMessage(keys: CallbackKeys, message: SignedMessage): string {
  const expected = getSignature(keys.token, message.timestamp, message.nonce, message.encrypted)
  if (!sameText(expected, message.signature.toLowerCase())) {
    throw ApiError.forbidden('msg_signature does not match: this message was not signed with our callback token')
  }
  let opened: { message: string; id: string }
  try {
    opened = decrypt(keys.aesKey, message.encrypted)
  } catch {
    throw ApiError.badRequest('the encrypted message could not be decrypted')
  }
  if (!sameText(opened.id, keys.receiveId)) {
    throw ApiError.forbidden('the message was encrypted for another receive id, not our corp id')
  }
  return opened.message
}

/** A signed timestamp (seconds) within five minutes of now, either way; a 403 otherwise. */
export function assertFresh(timestamp: string, now: number): void {
  const at = Number(timestamp) * 1000
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - at) > CALLBACK_MAX_AGE_MS) {
    throw ApiError.forbidden('the message timestamp is more than 5 minutes away from now: a replay or a wrong clock')
  }
}
