import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import CustomerPage from '../../src/pages/sidebar/CustomerPage.vue'
import type { CustomerProfile } from '../../src/shared/customer'
import { profile } from '../helpers/fixtures'
import { deferred, flushPromises, mountPage, nextPaint } from './helpers'

const api = vi.hoisted(() => ({ fetchCustomer: vi.fn() }))
const wecom = vi.hoisted(() => ({ getCurrentCustomerId: vi.fn() }))

vi.mock('@/api/customers', () => ({ fetchCustomer: api.fetchCustomer, fetchCustomers: vi.fn() }))
vi.mock('@/api/memory', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/api/memory')>()),
  fetchTimeline: vi.fn(async () => ({ items: [], nextCursor: null })),
}))
vi.mock('@/wecom', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/wecom')>()),
  getCurrentCustomerId: wecom.getCurrentCustomerId,
}))

const alice = profile({ externalUserId: 'wmAlice', name: 'Alice', follow: { ...profile().follow, remark: '爱丽丝' } })
const bella = profile({ externalUserId: 'wmBella', name: 'Bella', follow: { ...profile().follow, remark: '贝拉' } })

describe('CustomerPage for a given customer', () => {
  beforeEach(() => {
    api.fetchCustomer.mockReset()
    wecom.getCurrentCustomerId.mockReset()
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('folds her header into a one-line bar once she scrolls, and brings the profile back from it', async () => {
    api.fetchCustomer.mockResolvedValue(alice)
    const { wrapper } = await mountPage(CustomerPage, { externalUserId: 'wmAlice' })
    const bar = wrapper.get('[data-testid=customer-bar]')
    expect(bar.classes()).not.toContain('customer-page__bar--shown')
    expect(bar.attributes('aria-hidden')).toBe('true')
    expect(bar.text()).toContain('爱丽丝')
    expect(bar.find('[data-testid=member-level]').exists()).toBe(true)
    const scrollTo = vi.spyOn(window, 'scrollTo').mockImplementation(() => {})
    window.scrollY = 300
    window.dispatchEvent(new Event('scroll'))
    await flushPromises()
    expect(bar.classes()).toContain('customer-page__bar--shown')
    expect(bar.attributes('aria-hidden')).toBe('false')
    await wrapper.get('[data-testid=tab-replies]').trigger('click')
    await bar.trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=tab-profile]').attributes('aria-selected')).toBe('true')
    expect(scrollTo).toHaveBeenCalledWith({ top: 0 })
    window.scrollY = 0
    window.dispatchEvent(new Event('scroll'))
    await flushPromises()
    expect(bar.classes()).not.toContain('customer-page__bar--shown')
    scrollTo.mockRestore()
  })

  it('shows a skeleton, then her header, then her cards a frame later', async () => {
    const pending = deferred<CustomerProfile>()
    api.fetchCustomer.mockReturnValueOnce(pending.promise)
    const { wrapper } = await mountPage(CustomerPage, { externalUserId: 'wmAlice' })
    expect(wrapper.find('[data-testid=customer-header-skeleton]').exists()).toBe(true)
    pending.resolve(alice)
    await flushPromises()
    // Her name is drawn alone first: building her cards does not hold it back.
    expect(wrapper.get('[data-testid=customer-name]').text()).toBe('爱丽丝')
    expect(wrapper.find('[data-testid=facts-card]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=customer-profile-skeleton]').exists()).toBe(true)
    await nextPaint()
    expect(wrapper.find('[data-testid=customer-profile-skeleton]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=facts-card]').exists()).toBe(true)
    expect(wrapper.find('[data-testid=purchases-card]').text()).toContain('双面羊毛大衣')
    expect(api.fetchCustomer).toHaveBeenCalledWith('wmAlice')
  })

  it('keeps a customer who deleted her readable, and says what happened and what it means', async () => {
    api.fetchCustomer.mockResolvedValue(
      profile({ externalUserId: 'wmAlice', follow: { ...alice.follow, deletedByCustomerAt: '2026-11-20T02:00:00.000Z' } }),
    )
    const { wrapper } = await mountPage(CustomerPage, { externalUserId: 'wmAlice' })
    const notice = wrapper.get('[data-testid=customer-deleted-you]')
    expect(notice.text()).toMatch(/她于 .*11.*20.* 删除了你/)
    expect(notice.text()).toContain('之前的记录都还在')
    expect(wrapper.find('[data-testid=purchases-card]').text()).toContain('双面羊毛大衣')
  })

  it('shows no such notice for a customer who is still her friend', async () => {
    api.fetchCustomer.mockResolvedValue(alice)
    const { wrapper } = await mountPage(CustomerPage, { externalUserId: 'wmAlice' })
    expect(wrapper.find('[data-testid=customer-deleted-you]').exists()).toBe(false)
  })

  it('says plainly when the customer is not hers', async () => {
    api.fetchCustomer.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', 'no'))
    const { wrapper } = await mountPage(CustomerPage, { externalUserId: 'wmAlice' })
    expect(wrapper.text()).toContain('这位客户不在你的客户列表中')
    expect(wrapper.find('.gs-status__action').exists()).toBe(false)
  })

  it('offers a retry after a network failure, and the retry works', async () => {
    api.fetchCustomer.mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline')).mockResolvedValueOnce(alice)
    const { wrapper } = await mountPage(CustomerPage, { externalUserId: 'wmAlice' })
    expect(wrapper.text()).toContain('客户资料加载失败')
    await wrapper.get('.gs-status__action').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=customer-name]').text()).toBe('爱丽丝')
  })

  it('shows a member-less customer with the way forward', async () => {
    api.fetchCustomer.mockResolvedValueOnce(profile({ member: null }))
    const { wrapper } = await mountPage(CustomerPage, { externalUserId: 'wmAAAA' })
    expect(wrapper.get('[data-testid=member-card]').text()).toContain('尚未绑定会员')
    expect(wrapper.find('[data-testid=bind-open]').exists()).toBe(true)
  })
})

