/**
 * A task's suggestion, followed from the workbench to her profile: the right tab opens with
 * that coupon, outfit or reply first and marked, one tap from going out.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import CustomerPage from '../../src/pages/sidebar/CustomerPage.vue'
import { customerTab } from '../../src/pages/sidebar/sidebar-tabs'
import type { Bundle } from '../../src/shared/bundles'
import type { CouponOffer, CouponTemplate } from '../../src/shared/coupons'
import type { ReplyLibrary } from '../../src/shared/replies'
import { profile } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchCustomer: vi.fn(),
  fetchCouponOffers: vi.fn(),
  fetchCustomerCoupons: vi.fn(),
  fetchBundles: vi.fn(),
  fetchBundleSuggestions: vi.fn(),
  fetchReplyLibrary: vi.fn(),
  fetchCopyPlan: vi.fn(),
  fetchSendPlan: vi.fn(),
}))
vi.mock('@/api/customers', () => ({ fetchCustomer: api.fetchCustomer, fetchCustomers: vi.fn() }))
vi.mock('@/api/memory', async (original) => ({
  ...(await original<typeof import('../../src/api/memory')>()),
  fetchTimeline: vi.fn(async () => ({ items: [], nextCursor: null })),
}))
vi.mock('@/api/coupons', async (original) => ({
  ...(await original<typeof import('../../src/api/coupons')>()),
  fetchCouponOffers: api.fetchCouponOffers,
  fetchCustomerCoupons: api.fetchCustomerCoupons,
}))
vi.mock('@/api/bundles', async (original) => ({
  ...(await original<typeof import('../../src/api/bundles')>()),
  fetchBundles: api.fetchBundles,
  fetchBundleSuggestions: api.fetchBundleSuggestions,
}))
vi.mock('@/api/replies', async (original) => ({
  ...(await original<typeof import('../../src/api/replies')>()),
  fetchReplyLibrary: api.fetchReplyLibrary,
  fetchCopyPlan: api.fetchCopyPlan,
  fetchSendPlan: api.fetchSendPlan,
}))

function template(id: string): CouponTemplate {
  return {
    id,
    name: `券${id}`,
    description: '',
    kind: 'amount_off',
    value: 5000,
    threshold: 0,
    totalStock: 100,
    stockLeft: 40,
    issued: 60,
    redeemed: 10,
    perCustomerLimit: 1,
    guideWeeklyQuota: 20,
    validDays: 14,
    validFrom: null,
    validTo: null,
    eligibleLevels: [],
    eligibleTags: [],
    maxOrders: null,
    storeIds: [],
    online: true,
    status: 'active',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  }
}
const offer = (id: string): CouponOffer => ({
  template: template(id),
  available: true,
  reason: null,
  guideUsedThisWeek: 0,
  customerHolds: 0,
})

function bundle(id: string): Bundle {
  return {
    id,
    scope: 'corp',
    owner: null,
    title: `搭配${id}`,
    note: '',
    items: [],
    totalFen: 0,
    collageUrl: `/media/collages/${id}.png`,
    sent: 0,
    opened: 0,
    retired: false,
    updatedAt: '2026-11-01T00:00:00.000Z',
  }
}

const library: ReplyLibrary = {
  groups: [{ id: 'g1', scope: 'corp', parentId: null, name: '节日', position: 0, retired: false }],
  replies: [
    {
      id: 'r1',
      scope: 'corp',
      groupId: 'g1',
      title: '生日祝福',
      parts: [{ type: 'text', text: '{称呼}，生日快乐！' }],
      tags: [],
      stages: [],
      position: 0,
      retired: false,
      updatedAt: '2026-11-01T00:00:00.000Z',
    },
  ],
  usage: [],
  favorites: [],
  assets: [],
}

async function open(query: string) {
  const mounted = await mountPage(CustomerPage, { externalUserId: 'wmAlice' })
  await mounted.router.push(`/customers/wmAlice?task=t1&${query}`)
  await vi.dynamicImportSettled()
  await flushPromises()
  return mounted
}

describe('a task’s suggestion on her profile', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    customerTab.value = 'profile'
    api.fetchCustomer.mockResolvedValue(profile({ externalUserId: 'wmAlice' }))
    api.fetchCouponOffers.mockResolvedValue([offer('t1'), offer('t2'), offer('t3')])
    api.fetchCustomerCoupons.mockResolvedValue([])
    api.fetchBundles.mockResolvedValue([bundle('b1'), bundle('b2')])
    api.fetchBundleSuggestions.mockResolvedValue({ bundles: [], products: [], fits: [], sizes: null })
    api.fetchReplyLibrary.mockResolvedValue(library)
    api.fetchCopyPlan.mockResolvedValue({ replyId: 'r1', parts: [{ msgtype: 'text', text: { content: '张婷，生日快乐！' } }] })
  })

  it('opens 优惠券 with the suggested coupon first and marked', async () => {
    const { wrapper } = await open('suggest=coupon:t2')
    expect(wrapper.get('[data-testid=tab-coupons]').attributes('aria-selected')).toBe('true')
    const offers = wrapper.findAll('[data-testid^=offer-t]')
    expect(offers.map((o) => o.attributes('data-testid'))).toEqual(['offer-t2', 'offer-t1', 'offer-t3'])
    expect(offers[0]!.classes()).toContain('offer--suggested')
    expect(offers[0]!.find('[data-testid=offer-suggested]').text()).toBe('任务推荐')
    expect(offers[1]!.find('[data-testid=offer-suggested]').exists()).toBe(false)
    // Opened from the workbench, no chat is hers: the one tap copies the link.
    expect(wrapper.get('[data-testid=offer-send-t2]').text()).toBe('复制链接')
  })

  it('opens 搭配 with the suggested outfit on top', async () => {
    const { wrapper } = await open('suggest=bundle:b2')
    expect(wrapper.get('[data-testid=tab-bundles]').attributes('aria-selected')).toBe('true')
    const forTask = wrapper.get('[data-testid=bundles-for-task]')
    expect(forTask.text()).toContain('任务推荐')
    expect(forTask.find('[data-testid=bundle-b2]').exists()).toBe(true)
    expect(forTask.find('[data-testid=bundle-b1]').exists()).toBe(false)
  })

  it('opens 话术 on the suggested reply, filled in for her', async () => {
    const { wrapper } = await open('suggest=reply:r1')
    expect(wrapper.get('[data-testid=tab-replies]').attributes('aria-selected')).toBe('true')
    expect(wrapper.get('[data-testid=reply-section-task]').text()).toContain('生日祝福')
    expect(api.fetchCopyPlan).toHaveBeenCalledWith('r1', { externalUserId: 'wmAlice' })
    const preview = document.body.querySelector('[data-testid=reply-preview]')
    expect(preview?.textContent).toContain('张婷，生日快乐！')
  })

  it('leaves the tab alone for a link without a suggestion, or with one it cannot read', async () => {
    const { wrapper } = await open('suggest=lookbook:x')
    expect(wrapper.get('[data-testid=tab-profile]').attributes('aria-selected')).toBe('true')
  })
})
