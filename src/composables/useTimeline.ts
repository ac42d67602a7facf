import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { fetchTimeline } from '@/api/memory'
import type { TimelineEntry } from '@/shared/memory'

/**
 * A customer's timeline in Vant List's terms (`loading`, `error`, `finished`). Switching
 * customer starts over; pages that arrive for the previous customer are dropped.
 */
export function useTimeline(externalUserId: MaybeRefOrGetter<string | null>, options: { pageSize?: number } = {}) {
  const items = shallowRef<TimelineEntry[]>([])
  const loading = ref(false)
  const error = ref(false)
  const finished = ref(false)
  let cursor: string | null = null
  let generation = 0

  async function loadMore(): Promise<void> {
    const id = toValue(externalUserId)
    if (!id) return
    const mine = generation
    loading.value = true
    error.value = false
    try {
      const page = await fetchTimeline(id, { limit: options.pageSize ?? 20, ...(cursor ? { cursor } : {}) })
      if (mine !== generation) return
      items.value = [...items.value, ...page.items]
      cursor = page.nextCursor
      finished.value = page.nextCursor === null
    } catch {
      if (mine === generation) error.value = true
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  function reload(): void {
    generation++
    items.value = []
    cursor = null
    finished.value = false
    error.value = false
    loading.value = false
    void loadMore()
  }

  watch(() => toValue(externalUserId), reload)

  return { items, loading, error, finished, loadMore, reload }
}
