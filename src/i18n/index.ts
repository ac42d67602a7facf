/**
 * A small typed i18n layer: keys are checked at compile time, `{name}` placeholders are
 * filled from params, and switching the locale re-renders everything that called `t`.
 * (vue-i18n would cost a fifth of the sidebar's JS budget for features we do not use.)
 *
 * Only the active language's dictionary is loaded (each is ~15 KB gzip, as much as the
 * rest of the app's own code): `start-app.ts` awaits `loadLocale` before mounting, and
 * the chunk comes beside the app's code (`main.ts` asks for it by `<html lang>`; in a
 * browser the server names it in the page).
 * The desk's words (a third of each dictionary, never shown beside a chat) come with the
 * desk's route: `loadDeskWords`.
 */
import { Locale as VantLocale } from 'vant'
import { ref } from 'vue'
import { wordPreviewRefusal } from '@/api/http'
import { detectLocale, LOCALE_COOKIE, type AppLocale } from '@/shared/locale'
import type { zhCNDesk } from './desk.zh-CN'
import { dictionaryLoaders } from './dictionaries'
import type { zhCN } from './zh-CN'

export { detectLocale, LOCALES, type AppLocale } from '@/shared/locale'

export type MessageKey = keyof typeof zhCN | keyof typeof zhCNDesk
type Catalog = Partial<Record<MessageKey, string>>

const catalogs: Partial<Record<AppLocale, Catalog>> = {}
const deskCatalogs: Partial<Record<AppLocale, Catalog>> = {}
const loading: Partial<Record<AppLocale, Promise<void>>> = {}
const deskLoading: Partial<Record<AppLocale, Promise<void>>> = {}

const vantCatalogs: Partial<Record<AppLocale, Record<string, unknown>>> = {}
const deskLoaders: Record<AppLocale, () => Promise<Catalog>> = {
  'zh-CN': () => import('./desk.zh-CN').then((m) => m.zhCNDesk),
  'en-US': () => import('./desk.en-US').then((m) => m.enUSDesk),
}

const initial =
  typeof document === 'undefined'
    ? 'zh-CN'
    : detectLocale(document.cookie, typeof navigator === 'undefined' ? '' : navigator.userAgent)

export const locale = ref<AppLocale>(initial)

/** Fetches a language's dictionary once; later calls share the first. */
export function loadLocale(target: AppLocale): Promise<void> {
  loading[target] ??= retryable(loading, target, async () => {
    const [messages, vant] = await dictionaryLoaders[target]()
    catalogs[target] = messages
    vantCatalogs[target] = vant
    if (target === locale.value) VantLocale.use(target, vant)
  })
  return loading[target]
}

/** The desk's words in a language (the desk's route waits for them); fetched once. */
export function loadDeskWords(target: AppLocale = locale.value): Promise<void> {
  deskLoading[target] ??= retryable(deskLoading, target, async () => {
    deskCatalogs[target] = await deskLoaders[target]()
  })
  return deskLoading[target]
}

/** A failed chunk load (flaky network) may be tried again: the failure is not kept. */
function retryable(
  pending: Partial<Record<AppLocale, Promise<void>>>,
  target: AppLocale,
  load: () => Promise<void>,
): Promise<void> {
  return load().catch((error: unknown) => {
    delete pending[target]
    throw error
  })
}

export async function setLocale(next: AppLocale): Promise<void> {
  // The desk open in another language switches with everything else.
  await Promise.all([loadLocale(next), Object.keys(deskLoading).length ? loadDeskWords(next) : undefined])
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
  const template = lookup(target, key) ?? lookup(locale.value, key) ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

function lookup(target: AppLocale, key: MessageKey): string | undefined {
  return catalogs[target]?.[key] ?? deskCatalogs[target]?.[key]
}

export function t(key: MessageKey, params?: MessageParams): string {
  return translate(locale.value, key, params)
}

wordPreviewRefusal(() => t('preview.readOnly'))

export function hasMessage(key: string): key is MessageKey {
  return lookup(locale.value, key as MessageKey) !== undefined
}
