/**
 * Notes that are not on the server yet. A draft is `editing` while the guide types (kept
 * after every pause, so a reload loses nothing) and `queued` once she saved it without a
 * network. Queued notes are sent in order when the network returns; the id travels with
 * the note, so a retry of one the server already has is answered with that same note.
 */
import { isApiFailure } from '@/api/http'
import { createNote } from '@/api/memory'
import { t } from '@/i18n'
import type { Me } from '@/shared/auth'
import type { NoteCreate, NoteOutcome } from '@/shared/memory'
import { idb } from './idb'

/** Who a note is written as: the guide and, in a manager's preview of her view, the manager. */
export interface NoteWriter {
  userId: string
  previewBy?: string
}

/** Who is signed in, as a note's writer (null: nobody yet). */
export function writerOf(me: Me | null | undefined): NoteWriter | null {
  if (!me) return null
  return me.preview ? { userId: me.userId, previewBy: me.preview.by } : { userId: me.userId }
}

export interface NoteDraft {
  id: string
  externalUserId: string
  text: string
  nextFollowUp: string | null
  outcome: NoteOutcome | null
  state: 'editing' | 'queued'
  /** Why the server refused it for good (not hers any more, …); kept for the guide to see. */
  error?: string
  updatedAt: number
  /** Whose it is (`NoteWriter.userId`); drafts kept before it was recorded have none. */
  author?: string
  /** Typed in this manager's preview: never stored on the server, so never queued either. */
  previewBy?: string
}

/**
 * Whether this draft is this writer's: shown in her composer and sent as hers. A browser
 * may be shared (a manager previews a guide, then works as herself; a guide signs in after
 * another): a note goes to the server only as the one who wrote it. A draft from before
 * authors were recorded is shown to whoever is herself here (never in a preview), and
 * goes only when she sends it again (`flushQueuedNotes`).
 */
export function writtenBy(draft: NoteDraft, writer: NoteWriter | null): boolean {
  if (draft.author === undefined) return draft.previewBy === undefined && !writer?.previewBy
  return !!writer && draft.author === writer.userId && draft.previewBy === writer.previewBy
}

const STORE = 'note-drafts'

/** A v4 UUID; crypto.randomUUID needs a secure context, which a LAN demo over http is not. */
export function newDraftId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export async function draftsFor(externalUserId: string, writer: NoteWriter | null = null): Promise<NoteDraft[]> {
  const all = await idb.all<NoteDraft>(STORE)
  return all.filter((d) => d.externalUserId === externalUserId && writtenBy(d, writer)).sort((a, b) => a.updatedAt - b.updatedAt)
}

export function saveDraft(draft: NoteDraft): Promise<void> {
  return idb.put(STORE, { ...draft, updatedAt: Date.now() })
}

/** Back in the queue after the guide chose to try a refused note again: the old reason goes. */
export function requeueDraft(draft: NoteDraft): Promise<void> {
  const { error: _refusedBecause, ...note } = draft
  return saveDraft({ ...note, state: 'queued' })
}

export function dropDraft(id: string): Promise<void> {
  return idb.delete(STORE, id)
}

export function toNoteCreate(draft: NoteDraft): NoteCreate {
  return {
    id: draft.id,
    text: draft.text.trim(),
    ...(draft.nextFollowUp ? { nextFollowUp: draft.nextFollowUp } : {}),
    ...(draft.outcome ? { outcome: draft.outcome } : {}),
  }
}

/**
 * Failures that a later retry may cure, so the note stays queued: no network or a timeout
 * (0, 408), signed out (401: sent once she is signed in again), rate-limited (429), server
 * trouble (5xx). Anything else is the server refusing this note for good.
 */
const TRANSIENT_STATUSES = new Set([0, 401, 408, 429])

export function isTransient(error: unknown): boolean {
  return isApiFailure(error) && (TRANSIENT_STATUSES.has(error.status) || error.status >= 500)
}

let flushing: Promise<number> | null = null

/**
 * Send every queued note of this writer, oldest first; stop at the first transient failure
 * (the network is still down). A note the server refuses for good stays, marked with the
 * reason. Nothing in a preview (it writes nothing). Resolves with how many were sent.
 */
export function flushQueuedNotes(writer: NoteWriter | null = null): Promise<number> {
  if (writer?.previewBy) return Promise.resolve(0)
  flushing ??= (async () => {
    let sent = 0
    try {
      const queued = (await idb.all<NoteDraft>(STORE))
        .filter((d) => d.state === 'queued' && !d.error && writtenBy(d, writer))
        .sort((a, b) => a.updatedAt - b.updatedAt)
      for (const draft of queued) {
        // Whose it is cannot be told (it may have been typed in a preview): shown with a
        // retry, which makes it the note of whoever sends it.
        if (draft.author === undefined) {
          await idb.put(STORE, { ...draft, error: t('notes.unknownWriter') })
          continue
        }
        try {
          await createNote(draft.externalUserId, toNoteCreate(draft))
          await dropDraft(draft.id)
          sent++
        } catch (error) {
          if (isTransient(error)) break
          // Refused for good: never dropped silently; the guide sees why and decides.
          await idb.put(STORE, { ...draft, error: isApiFailure(error) ? error.message : String(error) })
        }
      }
    } finally {
      flushing = null
    }
    return sent
  })()
  return flushing
}
