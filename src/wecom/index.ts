import * as ww from '@wecom/jssdk'
import { WECOM_ENTRIES, type WecomEntry } from '@/shared/entry'

/** Read once, like the SDK does: the user agent says whether this is WeCom's webview. */
export const isWeCom: boolean = ww.env.isWeCom

export type WecomFailureReason = 'outside' | 'timeout' | 'cancel' | 'fail'

export class WecomCallError extends Error {
  override name = 'WecomCallError'
  constructor(
    readonly api: string,
    readonly reason: WecomFailureReason,
    readonly errMsg: string,
    readonly errCode: number,
  ) {
    super(`${api}: ${errMsg}`)
  }
}

/** The JS-SDK APIs this app may call; WeCom checks calls against this list. */
export const JS_API_LIST = [
  'getContext',
  'getCurExternalContact',
  'getCurExternalChat',
  'sendChatMessage',
  'selectExternalContact',
  'openEnterpriseChat',
  'shareToExternalContact',
  'closeWindow',
]

export interface SignatureData {
  timestamp: number | string
  nonceStr: string
  signature: string
}

export interface RegisterOptions {
  corpId: string
  agentId: string
  /** Our API signs the page URL with the app's agent_config ticket. */
  getAgentConfigSignature: (url: string) => Promise<SignatureData>
  onAgentConfigFail?: (error: WecomCallError) => void
}

let registered = false

/**
 * The manager's desk frames the real app at sidebar size (`?preview=1`). That frame is not
 * in WeCom's bridge (the simulator installs it only under /simulator, and the JS-SDK's
 * agentConfig is unreliable in an iframe), so nothing here asks the SDK in it: it stands in
 * for the chat the guide would have open (`&customer=<externalUserId>`, else her workbench),
 * and every call that would act is refused. The router lets it run only in a preview session.
 */
const frameQuery = typeof window === 'undefined' ? null : new URLSearchParams(window.location.search)
export const isPreviewFrame: boolean = frameQuery?.get('preview') === '1'
const previewFrameCustomer: string | null = isPreviewFrame ? frameQuery?.get('customer') || null : null

/** Nothing may act in WeCom while a manager previews a guide's view (the server refuses writes too). */
export class PreviewRefusal extends Error {
  override name = 'PreviewRefusal'
  constructor(readonly api: string) {
    super(`${api}: nothing is sent in a preview`)
  }
}

let previewMode = false

/** Set from the session (`me.preview`) whenever it arrives or changes; src/wecom knows no stores. */
export function setPreviewMode(on: boolean): void {
  previewMode = on
}

export function isPreviewMode(): boolean {
  return previewMode || isPreviewFrame
}

/** Calls that put something in a chat or act in WeCom as her: refused in a preview, before the SDK hears of them. */
const ACTING_APIS = new Set(['sendChatMessage', 'shareToExternalContact', 'openEnterpriseChat'])

function toCallError(api: string, error: unknown): WecomCallError {
  if (error instanceof WecomCallError) return error
  const result = (typeof error === 'object' && error !== null ? error : {}) as { errMsg?: unknown; errCode?: unknown }
  const errMsg = typeof result.errMsg === 'string' ? result.errMsg : error instanceof Error ? error.message : `${api}:fail`
  const errCode = typeof result.errCode === 'number' ? result.errCode : -1
  const reason: WecomFailureReason = /:cancel\b/.test(errMsg) ? 'cancel' : 'fail'
  return new WecomCallError(api, reason, errMsg, errCode)
}

function isAgentConfigFailure(reason: unknown): boolean {
  const errMsg = (reason as { errMsg?: unknown } | null)?.errMsg
  return typeof errMsg === 'string' && errMsg.startsWith('agentConfig:')
}

/**
 * Register the app identity. The SDK starts agentConfig at once and, on failure, leaves
 * a promise nobody catches; the next API call retries signing, and its own rejection is
 * what we report. So the stray rejection is swallowed here, and only here.
 */
