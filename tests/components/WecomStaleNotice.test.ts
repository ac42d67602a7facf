import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import WecomStaleNotice from '../../src/components/common/WecomStaleNotice.vue'
import { locale } from '../../src/i18n'
import CustomerPage from '../../src/pages/sidebar/CustomerPage.vue'
import { profile } from '../helpers/fixtures'
import { mountPage } from './helpers'

const api = vi.hoisted(() => ({ fetchCustomer: vi.fn() }))

vi.mock('@/api/customers', () => ({ fetchCustomer: api.fetchCustomer, fetchCustomers: vi.fn() }))
vi.mock('@/api/memory', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/api/memory')>()),
  fetchTimeline: vi.fn(async () => ({ items: [], nextCursor: null })),
}))

describe('WecomStaleNotice', () => {
  afterEach(() => {
    locale.value = 'zh-CN'
  })

  it('says nothing while WeCom answers', async () => {
    const { wrapper } = await mountPage(WecomStaleNotice, { stale: false })
    expect(wrapper.find('[data-testid=wecom-stale]').exists()).toBe(false)
    const absent = await mountPage(WecomStaleNotice)
    expect(absent.wrapper.find('[data-testid=wecom-stale]').exists()).toBe(false)
  })

  it('says quietly that WeCom data is unavailable, in her language', async () => {
    const { wrapper } = await mountPage(WecomStaleNotice, { stale: true })
    const notice = wrapper.get('[data-testid=wecom-stale]')
    expect(notice.text()).toContain('企业微信数据暂不可用')
    expect(notice.attributes('role')).toBe('status')
    locale.value = 'en-US'
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid=wecom-stale]').text()).toContain('WeCom data is temporarily unavailable')
  })
})

describe('CustomerPage with a profile from our copy', () => {
  beforeEach(() => api.fetchCustomer.mockReset())
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows the notice above her profile only when the server marked it stale', async () => {
    api.fetchCustomer.mockResolvedValue(profile({ externalUserId: 'wmStale', wecomStale: true }))
    const stale = await mountPage(CustomerPage, { externalUserId: 'wmStale' })
    expect(stale.wrapper.get('[data-testid=wecom-stale]').text()).toContain('企业微信数据暂不可用')
    // The profile itself is all there.
    expect(stale.wrapper.find('[data-testid=customer-description]').exists()).toBe(true)
    stale.wrapper.unmount()

    api.fetchCustomer.mockResolvedValue(profile({ externalUserId: 'wmFresh' }))
    const fresh = await mountPage(CustomerPage, { externalUserId: 'wmFresh' })
    expect(fresh.wrapper.find('[data-testid=customer-description]').exists()).toBe(true)
    expect(fresh.wrapper.find('[data-testid=wecom-stale]').exists()).toBe(false)
  })
})
