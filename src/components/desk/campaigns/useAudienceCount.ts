/**
 * How many customers a draft campaign would reach, counted by the server while she edits
 * the audience: asked once the query has been still for a moment, an older request aborted
 * by a newer one, and the same query not asked twice.
 */
import { onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import { countCampaignAudience, type CampaignAudienceQuery } from '@/api/campaigns'
import { isApiFailure } from '@/api/http'
import type { CampaignAudienceCount } from '@/shared/campaigns'

/** How long the audience must stay still before it is counted. */
export const COUNT_DEBOUNCE_MS = 400

export function useAudienceCount(query: () => CampaignAudienceQuery) {
  const count = shallowRef<CampaignAudienceCount | null>(null)
  const counting = ref(false)
  const failed = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let inFlight: AbortController | null = null
  let lastKey = ''

  async function recount(): Promise<void> {
    const asked = query()
    const key = JSON.stringify(asked)
    if (key === lastKey && (count.value || counting.value)) return
    lastKey = key
    inFlight?.abort()
    if (asked.storeIds?.length === 0) {
      // No store, no customer: nothing to ask.
      inFlight = null
      count.value = { total: 0, stores: [] }
      counting.value = false
      return
    }
    const controller = new AbortController()
    inFlight = controller
    counting.value = true
    failed.value = false
    try {
      const answer = await countCampaignAudience(asked, { signal: controller.signal })
      if (inFlight === controller) count.value = answer
    } catch (error) {
      if (inFlight !== controller || (isApiFailure(error) && error.code === 'aborted')) return
      failed.value = true
      lastKey = ''
    } finally {
      if (inFlight === controller) counting.value = false
    }
  }

  watch(
    query,
    () => {
      clearTimeout(timer)
      timer = setTimeout(() => void recount(), COUNT_DEBOUNCE_MS)
    },
    { deep: true, immediate: true },
  )
  onBeforeUnmount(() => {
    clearTimeout(timer)
    inFlight?.abort()
  })

  return { count, counting, failed }
}
