import { showToast } from 'vant'
import 'vant/es/toast/style'
import { isApiFailure } from '@/api/http'
import { t } from '@/i18n'
import type { CustomerProfile } from '@/shared/customer'
import { useCustomersStore } from '@/stores/customers'

/** Why a write failed, in words the guide can act on. */
export function failureReason(error: unknown): string {
  if (isApiFailure(error)) return error.status === 0 ? t('common.offline') : error.message
  return error instanceof Error ? error.message : String(error)
}

/**
 * A change to the profile that shows at once: the store gets the optimistic version
 * immediately, then the server's answer; if the server (or WeCom behind it) refuses,
 * the profile goes back to what it was and the guide is told why.
 */
export function useProfileWrite() {
  const store = useCustomersStore()

  async function write(
    externalUserId: string,
    options: {
      optimistic?: (profile: CustomerProfile) => CustomerProfile
      request: () => Promise<CustomerProfile>
      done?: string
    },
  ): Promise<boolean> {
    const before = store.profiles.get(externalUserId)
    if (before && options.optimistic) store.profiles.set(externalUserId, options.optimistic(before))
    try {
      store.profiles.set(externalUserId, await options.request())
      showToast({ message: options.done ?? t('facts.saved'), position: 'bottom' })
      return true
    } catch (error) {
      if (before) store.profiles.set(externalUserId, before)
      showToast({ message: t('facts.saveFailed', { reason: failureReason(error) }), position: 'bottom', duration: 3500 })
      return false
    }
  }

  return { write }
}
