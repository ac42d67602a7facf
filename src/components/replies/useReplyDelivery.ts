/**
 * How the reply panel gets a reply out: its preview and plan, one-tap sending or copying,
 * and the choice offered when a part did not go out (send the rest, copy it, or leave it).
 */
import { showToast } from 'vant'
import 'vant/es/toast/style'
import { computed, type MaybeRefOrGetter, ref, shallowRef, toValue } from 'vue'
import { fetchCopyPlan, fetchSendPlan, type SendTarget } from '@/api/replies'
import { failureReason } from '@/api/status'
import { refusedInPreview } from '@/components/common/preview'
import { copyText, planAsText, reportCopied, startSend, type ReplySend } from '@/composables/useReplySender'
import { t } from '@/i18n'
import type { CopyablePart, CopyPlan, Reply, SendablePart, SendPlan } from '@/shared/replies'
import { useRepliesStore } from '@/stores/replies'
import { WecomCallError } from '@/wecom'
import { needsPreview, stopActions, stopTitle } from './reply-send'

export function useReplyDelivery(options: { mode: MaybeRefOrGetter<'send' | 'copy'>; target: MaybeRefOrGetter<SendTarget> }) {
  const store = useRepliesStore()
  const mode = () => toValue(options.mode)
  const target = () => toValue(options.target)

  const previewReply = shallowRef<Reply | null>(null)
  const plan = shallowRef<SendPlan | CopyPlan | null>(null)
  const planFailed = ref(false)
  const busyId = ref<string | null>(null)
  let planRequest = 0

  /** Where nothing is sent, nothing needs a WeCom media id: the copy plan uploads no image. */
  async function loadPlan(reply: Reply): Promise<SendPlan | CopyPlan> {
    return mode() === 'send' ? fetchSendPlan(reply.id, target()) : fetchCopyPlan(reply.id, target())
  }

  function openPreview(reply: Reply): void {
    previewReply.value = reply
    plan.value = null
    planFailed.value = false
    const request = ++planRequest
    loadPlan(reply).then(
      (result) => {
        if (request === planRequest) plan.value = result
      },
      () => {
        if (request === planRequest) planFailed.value = true
      },
    )
  }

  function closePreview(): void {
    planRequest++
    previewReply.value = null
  }

  /** One tap: straight out, unless it has variables, which she sees filled in first. */
  async function quick(reply: Reply): Promise<void> {
    if (needsPreview(reply)) return openPreview(reply)
    busyId.value = reply.id
    try {
      if (mode() === 'send') await send(reply, (await fetchSendPlan(reply.id, target())).parts, false)
      else await copy(reply, (await fetchCopyPlan(reply.id, target())).parts, false)
    } catch (error) {
      showToast({ message: t('replies.planFailedReason', { reason: failureReason(error) }), position: 'bottom' })
    } finally {
      busyId.value = null
    }
  }

  async function send(reply: Reply, parts: SendablePart[], edited: boolean): Promise<void> {
    const attempt = startSend({ replyId: reply.id, parts }, target())
    attempt.edited = edited
    busyId.value = reply.id
    try {
      await runAttempt(reply, attempt)
    } finally {
      busyId.value = null
    }
  }

  /** Send what has not gone out yet (all of it the first time); she may stop, or fail, part-way. */
  async function runAttempt(reply: Reply, attempt: ReplySend): Promise<void> {
    const sentBefore = attempt.sent
    const outcome = await attempt.run()
    if (sentBefore === 0 && attempt.sent > 0) store.noteUsed(reply.id)
    if (outcome.kind === 'sent') {
      closePreview()
      showToast({ message: t('replies.sent'), position: 'bottom', duration: 1200 })
      void attempt.report()
      return
    }
    // Her own cancel in WeCom's confirm before anything went out: nothing to say.
    if (outcome.kind === 'cancelled' && attempt.sent === 0) return
    // A manager's preview: nothing goes out, and there is nothing to retry or copy around.
    if (outcome.kind === 'failed' && refusedInPreview(outcome.error)) return closePreview()
    // Some parts are in the chat already: as after a failure, she may send the rest (never
    // the whole reply again, which would repeat what the customer has), copy it, or stop.
    closePreview()
    const reason =
      outcome.kind === 'cancelled'
        ? ''
        : outcome.error instanceof WecomCallError
          ? outcome.error.errMsg
          : failureReason(outcome.error)
    failure.value = { reply, attempt, index: outcome.index, reason, cancelled: outcome.kind === 'cancelled' }
  }

  /** A part did not go out (failed, or she cancelled it): send the rest, copy it, or leave it. */
  const failure = shallowRef<{
    reply: Reply
    attempt: ReplySend
    index: number
    reason: string
    cancelled: boolean
  } | null>(null)
  const failureTitle = computed(() => (failure.value ? stopTitle(failure.value) : ''))
  const failureActions = computed(() => (failure.value ? stopActions(failure.value) : []))

  async function onFailureChoice(action: { key?: string } | null): Promise<void> {
    const f = failure.value
    failure.value = null
    if (!f) return
    if (action?.key === 'rest') {
      busyId.value = f.reply.id
      try {
        return await runAttempt(f.reply, f.attempt)
      } finally {
        busyId.value = null
      }
    }
    // Copied what did not go out: the reply was used, even if nothing was sent.
    const copied = action?.key === 'copy' && (await copyParts(f.attempt.parts.slice(f.attempt.sent)))
    if (copied && f.attempt.sent === 0) store.noteUsed(f.reply.id)
    void f.attempt.report(copied)
  }

  async function copyParts(parts: readonly CopyablePart[]): Promise<boolean> {
    const text = planAsText(parts)
    const images = parts.some((p) => p.msgtype === 'image')
    if (!text) {
      showToast({ message: t('replies.nothingToCopy'), position: 'bottom' })
      return false
    }
    const ok = await copyText(text)
    showToast({
      message: ok ? (images ? t('replies.copiedNoImages') : t('replies.copied')) : t('replies.copyFailed'),
      position: 'bottom',
      duration: images ? 2500 : 1500,
    })
    return ok
  }

  async function copy(reply: Reply, parts: CopyablePart[], edited: boolean): Promise<void> {
    if (!(await copyParts(parts))) return
    closePreview()
    store.noteUsed(reply.id)
    void reportCopied(reply.id, target(), parts.length, edited)
  }

  return {
    previewReply,
    plan,
    planFailed,
    busyId,
    openPreview,
    closePreview,
    quick,
    send,
    copy,
    failure,
    failureTitle,
    failureActions,
    onFailureChoice,
  }
}
