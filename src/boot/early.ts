import { fetchCustomer } from '@/api/customers'
import { fetchClientConfig, fetchJssdkSignature } from '@/api/wecom'
import { embeddedClientConfig, embeddedSignature } from '@/app-config'
import { consumeLoginMarker } from '@/router/login-marker'
import type { CustomerProfile } from '@/shared/customer'
import { isPreviewFrame, isWeCom, registerWecom } from '@/wecom'
import { primeCurrentContact } from '@/wecom/primed'
import { paintEarlyHeader } from './early-header'

/** What was asked before the app's code ran, for the app to take over instead of asking again. */
export interface EarlyStart {
  /** The page came back from WeCom's sign-in (the marker is already gone from the URL). */
  cameBackFromLogin: boolean
  /** The customer WeCom says is open, and the request for her profile; null outside WeCom. */
  customer: Promise<{ externalUserId: string; profile: Promise<CustomerProfile> }> | null
  /** Settles once the JS-SDK is registered (rejects if the config could not be had). */
  registered: Promise<void>
  /** Settles once her header is on screen, or once there is none to draw: the app may start. */
  drawn: Promise<void>
}

/**
 * Registers the app with the JS-SDK. The page carries the config and the signature (no
 * round trip before the SDK can start); served without them (Vite in dev) they are asked
 * for. Safe to call again after a failure: src/wecom registers once.
 */
export async function registerFromConfig(): Promise<void> {
  const config = embeddedClientConfig() ?? (await fetchClientConfig())
  registerWecom({
    corpId: config.corpId,
    agentId: config.agentId,
    getAgentConfigSignature: async (url) => embeddedSignature(url) ?? fetchJssdkSignature(url, 'agent'),
  })
}

/**
 * Two frames after a DOM change it is on screen (the first frame paints it, the second
 * follows its display). A hidden page draws no frames: there it is done at once.
 */
function afterPaint(): Promise<void> {
  if (document.hidden) return Promise.resolve()
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))
}

/**
 * Whether the page opened on the screen of whoever WeCom has open: the entry (WeCom's
 * own link, no route) or the current customer. The desk and other screens opened by
 * address have no customer to draw, and start the app at once.
 */
export function opensOnCurrentCustomer(hash: string): boolean {
  return /^(#\/?(customer)?)?(\?.*)?$/.test(hash)
}

/**
 * Inside WeCom, on a customer's chat, most of the way to her name needs none of the app:
 * the JS-SDK registered with the config and signature the page carries, WeCom asked who
 * is open, her profile asked for, and her name and picture drawn into the placeholder.
 */
export function startEarly(): EarlyStart {
  // Before the SDK signs the URL: the sign-in marker must not be part of it.
  const cameBackFromLogin = consumeLoginMarker()
  // The desk's preview frame never asks the JS-SDK (src/wecom answers for it).
  if (!isWeCom || isPreviewFrame)
    return { cameBackFromLogin, registered: Promise.resolve(), customer: null, drawn: Promise.resolve() }
  const registered = registerFromConfig()
  registered.catch(() => {})
  if (!opensOnCurrentCustomer(window.location.hash))
    return { cameBackFromLogin, registered, customer: null, drawn: Promise.resolve() }
  // Most opens are from a chat's toolbar, on a customer. Elsewhere WeCom names nobody and this fails.
  const customer = registered
    .then(() => primeCurrentContact('customer'))
    .then((externalUserId) => {
      // Not waiting for /api/me: the cookie goes either way; signed out, this fails quietly and the app signs her in.
      const profile = fetchCustomer(externalUserId)
      profile.catch(() => {})
      return { externalUserId, profile }
    })
  customer.catch(() => {})
  const drawn = customer
    .then(({ profile }) => profile)
    .then((profile) => (paintEarlyHeader(profile) ? afterPaint() : undefined))
    .catch(() => {})
  return { cameBackFromLogin, registered, customer, drawn }
}
