import { beforeEach, describe, expect, it, vi } from 'vitest'
import StatsPanel from '../../src/components/stats/StatsPanel.vue'
import WorkbenchPage from '../../src/pages/workbench/WorkbenchPage.vue'
import { ApiFailure } from '../../src/api/http'
import type { GuideStats, StatsPeriod } from '../../src/shared/stats'
import { deferred, flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ fetchMyStats: vi.fn() }))
vi.mock('@/api/stats', () => api)

const customers = vi.hoisted(() => ({ fetchCustomers: vi.fn() }))
vi.mock('@/api/customers', () => ({ fetchCustomers: customers.fetchCustomers, fetchCustomer: vi.fn() }))

function stats(period: StatsPeriod, overrides: Partial<GuideStats> = {}): GuideStats {
  return {
    period,
    from: '2026-11-01',
    to: '2026-11-03',
    salesFen: 3_125_000,
    orders: 25,
    customersAdded: 7,
    customersLost: 1,
    tasksDone: 12,
    tasksOverdue: 2,
    repliesSent: 40,
    bundlesSent: 9,
    bundlesOpened: 6,
    couponsSent: 15,
    couponsClaimed: 11,
    couponsRedeemed: 4,
    targetFen: 5_000_000,
    commissionFen: 93_750,
    rank: { store: { position: 2, of: 5 }, brand: { position: 14, of: 120 } },
    series: [
      { date: '2026-11-01', salesFen: 0 },
      { date: '2026-11-02', salesFen: 1000 },
      { date: '2026-11-03', salesFen: 500 },
    ],
    ...overrides,
  }
}

const text = (wrapper: { get: (s: string) => { text: () => string } }, id: string) => wrapper.get(`[data-testid=${id}]`).text()

describe('StatsPanel', () => {
  beforeEach(() => {
    vi.clearAllMocks()
  })

  it('opens on the month: sales, target, orders, average, commission, ranks and the rest', async () => {
    api.fetchMyStats.mockResolvedValueOnce(stats('month'))
    const { wrapper } = await mountPage(StatsPanel)
    expect(api.fetchMyStats).toHaveBeenCalledWith('month')
    expect(text(wrapper, 'stats-sales')).toBe('¥3.1万')
    expect(wrapper.text()).toContain('本月业绩')
    expect(text(wrapper, 'stats-target-percent')).toBe('已完成 62%')
    expect(wrapper.get('[data-testid=stats-target]').text()).toContain('本月目标 ¥5万')
    expect(wrapper.get('[role=progressbar]').attributes('aria-valuenow')).toBe('62')
    expect(wrapper.get('.target__fill').attributes('style')).toContain('width: 62%')
    expect(text(wrapper, 'stats-orders')).toBe('25')
    expect(text(wrapper, 'stats-average')).toBe('¥1,250')
    expect(text(wrapper, 'stats-commission')).toBe('¥937.50')
    expect(text(wrapper, 'stats-rank-store')).toContain('第 2 / 5')
    expect(text(wrapper, 'stats-rank-brand')).toContain('第 14 / 120')
    expect(text(wrapper, 'stats-customersAdded')).toBe('新增客户7')
    expect(text(wrapper, 'stats-couponsRedeemed')).toBe('核销4')
    expect(text(wrapper, 'stats-bundlesOpened')).toBe('搭配被打开6')
    // 300 × 56 with 2 free at top and bottom: zero on the floor, the best day at the top.
    expect(wrapper.get('[data-testid=stats-sparkline-line]').attributes('d')).toBe('M0,54 L150,2 L300,28')
  })

  it('hides the target without one, the average without orders, and the trend for a single day', async () => {
    api.fetchMyStats.mockResolvedValueOnce(
      stats('day', { targetFen: null, salesFen: 0, orders: 0, series: [{ date: '2026-11-03', salesFen: 0 }] }),
    )
    const { wrapper } = await mountPage(StatsPanel)
    expect(wrapper.find('[data-testid=stats-target]').exists()).toBe(false)
    expect(text(wrapper, 'stats-average')).toBe('—')
    expect(text(wrapper, 'stats-sales')).toBe('¥0')
    expect(wrapper.find('[data-testid=stats-sparkline]').exists()).toBe(false)
  })

  it('asks again when she switches the period, and shows only the answer for the period on screen', async () => {
    api.fetchMyStats.mockResolvedValueOnce(stats('month'))
    const { wrapper } = await mountPage(StatsPanel)
    const slowDay = deferred<GuideStats>()
    api.fetchMyStats
      .mockReturnValueOnce(slowDay.promise)
      .mockResolvedValueOnce(stats('week', { salesFen: 880_000, targetFen: 5_000_000 }))
    await wrapper.get('[data-testid=tab-day]').trigger('click')
    await flushPromises()
    expect(api.fetchMyStats).toHaveBeenLastCalledWith('day')
    expect(wrapper.find('[data-testid=stats-skeleton]').exists()).toBe(true)
    await wrapper.get('[data-testid=tab-week]').trigger('click')
    await flushPromises()
    expect(api.fetchMyStats).toHaveBeenLastCalledWith('week')
    slowDay.resolve(stats('day', { salesFen: 1 }))
    await flushPromises()
    expect(wrapper.text()).toContain('本周业绩')
    expect(text(wrapper, 'stats-sales')).toBe('¥8,800')
    // A week is a share of the month's target, not "done".
    expect(text(wrapper, 'stats-target-percent')).toBe('占本月目标 17%')
  })

  it('says when the numbers did not load and tries again on a tap', async () => {
    api.fetchMyStats.mockRejectedValueOnce(new ApiFailure(500, 'internal', 'boom')).mockResolvedValueOnce(stats('month'))
    const { wrapper } = await mountPage(StatsPanel)
    expect(wrapper.text()).toContain('数据没有加载出来')
    await wrapper.get('.gs-status__action').trigger('click')
    await flushPromises()
    expect(api.fetchMyStats).toHaveBeenCalledTimes(2)
    expect(text(wrapper, 'stats-sales')).toBe('¥3.1万')
  })
})

describe('the 数据 tab on the workbench', () => {
  it('loads her numbers only once she opens it', async () => {
    vi.clearAllMocks()
    customers.fetchCustomers.mockResolvedValue({ items: [], nextCursor: null, total: 0, syncing: false })
    api.fetchMyStats.mockResolvedValue(stats('month'))
    const { wrapper } = await mountPage(WorkbenchPage)
    expect(api.fetchMyStats).not.toHaveBeenCalled()
    const tab = wrapper.get('[data-testid=tab-stats]')
    expect(tab.text()).toBe('数据')
    await tab.trigger('click')
    await vi.dynamicImportSettled()
    await flushPromises()
    expect(api.fetchMyStats).toHaveBeenCalledWith('month')
    expect(wrapper.get('[data-testid=stats-panel]').text()).toContain('¥3.1万')
  })
})
