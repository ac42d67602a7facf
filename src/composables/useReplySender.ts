/**
 * Sending a reply into the open chat: its parts one after another through the JS-SDK,
 * an expired image re-uploaded and tried once more, a cancel in WeCom's own confirm
 * taken quietly, and one record of what reached the chat.
 */
import { refreshMedia, reportSend, type SendTarget } from '@/api/replies'
import { newDraftId } from '@/offline/note-drafts'
import type { CopyablePart, SendablePart, SendPlan } from '@/shared/replies'
import { isMediaRefusal, sendChatMessage, type ChatMessage } from '@/wecom'

export type SendOutcome =
  { kind: 'sent' } | { kind: 'cancelled'; index: number } | { kind: 'failed'; index: number; error: unknown }

function toMessage(part: SendablePart): ChatMessage {
  switch (part.msgtype) {
    case 'image':
      return { msgtype: 'image', image: { mediaid: part.image.mediaid } }
    case 'text':
      return { msgtype: 'text', text: { content: part.text.content } }
    case 'news':
      return { msgtype: 'news', news: { ...part.news } }
    default:
      return { msgtype: 'miniprogram', miniprogram: { ...part.miniprogram } }
  }
}

/** One guide's attempt to get one reply into one chat, possibly in several tries. */
export class ReplySend {
  readonly id = newDraftId()
  /** Parts that reached the chat so far. */
  sent = 0
  edited = false
  private reported = false

  constructor(
    readonly replyId: string,
    readonly target: SendTarget,
    public parts: SendablePart[],
  ) {}

  get total(): number {
    return this.parts.length
  }

  /** Parts not yet in the chat. */
  get remaining(): number {
    return this.total - this.sent
  }

  /** Send from part `from` on (by default the first not sent yet); stops at the first cancel or failure. */
  async run(from = this.sent): Promise<SendOutcome> {
    for (let i = from; i < this.parts.length; i++) {
      try {
        if ((await this.sendPart(i)) === 'cancelled') return { kind: 'cancelled', index: i }
      } catch (error) {
        return { kind: 'failed', index: i, error }
      }
      this.sent = i + 1
    }
    return { kind: 'sent' }
  }

  private async sendPart(index: number): Promise<'sent' | 'cancelled'> {
    const part = this.parts[index]!
    try {
      return await sendChatMessage(toMessage(part))
    } catch (error) {
      if (part.msgtype !== 'image' || !isMediaRefusal(error)) throw error
      // Expired early or unknown: the server uploads it again, and we try once more.
      const mediaid = await refreshMedia(part.assetId, part.image.mediaid)
      const fresh: SendablePart = { ...part, image: { mediaid } }
      this.parts = this.parts.map((p, i) => (i === index ? fresh : p))
      return sendChatMessage(toMessage(fresh))
    }
  }

  /**
   * Record it once, when the guide is done with it; nothing sent, nothing recorded.
   * `copied`: she copied what was not sent, so the reply was used in full.
   */
  async report(copied = false): Promise<void> {
    if (this.reported || (!copied && this.sent === 0)) return
    this.reported = true
    await reportSend(this.replyId, {
      id: this.id,
      ...this.target,
      partsSent: copied ? this.total : this.sent,
      partsTotal: this.total,
      edited: this.edited,
      ...(copied ? { copied: true } : {}),
    }).catch(() => {
      // Usage counts are a nicety: a lost report must not bother the guide.
      this.reported = false
    })
  }
}

export function startSend(plan: SendPlan, target: SendTarget): ReplySend {
  return new ReplySend(plan.replyId, target, plan.parts)
}

/** A reply copied to the clipboard (nothing went through WeCom): recorded as one use. */
export async function reportCopied(replyId: string, target: SendTarget, partsTotal: number, edited: boolean): Promise<void> {
  await reportSend(replyId, { id: newDraftId(), ...target, partsSent: partsTotal, partsTotal, edited, copied: true }).catch(
    () => {
      // Usage counts are a nicety: a lost report must not bother the guide.
    },
  )
}

/** What a reply looks like as plain text, for the clipboard (pictures cannot go there). */
export function planAsText(parts: readonly CopyablePart[]): string {
  return parts
    .flatMap((part) => {
      if (part.msgtype === 'text') return [part.text.content]
      if (part.msgtype === 'news') return [`${part.news.title}\n${part.news.link}`]
      if (part.msgtype === 'miniprogram') return [part.miniprogram.title]
      return []
    })
    .join('\n\n')
}

/** Copy text, with the old way as a fallback for webviews without the Clipboard API. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    let copied = false
    try {
      copied = document.execCommand('copy')
    } catch {
      copied = false
    }
    area.remove()
    return copied
  }
}
