/**
 * The manager's editor keeps her unsaved edits while the desk around it is read again
 * (after a move, a retire, her own save, or someone else's change). What a reply says is
 * its draft; where it sits (group, position) and whether it is retired are not.
 */
import type { Reply, ReplyPart, ReplyStage } from '@/shared/replies'

export interface ReplyDraft {
  title: string
  parts: ReplyPart[]
  tags: string[]
  stages: ReplyStage[]
}

export function draftOf(reply: Pick<Reply, 'title' | 'parts' | 'tags' | 'stages'>): ReplyDraft {
  return { title: reply.title, parts: reply.parts, tags: reply.tags, stages: reply.stages }
}

/** The same wording: spaces around the title do not count, nor the order of stages. */
export function sameDraft(a: ReplyDraft, b: ReplyDraft): boolean {
  return (
    a.title.trim() === b.title.trim() &&
    JSON.stringify(a.parts) === JSON.stringify(b.parts) &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) &&
    JSON.stringify([...a.stages].sort()) === JSON.stringify([...b.stages].sort())
  )
}

/**
 * What the editor does when the server's copy of the reply changes under it:
 *
 * - `reset`: show the server's copy — another reply, or nothing of hers would be lost
 *   (no edits, or the server already says what she wrote);
 * - `rebase`: keep her edits and take the new copy as the one she edits (it was moved or
 *   retired, its wording unchanged), so saving does not collide with her own move;
 * - `conflict`: keep her edits and the copy she started from; the wording changed
 *   elsewhere, so saving would be refused until she chooses.
 */
export function onServerChange(base: Reply | null, next: Reply | null, form: ReplyDraft): 'reset' | 'rebase' | 'conflict' {
  if (!base || !next || base.id !== next.id) return 'reset'
  if (sameDraft(form, draftOf(base)) || sameDraft(form, draftOf(next))) return 'reset'
  if (sameDraft(draftOf(base), draftOf(next))) return 'rebase'
  return 'conflict'
}
