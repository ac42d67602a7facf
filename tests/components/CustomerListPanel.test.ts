import { beforeEach, describe, expect, it, vi } from 'vitest'
import CustomerListPanel from '../../src/components/customer/CustomerListPanel.vue'
import type { CustomerList, CustomerSummary } from '../../src/shared/customer'
import { daysAgo } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ fetchCustomers: vi.fn(), fetchCorpTags: vi.fn() }))
vi.mock('@/api/customers', () => ({ fetchCustomers: api.fetchCustomers, fetchCustomer: vi.fn() }))
vi.mock('@/api/memory', async (original) => ({
  ...(await original<typeof import('../../src/api/memory')>()),
  fetchCorpTags: api.fetchCorpTags,
}))

const wecom = vi.hoisted(() => ({ canShare: false, shareToExternalContact: vi.fn() }))
vi.mock('@/wecom', async (original) => ({
  ...(await original<typeof import('../../src/wecom')>()),
  canShareToCustomers: () => wecom.canShare,
  shareToExternalContact: wecom.shareToExternalContact,
}))
const clipboard = vi.hoisted(() => ({ copyText: vi.fn() }))
vi.mock('@/composables/useReplySender', async (original) => ({
  ...(await original<typeof import('../../src/composables/useReplySender')>()),
  copyText: clipboard.copyText,
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
    totalSpendFen: 128_800,
    lastContactAt: null,
    deletedByCustomerAt: null,
    ...overrides,
  }
}
function page(items: CustomerSummary[], total = items.length, nextCursor: string | null = null): CustomerList {
  return { items, nextCursor, total, syncing: false }
}
const lastQuery = () => api.fetchCustomers.mock.lastCall![0] as Record<string, unknown>

describe('CustomerListPanel', () => {
  beforeEach(() => {
    api.fetchCustomers.mockReset().mockResolvedValue(page([summary(1), summary(2)]))
    api.fetchCorpTags.mockReset().mockResolvedValue({
      groups: [{ groupId: 'g1', name: '客户价值', tags: [{ id: 'etVIP', name: 'VIP' }] }],
    })
    wecom.shareToExternalContact.mockReset()
    clipboard.copyText.mockReset().mockResolvedValue(true)
    wecom.canShare = false
  })

  it('sends the filters and sort she picks, shows them as chips with the count, and drops one she removes', async () => {
    const { wrapper } = await mountPage(CustomerListPanel)
    expect(lastQuery()).toEqual({ limit: 30 })
    await wrapper.get('[data-testid=customer-filter-open]').trigger('click')
    await flushPromises()
    for (const chip of [
      'sort-totalSpend',
      'level-gold',
      'lastPurchase-within30',
      'lastContact-over30',
      'hasCoupon-true',
      'tag-etVIP',
    ])
      await wrapper.get(`[data-testid=filter-${chip}]`).trigger('click')
    // Picked twice is off again.
    await wrapper.get('[data-testid=filter-lastContact-over30]').trigger('click')
    api.fetchCustomers.mockResolvedValueOnce(page([summary(7)], 1))
    await wrapper.get('[data-testid=filter-apply]').trigger('click')
    await flushPromises()
    expect(lastQuery()).toEqual({
      sort: 'totalSpend',
      level: 'gold',
      lastPurchase: 'within30',
      hasCoupon: true,
      tag: 'etVIP',
      limit: 30,
    })
    expect(wrapper.get('[data-testid=customer-total]').text()).toBe('筛选出 1 位客户')
    const chips = wrapper.findAll('[data-testid^=customer-chip-]').map((c) => c.text())
    expect(chips).toEqual(['消费最多', '标签：VIP', '金卡会员', '30 天内购买', '有未使用的券'])
    // Sorted by spend, the row says what she spent.
    expect(wrapper.get('[data-testid=customer-item-wm7]').text()).toContain('累计消费 ¥1,288')

    await wrapper.get('[data-testid=customer-chip-level] .van-tag__close').trigger('click')
    await flushPromises()
    expect(lastQuery()).toEqual({ sort: 'totalSpend', lastPurchase: 'within30', hasCoupon: true, tag: 'etVIP', limit: 30 })
    await wrapper.get('[data-testid=customer-filter-clear]').trigger('click')
    await flushPromises()
    expect(lastQuery()).toEqual({ limit: 30 })
    expect(wrapper.find('[data-testid=customer-filter-chips]').exists()).toBe(false)
  })

  it('filters by a personal tag she types, and says so when no one matches', async () => {
    const { wrapper } = await mountPage(CustomerListPanel)
    await wrapper.get('[data-testid=customer-filter-open]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid=filter-personal-tag] input').setValue('老客户')
    api.fetchCustomers.mockResolvedValueOnce(page([]))
    await wrapper.get('[data-testid=filter-apply]').trigger('click')
    await flushPromises()
    expect(lastQuery()).toEqual({ tag: '老客户', limit: 30 })
    expect(wrapper.get('[data-testid=customer-chip-tag]').text()).toBe('标签：老客户')
    expect(wrapper.text()).toContain('没有符合条件的客户')
  })

  it('marks a customer who deleted her, and only her', async () => {
    api.fetchCustomers.mockResolvedValue(page([summary(1, { deletedByCustomerAt: daysAgo(3) }), summary(2)]))
    const { wrapper } = await mountPage(CustomerListPanel)
    await flushPromises()
    expect(wrapper.get('[data-testid=customer-item-wm1]').get('[data-testid=customer-deleted-you]').text()).toBe('已删除你')
    expect(wrapper.get('[data-testid=customer-item-wm2]').find('[data-testid=customer-deleted-you]').exists()).toBe(false)
  })

  it('renders only the rows in view of a long list', async () => {
    // jsdom has no layout, so Vant asks for the next page at once: that one is the last.
    api.fetchCustomers
      .mockReset()
      .mockResolvedValueOnce(
        page(
          Array.from({ length: 600 }, (_, i) => summary(i)),
          600,
          'next',
        ),
      )
      .mockResolvedValue(page([], 600))
    const { wrapper } = await mountPage(CustomerListPanel)
    const rows = wrapper.findAll('[data-testid^=customer-item-]')
    expect(rows.length).toBeGreaterThan(5)
    expect(rows.length).toBeLessThan(40)
    const style = wrapper.get('[data-testid=customer-rows]').attributes('style')
    expect(style).toContain(`padding-bottom: ${(600 - rows.length) * 64}px`)
  })

  it('hands the customers she selects to 群发助手 where WeCom can take them', async () => {
    wecom.canShare = true
    wecom.shareToExternalContact.mockResolvedValue('shared')
    const { wrapper, router } = await mountPage(CustomerListPanel)
    await wrapper.get('[data-testid=customer-select-toggle]').trigger('click')
    await wrapper.get('[data-testid=customer-item-wm1]').trigger('click')
    await wrapper.get('[data-testid=customer-item-wm2]').trigger('click')
    await wrapper.get('[data-testid=customer-item-wm1]').trigger('click')
    await wrapper.get('[data-testid=customer-item-wm1]').trigger('click')
    // Selecting never opens her profile.
    expect(router.currentRoute.value.fullPath).toBe('/')
    expect(wrapper.get('[data-testid=customer-select-bar]').text()).toContain('已选 2 位')
    await wrapper.get('[data-testid=customer-share-open]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid=customer-share-send]').trigger('click')
    expect(wecom.shareToExternalContact).not.toHaveBeenCalled() // nothing written yet
    await wrapper.get('[data-testid=customer-share-text] textarea').setValue('新品到店，周末来试穿吧')
    await wrapper.get('[data-testid=customer-share-send]').trigger('click')
    await flushPromises()
    expect(wecom.shareToExternalContact).toHaveBeenCalledWith({ externalUserIds: ['wm2', 'wm1'], text: '新品到店，周末来试穿吧' })
    expect(clipboard.copyText).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('已交给群发助手')
    expect(wrapper.find('[data-testid=customer-select-bar]').exists()).toBe(false)
  })

  it('copies the text and names the customers where this WeCom cannot pick them', async () => {
    const { wrapper } = await mountPage(CustomerListPanel)
    await wrapper.get('[data-testid=customer-select-toggle]').trigger('click')
    await wrapper.get('[data-testid=customer-select-loaded]').trigger('click')
    await wrapper.get('[data-testid=customer-share-open]').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('当前企业微信版本不能直接选择客户群发')
    await wrapper.get('[data-testid=customer-share-text] textarea').setValue('周末见')
    await wrapper.get('[data-testid=customer-share-send]').trigger('click')
    await flushPromises()
    expect(wecom.shareToExternalContact).not.toHaveBeenCalled()
    expect(clipboard.copyText).toHaveBeenCalledWith('周末见')
    expect(document.body.textContent).toContain('请在企业微信「客户群发」中粘贴，并选择这 2 位客户：客户1、客户2')
  })

  it('falls back to copying when 群发助手 fails to open', async () => {
    wecom.canShare = true
    wecom.shareToExternalContact.mockRejectedValue(new Error('shareToExternalContact:fail no permission'))
    const { wrapper } = await mountPage(CustomerListPanel)
    await wrapper.get('[data-testid=customer-select-toggle]').trigger('click')
    await wrapper.get('[data-testid=customer-item-wm1]').trigger('click')
    await wrapper.get('[data-testid=customer-share-open]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid=customer-share-text] textarea').setValue('你好')
    await wrapper.get('[data-testid=customer-share-send]').trigger('click')
    await flushPromises()
    expect(clipboard.copyText).toHaveBeenCalledWith('你好')
    expect(document.body.textContent).toContain('没能打开群发助手')
  })
})
