import { describe, expect, it } from 'vitest'
import { draftOf, onServerChange, sameDraft } from '../../src/components/manage/reply-draft'
import type { Reply } from '../../src/shared/replies'

const saved: Reply = {
  id: 'r1',
  scope: 'corp',
  groupId: 'g1',
  title: '洗护提醒',
  parts: [{ type: 'text', text: '第一次洗建议冷水手洗。' }],
  tags: ['复购'],
  stages: ['after_purchase'],
  position: 2,
  retired: false,
  updatedAt: '2026-11-25T04:00:00.000Z',
}
const later = (change: Partial<Reply>): Reply => ({ ...saved, updatedAt: '2026-11-25T04:00:01.000Z', ...change })
const edited = { ...draftOf(saved), title: '洗护提醒（羊毛）' }

describe('the manager’s editor when the desk is read again', () => {
  it('keeps her edits when the reply she edits was moved or retired, and edits on top of the moved copy', () => {
    expect(onServerChange(saved, later({ position: 0 }), edited)).toBe('rebase')
    expect(onServerChange(saved, later({ groupId: 'g2', position: 0 }), edited)).toBe('rebase')
    expect(onServerChange(saved, later({ retired: true }), edited)).toBe('rebase')
  })

  it('shows the new copy when nothing of hers would be lost', () => {
    // No edits of hers.
    expect(onServerChange(saved, later({ groupId: 'g2' }), draftOf(saved))).toBe('reset')
    expect(onServerChange(saved, later({ title: '别人改的' }), draftOf(saved))).toBe('reset')
    // Her own save: the server says what she wrote.
    expect(onServerChange(saved, later({ title: '洗护提醒（羊毛）' }), edited)).toBe('reset')
    // Another reply, or a new one.
    expect(onServerChange(saved, { ...saved, id: 'r2' }, edited)).toBe('reset')
    expect(onServerChange(null, saved, edited)).toBe('reset')
  })

  it('keeps her edits and the copy she started from when someone else changed the wording', () => {
    expect(onServerChange(saved, later({ title: '别人改的' }), edited)).toBe('conflict')
    expect(onServerChange(saved, later({ parts: [{ type: 'text', text: '别人改的' }], groupId: 'g2' }), edited)).toBe('conflict')
  })

  it('compares wording, not spaces around the title or the order of stages', () => {
    expect(sameDraft({ ...draftOf(saved), title: ' 洗护提醒 ' }, draftOf(saved))).toBe(true)
    const stages = { ...draftOf(saved), stages: ['after_purchase', 'new_customer'] as Reply['stages'] }
    expect(sameDraft(stages, { ...stages, stages: ['new_customer', 'after_purchase'] })).toBe(true)
    expect(sameDraft({ ...draftOf(saved), tags: [] }, draftOf(saved))).toBe(false)
  })
})
