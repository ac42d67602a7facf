/** happy-dom loads no iframes (it says so on stderr): the app inside the frame is not under test here. */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import PreviewDesk from '../../src/components/desk/PreviewDesk.vue'
import { frameSrc, groupByStore } from '../../src/components/desk/preview/preview-desk'
import type { Me } from '../../src/shared/auth'
import type { CustomerList, CustomerSummary } from '../../src/shared/customer'
import type { TeamMember } from '../../src/shared/team'
import { useSessionStore } from '../../src/stores/session'
import { deferred, flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  startPreview: vi.fn(),
  endPreview: vi.fn(),
  fetchTeamMembers: vi.fn(),
  fetchCustomers: vi.fn(),
  fetchMe: vi.fn(),
}))
vi.mock('@/api/preview', () => ({ startPreview: api.startPreview, endPreview: api.endPreview }))
vi.mock('@/api/team', () => ({ fetchTeamMembers: api.fetchTeamMembers }))
vi.mock('@/api/customers', () => ({ fetchCustomers: api.fetchCustomers, fetchCustomer: vi.fn() }))
vi.mock('@/api/session', () => ({ fetchMe: api.fetchMe, logout: vi.fn(), loginUrl: (to: string) => to }))

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

const member = (userId: string, name: string, storeId: string | null, role: TeamMember['role'] = 'guide'): TeamMember => ({
  userId,
  name,
  avatar: null,
  role,
  storeId,
  storeName: storeId === 'S001' ? '上海静安嘉里中心店' : storeId === 'S002' ? '杭州湖滨银泰店' : null,
})
const team: TeamMember[] = [
  member('wanglei', '王蕾', 'S001', 'manager'),
  member('lina', '李娜', 'S001'),
  member('zhouyu', '周雨', 'S001'),
  member('chenjing', '陈静', 'S002'),
]
const manager: Me = { userId: 'wanglei', name: '王蕾', role: 'manager' }
const asLina: Me = { userId: 'lina', name: '李娜', role: 'guide', preview: { by: 'wanglei', name: '王蕾' } }

function customer(n: number, extra: Partial<CustomerSummary> = {}): CustomerSummary {
  return {
    externalUserId: `wm${n}`,
    name: `Nick${n}`,
    remark: `客户${n}`,
    avatar: null,
    memberLevel: null,
    addedAt: null,
    lastPurchaseAt: null,
    totalSpendFen: null,
    lastContactAt: null,
    deletedByCustomerAt: null,
    ...extra,
  }
}
const page = (items: CustomerSummary[]): CustomerList => ({ items, nextCursor: null, total: items.length, syncing: false })

async function mountDesk(me: Me) {
  const mounted = await mountPage(PreviewDesk)
  const session = useSessionStore(mounted.pinia)
  session.me = me
  await flushPromises()
  return { ...mounted, session }
}
const frame = (wrapper: Awaited<ReturnType<typeof mountDesk>>['wrapper']) => wrapper.find('[data-testid=preview-frame]')

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset()
  toasts.length = 0
  api.fetchTeamMembers.mockResolvedValue({ items: team })
  api.fetchCustomers.mockResolvedValue(page([customer(1), customer(2, { remark: '' })]))
  api.startPreview.mockResolvedValue(asLina)
  api.endPreview.mockResolvedValue(undefined)
})

