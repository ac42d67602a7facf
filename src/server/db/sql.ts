import { sql, type Expression, type RawBuilder } from 'kysely'

/**
 * The updated_at for a row being changed: now, or one more than before when the clock
 * has not moved since (two writes in one millisecond, a frozen test clock). Cached
 * profiles compare these stamps, so a change must always move them.
 */
export function bumped(column: string, now: number): RawBuilder<number> {
  return sql<number>`case when ${sql.ref(column)} + 1 > ${now} then ${sql.ref(column)} + 1 else ${now} end`
}

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

/** A unique or primary key constraint refused the write (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
