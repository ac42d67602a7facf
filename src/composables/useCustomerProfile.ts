import { computed, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import type { CustomerProfile } from '@/shared/customer'
import { useCustomersStore } from '@/stores/customers'
import type { LoadStatus } from '@/api/status'
import { createLatest } from './useLatest'

/**
 * The profile of whichever customer `externalUserId` names. A profile already loaded in
 * this page shows at once and is refreshed quietly; a new customer shows a skeleton. The
 * profile is looked up by id, so switching customers can never show the previous one.
 */
const JUST_LOADED_MS = 3_000

export function useCustomerProfile(externalUserId: MaybeRefOrGetter<string | null>) {
  const store = useCustomersStore()
  const status = ref<LoadStatus>('idle')
  const error = shallowRef<unknown>(null)
  const latest = createLatest()

  const profile = computed<CustomerProfile | null>(() => {
    const id = toValue(externalUserId)
    return id ? (store.profiles.get(id) ?? null) : null
  })

  async function load(): Promise<void> {
    const id = toValue(externalUserId)
    if (!id) {
      latest.cancel()
      status.value = 'idle'
      return
    }
    error.value = null
    status.value = 'loading'
    await latest.run(
      // Just loaded (the start-up warm-up fetched her while the screen's code came): shown
      // as it is, not fetched twice in the same second.
      () => store.load(id, { freshForMs: JUST_LOADED_MS }),
      () => {
        status.value = 'done'
      },
      (failure) => {
        error.value = failure
        status.value = 'error'
      },
    )
  }

  watch(
    () => toValue(externalUserId),
    () => void load(),
    { immediate: true },
  )

  return { profile, status, error, reload: load }
}
