import { toValue, type MaybeRefOrGetter } from 'vue'
import { fetchTimeline } from '@/api/memory'
import { useCursorList } from './useCursorList'

/**
 * A customer's timeline in Vant List's terms (`loading`, `error`, `finished`). Switching
 * customer starts over; pages that arrive for the previous customer are dropped.
 */
export function useTimeline(externalUserId: MaybeRefOrGetter<string | null>, options: { pageSize?: number } = {}) {
  const { items, status, loading, error, finished, loadMore, reload } = useCursorList({
    fetch: (cursor) =>
      // `enabled` below keeps this from running without a customer.
      fetchTimeline(toValue(externalUserId)!, { limit: options.pageSize ?? 20, ...(cursor ? { cursor } : {}) }),
    enabled: () => Boolean(toValue(externalUserId)),
    resetOn: () => toValue(externalUserId),
  })
  return { items, status, loading, error, finished, loadMore, reload }
}
