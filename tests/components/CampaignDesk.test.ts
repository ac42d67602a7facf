import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import CampaignDesk from '../../src/components/desk/CampaignDesk.vue'
import { ApiFailure } from '../../src/api/http'
import type { Campaign, CampaignDetail, CampaignProgress } from '../../src/shared/campaigns'
import type { CouponTemplate } from '../../src/shared/coupons'
import { NOW } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchCampaigns: vi.fn(),
  fetchCampaign: vi.fn(),
  createCampaign: vi.fn(),
  endCampaign: vi.fn(),
  countCampaignAudience: vi.fn(),
}))
vi.mock('@/api/campaigns', () => api)

const team = vi.hoisted(() => ({ fetchTeamStores: vi.fn() }))
vi.mock('@/api/team', async (original) => ({ ...(await original<typeof import('@/api/team')>()), ...team }))

const memory = vi.hoisted(() => ({ fetchCorpTags: vi.fn() }))
vi.mock('@/api/memory', async (original) => ({ ...(await original<typeof import('@/api/memory')>()), ...memory }))
const replies = vi.hoisted(() => ({ fetchManageLibrary: vi.fn() }))
vi.mock('@/api/replies', async (original) => ({ ...(await original<typeof import('@/api/replies')>()), ...replies }))
const bundles = vi.hoisted(() => ({ fetchBundles: vi.fn() }))
vi.mock('@/api/bundles', async (original) => ({ ...(await original<typeof import('@/api/bundles')>()), ...bundles }))
const coupons = vi.hoisted(() => ({ fetchCouponTemplates: vi.fn() }))
vi.mock('@/api/coupon-templates', async (original) => ({
  ...(await original<typeof import('@/api/coupon-templates')>()),
  ...coupons,
}))

const progress = (extra: Partial<CampaignProgress> = {}): CampaignProgress => ({
  customers: 0,
  done: 0,
  sent: 0,
  opened: 0,
  claimed: 0,
  redeemed: 0,
  salesFen: 0,
  ...extra,
})

function campaign(extra: Partial<Campaign> = {}): Campaign {
  return {
    id: 'c1',
    name: '秋季到店邀请',
    startsOn: '2026-11-20',
    endsOn: '2026-11-30',
    status: 'running',
    audience: { tags: ['et_vip'], dormant: true },
    content: { type: 'coupon', id: 't1', title: '满500减50' },
    note: '周末前联系完',
    stores: [
      { id: 'S001', name: '静安店' },
      { id: 'S002', name: '徐汇店' },
    ],
    createdBy: { userId: 'wanglei', name: '王蕾' },
    createdAt: '2026-11-19T02:00:00.000Z',
    endedAt: null,
    totals: progress({ customers: 30, done: 12, sent: 10, opened: 6, claimed: 5, redeemed: 3, salesFen: 1_250_000 }),
    ...extra,
  }
}

function detail(extra: Partial<Campaign> = {}): CampaignDetail {
  return {
    campaign: campaign(extra),
    guides: [
      { userId: 'lina', name: '李娜', storeId: 'S001', ...progress({ customers: 20, done: 5, sent: 4, salesFen: 250_000 }) },
      {
        userId: 'chenjing',
        name: '陈静',
        storeId: 'S002',
        ...progress({ customers: 10, done: 7, sent: 6, redeemed: 3, salesFen: 1_000_000 }),
      },
    ],
  }
}

function template(id: string, status: CouponTemplate['status']): CouponTemplate {
  return {
    id,
    name: `券${id}`,
    description: '',
    kind: 'amount_off',
    value: 5000,
    threshold: 50000,
    totalStock: 100,
    stockLeft: 80,
    issued: 20,
    redeemed: 3,
    perCustomerLimit: 1,
    guideWeeklyQuota: 20,
    validDays: 30,
    validFrom: null,
    validTo: null,
    eligibleLevels: [],
    eligibleTags: [],
    maxOrders: null,
    storeIds: [],
    online: false,
    status,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  }
}

