import { ref, shallowRef } from 'vue'
import { fetchCustomers } from '@/api/customers'
import type { CustomerSummary } from '@/shared/customer'

/**
 * The guide's customers, page by page, in the shape Vant's List expects (`loading`,
 * `error`, `finished`). A new search starts a new generation: pages that arrive for the
 * old query are dropped.
 */
export function useCustomerList(options: { pageSize?: number } = {}) {
  const items = shallowRef<CustomerSummary[]>([])
  const loading = ref(false)
  const error = ref(false)
  const finished = ref(false)
  const syncing = ref(false)
  const total = ref<number | null>(null)
  const query = ref('')
  let cursor: string | null = null
  let generation = 0

  async function loadMore(): Promise<void> {
    const mine = generation
    loading.value = true
    error.value = false
    try {
      const page = await fetchCustomers({
        q: query.value || undefined,
        cursor: cursor ?? undefined,
        limit: options.pageSize ?? 30,
      })
      if (mine !== generation) return
      items.value = [...items.value, ...page.items]
      cursor = page.nextCursor
      finished.value = page.nextCursor === null
      syncing.value = page.syncing
      total.value = page.total
    } catch {
      if (mine !== generation) return
      error.value = true
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  function search(term: string): void {
    generation++
    query.value = term.trim()
    items.value = []
    total.value = null
    cursor = null
    finished.value = false
    error.value = false
    loading.value = false
    void loadMore()
  }

  return { items, loading, error, finished, syncing, total, query, loadMore, search }
}
