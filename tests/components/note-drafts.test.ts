import { IDBFactory } from 'fake-indexeddb'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import { resetDatabaseForTests } from '../../src/offline/idb'

const api = vi.hoisted(() => ({ createNote: vi.fn() }))
vi.mock('@/api/memory', () => ({ createNote: api.createNote }))

const drafts = await import('../../src/offline/note-drafts')

function draft(id: string, state: 'editing' | 'queued', text = `note ${id}`) {
  return { id, externalUserId: 'wmAlice', text, nextFollowUp: null, outcome: null, state, updatedAt: 0 }
}

describe('note drafts in IndexedDB', () => {
  beforeEach(() => {
    // A fresh database for every test.
    globalThis.indexedDB = new IDBFactory()
    resetDatabaseForTests()
    api.createNote.mockReset()
  })

  it('keeps a draft per customer, in order', async () => {
    await drafts.saveDraft(draft('a', 'editing'))
    await drafts.saveDraft({ ...draft('b', 'queued'), externalUserId: 'wmBella' })
    expect((await drafts.draftsFor('wmAlice')).map((d) => d.id)).toEqual(['a'])
    await drafts.dropDraft('a')
    expect(await drafts.draftsFor('wmAlice')).toEqual([])
  })

  it('sends queued notes oldest first, each once, and keeps typing drafts alone', async () => {
    await drafts.saveDraft(draft('first', 'queued'))
    await new Promise((r) => setTimeout(r, 2))
    await drafts.saveDraft(draft('second', 'queued'))
    await drafts.saveDraft(draft('typing', 'editing'))
    api.createNote.mockResolvedValue({})
    expect(await drafts.flushQueuedNotes()).toBe(2)
    expect(api.createNote.mock.calls.map(([, note]) => note.id)).toEqual(['first', 'second'])
    expect((await drafts.draftsFor('wmAlice')).map((d) => d.id)).toEqual(['typing'])
    expect(await drafts.flushQueuedNotes()).toBe(0)
    expect(api.createNote).toHaveBeenCalledTimes(2)
  })

  it('stops at the first network failure and keeps the rest for later', async () => {
    await drafts.saveDraft(draft('one', 'queued'))
    await new Promise((r) => setTimeout(r, 2))
    await drafts.saveDraft(draft('two', 'queued'))
    api.createNote.mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline'))
    expect(await drafts.flushQueuedNotes()).toBe(0)
    expect(api.createNote).toHaveBeenCalledTimes(1)
    expect((await drafts.draftsFor('wmAlice')).map((d) => d.id)).toEqual(['one', 'two'])
  })

  it('never drops a note the server refuses for good: it stays, with the reason', async () => {
    await drafts.saveDraft(draft('refused', 'queued'))
    api.createNote.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', 'This customer is not one of your contacts'))
    await drafts.flushQueuedNotes()
    const [kept] = await drafts.draftsFor('wmAlice')
    expect(kept).toMatchObject({ id: 'refused', error: 'This customer is not one of your contacts' })
    // And it is not retried on its own.
    await drafts.flushQueuedNotes()
    expect(api.createNote).toHaveBeenCalledTimes(1)
  })

  it('makes v4 UUIDs the server accepts', () => {
    for (let i = 0; i < 20; i++)
      expect(drafts.newDraftId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