export function registerWecom(options: RegisterOptions): void {
  if (!isWeCom || isPreviewFrame || registered) return
  registered = true
  window.addEventListener('unhandledrejection', (event) => {
    if (isAgentConfigFailure(event.reason)) event.preventDefault()
  })
  ww.register({
    corpId: options.corpId,
    agentId: options.agentId,
    jsApiList: JS_API_LIST,
    getAgentConfigSignature: options.getAgentConfigSignature,
    onAgentConfigFail: (error: unknown) => options.onAgentConfigFail?.(toCallError('agentConfig', error)),
  })
}

/** The first call waits for agentConfig (slow on Android), so it gets more time. */
const FIRST_CALL_TIMEOUT_MS = 12_000
const CALL_TIMEOUT_MS = 8_000
let firstCallDone = false

async function call<T>(api: string, run: () => Promise<T>, timeoutMs?: number): Promise<T> {
  if (ACTING_APIS.has(api) && isPreviewMode()) throw new PreviewRefusal(api)
  if (!isWeCom || isPreviewFrame) throw new WecomCallError(api, 'outside', `${api}:fail not in WeCom`, -1)
  const limit = timeoutMs ?? (firstCallDone ? CALL_TIMEOUT_MS : FIRST_CALL_TIMEOUT_MS)
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WecomCallError(api, 'timeout', `${api}:fail timeout`, -1)), limit)
  })
  try {
    const result = await Promise.race([run(), timeout])
    firstCallDone = true
    return result
  } catch (error) {
    throw toCallError(api, error)
  } finally {
    clearTimeout(timer)
  }
}

/** Where WeCom opened the app. Unknown entries from newer clients count as `normal`. */
export async function getEntry(): Promise<WecomEntry> {
  if (isPreviewFrame) return previewFrameCustomer ? 'single_chat_tools' : 'normal'
  const result = await call('getContext', () => ww.getContext())
  const entry = String(result.entry)
  return (WECOM_ENTRIES as readonly string[]).includes(entry) ? (entry as WecomEntry) : 'normal'
}

/** The customer whose chat (or profile) is open. Never cached: WeCom has no switch event. */
export async function getCurrentCustomerId(): Promise<string> {
  if (previewFrameCustomer) return previewFrameCustomer
  const result = await call('getCurExternalContact', () => ww.getCurExternalContact())
  return result.userId
}

export async function getCurrentChatId(): Promise<string> {
  const result = await call('getCurExternalChat', () => ww.getCurExternalChat())
  return result.chatId
}

export type ChatMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { mediaid: string } }
  | { msgtype: 'news'; news: { link: string; title: string; desc: string; imgUrl: string } }
  | { msgtype: 'miniprogram'; miniprogram: { appid: string; title: string; imgUrl: string; page: string } }

/**
 * Put a message into the open chat. A cancel in WeCom's own confirm is not an error:
 * it resolves `cancelled` so callers stay silent, as the guide expects.
 */
export async function sendChatMessage(message: ChatMessage): Promise<'sent' | 'cancelled'> {
  try {
    // No timeout: WeCom may show its own confirm and wait for the guide.
    await call('sendChatMessage', () => ww.sendChatMessage(message as Parameters<typeof ww.sendChatMessage>[0]), 10 * 60_000)
    return 'sent'
  } catch (error) {
    if (error instanceof WecomCallError && error.reason === 'cancel') return 'cancelled'
    throw error
  }
}

/**
 * Whether `sendChatMessage` works where the app was opened: from a chat's toolbar, and
 * from the attachment menu except on Mac, where WeCom does not support it.
 */
export function canSendFrom(entry: WecomEntry | null, userAgent = navigator.userAgent): boolean {
  if (entry === 'single_chat_tools' || entry === 'group_chat_tools' || entry === 'single_kf_tools') return true
  if (entry === 'chat_attachment') return !/Macintosh|Mac OS X/.test(userAgent) || /iPhone|iPad/.test(userAgent)
  return false
}

