/** The app's languages and how one is chosen; the server reads it too, to preload the right dictionary. */
export const LOCALES = ['zh-CN', 'en-US'] as const
export type AppLocale = (typeof LOCALES)[number]

export const LOCALE_COOKIE = 'gs_lang'

export function isAppLocale(value: string): value is AppLocale {
  return (LOCALES as readonly string[]).includes(value)
}

/**
 * Simplified Chinese unless the guide chose English here, or her WeCom itself runs in
 * English (WeCom puts `Language/en` in its user agent).
 */
export function detectLocale(cookie: string, userAgent: string): AppLocale {
  const chosen = /(?:^|;\s*)gs_lang=([^;]+)/.exec(cookie)?.[1]
  if (chosen === 'zh-CN' || chosen === 'en-US') return chosen
  return /\bLanguage\/en\b/i.test(userAgent) ? 'en-US' : 'zh-CN'
}
