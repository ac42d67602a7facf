/**
 * What becomes of a note between the guide's composer and the server: kept while she types,
 * kept again while it is sent, queued when the network is gone (sent when it returns), put
 * back in the composer or listed with the reason when the server refuses it, dropped once
 * the server has it or she discards it. Storage is best-effort throughout (best-effort.ts):
 * a failing IndexedDB is reported and never stops a note from being written or sent.
 */
import { createNote } from '@/api/memory'
import { failureReason } from '@/api/status'
import { bestEffort } from './best-effort'
import {
  draftsFor,
  dropDraft,
  flushQueuedNotes,
  isTransient,
  newDraftId,
  requeueDraft,
  saveDraft,
  toNoteCreate,
  type NoteDraft,
  type NoteWriter,
} from './note-drafts'

/** Where drafts are kept: IndexedDB in the app (note-drafts.ts), anything alike in a test. */
export interface NoteStore {
  /** This writer's drafts for the customer (`writtenBy`). */
  draftsFor(externalUserId: string, writer: NoteWriter | null): Promise<NoteDraft[]>
  save(draft: NoteDraft): Promise<void>
  /** Back in the queue, without the reason it was refused. */
  requeue(draft: NoteDraft): Promise<void>
  drop(id: string): Promise<void>
  /** Send every queued note of this writer, oldest first; how many went. */
  flush(writer: NoteWriter | null): Promise<number>
}

export const indexedDbNotes: NoteStore = {
  draftsFor,
  save: saveDraft,
  requeue: requeueDraft,
  drop: dropDraft,
  flush: flushQueuedNotes,
}

/** A draft's marks of who wrote it. */
function byWriter(writer: NoteWriter): Pick<NoteDraft, 'author' | 'previewBy'> {
  return writer.previewBy ? { author: writer.userId, previewBy: writer.previewBy } : { author: writer.userId }
}

/** A fresh, empty note for this customer, by this writer (none: nobody signed in yet). */
export function blankNote(externalUserId: string, writer: NoteWriter | null = null, now: number = Date.now()): NoteDraft {
  const note: NoteDraft = {
    id: newDraftId(),
    externalUserId,
    text: '',
    nextFollowUp: null,
    outcome: null,
    state: 'editing',
    updatedAt: now,
  }
  return writer ? { ...note, ...byWriter(writer) } : note
}

export function isUntouched(note: NoteDraft): boolean {
  return !note.text.trim() && !note.nextFollowUp && !note.outcome
}

export type SubmitOutcome =
  | { kind: 'sent' }
  /** A failure a retry may cure (no network, …): kept, and sent when the network returns. */
  | { kind: 'queued'; note: NoteDraft }
  /** Refused for good while the composer was free: back in it, for her to fix. */
  | { kind: 'returned'; note: NoteDraft; reason: string }
  /** Refused for good after she had started the next note: it waits in the list with its reason. */
  | { kind: 'refused'; note: NoteDraft; reason: string }

/** Where a note she tried again stands after a flush. */
export type RetryOutcome = { kind: 'sent' } | { kind: 'refused'; reason: string } | { kind: 'waiting' }

export function retryOutcome(waiting: readonly NoteDraft[], id: string): RetryOutcome {
  const left = waiting.find((d) => d.id === id)
  if (!left) return { kind: 'sent' }
  return left.error ? { kind: 'refused', reason: left.error } : { kind: 'waiting' }
}

export interface NoteQueueOptions {
  /** Who is signed in now: her drafts are the ones shown and sent. */
  writer?: () => NoteWriter | null
  store?: NoteStore
  /** Sends one note to the server; rejects with the API's failure. */
  send?: (note: NoteDraft) => Promise<unknown>
}

