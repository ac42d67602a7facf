/** Messages between the framed app's bridge and the simulator page (same origin, postMessage). */
export interface BridgeInvoke {
  source: 'gs-sim-bridge'
  type: 'invoke'
  id: number
  name: string
  params: Record<string, unknown>
  /** The framed page's address when it called: agentConfig is checked against it. */
  url: string
}

/**
 * The framed app asked for a window of its own (`window.open`): desktop WeCom opens it in
 * a WeCom browser window, which the simulator shows as a desktop-size window pane.
 */
export interface BridgeOpenWindow {
  source: 'gs-sim-bridge'
  type: 'open-window'
  url: string
}

export interface HostResult {
  source: 'gs-sim-host'
  type: 'result'
  id: number
  result: Record<string, unknown>
}

export interface HostEvent {
  source: 'gs-sim-host'
  type: 'event'
  name: string
  payload: Record<string, unknown>
}

export type Platform = 'desktop' | 'mobile'

export const USER_AGENTS: Record<Platform, string> = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh ColorScheme/Light',
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh ColorScheme/Light',
}
