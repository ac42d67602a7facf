import { createPinia, type Pinia } from 'pinia'
import { createApp, watch } from 'vue'
import './styles/base.css'
import { fetchClientConfig, fetchJssdkSignature } from './api/wecom'
import App from './App.vue'
import { embeddedClientConfig, embeddedSignature } from './app-config'
import { loadLocale, locale } from './i18n'
import { forgetPrimed, primeCurrentContact } from './composables/useCurrentContact'
import { bestEffort } from './offline/best-effort'
import { createAppRouter, preloadView } from './router'
import { consumeLoginMarker } from './router/login-marker'
import { viewForEntry } from './shared/entry'
import type { ClientConfig } from './shared/wecom'
import { useCustomersStore } from './stores/customers'
import { useEntryStore } from './stores/entry'
import { useSessionStore } from './stores/session'
import { isPreviewFrame, isWeCom, registerWecom, setPreviewMode } from './wecom'

/** The server embeds the client config in the page; fetch it only if it is missing. */
async function clientConfig(): Promise<ClientConfig> {
  return embeddedClientConfig() ?? fetchClientConfig()
}

/**
 * Everything the first screen will need, started at once and in parallel with sign-in:
 * the entry, the screen's code, the open customer and her profile. The screens pick the
 * results up instead of asking again, which saves several round trips on a phone.
 */
function warmUp(pinia: Pinia): void {
  // The profile is fetched only once signed in (the router's guard shares this request).
  const session = useSessionStore(pinia)
  const signedIn = session.ensure()
  signedIn.catch(() => {})
  // Notes saved while offline go out as soon as we know who is signed in, and whenever the network returns.
  // Not in a preview: it acts as the guide and refuses every write, and the queue is hers (the manager's).
  const flushNotes = () => {
    if (session.me?.preview) return
    void bestEffort(
      'send the queued notes',
      import('./offline/note-drafts').then((drafts) => drafts.flushQueuedNotes()),
    )
  }
  void signedIn.then(flushNotes, () => {})
  window.addEventListener('online', flushNotes)
  // Most opens are from a chat's toolbar, on a customer: who is open is asked alongside
  // where the app was opened, and her profile is requested the moment WeCom names her
  // (WeCom names a customer only in her chat or profile). Elsewhere the ask just fails.
  const customer = primeCurrentContact('customer')
  // Not waiting for /api/me: the cookie is sent either way, and if she is signed out this
  // fails quietly while the router sends her to sign in.
  void customer.then((externalUserId) => useCustomersStore(pinia).load(externalUserId)).catch(() => {})
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

async function start(): Promise<void> {
  // The page names this dictionary's chunk, so it is usually here before anything waits on it.
  const dictionary = loadLocale(locale.value).catch(() => {
    // The screens still work (they show message keys); the next load tries again.
  })
  // Before the SDK signs the URL: the sign-in marker must not be part of it.
  const cameBackFromLogin = consumeLoginMarker()
  // The desk's preview frame never asks the JS-SDK (src/wecom answers for it).
  if (isWeCom && !isPreviewFrame) {
    const config = await clientConfig()
    registerWecom({
      corpId: config.corpId,
      agentId: config.agentId,
      // The page usually carries it (no round trip before the SDK can start).
      getAgentConfigSignature: async (url) => embeddedSignature(url) ?? fetchJssdkSignature(url, 'agent'),
    })
  }
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
  const router = createAppRouter({ cameBackFromLogin })
  app.use(router)
  if (isWeCom || isPreviewFrame) warmUp(pinia)
  await dictionary
  // Mounted once the first screen is known and its code is here, so it renders in one go;
  // until then the page's own placeholder (index.html) is what she sees.
  await router.isReady().catch(() => {})
  app.mount('#app')
}

void start()
