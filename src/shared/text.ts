/**
 * Text a person types, as request schemas accept it.
 *
 * PostgreSQL refuses a NUL byte in text (the request would end as a 500) and SQLite keeps
 * it, cutting the string short wherever C reads it; the other C0 control characters and
 * DEL have no business in a name or a note and confuse logs, CSV and WeCom. Unpaired
 * surrogates (`"\ud800"` is valid JSON) are not Unicode at all: the database drivers
 * would silently store U+FFFD instead. So user text refuses all of them, and only
 * multi-line fields (notes, reply text, descriptions) keep the tab and the line feed.
 *
 * The patterns are ECMAScript with the `u` flag, as JSON Schema says and Ajv compiles
 * them: there a surrogate pair is one code point, so only unpaired halves match.
 */
import { Type } from 'typebox'

const SINGLE_LINE_CHARS = '[^\\u0000-\\u001F\\u007F\\uD800-\\uDFFF]'
const MULTI_LINE_CHARS = '[^\\u0000-\\u0008\\u000B-\\u001F\\u007F\\uD800-\\uDFFF]'
/** At least one character that is not white space (a title of spaces is no title). */
const NOT_BLANK = '(?=[\\s\\S]*\\S)'

export const SINGLE_LINE_TEXT_PATTERN = `^${SINGLE_LINE_CHARS}*$`
export const MULTI_LINE_TEXT_PATTERN = `^${MULTI_LINE_CHARS}*$`
export const SINGLE_LINE_NOT_BLANK_PATTERN = `^${NOT_BLANK}${SINGLE_LINE_CHARS}*$`
export const MULTI_LINE_NOT_BLANK_PATTERN = `^${NOT_BLANK}${MULTI_LINE_CHARS}*$`

/** The patterns above, for the error handler to explain a mismatch in words. */
export const TEXT_PATTERNS: readonly string[] = [
  SINGLE_LINE_TEXT_PATTERN,
  MULTI_LINE_TEXT_PATTERN,
  SINGLE_LINE_NOT_BLANK_PATTERN,
  MULTI_LINE_NOT_BLANK_PATTERN,
]

export interface TextOptions {
  maxLength: number
  minLength?: number
  /** Keeps tab and line feed (notes, reply text, descriptions). */
  multiline?: boolean
  /** Needs a character that is not white space. */
  notBlank?: boolean
}

function patternOf(options: Pick<TextOptions, 'multiline' | 'notBlank'>): string {
  if (options.multiline) return options.notBlank ? MULTI_LINE_NOT_BLANK_PATTERN : MULTI_LINE_TEXT_PATTERN
  return options.notBlank ? SINGLE_LINE_NOT_BLANK_PATTERN : SINGLE_LINE_TEXT_PATTERN
}

/** A request's text field: bounded, and free of control characters (see above). */
export function Text(options: TextOptions) {
  const { multiline, notBlank, ...lengths } = options
  return Type.String({ ...lengths, pattern: patternOf({ multiline, notBlank }) })
}

const controlRe = new RegExp(`${SINGLE_LINE_CHARS.replace('[^', '[')}`, 'u')

/** For text read outside a schema (a decoded cursor): does it hold what Text() refuses? */
export function hasControlCharacters(text: string): boolean {
  return controlRe.test(text)
}
