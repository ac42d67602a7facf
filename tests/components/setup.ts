import { afterAll, afterEach, beforeEach, vi } from 'vitest'
// happy-dom has no IndexedDB; the app keeps note drafts there.
import 'fake-indexeddb/auto'
import { loadAllWords } from '../helpers/i18n'
import { NOW } from '../helpers/fixtures'

// The app loads one dictionary before it mounts; tests switch languages, so both are here.
await loadAllWords()

// Components measure "3 天前" and "生日还有 5 天" against the clock, and the fixtures are
// dated around NOW: every test reads NOW as today, whatever day the suite runs on. Only
// Date is mocked here; a test that needs fake timers asks for them itself.
beforeEach(() => {
  vi.setSystemTime(NOW)
})
afterEach(() => {
  vi.useRealTimers()
})

// Vant measures fixed bars (nav bar, tab bar) again 100, 200 and 300 ms after mounting;
// let those timers run while the DOM still exists, or they fire into a torn-down window.
afterAll(() => new Promise((resolve) => setTimeout(resolve, 350)))