describe('CustomerPage for the open chat', () => {
  beforeEach(() => {
    api.fetchCustomer.mockReset()
    wecom.getCurrentCustomerId.mockReset()
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('never shows the previous customer after a chat switch, even when her answer arrives late', async () => {
    const aliceAnswer = deferred<CustomerProfile>()
    api.fetchCustomer.mockImplementation((id: string) => (id === 'wmAlice' ? aliceAnswer.promise : Promise.resolve(bella)))
    wecom.getCurrentCustomerId.mockResolvedValueOnce('wmAlice').mockResolvedValueOnce('wmBella')

    const { wrapper } = await mountPage(CustomerPage)
    expect(wrapper.find('[data-testid=customer-header-skeleton]').exists()).toBe(true)

    // The guide switches chat while Alice's profile is still loading.
    document.dispatchEvent(new Event('visibilitychange'))
    await flushPromises()
    expect(wrapper.get('[data-testid=customer-name]').text()).toBe('贝拉')

    aliceAnswer.resolve(alice)
    await flushPromises()
    expect(wrapper.get('[data-testid=customer-name]').text()).toBe('贝拉')
    expect(wrapper.text()).not.toContain('爱丽丝')
  })

  it('asks WeCom again when the page comes back and shows the new customer', async () => {
    api.fetchCustomer.mockImplementation((id: string) => Promise.resolve(id === 'wmAlice' ? alice : bella))
    wecom.getCurrentCustomerId.mockResolvedValueOnce('wmAlice').mockResolvedValueOnce('wmBella')
    const { wrapper } = await mountPage(CustomerPage)
    expect(wrapper.get('[data-testid=customer-name]').text()).toBe('爱丽丝')
    window.dispatchEvent(new Event('focus'))
    await flushPromises()
    expect(wrapper.get('[data-testid=customer-name]').text()).toBe('贝拉')
    expect(wecom.getCurrentCustomerId).toHaveBeenCalledTimes(2)
  })

  it('explains how to open it when WeCom has no customer in context', async () => {
    const { WecomCallError } = await import('../../src/wecom')
    wecom.getCurrentCustomerId.mockRejectedValueOnce(
      new WecomCallError('getCurExternalContact', 'fail', 'getCurExternalContact:fail without context of external contact', -1),
    )
    const { wrapper } = await mountPage(CustomerPage)
    expect(wrapper.text()).toContain('请在客户聊天中打开')
    expect(api.fetchCustomer).not.toHaveBeenCalled()
  })
})
