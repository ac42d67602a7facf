/**
 * A small typed i18n layer: keys are checked at compile time, `{name}` placeholders are
 * filled from params, and switching the locale re-renders everything that called `t`.
 * (vue-i18n would cost a fifth of the sidebar's JS budget for features we do not use.)
 *
 * Only the active language's dictionary is loaded (each is ~15 KB gzip, as much as the
 * rest of the app's own code): `main.ts` awaits `loadLocale` before mounting, and the
 * server names the right chunk in the page so it downloads beside the entry script.
 */
import { Locale as VantLocale } from 'vant'
import { ref } from 'vue'
import { detectLocale, LOCALE_COOKIE, type AppLocale } from '@/shared/locale'
import type { zhCN } from './zh-CN'

export { detectLocale, LOCALES, type AppLocale } from '@/shared/locale'

export type MessageKey = keyof typeof zhCN
type Catalog = Record<MessageKey, string>

const catalogs: Partial<Record<AppLocale, Catalog>> = {}
const loading: Partial<Record<AppLocale, Promise<void>>> = {}

// Vant's own words (date pickers, dialogs' buttons) come with each dictionary; its
// Chinese is built into Vant, so only English is fetched.
const loaders: Record<AppLocale, () => Promise<[Catalog, Record<string, unknown>]>> = {
  'zh-CN': () => import('./zh-CN').then((m) => [m.zhCN, {}]),
  'en-US': () => Promise.all([import('./en-US').then((m) => m.enUS), import('vant/es/locale/lang/en-US').then((m) => m.default)]),
}
const vantCatalogs: Partial<Record<AppLocale, Record<string, unknown>>> = {}

const initial =
  typeof document === 'undefined'
    ? 'zh-CN'
    : detectLocale(document.cookie, typeof navigator === 'undefined' ? '' : navigator.userAgent)

export const locale = ref<AppLocale>(initial)

/** Fetches a language's dictionary once; later calls share the first. */
export function loadLocale(target: AppLocale): Promise<void> {
  loading[target] ??= loaders[target]().then(
    ([messages, vant]) => {
      catalogs[target] = messages
      vantCatalogs[target] = vant
      if (target === locale.value) VantLocale.use(target, vant)
    },
    (error: unknown) => {
      // A failed chunk load (flaky network) may be tried again.
      delete loading[target]
      throw error
    },
  )
  return loading[target]
}

export async function setLocale(next: AppLocale): Promise<void> {
  await loadLocale(next)
  locale.value = next
  VantLocale.use(next, vantCatalogs[next]!)
  if (typeof document !== 'undefined') {
    // A cookie, not localStorage: WeCom on Mac wipes localStorage between sessions.
    document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`
    document.documentElement.lang = next
  }
}

export type MessageParams = Record<string, string | number>

export function translate(target: AppLocale, key: MessageKey, params?: MessageParams): string {
  // Before any dictionary arrives (it always has by the first render) the key itself shows.
  const template = (catalogs[target] ?? catalogs[locale.value])?.[key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function t(key: MessageKey, params?: MessageParams): string {
  return translate(locale.value, key, params)
}

export function hasMessage(key: string): key is MessageKey {
  const catalog = catalogs[locale.value]
  return catalog !== undefined && key in catalog
}
