import { beforeEach, describe, expect, it, vi } from 'vitest'
import CustomerPurchasesCard from '../../src/components/customer/CustomerPurchasesCard.vue'
import CustomerTimeline from '../../src/components/memory/CustomerTimeline.vue'
import type { TimelineEntry } from '../../src/shared/memory'
import { daysAgo, purchase } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ fetchTimeline: vi.fn() }))
vi.mock('@/api/memory', () => ({ fetchTimeline: api.fetchTimeline }))

const coupon = {
  issuanceId: 'ci_1',
  name: '新客见面礼',
  kind: 'no_threshold',
  value: 3000,
  threshold: 0,
  storeName: null,
} as const

function entry(id: string, overrides: Partial<TimelineEntry>): TimelineEntry {
  return { id, kind: 'note', at: daysAgo(1), actor: null, ...overrides }
}

const order = (orderId: string, days: number): TimelineEntry =>
  entry(`o:${orderId}`, {
    kind: 'purchase',
    at: daysAgo(days),
    purchase: {
      orderId,
      totalFen: 129900,
      storeName: '上海静安嘉里中心店',
      items: [{ name: '大衣', imageUrl: null, returned: false }],
    },
  })

describe('CustomerTimeline', () => {
  beforeEach(() => api.fetchTimeline.mockReset())

  it('tells each step of her coupons, with its value and the store where she used it', async () => {
    api.fetchTimeline.mockResolvedValueOnce({
      items: [
        entry('c4:ci_2', {
          kind: 'coupon_expired',
          coupon: { ...coupon, issuanceId: 'ci_2', name: '满 1000 减 150', kind: 'amount_off', value: 15000, threshold: 100000 },
        }),
        entry('c3:ci_1', { kind: 'coupon_redeemed', coupon: { ...coupon, storeName: '上海静安嘉里中心店' } }),
        entry('c2:ci_1', { kind: 'coupon_claimed', coupon }),
        entry('c1:ci_1', { kind: 'coupon_sent', actor: { userId: 'lina', name: '李娜' }, coupon }),
      ],
      nextCursor: null,
    })
    const { wrapper } = await mountPage(CustomerTimeline, { externalUserId: 'wmA' })
    await flushPromises()
    const lines = wrapper.findAll('[data-kind^=coupon_]').map((li) => li.find('.entry__text').text())
    expect(lines).toEqual([
      '优惠券「满 1000 减 150」（¥150）过期未用',
      '她在上海静安嘉里中心店使用了优惠券「新客见面礼」（¥30）',
      '她领取了优惠券「新客见面礼」（¥30）',
      '发送了优惠券「新客见面礼」（¥30）',
    ])
    expect(wrapper.find('[data-kind=coupon_sent]').text()).toContain('李娜')
  })

  it('leaves out the orders the screen already shows, and keeps the older ones', async () => {
    api.fetchTimeline.mockResolvedValueOnce({
      items: [entry('n:1', { note: { text: '想要大衣', nextFollowUp: null, outcome: null } }), order('O2', 10), order('O1', 400)],
      nextCursor: null,
    })
    const { wrapper } = await mountPage(CustomerTimeline, { externalUserId: 'wmA', shownOrderIds: ['O2'] })
    await flushPromises()
    expect(wrapper.findAll('li').map((li) => li.attributes('data-kind'))).toEqual(['note', 'purchase'])
    expect(wrapper.find('[data-kind=purchase]').text()).toContain('¥1,299')
  })
})

describe('CustomerPurchasesCard', () => {
  it('says where her earlier orders are', async () => {
    const { wrapper } = await mountPage(CustomerPurchasesCard, { purchases: [purchase()], orderCount: 8 })
    expect(wrapper.get('[data-testid=purchases-earlier]').text()).toBe('更早的 7 单在下方「动态」里')
  })

  it('says nothing more when every order is shown', async () => {
    const { wrapper } = await mountPage(CustomerPurchasesCard, { purchases: [purchase()], orderCount: 1 })
    expect(wrapper.find('[data-testid=purchases-earlier]').exists()).toBe(false)
  })
})
