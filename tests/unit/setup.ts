import { loadAllWords } from '../helpers/i18n'

// The app loads one dictionary before it mounts; display helpers are tested in both languages.
await loadAllWords()
