import { ref } from 'vue'
import { fetchCustomers } from '@/api/customers'
import { useCursorList } from './useCursorList'

/**
 * The guide's customers, page by page, in the shape Vant's List expects (`loading`,
 * `error`, `finished`). A new search starts over: pages that arrive for the old query are
 * dropped.
 */
export function useCustomerList(options: { pageSize?: number } = {}) {
  const syncing = ref(false)
  const total = ref<number | null>(null)
  const query = ref('')

  const list = useCursorList({
    fetch: (cursor) =>
      fetchCustomers({
        q: query.value || undefined,
        cursor: cursor ?? undefined,
        limit: options.pageSize ?? 30,
      }),
    onPage: (page) => {
      syncing.value = page.syncing
      total.value = page.total
    },
  })

  function search(term: string): void {
    query.value = term.trim()
    total.value = null
    list.reload()
  }

  const { items, status, loading, error, finished, loadMore } = list
  return { items, status, loading, error, finished, syncing, total, query, loadMore, search }
}
