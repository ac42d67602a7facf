/**
 * A task's suggestion riding in a route query, apart from the rest of the task display
 * so her profile (which reads it) does not load the workbench's task words with it.
 */
import type { TaskSuggestion } from '@/shared/tasks'

/** A suggestion in a route query: `coupon:<templateId>`, `bundle:<id>`, `reply:<id>`. */
export function suggestionQuery(suggestion: TaskSuggestion): string {
  return `${suggestion.type}:${suggestion.id}`
}

/** Back from a route query; anything else (a hand-edited link) is no suggestion. */
export function parseSuggestion(value: unknown): TaskSuggestion | null {
  if (typeof value !== 'string') return null
  const match = /^(reply|coupon|bundle):(.{1,64})$/.exec(value)
  if (!match) return null
  return { type: match[1] as TaskSuggestion['type'], id: match[2]! }
}
