import { IDBFactory } from 'fake-indexeddb'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import CustomerNotesCard from '../../src/components/memory/CustomerNotesCard.vue'
import { idb, resetDatabaseForTests } from '../../src/offline/idb'
import { draftsFor, saveDraft, type NoteDraft } from '../../src/offline/note-drafts'
import type { Me } from '../../src/shared/auth'
import { useSessionStore } from '../../src/stores/session'
import type { Note } from '../../src/shared/memory'
import { deferred, flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ createNote: vi.fn() }))
vi.mock('@/api/memory', () => ({
  createNote: api.createNote,
  fetchTimeline: vi.fn(async () => ({ items: [], nextCursor: null })),
}))

function note(id: string, overrides: Partial<NoteDraft> = {}): NoteDraft {
  return {
    id,
    externalUserId: 'wmAlice',
    text: `note ${id}`,
    nextFollowUp: null,
    outcome: null,
    state: 'queued',
    updatedAt: 0,
    author: 'lina',
    ...overrides,
  }
}

/** IndexedDB answers on its own clock, not in microtasks. */
const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const LINA: Me = { userId: 'lina', name: '李娜', role: 'guide' }

/** The card as lina finds it; `me`: someone else signed in on this browser (a manager's preview, …). */
async function mountCard(me: Me = LINA) {
  const { wrapper } = await mountPage(CustomerNotesCard, { externalUserId: 'wmAlice' }, (pinia) => {
    useSessionStore(pinia).me = me
  })
  await settle()
  const composer = () => wrapper.get('[data-testid=note-text] textarea').element as HTMLTextAreaElement
  const type = async (text: string) => {
    await wrapper.get('[data-testid=note-text] textarea').setValue(text)
  }
  const submit = async () => {
    await wrapper.get('form').trigger('submit')
    await flushPromises()
  }
  return { wrapper, composer, type, submit }
}

const toast = () => document.querySelector('.van-toast__text')?.textContent ?? ''

/** Every draft this browser keeps, whoever wrote it. */
const allDrafts = () => idb.all<NoteDraft>('note-drafts')

