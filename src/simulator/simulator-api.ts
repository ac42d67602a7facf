/** The simulator page's calls to the simulated WeCom server, and the cookie that says which member is signed in. */
import type { AgentConfigCheck, AgentConfigVerdict, SimulatorAppMessage, SimulatorWorldView } from '@/shared/simulator'
import { SIMULATOR_USER_COOKIE } from '@/shared/simulator'
import { mediaUrl } from './transcript'

export async function fetchWorld(): Promise<SimulatorWorldView> {
  const response = await fetch('/simulator/api/world')
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return (await response.json()) as SimulatorWorldView
}

/** The app messages (message/send) this member has received, oldest first. */
export async function fetchAppMessages(userId: string): Promise<SimulatorAppMessage[]> {
  const response = await fetch(`/simulator/api/app-messages?userId=${encodeURIComponent(userId)}`)
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return ((await response.json()) as { items?: SimulatorAppMessage[] }).items ?? []
}

export async function verifyAgentConfig(check: AgentConfigCheck): Promise<AgentConfigVerdict> {
  const response = await fetch('/simulator/api/agent-config', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(check),
  })
  if (!response.ok) return { ok: false, errMsg: 'agentConfig:fail invalid signature', errCode: 40093 }
  return (await response.json()) as AgentConfigVerdict
}

export async function mediaIsLive(mediaId: string): Promise<boolean> {
  const response = await fetch(mediaUrl(mediaId), { method: 'HEAD' })
  return response.ok
}

function readCookie(name: string): string | null {
  return new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(document.cookie)?.[1] ?? null
}

/** The member signed in last time, when she is still one of the guides. */
export function rememberedGuide(view: SimulatorWorldView): string {
  const saved = readCookie(SIMULATOR_USER_COOKIE)
  return view.guides.some((g) => g.userId === saved) ? saved! : (view.guides[0]?.userId ?? '')
}

export function rememberGuide(userId: string): void {
  document.cookie = `${SIMULATOR_USER_COOKIE}=${userId}; path=/; samesite=lax`
}
