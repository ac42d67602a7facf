import { sql, type Expression, type RawBuilder } from 'kysely'

/** `%term%` for LIKE, with the term's own wildcards escaped by `!`. */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`
}

/** Case-insensitive substring match that means the same on SQLite and PostgreSQL. */
export function containsIgnoreCase(column: Expression<string | null>, term: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${column}) like ${containsPattern(term)} escape '!'`
}

export function parseJsonArray<T>(text: string | null | undefined): T[] {
  if (!text) return []
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? (value as T[]) : []
  } catch {
    return []
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || ms === 0 ? null : new Date(ms).toISOString()
}
