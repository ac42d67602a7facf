import { LOCALES, loadDeskWords, loadLocale } from '../../src/i18n'

/**
 * The app loads one language (and the desk's words only with the desk) before it shows
 * anything; tests switch languages and render any screen, so every word is here first.
 */
export async function loadAllWords(): Promise<void> {
  await Promise.all(LOCALES.flatMap((locale) => [loadLocale(locale), loadDeskWords(locale)]))
}
