import { ref, shallowRef, type Ref } from 'vue'
import type { LoadStatus } from '@/api/status'
import { getCurrentChatId, getCurrentCustomerId } from '@/wecom'
import { createLatest } from './useLatest'
import { usePageReturn } from './usePageReturn'

export interface CurrentContact {
  id: Ref<string | null>
  status: Ref<LoadStatus>
  error: Ref<unknown>
  resolve: () => Promise<void>
}

/**
 * A question already asked at start-up (see `primeCurrentContact`), handed to the first
 * screen that asks, so the answer is not waited for twice. Only the first ask takes it;
 * every later one goes to WeCom.
 */
const primed: { customer: Promise<string> | null; chat: Promise<string> | null } = { customer: null, chat: null }

export function primeCurrentContact(kind: 'customer' | 'chat'): Promise<string> {
  const pending = kind === 'customer' ? getCurrentCustomerId() : getCurrentChatId()
  // The screen that takes it handles failure; until then nobody is listening.
  pending.catch(() => {})
  primed[kind] = pending
  return pending
}

/** An early ask that no screen will take (the app was not opened on a customer). */
export function forgetPrimed(kind: 'customer' | 'chat'): void {
  primed[kind] = null
}

function takePrimed(kind: 'customer' | 'chat'): Promise<string> | null {
  const pending = primed[kind]
  primed[kind] = null
  return pending
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
