import { beforeEach, describe, expect, it, vi } from 'vitest'
import CouponPanel from '../../src/components/coupons/CouponPanel.vue'
import type { CouponOffer, CouponTemplate, Issuance } from '../../src/shared/coupons'
import { ApiFailure } from '../../src/api/http'
import { WecomCallError } from '../../src/wecom'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchCouponOffers: vi.fn(),
  fetchCustomerCoupons: vi.fn(),
  issueCoupon: vi.fn(),
  confirmIssuance: vi.fn(),
  releaseIssuance: vi.fn(),
}))
vi.mock('@/api/coupons', () => api)

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

const wecom = vi.hoisted(() => ({ sendChatMessage: vi.fn() }))
vi.mock('@/wecom', async (original) => ({
  ...(await original<typeof import('../../src/wecom')>()),
  sendChatMessage: wecom.sendChatMessage,
}))

function template(id: string, extra: Partial<CouponTemplate> = {}): CouponTemplate {
  return {
    id,
    name: `券${id}`,
    description: '',
    kind: 'amount_off',
    value: 15000,
    threshold: 100000,
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
    ...extra,
  }
}

const offers: CouponOffer[] = [
  { template: template('t1'), available: true, reason: null, guideUsedThisWeek: 2, customerHolds: 0 },
  {
    template: template('t2', { kind: 'percent_off', value: 15, threshold: 0 }),
    available: false,
    reason: 'not_eligible',
    guideUsedThisWeek: 0,
    customerHolds: 0,
  },
  {
    template: template('t3', { name: '新客见面礼', kind: 'no_threshold', value: 3000, threshold: 0, maxOrders: 0 }),
    available: false,
    reason: 'too_many_orders',
    guideUsedThisWeek: 0,
    customerHolds: 0,
  },
  {
    template: template('t4', { maxOrders: 3 }),
    available: false,
    reason: 'too_many_orders',
    guideUsedThisWeek: 0,
    customerHolds: 0,
  },
]

const issuance: Issuance = {
  issuanceId: 'ci_1',
  templateId: 't1',
  code: 'ABCDEFGHJKLM',
  claimUrl: 'https://sidebar.example.com/c/ABCDEFGHJKLM',
  status: 'reserved',
  name: '券t1',
  kind: 'amount_off',
  value: 15000,
  threshold: 100000,
  validFrom: null,
  validUntil: null,
  reservedUntil: null,
  issuedAt: '2026-11-25T04:00:00.000Z',
  claimedAt: null,
  redeemedAt: null,
  redeemedStoreName: null,
  guide: { userId: 'lina', name: '李娜' },
  card: {
    link: 'https://sidebar.example.com/c/ABCDEFGHJKLM',
    title: '¥150 优惠券 · 满1,000可用',
    desc: '券t1，点开领取，到店出示即可使用',
    imgUrl: 'https://sidebar.example.com/media/coupon-cover/amount_off.png',
  },
}

