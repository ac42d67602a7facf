import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, KeepAlive, ref } from 'vue'
import TaskList from '../../src/components/tasks/TaskList.vue'
import { ApiFailure } from '../../src/api/http'
import type { CopyPlan } from '../../src/shared/replies'
import type { Task, TaskList as TaskPage } from '../../src/shared/tasks'
import { NOW } from '../helpers/fixtures'
import { deferred, flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchTasks: vi.fn(),
  completeTask: vi.fn(),
  skipTask: vi.fn(),
  fetchBirthdays: vi.fn(),
}))
vi.mock('@/api/tasks', () => api)

const replies = vi.hoisted(() => ({ fetchCopyPlan: vi.fn(), reportSend: vi.fn() }))
vi.mock('@/api/replies', async (original) => ({
  ...(await original<typeof import('../../src/api/replies')>()),
  fetchCopyPlan: replies.fetchCopyPlan,
  reportSend: replies.reportSend,
}))

const toasts = vi.hoisted(() => [] as string[])
vi.mock('vant', async (original) => {
  const vant = await original<typeof import('vant')>()
  return {
    ...vant,
    showToast: (options: Parameters<typeof vant.showToast>[0]) => {
      toasts.push(typeof options === 'string' ? options : String(options?.message ?? ''))
      return vant.showToast(options)
    },
  }
})

