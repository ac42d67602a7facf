/**
 * WeixinJSBridge stand-in, installed only when this page is framed by the simulator.
 * It must run before @wecom/jssdk is evaluated: the SDK reads the user agent once, at
 * load, to decide whether it is inside WeCom.
 */
import { USER_AGENTS, type BridgeInvoke, type BridgeOpenWindow, type HostEvent, type HostResult, type Platform } from './protocol'

type Callback = (result: Record<string, unknown>) => void

interface Bridge {
  invoke(name: string, params: Record<string, unknown> | undefined, callback: Callback): void
  on(name: string, callback: Callback): void
}

declare global {
  interface Window {
    WeixinJSBridge?: Bridge
  }
}

function simulatorFrame(): HTMLIFrameElement | null {
  try {
    if (window.parent === window) return null
    if (!window.parent.location.pathname.startsWith('/simulator')) return null
    return window.frameElement as HTMLIFrameElement | null
  } catch {
    // A cross-origin parent is not our simulator.
    return null
  }
}

function install(frame: HTMLIFrameElement): void {
  const platform: Platform = frame.dataset.platform === 'mobile' ? 'mobile' : 'desktop'
  Object.defineProperty(navigator, 'userAgent', { value: USER_AGENTS[platform], configurable: true })

  let sequence = 0
  const pending = new Map<number, Callback>()
  const listeners = new Map<string, Callback[]>()

  window.WeixinJSBridge = {
    invoke(name, params, callback) {
      const id = ++sequence
      pending.set(id, callback)
      const message: BridgeInvoke = {
        source: 'gs-sim-bridge',
        type: 'invoke',
        id,
        name,
        // The SDK leaves its success/fail functions in params; they cannot be posted.
        params: JSON.parse(JSON.stringify(params ?? {})) as Record<string, unknown>,
        url: window.location.href,
      }
      window.parent.postMessage(message, window.location.origin)
    },
    on(name, callback) {
      listeners.set(name, [...(listeners.get(name) ?? []), callback])
    },
  }

  // WeCom's client, not the page, decides what `window.open` does: on a computer it opens a
  // WeCom browser window. Like `noopener`, the page gets no handle back.
  window.open = (url?: string | URL) => {
    const message: BridgeOpenWindow = {
      source: 'gs-sim-bridge',
      type: 'open-window',
      url: new URL(String(url ?? ''), window.location.href).href,
    }
    window.parent.postMessage(message, window.location.origin)
    return null
  }

  window.addEventListener('message', (event: MessageEvent<HostResult | HostEvent>) => {
    if (event.origin !== window.location.origin || event.source !== window.parent) return
    const data = event.data
    if (!data || data.source !== 'gs-sim-host') return
    if (data.type === 'result') {
      const callback = pending.get(data.id)
      pending.delete(data.id)
      callback?.(data.result)
    } else {
      for (const listener of listeners.get(data.name) ?? []) listener(data.payload)
    }
  })
}

const frame = simulatorFrame()
if (frame) install(frame)
