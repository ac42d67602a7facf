/**
 * The query WeCom adds to its callback URL (接收消息): the signature over the ciphertext,
 * the signing time (seconds) and a nonce; the URL check adds the encrypted `echostr`.
 */
import { Type } from 'typebox'

const signed = {
  msg_signature: Type.String({ pattern: '^[0-9a-fA-F]{40}$' }),
  timestamp: Type.String({ pattern: '^[0-9]{1,12}$' }),
  nonce: Type.String({ minLength: 1, maxLength: 64 }),
}

export const CallbackQuerySchema = Type.Object(signed)

/** The POST body: WeCom's XML envelope, its event encrypted inside `Encrypt`. */
export const CallbackBodySchema = Type.String({
  minLength: 1,
  description:
    'XML: <xml><ToUserName>corp id</ToUserName><Encrypt>base64 AES-256-CBC ciphertext</Encrypt><AgentID>…</AgentID></xml>',
})

export const CallbackVerifyQuerySchema = Type.Object({
  ...signed,
  echostr: Type.String({ minLength: 1, maxLength: 4096 }),
})