/** `YYYY-MM-DD` `days` from the test's today, on the device's calendar as the list reads it. */
function day(days: number): string {
  const d = new Date(NOW + days * 86_400_000)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

function task(id: string, dueIn: number, overrides: Partial<Task> = {}): Task {
  return {
    id,
    kind: 'follow_up',
    status: 'todo',
    dueDate: day(dueIn),
    title: `任务${id}`,
    reason: `原因${id}`,
    customer: { externalUserId: `wm${id}`, name: `Nick${id}`, remark: `客户${id}`, avatar: null },
    createdAt: new Date(NOW - 86_400_000).toISOString(),
    completedAt: null,
    skipReason: null,
    suggestion: null,
    ...overrides,
  }
}

const page = (items: Task[], nextCursor: string | null = null): TaskPage => ({ items, nextCursor })
const ids = (wrapper: { findAll: (s: string) => { attributes: (n: string) => string | undefined }[] }) =>
  wrapper.findAll('[data-testid^=task-t]').map((row) => row.attributes('data-testid'))

describe('TaskList', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    toasts.length = 0
    api.completeTask.mockResolvedValue(undefined)
    api.skipTask.mockResolvedValue(undefined)
    replies.reportSend.mockResolvedValue(undefined)
  })

  it('groups open tasks by due day and says what each is, for whom and why', async () => {
    api.fetchTasks.mockResolvedValueOnce(
      page([
        task('t1', -2, { kind: 'birthday', title: '生日问候', reason: '生日 12月8日 · 上次购买 3个月前' }),
        task('t2', 0, { kind: 'after_purchase', customer: { externalUserId: 'wm2', name: 'Coco', remark: '', avatar: null } }),
        task('t3', 3, { kind: 'coupon_expiring' }),
      ]),
    )
    const { wrapper } = await mountPage(TaskList)
    expect(api.fetchTasks).toHaveBeenCalledWith(expect.objectContaining({ status: 'todo', limit: 30 }), expect.anything())
    expect(api.fetchTasks.mock.calls[0]![0]).not.toHaveProperty('kind', expect.anything())
    const overdue = wrapper.get('[data-testid=task-group-overdue]')
    expect(overdue.text()).toContain('已逾期 · 1')
    const t1 = overdue.get('[data-testid=task-t1]')
    expect(t1.text()).toContain('生日')
    expect(t1.text()).toContain('客户t1')
    expect(t1.text()).toContain('生日问候')
    expect(t1.text()).toContain('生日 12月8日 · 上次购买 3个月前')
    expect(t1.get('[data-testid=task-when]').text()).toBe('逾期 2 天')
    expect(t1.get('[data-testid=task-when]').classes()).toContain('task__when--overdue')
    const today = wrapper.get('[data-testid=task-group-today]')
    expect(today.text()).toContain('购后关怀')
    // No remark: her WeCom name.
    expect(today.get('[data-testid=task-t2]').text()).toContain('Coco')
    expect(wrapper.get('[data-testid=task-group-upcoming] [data-testid=task-t3]').text()).toContain('券即将到期')
  })

  it('shows the other statuses with how each ended, and says what to do when one is empty', async () => {
    api.fetchTasks.mockResolvedValueOnce(page([task('t1', 0)]))
    const { wrapper } = await mountPage(TaskList)
    api.fetchTasks.mockResolvedValueOnce(page([task('t5', -1, { status: 'skipped', skipReason: '客户不希望被打扰' })]))
    await wrapper.get('[data-testid=tab-skipped]').trigger('click')
    await flushPromises()
    expect(api.fetchTasks).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'skipped' }), expect.anything())
    const row = wrapper.get('[data-testid=task-t5]')
    expect(row.text()).toContain('跳过：客户不希望被打扰')
    // A closed task has nothing left to do but open her profile.
    expect(row.find('[data-testid=task-complete]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=task-t1]').exists()).toBe(false)

    api.fetchTasks.mockResolvedValueOnce(page([]))
    await wrapper.get('[data-testid=tab-expired]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=task-empty]').text()).toContain('没有过期的任务')
    expect(wrapper.get('[data-testid=task-empty]').text()).toContain('过了截止日还没处理的任务会放在这里')
  })

  it('filters by kind and says so when a kind has nothing', async () => {
    api.fetchTasks.mockResolvedValueOnce(page([task('t1', 0)]))
    const { wrapper } = await mountPage(TaskList)
    api.fetchTasks.mockResolvedValueOnce(page([]))
    await wrapper.get('[data-testid=kind-birthday]').trigger('click')
    await flushPromises()
    expect(api.fetchTasks).toHaveBeenLastCalledWith(
      expect.objectContaining({ status: 'todo', kind: 'birthday' }),
      expect.anything(),
    )
    expect(wrapper.get('[data-testid=task-empty]').text()).toContain('这一类没有任务')
    api.fetchTasks.mockResolvedValueOnce(page([task('t9', 0)]))
    await wrapper.get('[data-testid=kind-all]').trigger('click')
    await flushPromises()
    expect(ids(wrapper)).toEqual(['task-t9'])
  })

  it('pages on with the cursor the server gave', async () => {
    api.fetchTasks
      .mockResolvedValueOnce(page([task('t1', 0), task('t2', 0)], 'c2'))
      .mockResolvedValueOnce(page([task('t3', 1)], null))
    const { wrapper } = await mountPage(TaskList)
    await flushPromises()
    expect(api.fetchTasks).toHaveBeenCalledTimes(2)
    expect(api.fetchTasks.mock.calls[0]![0]).toMatchObject({ status: 'todo' })
    expect(api.fetchTasks.mock.calls[0]![0].cursor).toBeUndefined()
    expect(api.fetchTasks.mock.calls[1]![0]).toMatchObject({ status: 'todo', cursor: 'c2' })
    expect(ids(wrapper)).toEqual(['task-t1', 'task-t2', 'task-t3'])
    expect(wrapper.text()).toContain('没有更多了')
  })

  it('completes at once, and puts the task back with the reason when the server refuses', async () => {
    api.fetchTasks.mockResolvedValueOnce(page([task('t1', 0), task('t2', 0)]))
    const { wrapper } = await mountPage(TaskList)
    const pending = deferred<void>()
    api.completeTask.mockReturnValueOnce(pending.promise)
    await wrapper.get('[data-testid=task-t1] [data-testid=task-complete]').trigger('click')
    // Gone before the server has answered.
    expect(ids(wrapper)).toEqual(['task-t2'])
    expect(api.completeTask).toHaveBeenCalledWith('t1')
    pending.resolve()
    await flushPromises()
    expect(ids(wrapper)).toEqual(['task-t2'])
    expect(toasts).toContain('已完成')

    const refused = deferred<void>()
    api.completeTask.mockReturnValueOnce(refused.promise)
    await wrapper.get('[data-testid=task-t2] [data-testid=task-complete]').trigger('click')
    expect(ids(wrapper)).toEqual([])
    refused.reject(new ApiFailure(404, 'not_found', '任务不存在'))
    await flushPromises()
    expect(ids(wrapper)).toEqual(['task-t2'])
    expect(toasts).toContain('没有完成：任务不存在')
  })

  it('skips with a reason picked or written, never an empty one', async () => {
    api.fetchTasks.mockResolvedValueOnce(page([task('t1', 0), task('t2', 0)]))
    const { wrapper } = await mountPage(TaskList)
    await wrapper.get('[data-testid=task-t1] [data-testid=task-skip]').trigger('click')
    await flushPromises()
    const confirm = () => document.body.querySelector<HTMLButtonElement>('[data-testid=skip-confirm]')!
    expect(confirm().disabled).toBe(true)
    document.body.querySelector<HTMLButtonElement>('[data-testid=skip-reason-1]')!.click()
    await flushPromises()
    expect(confirm().disabled).toBe(false)
    confirm().click()
    await flushPromises()
    expect(api.skipTask).toHaveBeenCalledWith('t1', '客户不希望被打扰')
    expect(ids(wrapper)).toEqual(['task-t2'])
    expect(toasts).toContain('已跳过')

    // Her own words, trimmed; a refusal brings the task back.
    api.skipTask.mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline'))
    await wrapper.get('[data-testid=task-t2] [data-testid=task-skip]').trigger('click')
    await flushPromises()
    const field = document.body.querySelector<HTMLTextAreaElement>('[data-testid=task-skip-sheet] textarea')!
    field.value = '  她下周才回国  '
    field.dispatchEvent(new Event('input'))
    await flushPromises()
    confirm().click()
    await flushPromises()
    expect(api.skipTask).toHaveBeenLastCalledWith('t2', '她下周才回国')
    expect(ids(wrapper)).toEqual(['task-t2'])
    expect(toasts.at(-1)).toMatch(/^没有跳过：/)
  })

  it('opens her profile, with a coupon or outfit suggestion pre-selected there', async () => {
    api.fetchTasks.mockResolvedValueOnce(
      page([
        task('t1', 0, { kind: 'birthday', suggestion: { type: 'coupon', id: 'tpl_bday' } }),
        task('t2', 0, { suggestion: { type: 'bundle', id: 'b7' } }),
        task('t3', 0),
      ]),
    )
    const { wrapper, router } = await mountPage(TaskList)
    expect(wrapper.get('[data-testid=task-t3]').find('[data-testid=task-suggest]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=task-t2] [data-testid=task-suggest]').text()).toBe('去发搭配')
    const coupon = wrapper.get('[data-testid=task-t1] [data-testid=task-suggest]')
    expect(coupon.text()).toBe('去发券')
    await coupon.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/customers/wmt1')
    expect(router.currentRoute.value.query).toEqual({ task: 't1', suggest: 'coupon:tpl_bday' })

    await router.push('/')
    await wrapper.get('[data-testid=task-t3] [data-testid=task-open]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/customers/wmt3?task=t3')
  })

  it('copies a suggested reply filled in for her, since nothing can be sent from the workbench', async () => {
    const writeText = vi.fn(async () => undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const plan: CopyPlan = { replyId: 'r1', parts: [{ msgtype: 'text', text: { content: '王姐，生日快乐！' } }] }
    replies.fetchCopyPlan.mockResolvedValueOnce(plan)
    api.fetchTasks.mockResolvedValueOnce(page([task('t1', 0, { kind: 'birthday', suggestion: { type: 'reply', id: 'r1' } })]))
    const { wrapper, router } = await mountPage(TaskList)
    const button = wrapper.get('[data-testid=task-t1] [data-testid=task-suggest]')
    expect(button.text()).toBe('复制话术')
    await button.trigger('click')
    await flushPromises()
    expect(replies.fetchCopyPlan).toHaveBeenCalledWith('r1', { externalUserId: 'wmt1' })
    expect(writeText).toHaveBeenCalledWith('王姐，生日快乐！')
    expect(toasts).toContain('话术已复制，去聊天里粘贴')
    expect(replies.reportSend).toHaveBeenCalledWith('r1', expect.objectContaining({ externalUserId: 'wmt1', copied: true }))
    // Copying is not sending: the task stays open and she stays on the list.
    expect(api.completeTask).not.toHaveBeenCalled()
    expect(router.currentRoute.value.fullPath).toBe('/')

    replies.fetchCopyPlan.mockRejectedValueOnce(new ApiFailure(404, 'not_found', '话术已停用'))
    await button.trigger('click')
    await flushPromises()
    expect(toasts.at(-1)).toBe('没有复制：话术已停用')
  })

  it('reads the list again when she comes back from a profile she opened from it', async () => {
    api.fetchTasks.mockResolvedValue(page([task('t1', 0)]))
    const shown = ref(true)
    // The workbench is kept alive between screens, as App.vue does.
    const Host = defineComponent(() => () => h(KeepAlive, null, [shown.value ? h(TaskList) : h('p')]))
    const { wrapper } = await mountPage(Host)
    expect(api.fetchTasks).toHaveBeenCalledTimes(1)
    // Away and back without opening anyone: nothing to read again.
    shown.value = false
    await flushPromises()
    shown.value = true
    await flushPromises()
    expect(api.fetchTasks).toHaveBeenCalledTimes(1)
    await wrapper.get('[data-testid=task-t1] [data-testid=task-open]').trigger('click')
    shown.value = false
    await flushPromises()
    api.fetchTasks.mockResolvedValue(page([task('t2', 0)]))
    shown.value = true
    await flushPromises()
    expect(api.fetchTasks).toHaveBeenCalledTimes(2)
    expect(ids(wrapper)).toEqual(['task-t2'])
  })

  it('offers a retry when the list fails to load', async () => {
    api.fetchTasks.mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline')).mockResolvedValueOnce(page([task('t4', 0)]))
    const { wrapper } = await mountPage(TaskList)
    expect(wrapper.text()).toContain('加载失败，点击重试')
    await wrapper.get('.van-list__error-text').trigger('click')
    await flushPromises()
    expect(ids(wrapper)).toEqual(['task-t4'])
  })
})

