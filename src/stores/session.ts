import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { fetchMe } from '@/api/session'
import type { Me } from '@/shared/auth'

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const error = shallowRef<unknown>(null)
  let pending: Promise<Me> | null = null

  /** The signed-in guide, fetched once per page; rejects with the API failure (401 included). */
  function ensure(): Promise<Me> {
    if (me.value) return Promise.resolve(me.value)
    pending ??= fetchMe().then(
      (result) => {
        me.value = result
        error.value = null
        pending = null
        return result
      },
      (failure: unknown) => {
        error.value = failure
        pending = null
        throw failure
      },
    )
    return pending
  }

  /**
   * Read who she is again (a preview started or ended changes the answer). Until it comes
   * `me` stays as it was: screens keyed on her role do not blink through "signed out".
   */
  async function refresh(): Promise<Me> {
    const next = await fetchMe()
    me.value = next
    error.value = null
    return next
  }

  return { me, error, ensure, refresh }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot))
