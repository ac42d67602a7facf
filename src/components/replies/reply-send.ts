/** What the reply panel decides before and after a send: preview first or not, and what to offer when a part did not go out. */
import { t } from '@/i18n'
import { hasVariables } from '@/shared/reply-fill'
import type { Reply } from '@/shared/replies'

/** A reply with variables is shown filled in before it goes out; others go out in one tap. */
export function needsPreview(reply: Reply): boolean {
  return reply.parts.some((p) => (p.type === 'text' ? hasVariables(p.text) : p.type !== 'image' && hasVariables(p.title)))
}

/** Where a send stopped: the part (`index`) that failed or that she cancelled, and how far it got. */
export interface SendStop {
  index: number
  cancelled: boolean
  attempt: { sent: number; total: number; remaining: number }
}

export function stopTitle(stop: SendStop): string {
  if (stop.cancelled) return t('replies.partCancelled', { sent: stop.attempt.sent, total: stop.attempt.total })
  return stop.attempt.total > 1
    ? t('replies.partFailed', { n: stop.index + 1, total: stop.attempt.total })
    : t('replies.sendFailed')
}

/** Send the rest (or all again when nothing went out), or copy it. */
export function stopActions(stop: SendStop): { name: string; key: 'rest' | 'copy' }[] {
  const rest = stop.attempt.sent > 0
  return [
    { name: rest ? t('replies.sendRest', { count: stop.attempt.remaining }) : t('common.retry'), key: 'rest' },
    { name: t('replies.copyText'), key: 'copy' },
  ]
}