describe('birthdays', () => {
  beforeEach(() => {
    vi.clearAllMocks()
  })

  it('lists next month’s birthdays with her last purchase and orders, and this month’s on a tap', async () => {
    api.fetchTasks.mockResolvedValue(page([]))
    api.fetchBirthdays.mockResolvedValueOnce({
      month: day(40).slice(0, 7),
      items: [
        {
          customer: { externalUserId: 'wmA', name: 'Anna', remark: '安娜', avatar: null },
          birthday: '12-08',
          lastPurchaseAt: new Date(NOW - 12 * 86_400_000).toISOString(),
          ordersLastYear: 4,
          taskId: null,
        },
        {
          customer: { externalUserId: 'wmB', name: 'Bella', remark: '', avatar: null },
          birthday: '12-21',
          lastPurchaseAt: null,
          ordersLastYear: 0,
          taskId: 'tb',
        },
      ],
    })
    const { wrapper, router } = await mountPage(TaskList)
    await wrapper.get('[data-testid=tab-birthdays]').trigger('click')
    await flushPromises()
    expect(api.fetchBirthdays).toHaveBeenCalledWith('next')
    const anna = wrapper.get('[data-testid=birthday-wmA]')
    expect(anna.text()).toContain('安娜')
    expect(anna.text()).toContain('12月8日')
    expect(anna.text()).toContain('上次购买 12天前')
    expect(anna.text()).toContain('一年 4 单')
    expect(wrapper.get('[data-testid=birthday-wmB]').text()).toContain('还没有购买')
    expect(wrapper.text()).toContain('2 位客户')
    // Her birthday task, once written, rides along.
    await wrapper.get('[data-testid=birthday-wmB]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/customers/wmB?task=tb')

    await router.push('/')
    api.fetchBirthdays.mockResolvedValueOnce({ month: day(0).slice(0, 7), items: [] })
    await wrapper.get('[data-testid=birthday-month-this]').trigger('click')
    await flushPromises()
    expect(api.fetchBirthdays).toHaveBeenLastCalledWith('this')
    expect(wrapper.text()).toContain('本月没有客户过生日')
  })
})
