import { onBeforeUnmount, onMounted, ref, watch, type Ref, type WatchSource } from 'vue'

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
      cancel = afterNextPaint(done)
    }
  })
  onBeforeUnmount(() => cancel())
  return ready
}

/**
 * True one painted frame after `shown` first turns true, and from then on. What is drawn
 * first (her name) reaches the screen without waiting for the rest of the page to be built:
 * on a slow phone building all her cards takes longer than everything before it.
 */
export function useSecondFrame(shown: WatchSource<boolean>): Ref<boolean> {
  const ready = ref(false)
  let cancel: (() => void) | null = null
  const stop = watch(
    shown,
    (now) => {
      if (now && !cancel) cancel = afterNextPaint(() => (ready.value = true))
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    stop()
    cancel?.()
  })
  return ready
}

/** Run `done` once the next frame has been painted (a frame callback runs just before it). */
function afterNextPaint(done: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const frame = window.requestAnimationFrame(() => (timer = setTimeout(done, 0)))
  return () => {
    window.cancelAnimationFrame(frame)
    clearTimeout(timer)
  }
}
