/**
 * Sending in a manager's preview: the send buttons are there as the guide sees them, and
 * they refuse — src/wecom before WeCom is asked, the server (403 preview_read_only) before
 * anything is reserved. She reads 预览中不会发送, never a failure to retry or copy around.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import CouponPanel from '../../src/components/coupons/CouponPanel.vue'
import ReplyPanel from '../../src/components/replies/ReplyPanel.vue'
import type { CouponTemplate } from '../../src/shared/coupons'
import type { ReplyLibrary } from '../../src/shared/replies'
import { setPreviewMode } from '../../src/wecom'
import { profile } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const replies = vi.hoisted(() => ({
  fetchReplyLibrary: vi.fn(),
  fetchSendPlan: vi.fn(),
  fetchCopyPlan: vi.fn(),
  reportSend: vi.fn(),
  refreshMedia: vi.fn(),
  setFavorite: vi.fn(),
}))
vi.mock('@/api/replies', () => replies)

const coupons = vi.hoisted(() => ({
  fetchCouponOffers: vi.fn(),
  fetchCustomerCoupons: vi.fn(),
  issueCoupon: vi.fn(),
  confirmIssuance: vi.fn(),
  releaseIssuance: vi.fn(),
}))
vi.mock('@/api/coupons', () => coupons)

const toasts = vi.hoisted(() => [] as string[])
const dialogs = vi.hoisted(() => [] as string[])
vi.mock('vant', async (original) => {
  const vant = await original<typeof import('vant')>()
  return {
    ...vant,
    showToast: (options: Parameters<typeof vant.showToast>[0]) => {
      toasts.push(typeof options === 'string' ? options : String(options?.message ?? ''))
      return vant.showToast(options)
    },
    showDialog: (options: Parameters<typeof vant.showDialog>[0]) => {
      dialogs.push(String(options?.message ?? ''))
      return Promise.resolve('confirm' as const)
    },
  }
})

const library: ReplyLibrary = {
  groups: [{ id: 'g1', scope: 'corp', parentId: null, name: '门店', position: 0, retired: false }],
  replies: [
    {
      id: 'r1',
      scope: 'corp',
      groupId: 'g1',
      title: '门店地址',
      parts: [{ type: 'text', text: '我们在嘉里中心 B1 层。' }],
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

function template(id: string): CouponTemplate {
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
  }
}

beforeEach(() => {
  vi.clearAllMocks()
  toasts.length = 0
  dialogs.length = 0
  setPreviewMode(true)
})
afterEach(() => setPreviewMode(false))

describe('sending in a preview', () => {
  it('a reply: refused before WeCom, told so, nothing recorded and nothing offered', async () => {
    replies.fetchReplyLibrary.mockResolvedValue(structuredClone(library))
    replies.fetchSendPlan.mockResolvedValue({
      replyId: 'r1',
      parts: [{ msgtype: 'text', text: { content: '我们在嘉里中心 B1 层。' } }],
    })
    const { wrapper } = await mountPage(ReplyPanel, { target: { externalUserId: 'wmAAAA' }, profile: profile(), canSend: true })
    await flushPromises()
    await wrapper.get('[data-testid=reply-group-g1]').trigger('click')
    // The guide's own button, as she sees it.
    await wrapper.get('[data-testid=send-r1]').trigger('click')
    await flushPromises()
    expect(toasts.at(-1)).toBe('预览中不会发送')
    expect(toasts).not.toContain('已发送')
    // No "send again / copy" sheet, and no send recorded.
    expect(document.querySelector('.van-action-sheet__item')).toBeNull()
    expect(replies.reportSend).not.toHaveBeenCalled()
  })

  it('a coupon: the server refuses to reserve it, and she is told it is a preview', async () => {
    coupons.fetchCouponOffers.mockResolvedValue([
      { template: template('t1'), available: true, reason: null, guideUsedThisWeek: 0, customerHolds: 0 },
    ])
    coupons.fetchCustomerCoupons.mockResolvedValue([])
    coupons.issueCoupon.mockRejectedValue(new ApiFailure(403, 'preview_read_only', '预览中不能修改'))
    const { wrapper } = await mountPage(CouponPanel, { externalUserId: 'wm1', canSend: true })
    await flushPromises()
    await wrapper.get('[data-testid=offer-send-t1]').trigger('click')
    await flushPromises()
    expect(coupons.issueCoupon).toHaveBeenCalledTimes(1)
    expect(toasts.at(-1)).toBe('预览中不会发送')
    expect(toasts.join()).not.toContain('没有发出去')
    expect(dialogs).toEqual([])
  })
})
