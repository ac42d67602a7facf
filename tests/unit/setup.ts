import { loadLocale } from '../../src/i18n'

// The app loads one dictionary before it mounts; display helpers are tested in both languages.
await Promise.all([loadLocale('zh-CN'), loadLocale('en-US')])
