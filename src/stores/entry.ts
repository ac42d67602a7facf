import type { LoadStatus } from '@/api/status'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { WecomEntry } from '@/shared/entry'
import { getEntry } from '@/wecom'

/** Where WeCom opened the app (`getContext`), asked once per page load. */
export const useEntryStore = defineStore('entry', () => {
  const entry = ref<WecomEntry | null>(null)
  const status = ref<LoadStatus>('idle')
  const error = shallowRef<unknown>(null)
  let pending: Promise<WecomEntry> | null = null

  function resolve(): Promise<WecomEntry> {
    if (entry.value) return Promise.resolve(entry.value)
    status.value = 'loading'
    pending ??= getEntry().then(
      (result) => {
        entry.value = result
        status.value = 'done'
        pending = null
        return result
      },
      (failure: unknown) => {
        error.value = failure
        status.value = 'error'
        pending = null
        throw failure
      },
    )
    return pending
  }

  return { entry, status, error, resolve }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useEntryStore, import.meta.hot))
