import { beforeEach, describe, expect, it, vi } from 'vitest'
import WorkbenchPage from '../../src/pages/workbench/WorkbenchPage.vue'
import type { CustomerList, CustomerSummary } from '../../src/shared/customer'
import { useSessionStore } from '../../src/stores/session'
import { ApiFailure } from '../../src/api/http'
import { daysAgo } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ fetchCustomers: vi.fn() }))
vi.mock('@/api/customers', () => ({ fetchCustomers: api.fetchCustomers, fetchCustomer: vi.fn() }))

const wecom = vi.hoisted(() => ({ openInNewWindow: vi.fn() }))
vi.mock('@/wecom', async (original) => ({
  ...(await original<typeof import('../../src/wecom')>()),
  openInNewWindow: wecom.openInNewWindow,
}))

function summary(n: number, overrides: Partial<CustomerSummary> = {}): CustomerSummary {
  return {
    externalUserId: `wm${n}`,
    name: `Nick${n}`,
    remark: `客户${n}`,
    avatar: null,
    memberLevel: 'gold',
    addedAt: daysAgo(30),
    lastPurchaseAt: daysAgo(12),
    totalSpendFen: 120_000,
    lastContactAt: null,
    deletedByCustomerAt: null,
    ...overrides,
  }
}

function page(items: CustomerSummary[], nextCursor: string | null = null, syncing = false): CustomerList {
  return { items, nextCursor, total: items.length, syncing }
}

describe('WorkbenchPage', () => {
  beforeEach(() => {
    api.fetchCustomers.mockReset()
  })

  it('lists the guide’s customers and opens one', async () => {
    api.fetchCustomers.mockResolvedValueOnce(page([summary(1), summary(2, { remark: '', name: 'Coco' })]))
    const { wrapper, router, pinia } = await mountPage(WorkbenchPage)
    useSessionStore(pinia).me = { userId: 'lina', name: '李娜', role: 'guide' }
    await flushPromises()
    expect(wrapper.text()).toContain('李娜，你好')
    expect(wrapper.get('[data-testid=customer-total]').text()).toBe('共 2 位客户')
    const items = wrapper.findAll('[data-testid^=customer-item-]')
    expect(items.map((i) => i.find('.customer-item__name').text())).toEqual(['客户1', 'Coco'])
    expect(items[0]!.text()).toContain('上次购买 12天前')
    await items[1]!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/customers/wm2')
  })

  it('searches as the guide types, dropping answers for an older query', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    api.fetchCustomers.mockResolvedValueOnce(page([summary(1), summary(2)]))
    const { wrapper } = await mountPage(WorkbenchPage)
    let resolveSlow!: (value: CustomerList) => void
    api.fetchCustomers
      .mockImplementationOnce(() => new Promise<CustomerList>((resolve) => (resolveSlow = resolve)))
      .mockResolvedValueOnce(page([summary(7)]))
    await wrapper.get('input').setValue('张')
    await vi.advanceTimersByTimeAsync(300)
    await wrapper.get('input').setValue('张婷')
    await vi.advanceTimersByTimeAsync(300)
    await flushPromises()
    expect(api.fetchCustomers).toHaveBeenLastCalledWith(expect.objectContaining({ q: '张婷' }))
    resolveSlow(page([summary(5)]))
    await flushPromises()
    expect(wrapper.findAll('[data-testid^=customer-item-]').map((i) => i.attributes('data-testid'))).toEqual([
      'customer-item-wm7',
    ])
    expect(wrapper.get('[data-testid=customer-total]').text()).toBe('找到 1 位客户')
    vi.useRealTimers()
  })

  it('says what to do when she has no customers, and when nothing matches', async () => {
    api.fetchCustomers.mockResolvedValueOnce(page([]))
    const { wrapper } = await mountPage(WorkbenchPage)
    expect(wrapper.text()).toContain('还没有客户')
    expect(wrapper.text()).toContain('在企业微信中添加客户后')
  })

  it('tells her while the first sync from WeCom is still running', async () => {
    api.fetchCustomers.mockResolvedValueOnce(page([summary(1)], null, true))
    const { wrapper } = await mountPage(WorkbenchPage)
    expect(wrapper.text()).toContain('正在从企业微信同步客户')
  })

  it('offers a retry when a page fails to load', async () => {
    api.fetchCustomers.mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline')).mockResolvedValueOnce(page([summary(3)]))
    const { wrapper } = await mountPage(WorkbenchPage)
    // Nothing loaded at all: the whole list says so, with a retry.
    expect(wrapper.text()).toContain('客户列表没有加载出来')
    await wrapper.get('[data-testid=customer-list-error] .van-button').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=customer-item-wm3]').exists()).toBe(true)
  })

  it('switches the interface to English', async () => {
    api.fetchCustomers.mockResolvedValue(page([summary(1)]))
    const { wrapper } = await mountPage(WorkbenchPage)
    await wrapper.get('[data-testid=tab-mine]').trigger('click')
    await flushPromises()
    const english = wrapper.findAll('.van-cell').find((c) => c.text().includes('English'))!
    await english.trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('Language')
    expect(document.cookie).toContain('gs_lang=en-US')
    const chinese = wrapper.findAll('.van-cell').find((c) => c.text().includes('中文'))!
    await chinese.trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('语言')
  })

  it('opens the manager’s desk in a WeCom window of its own on a computer, and in place on a phone', async () => {
    api.fetchCustomers.mockResolvedValue(page([summary(1)]))
    const { wrapper, router, pinia } = await mountPage(WorkbenchPage)
    useSessionStore(pinia).me = { userId: 'wanglei', name: '王蕾', role: 'manager' }
    await wrapper.get('[data-testid=tab-mine]').trigger('click')
    await flushPromises()

    wecom.openInNewWindow.mockReturnValueOnce(true)
    await wrapper.get('[data-testid=open-manage]').trigger('click')
    await flushPromises()
    expect(wecom.openInNewWindow).toHaveBeenCalledWith(expect.stringContaining('/manage?window=1'))
    // The sidebar stays where it was.
    expect(router.currentRoute.value.fullPath).toBe('/')

    wecom.openInNewWindow.mockReturnValueOnce(false)
    await wrapper.get('[data-testid=open-manage]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('manage')
  })
})
