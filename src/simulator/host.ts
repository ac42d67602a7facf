/**
 * The simulator page's side of the bridge: it answers JS-SDK calls as the WeCom client
 * would. Agent APIs need a successful agentConfig first (else `no permission`), and
 * agentConfig is checked by the server against the real ticket, so a bad signature
 * fails here exactly as it would in WeCom (40093).
 */
import type { AgentConfigCheck, AgentConfigVerdict } from '@/shared/simulator'
import type { BridgeInvoke, BridgeOpenWindow, HostResult } from './protocol'

export type SimEntry = 'single_chat_tools' | 'group_chat_tools' | 'contact_profile' | 'normal'

export interface SimContext {
  entry: SimEntry
  externalUserId?: string
  chatId?: string
}

export interface BridgeLogEntry {
  at: number
  name: string
  params: Record<string, unknown>
  result: Record<string, unknown>
}

export interface HostOptions {
  frame: () => HTMLIFrameElement | null
  context: () => SimContext
  /**
   * The WeCom browser window the app opened (`window.open`), while it is open. The app in
   * it was not opened from a chat, so it gets the `normal` entry.
   */
  windowFrame?: () => HTMLIFrameElement | null
  /** The app asked for a window of its own, at this address on our origin. */
  onOpenWindow?: (url: string) => void
  /** The app in that window asked WeCom to close it (`closeWindow`). */
  onCloseWindow?: () => void
  /** A message the sidebar sent into the open chat. */
  onSend: (message: Record<string, unknown>) => void
  onLog: (entry: BridgeLogEntry) => void
  verifyAgentConfig: (check: AgentConfigCheck) => Promise<AgentConfigVerdict>
  /** Whether WeCom still holds this temporary media id (they live three days). */
  mediaIsLive: (mediaId: string) => Promise<boolean>
  /**
   * WeCom's own confirm before a message goes out (the phone asks); false is the guide
   * tapping 取消, answered as `sendChatMessage:cancel`. Absent: sent without asking.
   */
  confirmSend?: (message: Record<string, unknown>) => Promise<boolean>
  /**
   * A 群发 the guide confirmed in 群发助手 (`shareToExternalContact`): the text reaches each of
   * these customers' chats. Absent: accepted, and shown nowhere.
   */
  onShare?: (externalUserIds: string[], message: Record<string, unknown>) => void
}

const AGENT_APIS = new Set([
  'getCurExternalContact',
  'getCurExternalChat',
  'sendChatMessage',
  'selectExternalContact',
  'openEnterpriseChat',
  'shareToExternalContact',
])
const SEND_ENTRIES = new Set<SimEntry>(['single_chat_tools', 'group_chat_tools'])

