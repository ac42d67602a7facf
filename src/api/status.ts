/**
 * How a request went, in the terms every screen uses: one load state for anything the UI
 * waits for, and the words a guide reads when a request failed.
 */
import { t } from '@/i18n'
import { isApiFailure } from './http'

/** elk's async states: nothing asked yet, waiting, answered, failed. */
export type LoadStatus = 'idle' | 'loading' | 'done' | 'error'

/** Why a request failed, in words the guide can act on. */
export function failureReason(error: unknown): string {
  if (isApiFailure(error)) {
    if (error.status === 0) return t('common.offline')
    // Her session ended: what to do about it, in her language, not the server's words.
    if (error.status === 401) return t('common.signedOut')
    return error.message
  }
  return error instanceof Error ? error.message : String(error)
}
