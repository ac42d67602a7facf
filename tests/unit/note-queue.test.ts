import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import { bestEffort, onStorageFailure } from '../../src/offline/best-effort'
import type { NoteDraft } from '../../src/offline/note-drafts'
import {
  blankNote,
  createDraftKeeper,
  createNoteQueue,
  isUntouched,
  retryOutcome,
  type NoteStore,
} from '../../src/offline/note-queue'

function note(id: string, overrides: Partial<NoteDraft> = {}): NoteDraft {
  return {
    id,
    externalUserId: 'wmAlice',
    text: `note ${id}`,
    nextFollowUp: null,
    outcome: null,
    state: 'editing',
    updatedAt: 0,
    ...overrides,
  }
}

/** Drafts in a map, as IndexedDB keeps them; `broken` makes every step fail. */
function memoryStore(initial: NoteDraft[] = []) {
  const drafts = new Map(initial.map((d) => [d.id, d]))
  const state = { broken: false, flushed: 0 }
  const fail = () => Promise.reject(new Error('QuotaExceededError'))
  const store: NoteStore = {
    draftsFor: async (id) => (state.broken ? fail() : [...drafts.values()].filter((d) => d.externalUserId === id)),
    save: async (draft) => (state.broken ? fail() : void drafts.set(draft.id, draft)),
    requeue: async ({ error: _reason, ...draft }) =>
      state.broken ? fail() : void drafts.set(draft.id, { ...draft, state: 'queued' }),
    drop: async (id) => (state.broken ? fail() : void drafts.delete(id)),
    flush: async () => (state.broken ? fail() : state.flushed),
  }
  return { store, drafts, state }
}

let reported: [string, unknown][]
let restore: () => void
beforeEach(() => {
  reported = []
  restore = onStorageFailure((what, error) => reported.push([what, error]))
})
afterEach(() => restore())

describe('bestEffort', () => {
  it('gives the result when the step works, and reports nothing', async () => {
    expect(await bestEffort('read', Promise.resolve(3), 0)).toBe(3)
    expect(reported).toEqual([])
  })

  it('reports a failure with what failed, and goes on with the fallback', async () => {
    const error = new Error('gone')
    expect(await bestEffort('keep the note draft', Promise.reject(error), 0)).toBe(0)
    expect(await bestEffort('drop it', Promise.reject(error))).toBeUndefined()
    expect(reported).toEqual([
      ['keep the note draft', error],
      ['drop it', error],
    ])
  })

  it('warns on the console by default, and when the hooked reporter itself fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    restore()
    await bestEffort('keep the note draft', Promise.reject(new Error('gone')))
    expect(warn).toHaveBeenCalledWith('[offline] keep the note draft failed; going on without it', expect.any(Error))

    restore = onStorageFailure(() => {
      throw new Error('reporter down')
    })
    await expect(bestEffort('queue the note', Promise.reject(new Error('gone')), 'fallback')).resolves.toBe('fallback')
    expect(warn).toHaveBeenCalledTimes(2)
    warn.mockRestore()
  })
})

