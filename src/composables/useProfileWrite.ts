import { showToast } from 'vant'
import 'vant/es/toast/style'
import { failureReason } from '@/api/status'
import { t } from '@/i18n'
import type { CustomerProfile } from '@/shared/customer'
import { useCustomersStore } from '@/stores/customers'

/**
 * A change to the profile that shows at once: the store gets the optimistic version
 * immediately, then the server's answer; if the server (or WeCom behind it) refuses,
 * the profile goes back to what it was and the guide is told why. The store decides
 * which answer shows when writes and loads for her overlap.
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
    try {
      await store.write(externalUserId, { optimistic: options.optimistic, request: options.request })
      showToast({ message: options.done ?? t('facts.saved'), position: 'bottom' })
      return true
    } catch (error) {
      showToast({ message: t('facts.saveFailed', { reason: failureReason(error) }), position: 'bottom', duration: 3500 })
      return false
    }
  }

  return { write }
}
