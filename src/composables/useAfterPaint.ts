import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/**
 * True once the page has painted and gone idle: what is not on screen (editors, dialogs)
 * loads then, instead of taking the CPU from her profile's first paint on a slow phone.
 */
export function useAfterPaint(timeoutMs = 1500): Ref<boolean> {
  const ready = ref(false)
  let cancel = () => {}
  onMounted(() => {
    const done = () => (ready.value = true)
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(done, { timeout: timeoutMs })
      cancel = () => window.cancelIdleCallback(handle)
    } else {
      // WebKit (WeCom on iOS) has no idle callback: just after the next frame is painted.
      let timer: ReturnType<typeof setTimeout> | undefined
      const frame = window.requestAnimationFrame(() => (timer = setTimeout(done, 0)))
      cancel = () => {
        window.cancelAnimationFrame(frame)
        clearTimeout(timer)
      }
    }
  })
  onBeforeUnmount(() => cancel())
  return ready
}
