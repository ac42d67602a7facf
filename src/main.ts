/**
 * The page's entry, small on purpose: it runs before the app's code (Vue, the router, the
 * screens) and starts what does not need it — inside WeCom on a customer's chat, her name
 * on screen (src/boot/early.ts). Then the app's code, her screen's and her dictionary are
 * asked for together, and the app takes over everything asked so far.
 */
import { showLoadFailure } from './boot/load-failure'
import { startEarly } from './boot/early'
import { dictionaryLoaders } from './i18n/dictionaries'
import { isAppLocale } from './shared/locale'

/** Her header waits no longer than this for her profile before the app starts regardless. */
const DRAW_WAIT_MS = 1_500

const early = startEarly()
// Fetching and compiling the app's code is the longest part of the start: begun earlier,
// it would hold her name back (each chunk that arrives takes the main thread a while).
void Promise.race([early.drawn, new Promise((resolve) => setTimeout(resolve, DRAW_WAIT_MS))])
  .then(() => {
    // On a customer's chat her screen's code is asked for beside the app's, not after it;
    // her dictionary (the language the server gave the page) too.
    void early.customer?.then(() => import('./pages/sidebar/CustomerPage.vue')).catch(() => {})
    const lang = document.documentElement.lang
    if (isAppLocale(lang)) dictionaryLoaders[lang]().catch(() => {})
    return import('./start-app')
  })
  .then(({ startApp }) => startApp(early))
  .catch(showLoadFailure)