describe('the note queue', () => {
  it('starts a blank note per customer, and knows an untouched one', () => {
    const blank = blankNote('wmAlice', null, 42)
    expect(blank).toMatchObject({ externalUserId: 'wmAlice', text: '', state: 'editing', updatedAt: 42 })
    expect(blankNote('wmAlice').id).not.toBe(blank.id)
    expect(isUntouched({ ...blank, text: '  ' })).toBe(true)
    expect(isUntouched({ ...blank, outcome: 'purchased' })).toBe(false)
    expect(isUntouched({ ...blank, nextFollowUp: '2026-12-10' })).toBe(false)
  })

  it('restores the note in progress and those waiting; nothing when storage fails', async () => {
    const { store, state } = memoryStore([
      note('typing'),
      note('offline', { state: 'queued' }),
      note('other', { externalUserId: 'wmBella' }),
    ])
    const queue = createNoteQueue({ store, send: vi.fn() })
    const { editing, waiting } = await queue.restore('wmAlice')
    expect(editing?.id).toBe('typing')
    expect(waiting.map((d) => d.id)).toEqual(['offline'])
    expect((await queue.waiting('wmAlice'))?.map((d) => d.id)).toEqual(['offline'])

    state.broken = true
    expect(await queue.restore('wmAlice')).toEqual({ editing: undefined, waiting: [] })
    expect(await queue.waiting('wmAlice')).toBeNull()
    expect(reported.map(([what]) => what)).toEqual(['read the note drafts', 'read the waiting notes'])
  })

  it('keeps what she types, and drops a draft she emptied', async () => {
    const { store, drafts } = memoryStore()
    const queue = createNoteQueue({ store, send: vi.fn() })
    await queue.keep(note('a'))
    expect([...drafts.keys()]).toEqual(['a'])
    await queue.keep(note('a', { text: ' ' }))
    expect(drafts.size).toBe(0)
  })

  it('keeps a note while it is sent, and drops it once the server has it', async () => {
    const { store, drafts } = memoryStore()
    const kept: string[] = []
    const send = vi.fn(async (sent: NoteDraft) => void kept.push(...[...drafts.keys()].filter((id) => id === sent.id)))
    const queue = createNoteQueue({ store, send })
    expect(await queue.submit(note('a'), () => true)).toEqual({ kind: 'sent' })
    expect(kept).toEqual(['a'])
    expect(drafts.size).toBe(0)
  })

  it('queues a note on a failure a retry may cure', async () => {
    const { store, drafts } = memoryStore()
    const queue = createNoteQueue({ store, send: vi.fn().mockRejectedValue(new ApiFailure(0, 'network', 'offline')) })
    const outcome = await queue.submit(note('a'), () => true)
    expect(outcome).toEqual({ kind: 'queued', note: { ...note('a'), state: 'queued' } })
    expect(drafts.get('a')?.state).toBe('queued')
  })

  it('never queues a note typed in a preview: it comes back with the reason, whatever failed', async () => {
    const { store, drafts } = memoryStore()
    const preview = { userId: 'lina', previewBy: 'wanglei' }
    const send = vi.fn().mockRejectedValue(new ApiFailure(401, 'unauthorized', 'Sign in through WeCom first'))
    const queue = createNoteQueue({ store, send, writer: () => preview })
    const typed = { ...blankNote('wmAlice', preview), text: '预览里写的' }
    expect(typed).toMatchObject({ author: 'lina', previewBy: 'wanglei' })
    const outcome = await queue.submit(typed, () => true)
    expect(outcome).toMatchObject({ kind: 'returned', reason: expect.any(String) })
    expect([...drafts.values()].filter((d) => d.state === 'queued')).toEqual([])
  })

  it('marks a note begun before the preview was known as the preview’s, so it is never queued either', async () => {
    const { store, drafts } = memoryStore()
    const send = vi.fn().mockRejectedValue(new ApiFailure(0, 'network', 'offline'))
    const queue = createNoteQueue({ store, send, writer: () => ({ userId: 'lina', previewBy: 'wanglei' }) })
    const outcome = await queue.submit({ ...blankNote('wmAlice'), text: '打开时还不知道是预览' }, () => true)
    expect(outcome).toMatchObject({ kind: 'returned', note: { author: 'lina', previewBy: 'wanglei' } })
    expect([...drafts.values()].filter((d) => d.state === 'queued')).toEqual([])
  })

  it('puts a refused note back in a free composer, or lists it with the reason', async () => {
    const { store, drafts } = memoryStore()
    const refusal = new ApiFailure(403, 'forbidden', '不是你的客户')
    const queue = createNoteQueue({ store, send: vi.fn().mockRejectedValue(refusal) })
    expect(await queue.submit(note('a'), () => true)).toEqual({ kind: 'returned', note: note('a'), reason: '不是你的客户' })
    // Kept as a draft in progress, as it was before she saved.
    expect(drafts.get('a')?.state).toBe('editing')

    const refused = await queue.submit(note('b'), () => false)
    expect(refused).toEqual({
      kind: 'refused',
      note: { ...note('b'), state: 'queued', error: '不是你的客户' },
      reason: '不是你的客户',
    })
    expect(drafts.get('b')).toMatchObject({ state: 'queued', error: '不是你的客户' })
  })

  it('sends and answers as usual when storage fails, reporting each step', async () => {
    const { store, state } = memoryStore()
    state.broken = true
    const send = vi.fn().mockResolvedValue({})
    const queue = createNoteQueue({ store, send })
    expect(await queue.submit(note('a'), () => true)).toEqual({ kind: 'sent' })
    expect(send).toHaveBeenCalledWith(note('a'))
    send.mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline'))
    expect((await queue.submit(note('b'), () => true)).kind).toBe('queued')
    expect(await queue.flush()).toBe(0)
    await queue.requeue(note('c'))
    await queue.discard('c')
    await queue.keep(note('d'))
    expect(reported.map(([what]) => what)).toEqual([
      'keep the note while it is sent',
      'drop the sent note',
      'keep the note while it is sent',
      'queue the note',
      'send the queued notes',
      'queue the note again',
      'discard the note',
      'keep the note draft',
    ])
  })

  it('flushes, requeues without the old reason, and discards', async () => {
    const { store, drafts, state } = memoryStore([note('r', { state: 'queued', error: '不是你的客户' })])
    const queue = createNoteQueue({ store, send: vi.fn() })
    state.flushed = 2
    expect(await queue.flush()).toBe(2)
    await queue.requeue(drafts.get('r')!)
    expect(drafts.get('r')).not.toHaveProperty('error')
    await queue.discard('r')
    expect(drafts.size).toBe(0)
  })

  it('tells where a retried note stands', () => {
    expect(retryOutcome([], 'a')).toEqual({ kind: 'sent' })
    expect(retryOutcome([note('a', { state: 'queued' })], 'a')).toEqual({ kind: 'waiting' })
    expect(retryOutcome([note('a', { state: 'queued', error: '不行' })], 'a')).toEqual({ kind: 'refused', reason: '不行' })
  })
})

describe('the draft keeper', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keeps the note after a pause in her typing, once', () => {
    const keep = vi.fn()
    const keeper = createDraftKeeper(keep, 300)
    keeper.changed(note('a', { text: '下' }))
    vi.advanceTimersByTime(200)
    keeper.changed(note('a', { text: '下周' }))
    vi.advanceTimersByTime(299)
    expect(keep).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(keep.mock.calls).toEqual([[note('a', { text: '下周' })]])
  })

  it('keeps the previous note at once when another takes its place', () => {
    const keep = vi.fn()
    const keeper = createDraftKeeper(keep, 300)
    keeper.changed(note('a'))
    keeper.changed(note('b'))
    expect(keep.mock.calls).toEqual([[note('a')]])
  })

  it('keeps at once when she leaves, and nothing after a note went to the server', () => {
    const keep = vi.fn()
    const keeper = createDraftKeeper(keep, 300)
    keeper.changed(note('a'))
    keeper.now()
    expect(keep).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1000)
    expect(keep).toHaveBeenCalledTimes(1)

    keeper.changed(note('b'))
    keeper.forget()
    keeper.now()
    vi.advanceTimersByTime(1000)
    expect(keep).toHaveBeenCalledTimes(1)
  })
})
