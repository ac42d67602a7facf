/** When the page last reloaded itself because the app's code would not load (sessionStorage). */
const RELOADED_AT = 'gs_app_reloaded_at'
const RELOAD_AGAIN_AFTER_MS = 60_000

/** Its own few words, not src/i18n's: that brings Vue, and her dictionary may be what failed to load. */
const WORDS = {
  'zh-CN': { title: '加载失败', hint: '请检查网络后重试', retry: '重试' },
  'en-US': { title: 'Could not load', hint: 'Check the network and try again', retry: 'Try again' },
}

/**
 * The app's code would not load: the network dropped, or a release replaced its files
 * while this page was open (the entry asks for them only once her name is drawn). Reloading
 * once mends both; failing again within a minute, the placeholder says so with a button
 * instead of reloading in a loop. Once the app is up (no placeholder left) its own screens
 * report failures, so this only logs.
 */
export function showLoadFailure(
  error: unknown,
  options: { reload?: () => void; now?: number; storage?: Pick<Storage, 'getItem' | 'setItem'> | null } = {},
): void {
  console.error(error)
  const placeholder = document.querySelector('#app .gs-boot')
  if (!placeholder) return
  const storage = options.storage === undefined ? sessionStorageOrNull() : options.storage
  const now = options.now ?? Date.now()
  const reload = options.reload ?? (() => window.location.reload())
  const last = Number(storage?.getItem(RELOADED_AT) ?? 0)
  if (storage && !(now - last < RELOAD_AGAIN_AFTER_MS)) {
    storage.setItem(RELOADED_AT, String(now))
    reload()
    return
  }
  const words = WORDS[document.documentElement.lang === 'en-US' ? 'en-US' : 'zh-CN']
  const card = document.createElement('div')
  card.className = 'gs-boot__card gs-boot__failure'
  card.setAttribute('role', 'alert')
  const title = document.createElement('p')
  title.textContent = words.title
  const hint = document.createElement('p')
  hint.textContent = words.hint
  const button = document.createElement('button')
  button.type = 'button'
  button.textContent = words.retry
  button.addEventListener('click', reload)
  card.append(title, hint, button)
  placeholder.replaceChildren(card)
  placeholder.removeAttribute('aria-busy')
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage
  } catch {
    // Storage refused (some webviews' privacy modes): no reload guard, so no automatic reload.
    return null
  }
}
