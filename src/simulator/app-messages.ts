/**
 * The app's chat (应用消息) as WeCom shows it: the text cards and texts the app sent this
 * member through `message/send`. A card's description may style its lines with WeCom's
 * three classes; we read those and show everything else as plain text (never as HTML).
 */
import type { SimulatorAppMessage } from '@/shared/simulator'

export type CardLineStyle = 'gray' | 'normal' | 'highlight'

export interface CardLine {
  style: CardLineStyle
  text: string
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

function plain(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!)
}

/** A text card's description as lines, each with WeCom's style (`<div class="gray">…</div>`). */
export function cardLines(description: string): CardLine[] {
  const lines: CardLine[] = []
  const pattern = /<div\s+class="(gray|normal|highlight)"\s*>([\s\S]*?)<\/div>/gi
  let match: RegExpExecArray | null
  let last = 0
  while ((match = pattern.exec(description))) {
    const before = plain(description.slice(last, match.index)).trim()
    if (before) lines.push({ style: 'normal', text: before })
    lines.push({ style: match[1]!.toLowerCase() as CardLineStyle, text: plain(match[2]!) })
    last = pattern.lastIndex
  }
  const rest = plain(description.slice(last)).trim()
  if (rest) lines.push(...rest.split('\n').map((text) => ({ style: 'normal' as const, text })))
  return lines
}

/** The chat list's second line for the app's chat. */
export function lastAppMessageText(messages: readonly SimulatorAppMessage[]): string {
  const last = messages.at(-1)
  if (!last) return '暂无消息'
  return last.msgtype === 'textcard' ? last.title : plain(last.description)
}
