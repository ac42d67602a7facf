/**
 * What an audited change changed, worked out when the log is read. The log keeps the
 * content as it was and the request that changed it; an editor sends every field of its
 * form whether the manager touched it or not, so only the fields whose value differs are
 * changes.
 */
import { isDeepStrictEqual } from 'node:util'
import type { AuditChange } from '../../../shared/replies'

type Fields = Record<string, unknown>

/** Request fields that are not content: the action names a retire or restore already. */
const NOT_CONTENT = new Set(['expectedUpdatedAt', 'retired'])

/** As stored: names and titles are trimmed, and a list of tags or stores has no order. */
function tidy(value: unknown): unknown {
  if (typeof value === 'string') return value.trim()
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...(value as string[])].sort()
  return value
}

export function auditChanges(action: string, before: Fields, after: Fields): AuditChange[] {
  if (action === 'move') return moveChanges(before, after)
  // A store's till key made or revoked: which key, by its label (the action says which).
  if ((action === 'create' || action === 'retire') && 'tillKey' in after) return [{ field: 'tillKey', after: after.tillKey }]
  if (action !== 'update') return []
  return Object.keys(after)
    .filter((field) => !NOT_CONTENT.has(field) && after[field] !== undefined)
    .flatMap((field): AuditChange[] => {
      // Older entries kept only some of the fields as they were: the new value is all we know.
      if (!(field in before)) return [{ field, after: after[field] }]
      return isDeepStrictEqual(tidy(before[field]), tidy(after[field]))
        ? []
        : [{ field, before: before[field], after: after[field] }]
    })
}

/** Into another group (or under another parent), or up and down in the same one (1-based). */
function moveChanges(before: Fields, after: Fields): AuditChange[] {
  const place = 'groupId' in after || 'groupId' in before ? 'groupId' : 'parentId'
  const from = before[place] ?? null
  const to = after[place] ?? null
  if (from !== to) return [{ field: place, before: from, after: to }]
  const was = Number(before.position)
  const now = Number(after.position)
  if (Number.isFinite(was) && Number.isFinite(now) && was !== now) return [{ field: 'position', before: was + 1, after: now + 1 }]
  return []
}
