import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/**
 * The height of a sticky block, kept current: what sticks below it (the replies search)
 * sticks at this offset. The header's height changes with its content and the window.
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
      height.value = el.getBoundingClientRect().height
    },
    { immediate: true },
  )
  onBeforeUnmount(() => observer?.disconnect())
  return height
}
