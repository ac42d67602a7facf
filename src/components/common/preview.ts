/**
 * A manager's preview of a guide's view, as the screens see it: the ribbon's height (what
 * sticks to the top sticks under it), and one way to say that a send or a change was
 * refused because this is a preview — never a failure she could retry or copy around.
 */
import { showToast } from 'vant'
import 'vant/es/toast/style'
import { computed, type ComputedRef } from 'vue'
import { isApiFailure } from '@/api/http'
import { t } from '@/i18n'
import { PREVIEW_READ_ONLY } from '@/shared/auth'
import { useSessionStore } from '@/stores/session'
import { PreviewRefusal } from '@/wecom'

/** The ribbon across the top of every screen in a preview, in px. */
export const RIBBON_HEIGHT = 28

/** How far down the page starts: the ribbon's height in a preview, else 0. */
export function useTopInset(): ComputedRef<number> {
  const session = useSessionStore()
  return computed(() => (session.me?.preview ? RIBBON_HEIGHT : 0))
}

/** Refused because this is a preview: by src/wecom before WeCom was asked, or by the server (403). */
export function isPreviewRefusal(error: unknown): boolean {
  return error instanceof PreviewRefusal || (isApiFailure(error) && error.code === PREVIEW_READ_ONLY)
}

/** For a send that did not go out: true (and she is told 预览中不会发送) when a preview refused it. */
export function refusedInPreview(error: unknown): boolean {
  if (!isPreviewRefusal(error)) return false
  showToast({ message: t('preview.notSent'), position: 'bottom' })
  return true
}
