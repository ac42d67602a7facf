import {
  computed,
  onActivated,
  onBeforeUnmount,
  onDeactivated,
  onMounted,
  shallowRef,
  toValue,
  type ComputedRef,
  type MaybeRefOrGetter,
  type Ref,
} from 'vue'

/** Which rows of a list of equal-height rows to render, and the space the others take. */
export interface RowWindow {
  /** First rendered row. */
  start: number
  /** One past the last rendered row. */
  end: number
  /** Height of the rows above `start`, kept as empty space so the page keeps its length. */
  before: number
  /** Height of the rows from `end` on. */
  after: number
}

/**
 * The rows in view, and `overscan` rows either side, for a list whose top is `listTop`
 * pixels from the top of the page (which scrolls; the list does not). Pure, so tests can
 * check it row by row.
 */
export function rowWindow(options: {
  count: number
  rowHeight: number
  /** The page's scroll position. */
  scrollTop: number
  viewportHeight: number
  /** Where the list starts, in page coordinates. */
  listTop: number
  overscan: number
}): RowWindow {
  const { count, rowHeight, overscan } = options
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, before: 0, after: 0 }
  const top = options.scrollTop - options.listTop
  const bottom = top + Math.max(0, options.viewportHeight)
  const first = Math.floor(Math.max(0, top) / rowHeight)
  const last = Math.ceil(Math.max(0, bottom) / rowHeight)
  const start = Math.min(count, Math.max(0, first - overscan))
  const end = Math.min(count, Math.max(start, last + overscan))
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight }
}

export interface WindowedRows<Item> {
  window: ComputedRef<RowWindow>
  /** The rows to render, with their index in the whole list. */
  rows: ComputedRef<{ item: Item; index: number }[]>
  /** Measure again (after something above the list changed height). */
  measure: () => void
}

/**
 * Render only the rows in view of a long list that scrolls with the page (the workbench
 * does; back from a customer restores the page's scroll). At 10,000 customers the DOM holds
 * a few dozen rows. Rows must all be `rowHeight` tall.
 */
export function useWindowedRows<Item>(options: {
  items: MaybeRefOrGetter<readonly Item[]>
  rowHeight: number
  /** The element the rows are rendered in (its top is where row 0 starts). */
  container: Ref<HTMLElement | null>
  overscan?: number
}): WindowedRows<Item> {
  const scrollTop = shallowRef(0)
  const viewportHeight = shallowRef(typeof window === 'undefined' ? 0 : window.innerHeight)
  const listTop = shallowRef(0)
  let frame = 0

  function measure(): void {
    scrollTop.value = window.scrollY
    viewportHeight.value = window.innerHeight
    const el = options.container.value
    listTop.value = el ? el.getBoundingClientRect().top + window.scrollY : 0
  }
  // One measurement a frame, however many scroll events arrive.
  function schedule(): void {
    if (frame) return
    frame = requestAnimationFrame(() => {
      frame = 0
      measure()
    })
  }
  function listen(): void {
    window.addEventListener('scroll', schedule, { passive: true })
    window.addEventListener('resize', schedule, { passive: true })
    measure()
  }
  function stop(): void {
    window.removeEventListener('scroll', schedule)
    window.removeEventListener('resize', schedule)
    if (frame) cancelAnimationFrame(frame)
    frame = 0
  }
  onMounted(listen)
  // Kept alive behind a customer: no listening while hidden, a fresh look when back.
  onActivated(listen)
  onDeactivated(stop)
  onBeforeUnmount(stop)

  const window_ = computed(() =>
    rowWindow({
      count: toValue(options.items).length,
      rowHeight: options.rowHeight,
      scrollTop: scrollTop.value,
      viewportHeight: viewportHeight.value,
      listTop: listTop.value,
      overscan: options.overscan ?? 8,
    }),
  )
  const rows = computed(() => {
    const { start, end } = window_.value
    return toValue(options.items)
      .slice(start, end)
      .map((item, i) => ({ item, index: start + i }))
  })
  return { window: window_, rows, measure }
}
