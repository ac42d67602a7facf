/**
 * Sending a coupon is two-phase: the server reserves one (the key made here per tap, so
 * a double tap or a retry is the same reservation), WeCom sends the card, then the server
 * hears it went out. A cancel or a failure gives the coupon back.
 */
import { confirmIssuance, issueCoupon, releaseIssuance } from '@/api/coupons'
import { newDraftId } from '@/offline/note-drafts'
import type { Issuance } from '@/shared/coupons'
import { sendChatMessage } from '@/wecom'

export type CouponSendOutcome = { kind: 'sent'; issuance: Issuance } | { kind: 'cancelled' } | { kind: 'failed'; error: unknown }

export async function sendCoupon(
  templateId: string,
  externalUserId: string,
  key: string = newDraftId(),
): Promise<CouponSendOutcome> {
  const issuance = await issueCoupon(templateId, externalUserId, key)
  try {
    // The server made the card (and checked it); it is always there for the guide who issued.
    if (!issuance.card) throw new Error('The coupon came back without its card')
    if ((await sendChatMessage({ msgtype: 'news', news: { ...issuance.card } })) === 'cancelled') {
      await releaseIssuance(issuance.issuanceId).catch(() => undefined)
      return { kind: 'cancelled' }
    }
  } catch (error) {
    // Never in the chat: back to stock now rather than when the reservation runs out.
    await releaseIssuance(issuance.issuanceId).catch(() => undefined)
    return { kind: 'failed', error }
  }
  return { kind: 'sent', issuance: await confirmDelivered(issuance) }
}

/**
 * In the chat now: tell the server, a few times if the network drops it. Should every
 * try fail, her opening the link still counts it as delivered on the server.
 */
async function confirmDelivered(issuance: Issuance): Promise<Issuance> {
  for (const wait of [0, 1000, 3000]) {
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait))
    try {
      return await confirmIssuance(issuance.issuanceId)
    } catch {
      // try again
    }
  }
  return issuance
}

/** Where sending is impossible: reserve, confirm, and hand the link to the clipboard. */
export async function couponLinkForCopy(templateId: string, externalUserId: string): Promise<Issuance> {
  return confirmDelivered(await issueCoupon(templateId, externalUserId, newDraftId()))
}