/** Today and a week on, by the browser's calendar (the tests' clock is NOW). */
function day(offset: number): string {
  const d = new Date(NOW)
  const at = new Date(d.getFullYear(), d.getMonth(), d.getDate() + offset)
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`
}

const dialogConfirm = () => document.querySelector('.van-dialog__confirm') as HTMLButtonElement
const dialogCancel = () => document.querySelector('.van-dialog__cancel') as HTMLButtonElement

async function click(wrapper: VueWrapper, testid: string): Promise<void> {
  await wrapper.get(`[data-testid=${testid}]`).trigger('click')
  await flushPromises()
}

async function openForm() {
  const mounted = await mountPage(CampaignDesk)
  await click(mounted.wrapper, 'campaign-new')
  return mounted
}

beforeEach(() => {
  vi.clearAllMocks()
  api.fetchCampaigns.mockResolvedValue([
    campaign(),
    campaign({
      id: 'c2',
      name: '双十二预热',
      status: 'scheduled',
      startsOn: '2026-12-01',
      endsOn: '2026-12-12',
      totals: progress(),
    }),
  ])
  const store = (storeId: string, name: string) => ({
    storeId,
    name,
    city: '上海',
    commissionBp: null,
    eveningReportAt: null,
    ranking: null,
    guides: 3,
  })
  team.fetchTeamStores.mockResolvedValue({ items: [store('S001', '静安店'), store('S002', '徐汇店')] })
  api.countCampaignAudience.mockResolvedValue({
    total: 120,
    stores: [
      { id: 'S001', name: '静安店', customers: 70 },
      { id: 'S002', name: '徐汇店', customers: 50 },
    ],
  })
  api.fetchCampaign.mockResolvedValue(detail())
  memory.fetchCorpTags.mockResolvedValue({
    groups: [
      {
        groupId: 'g1',
        name: '客户等级',
        tags: [
          { id: 'et_vip', name: '重要客户' },
          { id: 'et_new', name: '新客' },
        ],
      },
    ],
  })
  coupons.fetchCouponTemplates.mockResolvedValue({ templates: [template('t1', 'active'), template('t2', 'paused')] })
  bundles.fetchBundles.mockResolvedValue([])
  replies.fetchManageLibrary.mockResolvedValue({ groups: [], replies: [], usage: [], favorites: [], assets: [] })
})

describe('CampaignDesk: the list', () => {
  it('shows each campaign with its period, status and progress, and opens one', async () => {
    const { wrapper } = await mountPage(CampaignDesk)
    const row = wrapper.get('[data-testid=campaign-row-c1]').text()
    expect(row).toContain('秋季到店邀请')
    expect(row).toContain('进行中')
    expect(row).toContain('12 / 30')
    expect(row).toContain('40%')
    expect(row).toContain('¥1.3万')
    expect(wrapper.get('[data-testid=campaign-status-c2]').text()).toBe('未开始')

    await click(wrapper, 'campaign-row-c1')
    expect(api.fetchCampaign).toHaveBeenCalledWith('c1')
    expect(wrapper.find('[data-testid=campaign-detail]').exists()).toBe(true)
  })

  it('offers to create the first one when there is none', async () => {
    api.fetchCampaigns.mockResolvedValueOnce([])
    const { wrapper } = await mountPage(CampaignDesk)
    expect(wrapper.get('[data-testid=campaign-empty]').text()).toContain('还没有活动')
  })
})

describe('CampaignDesk: a new campaign', () => {
  it('sends the name, dates, stores, audience, content and note it was given, then shows the detail', async () => {
    const { wrapper } = await openForm()
    expect((wrapper.get('[data-testid=campaign-starts]').element as HTMLInputElement).value).toBe(day(0))
    expect((wrapper.get('[data-testid=campaign-ends]').element as HTMLInputElement).value).toBe(day(7))
    expect((wrapper.get('[data-testid=campaign-store-S001]').element as HTMLInputElement).checked).toBe(true)

    await wrapper.get('[data-testid=campaign-name]').setValue(' 冬季新品邀请 ')
    await wrapper.get('[data-testid=campaign-ends]').setValue(day(10))
    await click(wrapper, 'campaign-tag-et_vip')
    await click(wrapper, 'campaign-level-gold')
    await click(wrapper, 'campaign-level-platinum')
    await click(wrapper, 'campaign-last-purchase-over180')
    await wrapper.get('[data-testid=campaign-birthday]').setValue('12')
    await wrapper.get('[data-testid=campaign-dormant]').setValue(true)
    await click(wrapper, 'campaign-coupon-false')
    await wrapper.get('[data-testid=campaign-store-S002]').setValue(false)

    await click(wrapper, 'campaign-content-coupon')
    // Only a running template can be sent.
    expect(wrapper.find('[data-testid=campaign-content-option-t2]').exists()).toBe(false)
    await click(wrapper, 'campaign-content-option-t1')
    await wrapper.get('[data-testid=campaign-note]').setValue('周末前联系完')

    api.createCampaign.mockResolvedValueOnce(detail({ id: 'c9', name: '冬季新品邀请' }))
    await click(wrapper, 'campaign-submit')
    expect(api.createCampaign).toHaveBeenCalledWith({
      name: '冬季新品邀请',
      startsOn: day(0),
      endsOn: day(10),
      audience: {
        tags: ['et_vip'],
        levels: ['gold', 'platinum'],
        lastPurchase: 'over180',
        birthdayMonth: '12',
        dormant: true,
        hasCoupon: false,
      },
      content: { type: 'coupon', id: 't1' },
      note: '周末前联系完',
      storeIds: ['S001'],
    })
    // The server's answer is the detail: not read again.
    expect(wrapper.get('[data-testid=campaign-detail]').text()).toContain('冬季新品邀请')
    expect(api.fetchCampaign).not.toHaveBeenCalled()
  })

  it('says what is missing beside the field, and sends nothing', async () => {
    const { wrapper } = await openForm()
    await wrapper.get('[data-testid=campaign-ends]').setValue(day(-1))
    await click(wrapper, 'campaign-content-reply')
    await wrapper.get('[data-testid=campaign-store-S001]').setValue(false)
    await wrapper.get('[data-testid=campaign-store-S002]').setValue(false)
    await click(wrapper, 'campaign-submit')
    expect(api.createCampaign).not.toHaveBeenCalled()
    expect(wrapper.get('[data-testid=campaign-error-name]').text()).toBe('请填写活动名称')
    expect(wrapper.get('[data-testid=campaign-error-dates]').text()).toBe('结束日期不能早于开始日期')
    expect(wrapper.get('[data-testid=campaign-error-stores]').text()).toBe('请至少选择一家门店')
    expect(wrapper.get('[data-testid=campaign-content]').text()).toContain('请选择要发送的话术')
    // Fixed as she goes.
    await wrapper.get('[data-testid=campaign-name]').setValue('会员日')
    expect(wrapper.find('[data-testid=campaign-error-name]').exists()).toBe(false)
  })

  it('shows the server’s refusal and keeps what she wrote', async () => {
    const { wrapper } = await openForm()
    await wrapper.get('[data-testid=campaign-name]').setValue('会员日')
    api.createCampaign.mockRejectedValueOnce(new ApiFailure(400, 'bad_request', '活动最长 90 天'))
    await click(wrapper, 'campaign-submit')
    expect(wrapper.get('[data-testid=campaign-form-error]').text()).toContain('活动最长 90 天')
    expect((wrapper.get('[data-testid=campaign-name]').element as HTMLInputElement).value).toBe('会员日')
    expect(wrapper.find('[data-testid=campaign-detail]').exists()).toBe(false)
  })

  it('counts the customers it would reach once the audience stops changing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { wrapper } = await openForm()
    expect(api.countCampaignAudience).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(400)
    await flushPromises()
    // Every store of hers: the server is not told them one by one.
    expect(api.countCampaignAudience).toHaveBeenCalledTimes(1)
    expect(api.countCampaignAudience).toHaveBeenLastCalledWith({ audience: {} }, expect.anything())
    expect(wrapper.get('[data-testid=campaign-audience-count]').text()).toBe('将覆盖 120 位客户')
    expect(wrapper.text()).toContain('静安店')

    api.countCampaignAudience.mockResolvedValue({ total: 8, stores: [{ id: 'S001', name: '静安店', customers: 8 }] })
    await click(wrapper, 'campaign-level-gold')
    await vi.advanceTimersByTimeAsync(200)
    await click(wrapper, 'campaign-level-silver')
    await wrapper.get('[data-testid=campaign-store-S002]').setValue(false)
    await vi.advanceTimersByTimeAsync(399)
    expect(api.countCampaignAudience).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    await flushPromises()
    expect(api.countCampaignAudience).toHaveBeenCalledTimes(2)
    expect(api.countCampaignAudience).toHaveBeenLastCalledWith(
      { audience: { levels: ['gold', 'silver'] }, storeIds: ['S001'] },
      expect.anything(),
    )
    expect(wrapper.get('[data-testid=campaign-audience-count]').text()).toBe('将覆盖 8 位客户')
    vi.useRealTimers()
  })

  it('lists the brand’s replies and outfits to send, searchable', async () => {
    replies.fetchManageLibrary.mockResolvedValueOnce({
      groups: [{ id: 'g1', scope: 'corp', parentId: null, name: '节日', position: 0, retired: false }],
      replies: [
        { id: 'r1', scope: 'corp', groupId: 'g1', title: '双十二邀请', parts: [{ type: 'text', text: '亲爱的{称呼}' }] },
        { id: 'r2', scope: 'corp', groupId: 'g1', title: '生日祝福', parts: [{ type: 'text', text: '生日快乐' }] },
        { id: 'r3', scope: 'personal', groupId: 'g1', title: '我的话术', parts: [{ type: 'text', text: '…' }] },
        { id: 'r4', scope: 'corp', groupId: 'g1', title: '旧话术', parts: [{ type: 'text', text: '…' }], retired: true },
      ].map((r) => ({ tags: [], stages: [], position: 0, retired: false, updatedAt: '2026-11-01T00:00:00.000Z', ...r })),
      usage: [],
      favorites: [],
      assets: [],
    })
    const { wrapper } = await openForm()
    await click(wrapper, 'campaign-content-reply')
    const options = () => wrapper.findAll('[data-testid^=campaign-content-option-]').map((o) => o.attributes('data-testid'))
    expect(options()).toEqual(['campaign-content-option-r1', 'campaign-content-option-r2'])
    await wrapper.get('[data-testid=campaign-content-search]').setValue('生日')
    expect(options()).toEqual(['campaign-content-option-r2'])

    await click(wrapper, 'campaign-content-bundle')
    expect(bundles.fetchBundles).toHaveBeenCalledWith('corp')
    expect(wrapper.get('[data-testid=campaign-content-empty]').text()).toBe('还没有品牌搭配')
  })
})

describe('CampaignDesk: a campaign’s progress', () => {
  async function openDetail() {
    const mounted = await mountPage(CampaignDesk)
    await click(mounted.wrapper, 'campaign-row-c1')
    return mounted
  }

  it('shows what is sent, the note, one row per guide by done rate, and the totals', async () => {
    const { wrapper } = await openDetail()
    expect(wrapper.get('[data-testid=campaign-detail-content]').text()).toBe('优惠券 · 满500减50')
    expect(wrapper.get('[data-testid=campaign-detail-note]').text()).toBe('周末前联系完')
    expect(wrapper.text()).toContain('标签：重要客户')
    expect(wrapper.text()).toContain('沉睡客户')
    const rows = () => wrapper.findAll('[data-testid^=campaign-progress-]').map((r) => r.attributes('data-testid'))
    // 陈静 7/10 ahead of 李娜 5/20.
    expect(rows()).toEqual(['campaign-progress-chenjing', 'campaign-progress-lina', 'campaign-progress-total'])
    const lina = wrapper.get('[data-testid=campaign-progress-lina]').text()
    expect(lina).toContain('静安店')
    expect(lina).toContain('5 · 25%')
    expect(lina).toContain('¥2,500')
    const total = wrapper.get('[data-testid=campaign-progress-total]').text()
    expect(total).toContain('合计')
    expect(total).toContain('12 · 40%')
    expect(total).toContain('¥1.3万')

    // Lowest rate first when she asks.
    await click(wrapper, 'campaign-sort-doneRate')
    expect(rows().slice(0, 2)).toEqual(['campaign-progress-lina', 'campaign-progress-chenjing'])
    await click(wrapper, 'campaign-sort-customers')
    expect(rows().slice(0, 2)).toEqual(['campaign-progress-lina', 'campaign-progress-chenjing'])
  })

  it('ends it only once she confirms', async () => {
    const { wrapper } = await openDetail()
    await click(wrapper, 'campaign-end')
    expect(document.querySelector('.van-dialog__message')?.textContent).toContain('秋季到店邀请')
    dialogCancel().click()
    await flushPromises()
    expect(api.endCampaign).not.toHaveBeenCalled()

    api.endCampaign.mockResolvedValueOnce(detail({ status: 'ended', endedAt: '2026-11-25T04:00:00.000Z' }))
    await click(wrapper, 'campaign-end')
    dialogConfirm().click()
    await flushPromises()
    expect(api.endCampaign).toHaveBeenCalledWith('c1')
    expect(wrapper.get('[data-testid=campaign-detail-status]').text()).toBe('已结束')
    expect(wrapper.find('[data-testid=campaign-end]').exists()).toBe(false)
  })

  it('offers no end for a campaign that has ended', async () => {
    api.fetchCampaign.mockResolvedValueOnce(detail({ status: 'ended' }))
    const { wrapper } = await openDetail()
    expect(wrapper.find('[data-testid=campaign-end]').exists()).toBe(false)
  })
})
