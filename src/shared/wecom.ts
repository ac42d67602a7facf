import { Type, type Static } from 'typebox'
import { StringEnum } from './schema'
import { Text } from './text'

export const SignatureTypeSchema = StringEnum(['agent', 'corp'])
export type SignatureType = Static<typeof SignatureTypeSchema>

export const SignatureQuerySchema = Type.Object({
  url: Text({ minLength: 1, maxLength: 4096 }),
  type: Type.Optional(SignatureTypeSchema),
})

export const JssdkSignatureSchema = Type.Object({
  corpId: Type.String(),
  agentId: Type.String(),
  /** Seconds since the epoch, as WeCom requires. */
  timestamp: Type.Integer(),
  nonceStr: Type.String(),
  signature: Type.String(),
})
export type JssdkSignature = Static<typeof JssdkSignatureSchema>

/** A signature the server put in the page, for the page's URL as requested (no hash). */
export interface EmbeddedSignature extends JssdkSignature {
  url: string
}

/** What the app needs before it can call `ww.register`; public, no session needed. */
export const ClientConfigSchema = Type.Object({
  corpId: Type.String(),
  agentId: Type.String(),
  mode: StringEnum(['real', 'simulator']),
})
export type ClientConfig = Static<typeof ClientConfigSchema>