/** WeCom refused an image because its media id expired or is unknown (40007). */
export function isMediaRefusal(error: unknown): boolean {
  return error instanceof WecomCallError && (error.errCode === 40007 || /media/i.test(error.errMsg))
}

/**
 * WeCom on a computer, where the app can have windows of its own. On a phone every page
 * is one full-screen webview, so there the app navigates in place.
 */
export function isDesktopWeCom(userAgent = navigator.userAgent): boolean {
  return (
    /wxwork\//i.test(userAgent) && /Windows|Macintosh|Mac OS X/.test(userAgent) && !/iPhone|iPad|Android|Mobile/.test(userAgent)
  )
}

/**
 * Open one of our pages in a window of its own (the manager's desk, never squeezed into
 * the 360 px sidebar). In desktop WeCom a `window.open` of a page on the app's trusted
 * domain opens a WeCom browser window: it shares the webview's cookies, so she stays signed
 * in, and the JS-SDK works there. `openDefaultBrowser` would leave WeCom for the system
 * browser, which has neither our session cookie nor the SDK.
 *
 * False where there is no second window (a phone): the caller navigates in place.
 */
export function openInNewWindow(path: string, userAgent = navigator.userAgent): boolean {
  if (!isDesktopWeCom(userAgent)) return false
  const url = new URL(path, window.location.href)
  if (url.origin !== window.location.origin) throw new Error(`openInNewWindow: ${url.origin} is not this app`)
  // noopener: the desk needs nothing from the sidebar, and WeCom gives no handle back anyway.
  window.open(url.href, '_blank', 'noopener')
  return true
}

/** Close the window the app is in (the desk's own window); WeCom closes its webview. */
export async function closeWindow(): Promise<void> {
  await call('closeWindow', () => ww.closeWindow())
}

/** WeCom's client version from its user agent (`wxwork/4.1.30` → [4, 1, 30]); null outside WeCom. */
export function wecomVersion(userAgent = navigator.userAgent): number[] | null {
  const version = /wxwork\/([\d.]+)/i.exec(userAgent)?.[1]
  return version ? version.split('.').map((part) => Number(part) || 0) : null
}

/** The first client where `shareToExternalContact` takes the customers (`externalUserIds`). */
export const SHARE_TO_CUSTOMERS_SINCE = [4, 1, 10] as const

/**
 * Whether 群发 can go to the customers she picked: `shareToExternalContact` hands the text to
 * WeCom's 群发助手 (she confirms there), with those customers pre-selected only from client
 * 4.1.10 on (iOS, Android, PC). Older clients would open 群发助手 without them, so there the
 * workbench copies instead. WeCom allows one 群发 a day per customer.
 */
export function canShareToCustomers(userAgent = navigator.userAgent): boolean {
  const version = wecomVersion(userAgent)
  if (!version) return false
  for (let i = 0; i < SHARE_TO_CUSTOMERS_SINCE.length; i++) {
    const part = version[i] ?? 0
    if (part !== SHARE_TO_CUSTOMERS_SINCE[i]) return part > SHARE_TO_CUSTOMERS_SINCE[i]!
  }
  return true
}

/** WeCom's limit on a 群发 text. */
export const SHARE_TEXT_MAX = 4000

/**
 * Hand a text to 群发助手 for these customers. WeCom shows its own confirm and waits for the
 * guide, so there is no short timeout; her 取消 there resolves `cancelled`, silently.
 */
export async function shareToExternalContact(options: {
  externalUserIds: readonly string[]
  text: string
}): Promise<'shared' | 'cancelled'> {
  try {
    await call(
      'shareToExternalContact',
      () => ww.shareToExternalContact({ externalUserIds: [...options.externalUserIds], text: { content: options.text } }),
      10 * 60_000,
    )
    return 'shared'
  } catch (error) {
    if (error instanceof WecomCallError && error.reason === 'cancel') return 'cancelled'
    throw error
  }
}
