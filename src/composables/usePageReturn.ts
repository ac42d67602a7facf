import { onBeforeUnmount, onMounted } from 'vue'

/**
 * Call `callback` whenever the page comes back into view: WeCom has no "chat switched"
 * event, and a desktop sidebar may be kept alive while the guide moves to another chat,
 * so a visible/pageshow/focus is the moment to ask again who is open.
 */
export function usePageReturn(callback: () => void): void {
  const onVisibility = () => {
    if (document.visibilityState === 'visible') callback()
  }
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) callback()
  }
  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('pageshow', onPageShow)
    window.addEventListener('focus', callback)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisibility)
    window.removeEventListener('pageshow', onPageShow)
    window.removeEventListener('focus', callback)
  })
}
