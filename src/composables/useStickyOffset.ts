import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/**
 * The height of a sticky block, kept current: what sticks below it (the replies search)
 * sticks at this offset. The header's height changes with its content and the window.
 *
 * Measured only in the observer's callback, which runs once layout is done anyway (its
 * first call comes before the first paint): measuring at mount forced a layout of the
 * half-built page, ~100 ms of her profile's first paint on a slow phone.
 */
export function useStickyOffset(element: Ref<HTMLElement | null>): Ref<number> {
  const height = ref(0)
  let observer: ResizeObserver | null = null
  watch(
    element,
    (el) => {
      observer?.disconnect()
      if (!el || typeof ResizeObserver === 'undefined') return
      observer = new ResizeObserver(() => {
        height.value = el.getBoundingClientRect().height
      })
      observer.observe(el)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => observer?.disconnect())
  return height
}
