import { onBeforeUnmount, ref } from 'vue'

/** 'dark' while the system is in dark mode; follows changes live. */
export function useColorScheme() {
  const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null
  const scheme = ref<'light' | 'dark'>(query?.matches ? 'dark' : 'light')
  const onChange = (event: MediaQueryListEvent) => {
    scheme.value = event.matches ? 'dark' : 'light'
  }
  query?.addEventListener('change', onChange)
  onBeforeUnmount(() => query?.removeEventListener('change', onChange))
  return scheme
}
