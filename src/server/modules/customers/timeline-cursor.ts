/**
 * The timeline's cursor: the time and source-prefixed id of the last entry a page showed,
 * opaque to the app.
 */
import { hasControlCharacters } from '../../../shared/text'
import { ApiError } from '../../http/errors'

export interface Cursor {
  at: number
  id: string
}

export function encodeTimelineCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url')
}

export function decodeTimelineCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    // A safe integer and clean text, or PostgreSQL would refuse the query (a 500, not a 400).
    if (Array.isArray(value) && isInstant(value[0]) && typeof value[1] === 'string' && !hasControlCharacters(value[1]))
      return { at: value[0], id: value[1] }
  } catch {
    // fall through
  }
  throw ApiError.badRequest('cursor is not one this API returned')
}

function isInstant(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0
}

export type AfterCursor = { before: number; sameTime: 'all' | 'none' | { below: string } }

/**
 * Rows of a source that come after the cursor in (at desc, id desc) order. Entries with
 * the cursor's time sort by prefixed id: a whole source sorts before or after another.
 */
export function afterCursor(cursor: Cursor | null, prefix: string): AfterCursor | null {
  if (!cursor) return null
  // Prefixes differ in length ('e:', 'c1:'): the prefix is everything up to its colon.
  const cursorPrefix = cursor.id.slice(0, cursor.id.indexOf(':') + 1)
  if (prefix < cursorPrefix) return { before: cursor.at, sameTime: 'all' }
  if (prefix > cursorPrefix) return { before: cursor.at, sameTime: 'none' }
  return { before: cursor.at, sameTime: { below: cursor.id.slice(cursorPrefix.length) } }
}
