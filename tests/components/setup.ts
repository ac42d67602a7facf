import { afterAll } from 'vitest'
// happy-dom has no IndexedDB; the app keeps note drafts there.
import 'fake-indexeddb/auto'

// Vant measures fixed bars (nav bar, tab bar) again 100, 200 and 300 ms after mounting;
// let those timers run while the DOM still exists, or they fire into a torn-down window.
afterAll(() => new Promise((resolve) => setTimeout(resolve, 350)))
