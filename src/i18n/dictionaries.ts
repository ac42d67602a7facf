import type { AppLocale } from '@/shared/locale'
import type { zhCN } from './zh-CN'

export type Catalog = Partial<Record<keyof typeof zhCN, string>>

/**
 * Each language's dictionary, with Vant's own words (date pickers, dialogs' buttons);
 * Vant's Chinese is built into Vant, so only English is fetched. No Vue here: src/main.ts
 * asks for her dictionary beside the app's code, before the app (src/i18n) has come.
 */
export const dictionaryLoaders: Record<AppLocale, () => Promise<[Catalog, Record<string, unknown>]>> = {
  'zh-CN': () => import('./zh-CN').then((m) => [m.zhCN, {}]),
  'en-US': () => Promise.all([import('./en-US').then((m) => m.enUS), import('vant/es/locale/lang/en-US').then((m) => m.default)]),
}