describe('CouponPanel', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    toasts.length = 0
    api.fetchCouponOffers.mockResolvedValue(offers)
    api.fetchCustomerCoupons.mockResolvedValue([{ ...issuance, status: 'redeemed', redeemedAt: '2026-11-20T04:00:00.000Z' }])
    api.issueCoupon.mockResolvedValue(issuance)
    api.confirmIssuance.mockResolvedValue({ ...issuance, status: 'sent' })
    api.releaseIssuance.mockResolvedValue({ ...issuance, status: 'released' })
  })

  const mountPanel = (canSend = true) => mountPage(CouponPanel, { externalUserId: 'wm1', canSend })

  it('shows what she can get, and why the rest cannot go', async () => {
    const { wrapper } = await mountPanel()
    expect(wrapper.get('[data-testid=offer-t1]').text()).toContain('¥150')
    expect(wrapper.get('[data-testid=offer-t1]').text()).toContain('满 ¥1,000 可用')
    const off = wrapper.get('[data-testid=offer-t2]')
    expect(off.text()).toContain('8.5 折')
    expect(off.get('[data-testid=offer-reason]').text()).toBe('她的会员等级或标签不符合')
    expect(off.get('[data-testid=offer-send-t2]').attributes('disabled')).toBeDefined()
    // A gift for new customers says so, and a limit says how many orders it allows.
    expect(wrapper.get('[data-testid=offer-t3] [data-testid=offer-reason]').text()).toBe('仅限新客，她已下过单')
    expect(wrapper.get('[data-testid=offer-t4] [data-testid=offer-reason]').text()).toBe('仅限下单不超过 3 次的客户')
    expect(wrapper.get('[data-testid=coupons-held]').text()).toContain('已使用')
  })

  it('reserves with one key per tap, sends the card, and confirms', async () => {
    const { wrapper } = await mountPanel()
    wecom.sendChatMessage.mockResolvedValueOnce('sent')
    await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
    await flushPromises()
    expect(api.issueCoupon).toHaveBeenCalledWith('t1', 'wm1', expect.stringMatching(/^[0-9a-f-]{36}$/))
    // The card goes as the server made it.
    expect(wecom.sendChatMessage).toHaveBeenCalledWith({ msgtype: 'news', news: issuance.card })
    expect(api.confirmIssuance).toHaveBeenCalledWith('ci_1')
    expect(api.releaseIssuance).not.toHaveBeenCalled()
    expect(toasts).toContain('已发送')
    // The numbers are the server's again after a send.
    expect(api.fetchCouponOffers).toHaveBeenCalledTimes(2)
  })

  it('takes a second tap right after a coupon went out as the same tap, and one a moment later as a new send', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    try {
      const { wrapper } = await mountPanel()
      wecom.sendChatMessage.mockResolvedValue('sent')
      await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
      await flushPromises()
      vi.advanceTimersByTime(300)
      await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
      await flushPromises()
      expect(api.issueCoupon).toHaveBeenCalledTimes(1)
      vi.advanceTimersByTime(1000)
      await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
      await flushPromises()
      expect(api.issueCoupon).toHaveBeenCalledTimes(2)
      expect(api.issueCoupon.mock.calls[0]![2]).not.toBe(api.issueCoupon.mock.calls[1]![2])
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps the rows where they were after a send, whatever order the server answers in', async () => {
    const { wrapper } = await mountPanel()
    const order = () => wrapper.findAll('[data-testid^=offer-t]').map((row) => row.attributes('data-testid'))
    expect(order()).toEqual(['offer-t1', 'offer-t2', 'offer-t3', 'offer-t4'])
    const sentOut = { ...offers[0]!, available: false, reason: 'customer_limit' as const }
    api.fetchCouponOffers.mockResolvedValue([offers[3]!, offers[2]!, offers[1]!, sentOut])
    wecom.sendChatMessage.mockResolvedValueOnce('sent')
    await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
    await flushPromises()
    expect(api.fetchCouponOffers).toHaveBeenCalledTimes(2)
    expect(order()).toEqual(['offer-t1', 'offer-t2', 'offer-t3', 'offer-t4'])
    expect(wrapper.get('[data-testid=offer-t1] [data-testid=offer-reason]').text()).not.toBe('')
  })

  it('gives the coupon back on a cancel (silently) and on a failure (saying why)', async () => {
    const { wrapper } = await mountPanel()
    wecom.sendChatMessage.mockResolvedValueOnce('cancelled')
    await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
    await flushPromises()
    expect(api.releaseIssuance).toHaveBeenCalledWith('ci_1')
    expect(api.confirmIssuance).not.toHaveBeenCalled()
    expect(toasts).toEqual([])

    wecom.sendChatMessage.mockRejectedValueOnce(
      new WecomCallError('sendChatMessage', 'fail', 'sendChatMessage:fail no permission', 0),
    )
    await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
    await flushPromises()
    expect(api.releaseIssuance).toHaveBeenCalledTimes(2)
    expect(toasts.at(-1)).toMatch(/发送失败.*no permission/)
  })

  it('says a refusal that came since the list was read as the list says it, and a lost session as what to do', async () => {
    const { wrapper } = await mountPanel()
    api.issueCoupon.mockRejectedValueOnce(
      new ApiFailure(409, 'customer_limit', 'She already holds as many of this coupon as one customer may'),
    )
    await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
    await flushPromises()
    expect(toasts.at(-1)).toBe('发送失败：她已领到上限')
    api.issueCoupon.mockRejectedValueOnce(new ApiFailure(401, 'unauthorized', 'Sign in through WeCom first'))
    await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
    await flushPromises()
    expect(toasts.at(-1)).toBe('发送失败：登录已失效，请重新打开应用')
    expect(wecom.sendChatMessage).not.toHaveBeenCalled()
  })

  it('explains a coupon refused for private wording, without sending anything', async () => {
    const { wrapper } = await mountPanel()
    api.issueCoupon.mockRejectedValueOnce(new ApiFailure(422, 'private_text', 'holds a description', '孕期'))
    await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
    await flushPromises()
    expect(document.querySelector('.van-dialog')?.textContent).toContain('这张券的名称或说明里有「孕期」')
    expect(wecom.sendChatMessage).not.toHaveBeenCalled()
    expect(toasts.some((m) => m.includes('发送失败'))).toBe(false)
  })

  it('copies the claim link where sending is impossible', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const { wrapper } = await mountPanel(false)
    const button = wrapper.get('[data-testid=offer-send-t1]')
    expect(button.text()).toBe('复制链接')
    await button.trigger('click')
    await flushPromises()
    expect(wecom.sendChatMessage).not.toHaveBeenCalled()
    expect(api.confirmIssuance).toHaveBeenCalledWith('ci_1')
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining(issuance.claimUrl))
    expect(toasts.at(-1)).toContain('领券链接已复制')
  })
})