export function createBridgeHost(options: HostOptions) {
  // agentConfig state belongs to one page load of a framed app (the sidebar, the window).
  const configured = new WeakSet<Window>()

  async function answer(call: BridgeInvoke, source: Window, inWindow: boolean): Promise<Record<string, unknown>> {
    const context: SimContext = inWindow ? { entry: 'normal' } : options.context()
    const ok = (extra: Record<string, unknown> = {}) => ({ err_msg: `${call.name}:ok`, ...extra })
    const fail = (reason: string, code?: number) => ({
      err_msg: `${call.name}:fail ${reason}`,
      ...(code ? { err_code: code } : {}),
    })

    if (call.name === 'agentConfig') {
      const p = call.params
      const verdict = await options.verifyAgentConfig({
        url: call.url.split('#')[0] ?? call.url,
        corpid: String(p.corpid ?? ''),
        agentid: String(p.agentid ?? ''),
        timestamp: Number(p.timestamp),
        nonceStr: String(p.nonceStr ?? ''),
        signature: String(p.signature ?? ''),
      })
      if (!verdict.ok) return { err_msg: verdict.errMsg, err_code: verdict.errCode }
      configured.add(source)
      return ok({ checkResult: {} })
    }
    if (call.name === 'preVerifyJSAPI') return ok()
    if (AGENT_APIS.has(call.name) && !configured.has(source)) return fail('no permission')

    switch (call.name) {
      case 'getContext':
        return ok({ entry: context.entry })
      case 'getCurExternalContact':
        if ((context.entry === 'single_chat_tools' || context.entry === 'contact_profile') && context.externalUserId) {
          return ok({ userId: context.externalUserId })
        }
        return fail('without context of external contact')
      case 'getCurExternalChat':
        if (context.entry === 'group_chat_tools' && context.chatId) return ok({ chatId: context.chatId })
        return fail('without context of external chat')
      case 'sendChatMessage': {
        if (!SEND_ENTRIES.has(context.entry)) return fail('not allow to send in this entry')
        const refusal = await checkMessage(call.params)
        if (refusal) return fail(refusal.reason, refusal.code)
        if (options.confirmSend && !(await options.confirmSend(call.params))) return { err_msg: `${call.name}:cancel` }
        options.onSend(call.params)
        return ok()
      }
      case 'shareToExternalContact': {
        // As WeCom ≥ 4.1.10: the text with the customers pre-selected, from any entry.
        const ids = call.params.externalUserIds
        if (ids !== undefined && (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')))
          return fail('invalid externalUserIds')
        const content = String(((call.params.text ?? {}) as Record<string, unknown>).content ?? '')
        if (!content.trim()) return fail('empty content')
        if (content.length > 4000) return fail('content too long')
        options.onShare?.((ids as string[] | undefined) ?? [], { msgtype: 'text', text: { content } })
        return ok()
      }
      case 'closeWindow':
        if (!inWindow) return fail('not supported by the simulator')
        options.onCloseWindow?.()
        return ok()
      default:
        return fail('not supported by the simulator')
    }
  }

  /** What WeCom's client refuses before anything reaches the chat. */
  async function checkMessage(params: Record<string, unknown>): Promise<{ reason: string; code?: number } | null> {
    const field = (name: string) => (params[name] ?? {}) as Record<string, unknown>
    switch (params.msgtype ?? 'text') {
      case 'text':
        return String(field('text').content ?? '').trim() ? null : { reason: 'empty content' }
      case 'image': {
        const mediaId = String(field('image').mediaid ?? '')
        return mediaId && (await options.mediaIsLive(mediaId)) ? null : { reason: 'invalid media_id', code: 40007 }
      }
      case 'news':
        return field('news').link && field('news').title ? null : { reason: 'invalid news' }
      case 'miniprogram': {
        const mp = field('miniprogram')
        if (
          !String(mp.page ?? '')
            .split('?')[0]!
            .endsWith('.html')
        )
          return { reason: 'invalid page path' }
        return mp.appid && mp.title ? null : { reason: 'invalid miniprogram' }
      }
      default:
        return { reason: 'unsupported msgtype' }
    }
  }

  /** Which of our frames posted: the sidebar, or the window it opened. */
  function sender(event: MessageEvent): 'sidebar' | 'window' | null {
    if (event.origin !== window.location.origin || !event.source) return null
    if (event.source === options.frame()?.contentWindow) return 'sidebar'
    if (options.windowFrame && event.source === options.windowFrame()?.contentWindow) return 'window'
    return null
  }

  function openWindow(request: BridgeOpenWindow): void {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return
    }
    // Our own pages get a WeCom window; anything else is the browser's business.
    if (url.origin === window.location.origin) options.onOpenWindow?.(url.href)
    else window.open(url.href, '_blank', 'noopener')
  }

  const onMessage = (event: MessageEvent<BridgeInvoke | BridgeOpenWindow>) => {
    const from = sender(event)
    if (!from) return
    const data = event.data
    if (!data || data.source !== 'gs-sim-bridge') return
    if (data.type === 'open-window') return openWindow(data)
    if (data.type !== 'invoke') return
    const call = data
    const source = event.source as Window
    void answer(call, source, from === 'window').then((result) => {
      const {
        appId: _a,
        verifyAppId: _b,
        verifySignType: _c,
        verifyTimestamp: _d,
        verifyNonceStr: _e,
        verifySignature: _f,
        ...params
      } = call.params
      options.onLog({ at: Date.now(), name: call.name, params, result })
      const reply: HostResult = { source: 'gs-sim-host', type: 'result', id: call.id, result }
      // A little latency, as a real client has; answers never arrive synchronously.
      setTimeout(() => source.postMessage(reply, window.location.origin), 20)
    })
  }

  window.addEventListener('message', onMessage)
  return {
    stop: () => window.removeEventListener('message', onMessage),
  }
}
