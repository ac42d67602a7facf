import { ref, shallowRef, type Ref } from 'vue'
import type { LoadStatus } from '@/api/status'
import { getCurrentChatId, getCurrentCustomerId } from '@/wecom'
import { takePrimed } from '@/wecom/primed'
import { createLatest } from './useLatest'
import { usePageReturn } from './usePageReturn'

export interface CurrentContact {
  id: Ref<string | null>
  status: Ref<LoadStatus>
  error: Ref<unknown>
  resolve: () => Promise<void>
}

/**
 * The id WeCom says is open now, asked on mount and every time the page comes back.
 * Nothing is remembered between page loads: a stored id would be the wrong customer
 * after a chat switch.
 */
function useCurrent(kind: 'customer' | 'chat', ask: () => Promise<string>): CurrentContact {
  const id = ref<string | null>(null)
  const status = ref<LoadStatus>('idle')
  const error = shallowRef<unknown>(null)
  const latest = createLatest()

  async function resolve(): Promise<void> {
    if (!id.value) status.value = 'loading'
    const early = takePrimed(kind)
    await latest.run(
      () => early ?? ask(),
      (value) => {
        id.value = value
        error.value = null
        status.value = 'done'
      },
      (failure) => {
        error.value = failure
        status.value = 'error'
      },
    )
  }

  void resolve()
  usePageReturn(() => void resolve())
  return { id, status, error, resolve }
}

export function useCurrentCustomer(): CurrentContact {
  return useCurrent('customer', getCurrentCustomerId)
}

export function useCurrentChat(): CurrentContact {
  return useCurrent('chat', getCurrentChatId)
}
