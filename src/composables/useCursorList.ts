import {
  computed,
  getCurrentScope,
  onScopeDispose,
  shallowRef,
  toValue,
  watch,
  type ComputedRef,
  type MaybeRefOrGetter,
  type ShallowRef,
  type WatchSource,
  type WritableComputedRef,
} from 'vue'
import type { LoadStatus } from '@/api/status'
import { createLatest } from './useLatest'

/** One page of a list the server hands out by cursor: `nextCursor` is null on the last page. */
export interface CursorPage<Item = unknown> {
  items: readonly Item[]
  nextCursor: string | null
}

export type CursorItem<Page extends CursorPage> = Page['items'][number]

export interface CursorListOptions<Page extends CursorPage> {
  /** Ask for the page after `cursor` (null: the first). The signal aborts when the list starts over. */
  fetch: (cursor: string | null, signal: AbortSignal) => Promise<Page>
  /** Sees every page that is still current (a stale one never arrives here): totals, flags. */
  onPage?: (page: Page) => void
  /** Start over whenever this changes (the open customer, say). */
  resetOn?: WatchSource<unknown>
  /** While false, asking for more does nothing (nothing to ask about yet). */
  enabled?: MaybeRefOrGetter<boolean>
}

export interface CursorList<Item> {
  /** 'idle': more can be asked for; 'done': the last page is in. */
  status: Readonly<ShallowRef<LoadStatus>>
  /** Every page so far, in order. A shallowRef: rows are never made reactive. */
  items: Readonly<ShallowRef<Item[]>>
  /** Why the last page failed, while `status` is 'error'. */
  failure: Readonly<ShallowRef<unknown>>
  /** Vant List's `v-model:loading`: it sets this before it emits `load`. */
  loading: WritableComputedRef<boolean>
  /** Vant List's `v-model:error`: it clears this when she taps to retry. */
  error: WritableComputedRef<boolean>
  /** Vant List's `finished`. */
  finished: ComputedRef<boolean>
  /** Ask for the next page (Vant List's `load`). */
  loadMore: () => Promise<void>
  /** Forget every page and drop any answer still on its way; asks for nothing. */
  reset: () => void
  /** Start over from the first page. */
  reload: () => void
}

/**
 * A list that pages by cursor, in the shape Vant's List expects, after elk's paginator: one
 * `status`, the pages so far, the cursor for the next one. Starting over (a new search, another
 * customer) makes every request in flight stale, so a slow answer for the old question never
 * lands in the new list; it is also aborted, for a `fetch` that passes the signal on.
 */
export function useCursorList<Page extends CursorPage>(options: CursorListOptions<Page>): CursorList<CursorItem<Page>> {
  type Item = CursorItem<Page>
  const status = shallowRef<LoadStatus>('idle')
  const items = shallowRef<Item[]>([])
  const failure = shallowRef<unknown>(null)
  const latest = createLatest()
  let cursor: string | null = null
  let controller: AbortController | null = null

  const loading = computed({
    get: () => status.value === 'loading',
    set: (on: boolean) => {
      if (on) status.value = 'loading'
      else if (status.value === 'loading') status.value = 'idle'
    },
  })
  const error = computed({
    get: () => status.value === 'error',
    set: (on: boolean) => {
      if (on) status.value = 'error'
      else if (status.value === 'error') status.value = 'idle'
    },
  })
  const finished = computed(() => status.value === 'done')

  async function loadMore(): Promise<void> {
    if (options.enabled !== undefined && !toValue(options.enabled)) return
    const abort = new AbortController()
    controller = abort
    status.value = 'loading'
    failure.value = null
    await latest.run(
      () => options.fetch(cursor, abort.signal),
      (page) => {
        if (controller === abort) controller = null
        items.value = items.value.concat(page.items)
        cursor = page.nextCursor
        status.value = page.nextCursor === null ? 'done' : 'idle'
        options.onPage?.(page)
      },
      (reason) => {
        if (controller === abort) controller = null
        failure.value = reason
        status.value = 'error'
      },
    )
  }

  function cancel(): void {
    latest.cancel()
    controller?.abort()
    controller = null
  }

  function reset(): void {
    cancel()
    cursor = null
    items.value = []
    failure.value = null
    status.value = 'idle'
  }

  function reload(): void {
    reset()
    void loadMore()
  }

  if (options.resetOn) watch(options.resetOn, reload)
  // Gone from the screen: nothing in flight may land any more.
  if (getCurrentScope()) onScopeDispose(cancel)

  return { status, items, failure, loading, error, finished, loadMore, reset, reload }
}