export function createNoteQueue({
  writer = () => null,
  store = indexedDbNotes,
  send = (note) => createNote(note.externalUserId, toNoteCreate(note)),
}: NoteQueueOptions = {}) {
  const waitingIn = (drafts: NoteDraft[]) => drafts.filter((d) => d.state === 'queued')
  // A note begun before we knew who is signed in is the writer's once she keeps, sends or
  // retries it. A preview stamps only notes begun in it: one from before writers were
  // recorded is never shown there (`writtenBy`).
  const signed = (note: NoteDraft): NoteDraft => {
    const by = writer()
    return note.author !== undefined || !by ? note : { ...note, ...byWriter(by) }
  }

  return {
    /** Whatever this customer had in progress, and what is waiting to be sent (nothing when storage fails). */
    async restore(externalUserId: string): Promise<{ editing: NoteDraft | undefined; waiting: NoteDraft[] }> {
      const drafts = await bestEffort('read the note drafts', store.draftsFor(externalUserId, writer()), [] as NoteDraft[])
      return { editing: drafts.find((d) => d.state === 'editing'), waiting: waitingIn(drafts) }
    },

    /** Only the notes waiting to be sent; null when storage cannot say. */
    async waiting(externalUserId: string): Promise<NoteDraft[] | null> {
      const drafts = await bestEffort('read the waiting notes', store.draftsFor(externalUserId, writer()), null)
      return drafts && waitingIn(drafts)
    },

    /** Keep what she is typing; an emptied composer keeps nothing. */
    keep(note: NoteDraft): Promise<unknown> {
      return isUntouched(note)
        ? bestEffort('drop the empty note draft', store.drop(note.id))
        : bestEffort('keep the note draft', store.save(signed(note)))
    },

    /**
     * Send a note she saved. `composerFree` says, once the server has refused it, whether
     * the composer is still empty for this customer, so the note can go back into it.
     */
    async submit(unsigned: NoteDraft, composerFree: () => boolean): Promise<SubmitOutcome> {
      const note = signed(unsigned)
      // Kept until the server has it: closing the sidebar mid-send loses nothing.
      await bestEffort('keep the note while it is sent', store.save(note))
      try {
        await send(note)
      } catch (error) {
        // A preview's note is never stored, so it never waits to be sent either.
        if (isTransient(error) && note.previewBy === undefined) {
          const queued: NoteDraft = { ...note, state: 'queued' }
          await bestEffort('queue the note', store.save(queued))
          return { kind: 'queued', note: queued }
        }
        const reason = failureReason(error)
        if (composerFree()) return { kind: 'returned', note, reason }
        const refused: NoteDraft = { ...note, state: 'queued', error: reason }
        await bestEffort('keep the refused note', store.save(refused))
        return { kind: 'refused', note: refused, reason }
      }
      await bestEffort('drop the sent note', store.drop(note.id))
      return { kind: 'sent' }
    },

    /** Send what is queued; how many went (none when storage fails). */
    flush(): Promise<number> {
      return bestEffort('send the queued notes', store.flush(writer()), 0)
    },

    /** A refused note back in the queue, when she thinks the reason is gone; flush to send it. */
    requeue(note: NoteDraft): Promise<unknown> {
      return bestEffort('queue the note again', store.requeue(signed(note)))
    },

    discard(id: string): Promise<unknown> {
      return bestEffort('discard the note', store.drop(id))
    },
  }
}

export type NoteQueue = ReturnType<typeof createNoteQueue>

/**
 * Keeps the note she is typing after every pause, so a reload, a crash or a chat switch
 * loses nothing; `now` keeps at once what the pause would have kept (she is leaving).
 */
export function createDraftKeeper(keep: (note: NoteDraft) => unknown, pauseMs = 300) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let unsaved: NoteDraft | null = null
  return {
    changed(current: NoteDraft): void {
      clearTimeout(timer)
      // A draft restored from storage or just cleared has nothing new to keep.
      if (unsaved && unsaved.id !== current.id) keep(unsaved)
      unsaved = current
      timer = setTimeout(() => {
        unsaved = null
        keep(current)
      }, pauseMs)
    },
    now(): void {
      clearTimeout(timer)
      if (unsaved) keep(unsaved)
      unsaved = null
    },
    /** The note goes to the server instead: nothing to keep after the pause. */
    forget(): void {
      clearTimeout(timer)
      unsaved = null
    },
  }
}
