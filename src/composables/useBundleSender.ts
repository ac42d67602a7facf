/**
 * Sending a bundle: the server prepares the card (and its link), WeCom sends it, and the
 * server hears how it went. A cancel in WeCom's confirm, or a failure, withdraws the link
 * so it never counts as sent.
 */
import { cancelBundleSend, confirmBundleSend, prepareBundleSend, type BundleTarget } from '@/api/bundles'
import type { BundleSend } from '@/shared/bundles'
import { sendChatMessage, type ChatMessage } from '@/wecom'

export type BundleSendOutcome =
  { kind: 'sent'; send: BundleSend } | { kind: 'cancelled' } | { kind: 'failed'; error: unknown; send: BundleSend | null }

function toMessage(send: BundleSend): ChatMessage {
  return send.message.msgtype === 'news'
    ? { msgtype: 'news', news: { ...send.message.news } }
    : { msgtype: 'miniprogram', miniprogram: { ...send.message.miniprogram } }
}

export async function sendBundle(bundleId: string, target: BundleTarget): Promise<BundleSendOutcome> {
  let send: BundleSend | null = null
  try {
    send = await prepareBundleSend(bundleId, target)
    const result = await sendChatMessage(toMessage(send))
    if (result === 'cancelled') {
      await cancelBundleSend(send.id).catch(() => {
        // Never confirmed: the server treats it as not sent anyway.
      })
      return { kind: 'cancelled' }
    }
  } catch (error) {
    if (send) {
      const prepared = send
      await cancelBundleSend(prepared.id).catch(() => undefined)
    }
    return { kind: 'failed', error, send }
  }
  // In the chat now: a lost confirm only costs a count, never the send itself.
  const confirmed = await confirmBundleSend(send.id).catch(() => send!)
  return { kind: 'sent', send: confirmed }
}

/** Where sending is impossible: a link to paste, prepared and counted like a send. */
export async function bundleLinkForCopy(bundleId: string, target: BundleTarget): Promise<BundleSend> {
  const send = await prepareBundleSend(bundleId, target)
  return confirmBundleSend(send.id).catch(() => send)
}
