import { createPinia, type Pinia } from 'pinia'
import { createApp, watch } from 'vue'
import './styles/base.css'
import App from './App.vue'
import { registerFromConfig, type EarlyStart } from './boot/early'
import { loadLocale, locale } from './i18n'
import { bestEffort } from './offline/best-effort'
import { createAppRouter, preloadView } from './router'
import { viewForEntry } from './shared/entry'
import { useCustomersStore } from './stores/customers'
import { useEntryStore } from './stores/entry'
import { useSessionStore } from './stores/session'
import { isPreviewFrame, isWeCom, setPreviewMode } from './wecom'
import { forgetPrimed, primeCurrentContact } from './wecom/primed'

/**
 * Everything the first screen will need, started at once and in parallel with sign-in:
 * the entry, the screen's code, the open customer and her profile (those two already
 * asked by src/boot/early.ts). The screens pick the results up instead of asking again,
 * which saves several round trips on a phone.
 */
function warmUp(pinia: Pinia, early: EarlyStart): void {
  // The profile is fetched only once signed in (the router's guard shares this request).
  const session = useSessionStore(pinia)
  const signedIn = session.ensure()
  signedIn.catch(() => {})
  // Notes saved while offline go out as soon as we know who is signed in, and whenever the
  // network returns: only hers, and none in a preview (note-drafts.ts `writtenBy`).
  const flushNotes = () => {
    // Before we know who she is there is no one to send them as.
    if (!session.me) return
    void bestEffort(
      'send the queued notes',
      import('./offline/note-drafts').then((drafts) => drafts.flushQueuedNotes(drafts.writerOf(session.me))),
    )
  }
  void signedIn.then(flushNotes, () => {})
  window.addEventListener('online', flushNotes)
  // Most opens are from a chat's toolbar, on a customer: her profile was asked for the moment
  // WeCom named her (src/boot/early.ts), and the store takes that request over. In the desk's
  // preview frame (no JS-SDK) it is asked here, the customer coming from the frame's URL.
  const customers = useCustomersStore(pinia)
  const customer = early.customer
    ? early.customer.then(({ externalUserId, profile }) => customers.adopt(externalUserId, profile))
    : primeCurrentContact('customer').then((externalUserId) => customers.load(externalUserId))
  customer.catch(() => {})
  useEntryStore(pinia)
    .resolve()
    .then((entry) => {
      const view = viewForEntry(entry)
      if (view !== 'customer') forgetPrimed('customer')
      if (view === 'group') primeCurrentContact('chat')
      preloadView(view)
    })
    .catch(() => {
      // Each screen reports its own failure with a way to retry.
    })
}

export async function startApp(early: EarlyStart): Promise<void> {
  // The page names this dictionary's chunk, so it is usually here before anything waits on it.
  const dictionary = loadLocale(locale.value).catch(() => {
    // The screens still work (they show message keys); the next load tries again.
  })
  // Registered before the app came, unless the config could not be had then: once more.
  await early.registered.catch(() => registerFromConfig()).catch(() => {})
  const pinia = createPinia()
  const app = createApp(App)
  app.use(pinia)
  // Nothing acts in WeCom while a manager previews a guide's view: src/wecom hears it from the session.
  const session = useSessionStore(pinia)
  watch(
    () => session.me,
    (me) => {
      if (me) setPreviewMode(Boolean(me.preview))
    },
    { immediate: true },
  )
  const router = createAppRouter({ cameBackFromLogin: early.cameBackFromLogin })
  app.use(router)
  if (isWeCom || isPreviewFrame) warmUp(pinia, early)
  await dictionary
  // Mounted once the first screen is known and its code is here, so it renders in one go;
  // until then the page's own placeholder (index.html) is what she sees.
  await router.isReady().catch(() => {})
  app.mount('#app')
}
