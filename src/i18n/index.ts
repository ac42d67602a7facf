/**
 * A small typed i18n layer: keys are checked at compile time, `{name}` placeholders are
 * filled from params, and switching the locale re-renders everything that called `t`.
 * (vue-i18n would cost a fifth of the sidebar's JS budget for features we do not use.)
 */
import { Locale as VantLocale } from 'vant'
import vantEnUS from 'vant/es/locale/lang/en-US'
import vantZhCN from 'vant/es/locale/lang/zh-CN'
import { ref } from 'vue'
import { enUS } from './en-US'
import { zhCN } from './zh-CN'

export type MessageKey = keyof typeof zhCN
export const LOCALES = ['zh-CN', 'en-US'] as const
export type AppLocale = (typeof LOCALES)[number]

const catalogs: Record<AppLocale, Record<MessageKey, string>> = { 'zh-CN': zhCN, 'en-US': enUS }
const vantCatalogs = { 'zh-CN': vantZhCN, 'en-US': vantEnUS }
const COOKIE = 'gs_lang'

/**
 * Simplified Chinese unless the guide chose English here, or her WeCom itself runs in
 * English (WeCom puts `Language/en` in its user agent).
 */
export function detectLocale(cookie: string, userAgent: string): AppLocale {
  const chosen = /(?:^|;\s*)gs_lang=([^;]+)/.exec(cookie)?.[1]
  if (chosen === 'zh-CN' || chosen === 'en-US') return chosen
  return /\bLanguage\/en\b/i.test(userAgent) ? 'en-US' : 'zh-CN'
}

const initial =
  typeof document === 'undefined'
    ? 'zh-CN'
    : detectLocale(document.cookie, typeof navigator === 'undefined' ? '' : navigator.userAgent)

export const locale = ref<AppLocale>(initial)
VantLocale.use(initial, vantCatalogs[initial])

export function setLocale(next: AppLocale): void {
  locale.value = next
  VantLocale.use(next, vantCatalogs[next])
  if (typeof document !== 'undefined') {
    // A cookie, not localStorage: WeCom on Mac wipes localStorage between sessions.
    document.cookie = `${COOKIE}=${next}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`
    document.documentElement.lang = next
  }
}

export type MessageParams = Record<string, string | number>

export function translate(target: AppLocale, key: MessageKey, params?: MessageParams): string {
  const template = catalogs[target][key] ?? zhCN[key]
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function t(key: MessageKey, params?: MessageParams): string {
  return translate(locale.value, key, params)
}

export function hasMessage(key: string): key is MessageKey {
  return key in zhCN
}
