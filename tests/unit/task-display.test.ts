import { describe, expect, it } from 'vitest'
import {
  birthdayText,
  customerLabel,
  daysBetween,
  dueText,
  emptyState,
  groupTasks,
  localDay,
  profileRoute,
  skipReason,
  suggestionAction,
} from '../../src/components/tasks/task-display'
import { parseSuggestion, suggestionQuery } from '../../src/components/tasks/task-suggestion'
import type { Task } from '../../src/shared/tasks'

function task(id: string, dueDate: string, overrides: Partial<Task> = {}): Task {
  return {
    id,
    kind: 'follow_up',
    status: 'todo',
    dueDate,
    title: `任务${id}`,
    reason: '',
    customer: { externalUserId: `wm${id}`, name: `Nick${id}`, remark: '', avatar: null },
    createdAt: '2026-11-20T04:00:00.000Z',
    completedAt: null,
    skipReason: null,
    suggestion: null,
    ...overrides,
  }
}

describe('grouping by due day', () => {
  it('puts each task in overdue, today or upcoming, keeping the server order inside a group', () => {
    const list = [task('a', '2026-11-26'), task('b', '2026-11-20'), task('c', '2026-11-25'), task('d', '2026-11-24')]
    const groups = groupTasks(list, '2026-11-25')
    expect(groups.overdue.map((t) => t.id)).toEqual(['b', 'd'])
    expect(groups.today.map((t) => t.id)).toEqual(['c'])
    expect(groups.upcoming.map((t) => t.id)).toEqual(['a'])
  })

  it('reads the calendar day on the device', () => {
    const noon = new Date(2026, 0, 5, 12, 0, 0).getTime()
    expect(localDay(noon)).toBe('2026-01-05')
  })
})

describe('dates in words', () => {
  it('counts whole days across months and years', () => {
    expect(daysBetween('2026-11-25', '2026-11-25')).toBe(0)
    expect(daysBetween('2026-11-25', '2026-12-02')).toBe(7)
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1)
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2)
  })

  it('says today, tomorrow, how overdue, or the date', () => {
    expect(dueText('2026-11-25', '2026-11-25', 'zh-CN')).toBe('今天')
    expect(dueText('2026-11-26', '2026-11-25', 'zh-CN')).toBe('明天')
    expect(dueText('2026-11-22', '2026-11-25', 'zh-CN')).toBe('逾期 3 天')
    expect(dueText('2026-12-08', '2026-11-25', 'zh-CN')).toBe('12月8日')
    expect(dueText('2026-11-22', '2026-11-25', 'en-US')).toBe('3 days overdue')
  })

  it('writes a birthday as M月D日, 29 February included', () => {
    expect(birthdayText('12-08', 'zh-CN')).toBe('12月8日')
    expect(birthdayText('02-29', 'zh-CN')).toBe('2月29日')
    expect(birthdayText('01-03', 'en-US')).toBe('Jan 3')
    expect(birthdayText('bad', 'zh-CN')).toBe('bad')
  })
})

describe('names and empty states', () => {
  it('calls her by the remark the guide gave her, else her WeCom name', () => {
    expect(customerLabel({ name: 'Coco', remark: '王女士 VIP' })).toBe('王女士 VIP')
    expect(customerLabel({ name: 'Coco', remark: '  ' })).toBe('Coco')
    expect(customerLabel({ name: '', remark: '' })).toBe('?')
  })

  it('says what to do for each status, and for a kind with nothing in it', () => {
    expect(emptyState('todo', false)).toEqual({ title: 'tasks.empty.todo', hint: 'tasks.empty.todoHint' })
    expect(emptyState('skipped', false)).toEqual({ title: 'tasks.empty.skipped', hint: 'tasks.empty.skippedHint' })
    expect(emptyState('done', true)).toEqual({ title: 'tasks.empty.kind', hint: 'tasks.empty.kindHint' })
  })
})

describe('suggestions', () => {
  it('round-trips through the route query and rejects anything else', () => {
    const coupon = { type: 'coupon' as const, id: 'tpl_birthday' }
    expect(suggestionQuery(coupon)).toBe('coupon:tpl_birthday')
    expect(parseSuggestion('coupon:tpl_birthday')).toEqual(coupon)
    expect(parseSuggestion('reply:r:1')).toEqual({ type: 'reply', id: 'r:1' })
    expect(parseSuggestion('lookbook:x')).toBeNull()
    expect(parseSuggestion('coupon:')).toBeNull()
    expect(parseSuggestion(['coupon:a'])).toBeNull()
    expect(parseSuggestion(undefined)).toBeNull()
  })

  it('opens her profile with the task and its suggestion', () => {
    expect(profileRoute(task('7', '2026-11-25', { suggestion: { type: 'bundle', id: 'b1' } }))).toEqual({
      name: 'customer',
      params: { externalUserId: 'wm7' },
      query: { task: '7', suggest: 'bundle:b1' },
    })
    expect(profileRoute(task('8', '2026-11-25'))).toEqual({
      name: 'customer',
      params: { externalUserId: 'wm8' },
      query: { task: '8' },
    })
  })

  it('copies a reply on the workbench and prepares anything else on her profile', () => {
    expect(suggestionAction({ type: 'reply', id: 'r1' })).toEqual({ kind: 'copy', label: 'tasks.action.copyReply' })
    expect(suggestionAction({ type: 'coupon', id: 't1' })).toEqual({ kind: 'open', label: 'tasks.action.coupon' })
    expect(suggestionAction({ type: 'bundle', id: 'b1' })).toEqual({ kind: 'open', label: 'tasks.action.bundle' })
    expect(suggestionAction(null)).toBeNull()
  })
})

describe('skip reason', () => {
  it('is trimmed, required and at most 100 characters, counted as the server counts them', () => {
    expect(skipReason('  已通过电话联系 ')).toBe('已通过电话联系')
    expect(skipReason('   ')).toBeNull()
    expect(skipReason('字'.repeat(100))).toBe('字'.repeat(100))
    expect(skipReason('字'.repeat(101))).toBeNull()
    // 100 emoji are 200 UTF-16 units but 100 characters.
    expect(skipReason('🎂'.repeat(100))).toBe('🎂'.repeat(100))
  })
})
