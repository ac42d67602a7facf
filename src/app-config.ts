import type { ClientConfig } from './shared/wecom'

/** The client config the server embedded in the page (null when served without it, e.g. by Vite in dev). */
export function embeddedClientConfig(): ClientConfig | null {
  const text = typeof document === 'undefined' ? null : document.getElementById('gs-config')?.textContent
  if (!text) return null
  try {
    return JSON.parse(text) as ClientConfig
  } catch {
    return null
  }
}
