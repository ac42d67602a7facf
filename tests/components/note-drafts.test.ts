import { IDBFactory } from 'fake-indexeddb'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import { resetDatabaseForTests } from '../../src/offline/idb'

const api = vi.hoisted(() => ({ createNote: vi.fn() }))
vi.mock('@/api/memory', () => ({ createNote: api.createNote }))

const drafts = await import('../../src/offline/note-drafts')

/** The guide signed in on this browser, who wrote the drafts below. */
const lina = { userId: 'lina' }

function draft(id: string, state: 'editing' | 'queued', text = `note ${id}`) {
  return { id, externalUserId: 'wmAlice', text, nextFollowUp: null, outcome: null, state, updatedAt: 0, author: 'lina' }
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
    expect((await drafts.draftsFor('wmAlice', lina)).map((d) => d.id)).toEqual(['a'])
    await drafts.dropDraft('a')
    expect(await drafts.draftsFor('wmAlice', lina)).toEqual([])
  })

  it('sends queued notes oldest first, each once, and keeps typing drafts alone', async () => {
    await drafts.saveDraft(draft('first', 'queued'))
    await new Promise((r) => setTimeout(r, 2))
    await drafts.saveDraft(draft('second', 'queued'))
    await drafts.saveDraft(draft('typing', 'editing'))
    api.createNote.mockResolvedValue({})
    expect(await drafts.flushQueuedNotes(lina)).toBe(2)
    expect(api.createNote.mock.calls.map(([, note]) => note.id)).toEqual(['first', 'second'])
    expect((await drafts.draftsFor('wmAlice', lina)).map((d) => d.id)).toEqual(['typing'])
    expect(await drafts.flushQueuedNotes(lina)).toBe(0)
    expect(api.createNote).toHaveBeenCalledTimes(2)
  })

  it('stops at the first network failure and keeps the rest for later', async () => {
    await drafts.saveDraft(draft('one', 'queued'))
    await new Promise((r) => setTimeout(r, 2))
    await drafts.saveDraft(draft('two', 'queued'))
    api.createNote.mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline'))
    expect(await drafts.flushQueuedNotes(lina)).toBe(0)
    expect(api.createNote).toHaveBeenCalledTimes(1)
    expect((await drafts.draftsFor('wmAlice', lina)).map((d) => d.id)).toEqual(['one', 'two'])
  })

  it.each([
    [401, 'unauthorized' as const, 'Sign in again'],
    [408, 'bad_request' as const, 'Request Timeout'],
    [429, 'rate_limited' as const, 'Too many requests'],
    [503, 'internal' as const, 'Service Unavailable'],
  ])('keeps a note queued for a retry after HTTP %i', async (status, code, message) => {
    await drafts.saveDraft(draft('later', 'queued'))
    api.createNote.mockRejectedValueOnce(new ApiFailure(status, code, message))
    expect(await drafts.flushQueuedNotes(lina)).toBe(0)
    const [kept] = await drafts.draftsFor('wmAlice', lina)
    expect(kept).toMatchObject({ id: 'later', state: 'queued' })
    expect(kept!.error).toBeUndefined()
    api.createNote.mockResolvedValueOnce({})
    expect(await drafts.flushQueuedNotes(lina)).toBe(1)
  })

  it('tells transient failures from refusals', () => {
    for (const status of [0, 401, 408, 429, 500, 502, 503])
      expect(drafts.isTransient(new ApiFailure(status, 'internal', '')), String(status)).toBe(true)
    for (const status of [400, 403, 404, 409, 422])
      expect(drafts.isTransient(new ApiFailure(status, 'bad_request', '')), String(status)).toBe(false)
    expect(drafts.isTransient(new Error('boom'))).toBe(false)
  })

  it('puts a refused note back in the queue, without its old reason, when the guide retries', async () => {
    await drafts.saveDraft({ ...draft('refused', 'queued'), error: 'gone' })
    const [refused] = await drafts.draftsFor('wmAlice', lina)
    await drafts.requeueDraft(refused!)
    api.createNote.mockResolvedValueOnce({})
    expect(await drafts.flushQueuedNotes(lina)).toBe(1)
    expect(await drafts.draftsFor('wmAlice', lina)).toEqual([])
  })

  it('never drops a note the server refuses for good: it stays, with the reason', async () => {
    await drafts.saveDraft(draft('refused', 'queued'))
    api.createNote.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', 'This customer is not one of your contacts'))
    await drafts.flushQueuedNotes(lina)
    const [kept] = await drafts.draftsFor('wmAlice', lina)
    expect(kept).toMatchObject({ id: 'refused', error: 'This customer is not one of your contacts' })
    // And it is not retried on its own.
    await drafts.flushQueuedNotes(lina)
    expect(api.createNote).toHaveBeenCalledTimes(1)
  })

  it('sends a queued note only as the one who wrote it, and nothing in a preview', async () => {
    const wanglei = { userId: 'wanglei' }
    const previewingLina = { userId: 'lina', previewBy: 'wanglei' }
    await drafts.saveDraft(draft('hers', 'queued'))
    await drafts.saveDraft({ ...draft('in-preview', 'queued'), previewBy: 'wanglei' })
    api.createNote.mockResolvedValue({})
    // Her manager's own session on this browser sends neither, nor sees them.
    expect(await drafts.flushQueuedNotes(wanglei)).toBe(0)
    expect(await drafts.draftsFor('wmAlice', wanglei)).toEqual([])
    // In a preview of lina nothing is sent, and the preview sees only what was typed in it.
    expect(await drafts.flushQueuedNotes(previewingLina)).toBe(0)
    expect((await drafts.draftsFor('wmAlice', previewingLina)).map((d) => d.id)).toEqual(['in-preview'])
    // Nobody signed in yet: nothing goes.
    expect(await drafts.flushQueuedNotes(null)).toBe(0)
    // Lina herself sends hers, never the preview's.
    expect(await drafts.flushQueuedNotes(lina)).toBe(1)
    expect(api.createNote.mock.calls.map(([, note]) => note.id)).toEqual(['hers'])
    expect(await drafts.draftsFor('wmAlice', lina)).toEqual([])
  })

  it('holds a draft from before writers were recorded until someone sends it again', async () => {
    const { author: _nobody, ...old } = draft('from-before', 'queued')
    await drafts.saveDraft(old)
    api.createNote.mockResolvedValue({})
    expect(await drafts.flushQueuedNotes({ userId: 'wanglei' })).toBe(0)
    expect(api.createNote).not.toHaveBeenCalled()
    const [held] = await drafts.draftsFor('wmAlice', { userId: 'wanglei' })
    expect(held).toMatchObject({ id: 'from-before', state: 'queued', error: expect.stringContaining('无法确认由谁写下') })
    // Never shown in a preview.
    expect(await drafts.draftsFor('wmAlice', { userId: 'lina', previewBy: 'wanglei' })).toEqual([])
  })

  it('names the writer from who is signed in', () => {
    expect(drafts.writerOf(null)).toBeNull()
    expect(drafts.writerOf({ userId: 'lina', name: '李娜', role: 'guide' })).toEqual({ userId: 'lina' })
    const preview = { userId: 'lina', name: '李娜', role: 'guide' as const, preview: { by: 'wanglei', name: '王蕾' } }
    expect(drafts.writerOf(preview)).toEqual({ userId: 'lina', previewBy: 'wanglei' })
  })

  it('makes v4 UUIDs the server accepts', () => {
    for (let i = 0; i < 20; i++)
      expect(drafts.newDraftId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