describe('CustomerNotesCard', () => {
  beforeEach(() => {
    // A fresh database for every test.
    globalThis.indexedDB = new IDBFactory()
    resetDatabaseForTests()
    api.createNote.mockReset()
  })

  it('keeps what she was typing when she leaves mid-sentence', async () => {
    const { wrapper, type } = await mountCard()
    await type('下周三来试穿')
    // Switched customer before the pause that would have kept it.
    wrapper.unmount()
    await settle()
    expect((await draftsFor('wmAlice', { userId: 'lina' })).map((d) => [d.state, d.text])).toEqual([['editing', '下周三来试穿']])
  })

  it('refreshes the waiting notes without touching the one being typed', async () => {
    await saveDraft(note('offline'))
    const sending = deferred<Note>()
    api.createNote.mockReturnValueOnce(sending.promise)
    const { wrapper, composer, type } = await mountCard()
    expect(wrapper.get('[data-testid=notes-pending]').text()).toContain('note offline')

    await type('她说下周再来')
    sending.resolve({} as Note)
    await settle()
    expect(composer().value).toBe('她说下周再来')
    expect(wrapper.find('[data-testid=notes-pending]').exists()).toBe(false)
  })

  it('clears the composer at once and brings the text back when the server refuses it', async () => {
    const sending = deferred<Note>()
    api.createNote.mockReturnValueOnce(sending.promise)
    const { composer, type, submit } = await mountCard()
    await type('想要燕麦色大衣')
    await submit()
    expect(composer().value).toBe('')
    expect(api.createNote).toHaveBeenCalledWith('wmAlice', expect.objectContaining({ text: '想要燕麦色大衣' }))

    sending.reject(new ApiFailure(403, 'forbidden', 'This customer is not one of your contacts'))
    await settle()
    expect(composer().value).toBe('想要燕麦色大衣')
    expect(toast()).toContain('没有保存：This customer is not one of your contacts')
  })

  it('keeps the composer clear and queues the note when the session expired', async () => {
    api.createNote.mockRejectedValueOnce(new ApiFailure(401, 'unauthorized', 'Sign in again'))
    const { wrapper, composer, type, submit } = await mountCard()
    await type('记得寄样品')
    await submit()
    await settle()
    expect(composer().value).toBe('')
    expect(wrapper.get('[data-testid=notes-pending]').text()).toContain('记得寄样品')
    expect(wrapper.find('[data-testid=note-retry]').exists()).toBe(false)
    expect((await draftsFor('wmAlice', { userId: 'lina' })).map((d) => [d.state, d.text, d.error])).toEqual([
      ['queued', '记得寄样品', undefined],
    ])
  })

  it('never queues a note typed in a preview, even when the session has ended', async () => {
    api.createNote.mockRejectedValueOnce(new ApiFailure(401, 'unauthorized', 'Sign in through WeCom first'))
    const { wrapper, composer, type, submit } = await mountCard({ ...LINA, preview: { by: 'wanglei', name: '王蕾' } })
    await type('预览里写的')
    await submit()
    await settle()
    expect(composer().value).toBe('预览里写的')
    expect(wrapper.find('[data-testid=notes-pending]').exists()).toBe(false)
    expect(toast()).toContain('没有保存')
    // Nothing waits to be sent by anyone: every draft kept is the one in her composer.
    const kept = await allDrafts()
    expect(kept.filter((d) => d.state === 'queued')).toEqual([])
    expect(kept.every((d) => d.previewBy === 'wanglei')).toBe(true)
  })

  it("shows a writer only her own notes: not another's on this browser", async () => {
    await saveDraft(note('hers'))
    await saveDraft(note('his', { author: 'wanglei', text: '店长自己的' }))
    await saveDraft(note('previewed', { previewBy: 'wanglei', text: '预览里写的' }))
    api.createNote.mockRejectedValue(new ApiFailure(0, 'network', 'offline'))
    const { wrapper } = await mountCard()
    expect(wrapper.get('[data-testid=notes-pending]').text()).toContain('note hers')
    expect(wrapper.get('[data-testid=notes-pending]').text()).not.toContain('店长自己的')
    expect(wrapper.get('[data-testid=notes-pending]').text()).not.toContain('预览里写的')
  })

  it('offers a retry for a note the server refused, and the retry sends it', async () => {
    await saveDraft(note('refused', { error: 'This customer is not one of your contacts' }))
    const { wrapper } = await mountCard()
    expect(api.createNote).not.toHaveBeenCalled()
    expect(wrapper.get('[data-testid=notes-pending]').text()).toContain('未发送：This customer is not one of your contacts')

    api.createNote.mockResolvedValueOnce({})
    await wrapper.get('[data-testid=note-retry]').trigger('click')
    await settle()
    expect(api.createNote).toHaveBeenCalledWith('wmAlice', expect.objectContaining({ id: 'refused', text: 'note refused' }))
    expect(wrapper.find('[data-testid=notes-pending]').exists()).toBe(false)
    expect(await draftsFor('wmAlice', { userId: 'lina' })).toEqual([])
    expect(toast()).toBe('已记录')
  })

  it('offers quick follow-up dates counted from today, and no day before it', async () => {
    api.createNote.mockResolvedValueOnce({} as Note)
    const { wrapper, type, submit } = await mountCard()
    const input = wrapper.get('[data-testid=note-follow-up]')
    // NOW is 2026-11-25, 12:00 in Shanghai.
    expect(input.attributes('min')).toBe('2026-11-25')
    const picks = { tomorrow: '2026-11-26', in3Days: '2026-11-28', nextWeek: '2026-12-02', nextMonth: '2026-12-25' }
    for (const [pick, date] of Object.entries(picks)) {
      await wrapper.get(`[data-testid=note-pick-${pick}]`).trigger('click')
      expect((input.element as HTMLInputElement).value).toBe(date)
      expect(wrapper.get(`[data-testid=note-pick-${pick}]`).attributes('aria-pressed')).toBe('true')
    }
    // The chip that is on turns it off again.
    await wrapper.get('[data-testid=note-pick-nextMonth]').trigger('click')
    expect((input.element as HTMLInputElement).value).toBe('')

    await wrapper.get('[data-testid=note-pick-in3Days]').trigger('click')
    await type('下周再约她来试穿')
    await submit()
    expect(api.createNote).toHaveBeenCalledWith('wmAlice', expect.objectContaining({ nextFollowUp: '2026-11-28' }))
  })

  it('keeps a note with a past follow-up date in the composer and says why', async () => {
    const { wrapper, composer, type, submit } = await mountCard()
    await type('上周说好的')
    await wrapper.get('[data-testid=note-follow-up]').setValue('2026-11-24')
    await submit()
    expect(api.createNote).not.toHaveBeenCalled()
    expect(composer().value).toBe('上周说好的')
    expect(toast()).toBe('跟进日期不能早于今天')
  })

  it('shows the new reason when a retried note is refused again', async () => {
    await saveDraft(note('refused', { error: 'old reason' }))
    const { wrapper } = await mountCard()
    api.createNote.mockRejectedValueOnce(new ApiFailure(404, 'not_found', 'Customer not found'))
    await wrapper.get('[data-testid=note-retry]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid=notes-pending]').text()).toContain('未发送：Customer not found')
    expect(wrapper.find('[data-testid=note-retry]').exists()).toBe(true)
  })
})