describe('PreviewDesk', () => {
  it('lists her team by store, without herself, and finds a guide by name', async () => {
    const { wrapper } = await mountDesk(manager)
    expect(api.fetchTeamMembers).toHaveBeenCalledTimes(1)
    const stores = wrapper.findAll('.guides__store')
    expect(stores.map((s) => s.find('h3').text())).toEqual(['上海静安嘉里中心店', '杭州湖滨银泰店'])
    expect(stores[0]!.findAll('button').map((b) => b.attributes('data-testid'))).toEqual([
      'preview-guide-lina',
      'preview-guide-zhouyu',
    ])
    expect(wrapper.find('[data-testid=preview-guide-wanglei]').exists()).toBe(false)
    // Nothing to show in the frame until she picks someone.
    expect(frame(wrapper).exists()).toBe(false)
    expect(wrapper.text()).toContain('先在左边选一位导购')

    await wrapper.get('[data-testid=preview-guide-search] input').setValue('陈')
    expect(wrapper.findAll('button[data-testid^=preview-guide-]').map((b) => b.attributes('data-testid'))).toEqual([
      'preview-guide-chenjing',
    ])
    await wrapper.get('[data-testid=preview-guide-search] input').setValue('没有这个人')
    expect(wrapper.text()).toContain('没有匹配的导购')
  })

  it('previews a guide: her workbench in the frame, her customers to pick, whose view it is on top', async () => {
    const { wrapper, session } = await mountDesk(manager)
    const refreshed = deferred<Me>()
    api.fetchMe.mockReturnValueOnce(refreshed.promise)
    await wrapper.get('[data-testid=preview-guide-lina]').trigger('click')
    await flushPromises()
    expect(api.startPreview).toHaveBeenCalledWith('lina')
    // One preview at a time: the other guides wait while this one starts.
    expect(wrapper.get('[data-testid=preview-guide-zhouyu]').attributes('disabled')).toBeDefined()
    refreshed.resolve(asLina)
    await flushPromises()
    expect(session.me).toEqual(asLina)

    expect(wrapper.get('[data-testid=preview-whose]').text()).toBe('正在以 李娜 的视角查看')
    expect(wrapper.text()).toContain('王蕾 预览中')
    expect(frame(wrapper).attributes('src')).toBe('/?preview=1#/workbench')
    expect(frame(wrapper).attributes('width')).toBe('360')
    expect(frame(wrapper).attributes('height')).toBe('640')
    expect(wrapper.get('[data-testid=preview-caption]').text()).toBe('李娜 的工作台')

    // Her customers, as the session now answers for her.
    expect(api.fetchCustomers).toHaveBeenCalledWith(expect.objectContaining({ limit: 50 }))
    expect(wrapper.get('[data-testid=preview-customer-wm1]').text()).toContain('客户1')
    expect(wrapper.get('[data-testid=preview-customer-wm2]').text()).toContain('Nick2')
    await wrapper.get('[data-testid=preview-customer-wm1]').trigger('click')
    expect(frame(wrapper).attributes('src')).toBe('/?preview=1&customer=wm1')
    expect(wrapper.get('[data-testid=preview-customer-wm1]').attributes('aria-pressed')).toBe('true')
    expect(wrapper.get('[data-testid=preview-caption]').text()).toBe('与 客户1 单聊时的侧边栏')
    await wrapper.get('[data-testid=preview-workbench]').trigger('click')
    expect(frame(wrapper).attributes('src')).toBe('/?preview=1#/workbench')
  })

  it('searches her customers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { wrapper } = await mountDesk(asLina)
      api.fetchCustomers.mockResolvedValueOnce(page([customer(7)]))
      await wrapper.get('[data-testid=preview-customer-search] input').setValue('客户7')
      await vi.advanceTimersByTimeAsync(300)
      await flushPromises()
      expect(api.fetchCustomers).toHaveBeenLastCalledWith(expect.objectContaining({ q: '客户7' }))
      expect(wrapper.findAll('[data-testid^=preview-customer-wm]').map((b) => b.attributes('data-testid'))).toEqual([
        'preview-customer-wm7',
      ])
    } finally {
      vi.useRealTimers()
    }
  })

  it('opens straight on the guide when a preview is on, and ends it back to the picker', async () => {
    const { wrapper, session } = await mountDesk(asLina)
    // Acting as the guide, the team list is not hers to read: not asked.
    expect(api.fetchTeamMembers).not.toHaveBeenCalled()
    expect(wrapper.get('[data-testid=preview-whose]').text()).toContain('李娜')
    expect(frame(wrapper).exists()).toBe(true)

    api.fetchMe.mockResolvedValueOnce(manager)
    await wrapper.get('[data-testid=preview-end]').trigger('click')
    await flushPromises()
    expect(api.endPreview).toHaveBeenCalledTimes(1)
    expect(session.me).toEqual(manager)
    expect(frame(wrapper).exists()).toBe(false)
    expect(wrapper.find('[data-testid=preview-end]').exists()).toBe(false)
    expect(api.fetchTeamMembers).toHaveBeenCalledTimes(1)
    expect(wrapper.find('[data-testid=preview-guide-lina]').exists()).toBe(true)
  })

  it('says why a preview did not start, and shows one already on instead of failing', async () => {
    const { wrapper, session } = await mountDesk(manager)
    api.startPreview.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', 'That guide does not work in one of your stores'))
    await wrapper.get('[data-testid=preview-guide-chenjing]').trigger('click')
    await flushPromises()
    expect(toasts.at(-1)).toBe('没能开始预览：That guide does not work in one of your stores')
    expect(session.me).toEqual(manager)
    expect(api.fetchMe).not.toHaveBeenCalled()

    // Started in another window meanwhile: the server refuses a second one; the session says whose is on.
    api.startPreview.mockRejectedValueOnce(new ApiFailure(403, 'preview_read_only', '预览中不能修改'))
    api.fetchMe.mockResolvedValueOnce(asLina)
    await wrapper.get('[data-testid=preview-guide-zhouyu]').trigger('click')
    await flushPromises()
    expect(session.me).toEqual(asLina)
    expect(wrapper.get('[data-testid=preview-whose]').text()).toContain('李娜')
  })

  it('keeps the preview when ending it fails, and says so', async () => {
    const { wrapper, session } = await mountDesk(asLina)
    api.endPreview.mockRejectedValueOnce(new ApiFailure(0, 'network', 'Network Error'))
    await wrapper.get('[data-testid=preview-end]').trigger('click')
    await flushPromises()
    expect(toasts.at(-1)).toBe('没能结束预览：网络不可用，请稍后再试')
    expect(session.me).toEqual(asLina)
    expect(frame(wrapper).exists()).toBe(true)
  })
})

describe('preview-desk helpers', () => {
  it('frames the app without the JS-SDK: a customer as in her chat, else her workbench', () => {
    expect(frameSrc({ kind: 'workbench' })).toBe('/?preview=1#/workbench')
    expect(frameSrc({ kind: 'customer', externalUserId: 'wm a&b', name: 'x' })).toBe('/?preview=1&customer=wm%20a%26b')
    expect(frameSrc({ kind: 'workbench' }, '/app')).toBe('/app/?preview=1#/workbench')
  })

  it('groups by store, people in no store last, and matches a user id too', () => {
    const groups = groupByStore([member('x', '无店', null), ...team], '', 'wanglei')
    expect(groups.map((g) => g.storeId)).toEqual(['S001', 'S002', null])
    expect(groupByStore(team, 'CHEN', null).flatMap((g) => g.members.map((m) => m.userId))).toEqual(['chenjing'])
  })
})
