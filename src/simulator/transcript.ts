/**
 * What the simulated WeCom window knows about its chats: which one is open (and so which
 * entry the sidebar sees), and the lines of each, including what the sidebar sent.
 */
import type { SimulatorChat, SimulatorChatLine } from '@/shared/simulator'
import type { SimContext } from './host'

/**
 * `profile`: the app opened from the customer's profile page (contact_profile) rather than
 * the chat toolbar. `app`: the app's own chat (应用消息), where its messages to her arrive.
 */
export type Selection =
  { kind: 'workbench' } | { kind: 'app' } | { kind: 'single'; id: string; profile?: boolean } | { kind: 'group'; id: string }

export interface SentMessage {
  from: 'guide'
  at: number
  text?: string
  card?: { kind: 'news' | 'miniprogram'; title: string; desc?: string; imgUrl?: string; link?: string }
  /** An image message: where the simulated WeCom serves it. */
  image?: string
  viaSidebar: true
}

export type Line = (SimulatorChatLine & { viaSidebar?: false }) | SentMessage

export function chatKey(chat: SimulatorChat): string {
  return chat.kind === 'single' ? chat.externalUserId : chat.chatId
}

/** The entry the sidebar is opened in for what is selected. */
export function contextFor(selection: Selection): SimContext {
  if (selection.kind === 'single')
    return { entry: selection.profile ? 'contact_profile' : 'single_chat_tools', externalUserId: selection.id }
  if (selection.kind === 'group') return { entry: 'group_chat_tools', chatId: selection.id }
  return { entry: 'normal' }
}

export const ENTRY_LABELS: Record<SimContext['entry'], string> = {
  normal: '工作台',
  single_chat_tools: '单聊工具栏',
  group_chat_tools: '群聊工具栏',
  contact_profile: '客户资料',
}

export function mediaUrl(mediaId: string): string {
  return `/simulator/api/media/${encodeURIComponent(mediaId)}`
}

/** A message the sidebar sent (sendChatMessage's argument) as a line of the chat. */
export function sentLine(message: Record<string, unknown>, at: number): SentMessage {
  const type = String(message.msgtype ?? 'text')
  const line: SentMessage = { from: 'guide', at, viaSidebar: true }
  if (type === 'text') line.text = String((message.text as { content?: unknown } | undefined)?.content ?? '')
  else if (type === 'news') {
    const news = (message.news ?? {}) as Record<string, string>
    line.card = { kind: 'news', title: news.title ?? '', desc: news.desc, imgUrl: news.imgUrl, link: news.link }
  } else if (type === 'miniprogram') {
    const mp = (message.miniprogram ?? {}) as Record<string, string>
    line.card = { kind: 'miniprogram', title: mp.title ?? '', imgUrl: mp.imgUrl }
  } else if (type === 'image') {
    const mediaId = (message.image as { mediaid?: string } | undefined)?.mediaid ?? ''
    line.image = mediaUrl(mediaId)
  } else line.text = `[${type}]`
  return line
}

/** What WeCom's send confirm says about a message. */
export function describeMessage(message: Record<string, unknown>): string {
  const type = String(message.msgtype ?? 'text')
  const body = (message[type] ?? {}) as Record<string, unknown>
  if (type === 'text') return String(body.content ?? '')
  if (type === 'image') return '[图片]'
  return `[${type === 'news' ? '链接' : '小程序'}] ${String(body.title ?? '')}`
}

/** The chat list's second line: the last thing said. */
export function lastLineText(lines: readonly Line[]): string {
  const last = lines.at(-1)
  if (!last) return ''
  if ('card' in last && last.card) return last.card.title
  if ('image' in last && last.image) return '[图片]'
  return last.text ?? ''
}

export function time(at: number): string {
  return new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit' }).format(at)
}
