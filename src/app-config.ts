import type { ClientConfig, EmbeddedSignature, JssdkSignature } from './shared/wecom'

/** The client config the server embedded in the page (null when served without it, e.g. by Vite in dev). */
export function embeddedClientConfig(): ClientConfig | null {
  return embedded<ClientConfig>('gs-config')
}

function embedded<T>(id: string): T | null {
  const text = typeof document === 'undefined' ? null : document.getElementById(id)?.textContent
  if (!text) return null
  try {
    return JSON.parse(text) as T
  } catch {
    return null
  }
}

let signatureTaken = false

/**
 * agentConfig's signature the server put in the page, if it was made for `url` (the page
 * as requested: a URL changed since, e.g. the sign-in marker removed, needs a fresh one).
 * Offered once; a later agentConfig asks the server.
 */
export function embeddedSignature(url: string): JssdkSignature | null {
  if (signatureTaken) return null
  signatureTaken = true
  const signed = embedded<EmbeddedSignature>('gs-signature')
  if (!signed || signed.url !== url.split('#')[0]) return null
  const { url: _signedUrl, ...signature } = signed
  return signature
}
