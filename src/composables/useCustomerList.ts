import { ref, shallowRef } from 'vue'
import { fetchCustomers } from '@/api/customers'
import type { CustomerListQuery } from '@/shared/customer'
import { useCursorList } from './useCursorList'

/** What the guide sliced her list by, and its order (absent: all of them, newest added first). */
export type CustomerListFilters = Omit<CustomerListQuery, 'q' | 'cursor' | 'limit'>

/** How many filters are on (the sort is not a filter). */
export function activeFilterCount(filters: CustomerListFilters): number {
  return Object.entries(filters).filter(([key, value]) => key !== 'sort' && value !== undefined).length
}

/**
 * The guide's customers, page by page, in the shape Vant's List expects (`loading`,
 * `error`, `finished`). A new search or new filters start over: pages that arrive for the
 * old question are dropped.
 */
export function useCustomerList(options: { pageSize?: number } = {}) {
  const syncing = ref(false)
  const total = ref<number | null>(null)
  const query = ref('')
  const filters = shallowRef<CustomerListFilters>({})

  const list = useCursorList({
    fetch: (cursor) =>
      fetchCustomers({
        ...filters.value,
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

  /** Slice differently: unset keys are dropped, so the request carries only what is on. */
  function setFilters(next: CustomerListFilters): void {
    filters.value = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== ''))
    total.value = null
    list.reload()
  }

  const { items, status, failure, loading, error, finished, loadMore, reload } = list
  return {
    items,
    status,
    failure,
    loading,
    error,
    finished,
    syncing,
    total,
    query,
    filters,
    loadMore,
    reload,
    search,
    setFilters,
  }
}
