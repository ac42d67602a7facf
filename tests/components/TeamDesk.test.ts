import type { VueWrapper } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import TeamDesk from '../../src/components/desk/TeamDesk.vue'
import type { StatsPeriod } from '../../src/shared/stats'
import type { ContentUsage, TeamGuideStats, TeamStats, TeamTotals } from '../../src/shared/team'
import { deferred, flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ fetchTeamStats: vi.fn(), fetchContentUsage: vi.fn() }))
// The CSV link is built by the real module: the test checks the URL a browser would follow.
vi.mock('@/api/team', async (original) => ({ ...(await original<typeof import('@/api/team')>()), ...api }))

const zero = {
  salesFen: 0,
  orders: 0,
  customersAdded: 0,
  customersLost: 0,
  tasksDone: 0,
  tasksOverdue: 0,
  repliesSent: 0,
  bundlesSent: 0,
  bundlesOpened: 0,
  couponsSent: 0,
  couponsClaimed: 0,
  couponsRedeemed: 0,
  targetFen: null,
  commissionFen: 0,
  series: [
    { date: '2026-11-01', salesFen: 0 },
    { date: '2026-11-02', salesFen: 100 },
  ],
}
const guide = (userId: string, name: string, storeId: string, extra: Partial<TeamGuideStats> = {}): TeamGuideStats => ({
  ...zero,
  userId,
  name,
  storeId,
  ...extra,
})
const totals = (extra: Partial<TeamTotals> = {}): TeamTotals => ({ ...zero, ...extra })

function teamStats(period: StatsPeriod = 'month', extra: Partial<TeamStats> = {}): TeamStats {
  return {
    period,
    from: '2026-11-01',
    to: '2026-11-25',
    guides: [
      // 2.96 % of her target: reads 3 %, not 2 %.
      guide('lina', '李娜', 'S001', {
        salesFen: 29_600,
        targetFen: 1_000_000,
        orders: 4,
        repliesSent: 5,
        bundlesSent: 2,
        couponsSent: 1,
      }),
      guide('chenjing', '陈静', 'S002', { salesFen: 3_125_000, targetFen: 5_000_000, orders: 2, customersLost: 1 }),
      guide('zhou', '周敏', 'S001', { salesFen: 150_000, orders: 9 }),
    ],
    stores: [
      { id: 'S001', name: '静安店', totals: totals({ salesFen: 179_600, orders: 13, targetFen: 2_000_000 }) },
      { id: 'S002', name: '三里屯店', totals: totals({ salesFen: 3_125_000, orders: 2, targetFen: 5_000_000 }) },
    ],
    totals: totals({ salesFen: 3_304_600, orders: 15, targetFen: 7_000_000, commissionFen: 99_138 }),
    ...extra,
  }
}

const rowIds = (wrapper: VueWrapper) =>
  wrapper.findAll('[data-testid^=team-row-]').map((row) => row.attributes('data-testid')!.replace('team-row-', ''))
const click = async (wrapper: VueWrapper, testid: string) => {
  await wrapper.get(`[data-testid=${testid}]`).trigger('click')
  await flushPromises()
}
const headerOf = (wrapper: VueWrapper, testid: string) => wrapper.get(`[data-testid=${testid}]`).element.closest('th')!

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset()
})

describe('TeamDesk', () => {
  it('opens on the month, every store: a row per guide, store subtotals and the totals', async () => {
    api.fetchTeamStats.mockResolvedValueOnce(teamStats())
    const { wrapper } = await mountPage(TeamDesk)
    expect(api.fetchTeamStats).toHaveBeenCalledWith({ period: 'month', storeId: null }, { signal: expect.any(AbortSignal) })
    expect(wrapper.get('[data-testid=team-period-month]').attributes('aria-pressed')).toBe('true')

    // By sales, biggest first, inside each store; the stores in the answer's order.
    expect(rowIds(wrapper)).toEqual(['zhou', 'lina', 'chenjing'])
    expect(headerOf(wrapper, 'team-sort-salesFen').getAttribute('aria-sort')).toBe('descending')
    expect(headerOf(wrapper, 'team-sort-orders').getAttribute('aria-sort')).toBe('none')

    const lina = wrapper.get('[data-testid=team-row-lina]')
    expect(lina.text()).toContain('静安店')
    expect(lina.get('[data-testid=team-target]').text()).toBe('3%')
    expect(lina.get('[data-testid=team-sales]').text()).toBe('¥296')
    // 发送: 5 replies + 2 bundles + 1 coupon.
    expect(lina.findAll('td')[5]!.text()).toBe('8')
    expect(wrapper.get('[data-testid=team-row-zhou] [data-testid=team-target]').text()).toBe('—')
    expect(wrapper.get('[data-testid=team-row-chenjing] [data-testid=team-target]').text()).toBe('63%')
    expect(wrapper.get('[data-testid=team-row-chenjing] [data-testid=team-sales]').text()).toBe('¥3.1万')

    expect(wrapper.get('[data-testid=team-subtotal-S001]').text()).toContain('静安店 小计')
    expect(wrapper.get('[data-testid=team-subtotal-S001]').text()).toContain('9%')
    expect(wrapper.get('[data-testid=team-subtotal-S002]').text()).toContain('¥3.1万')
    const total = wrapper.get('[data-testid=team-totals]')
    expect(total.element.closest('tfoot')).not.toBeNull()
    expect(total.text()).toContain('合计')
    expect(total.text()).toContain('¥3.3万')
    expect(total.text()).toContain('47%')
    expect(total.text()).toContain('¥991.38')
  })

  it('sorts by any number, each way, and back', async () => {
    api.fetchTeamStats.mockResolvedValueOnce(teamStats('month', { stores: [teamStats().stores[0]!] }))
    const { wrapper } = await mountPage(TeamDesk)
    // One store listed: no subtotals, one list.
    expect(wrapper.find('[data-testid^=team-subtotal-]').exists()).toBe(false)
    expect(rowIds(wrapper)).toEqual(['chenjing', 'zhou', 'lina'])

    await click(wrapper, 'team-sort-salesFen')
    expect(rowIds(wrapper)).toEqual(['lina', 'zhou', 'chenjing'])
    expect(headerOf(wrapper, 'team-sort-salesFen').getAttribute('aria-sort')).toBe('ascending')

    await click(wrapper, 'team-sort-orders')
    expect(rowIds(wrapper)).toEqual(['zhou', 'lina', 'chenjing'])
    expect(headerOf(wrapper, 'team-sort-orders').getAttribute('aria-sort')).toBe('descending')
    expect(headerOf(wrapper, 'team-sort-salesFen').getAttribute('aria-sort')).toBe('none')
    await click(wrapper, 'team-sort-orders')
    expect(rowIds(wrapper)).toEqual(['chenjing', 'lina', 'zhou'])
    expect(headerOf(wrapper, 'team-sort-orders').getAttribute('aria-sort')).toBe('ascending')

    // 流失 shares its header with 新增, and sorts on its own; a tie goes by name.
    await click(wrapper, 'team-sort-customersLost')
    expect(rowIds(wrapper)[0]).toBe('chenjing')
    expect(headerOf(wrapper, 'team-sort-customersLost').getAttribute('aria-sort')).toBe('descending')
  })

  it('links the CSV to the same period and store, and switches store and period', async () => {
    api.fetchTeamStats.mockResolvedValue(teamStats())
    const { wrapper } = await mountPage(TeamDesk)
    expect(wrapper.get('[data-testid=team-export]').attributes('href')).toBe('/api/team/stats.csv?period=month')
    expect(wrapper.get('[data-testid=team-export]').attributes('download')).toBeDefined()

    await wrapper.get('[data-testid=team-store]').setValue('S002')
    await flushPromises()
    expect(api.fetchTeamStats).toHaveBeenLastCalledWith({ period: 'month', storeId: 'S002' }, expect.anything())
    await click(wrapper, 'team-period-week')
    expect(api.fetchTeamStats).toHaveBeenLastCalledWith({ period: 'week', storeId: 'S002' }, expect.anything())
    expect(wrapper.get('[data-testid=team-export]').attributes('href')).toBe('/api/team/stats.csv?period=week&storeId=S002')
    // The picker keeps every store while one is picked.
    expect(wrapper.findAll('[data-testid=team-store] option').map((o) => o.text())).toEqual(['全部门店', '静安店', '三里屯店'])
  })

  it('hides the store picker when she has one store', async () => {
    api.fetchTeamStats.mockResolvedValueOnce(teamStats('month', { stores: [teamStats().stores[0]!] }))
    const { wrapper } = await mountPage(TeamDesk)
    expect(wrapper.find('[data-testid=team-store]').exists()).toBe(false)
  })

  it('shows only the answer for the period on screen, and cancels the one it no longer needs', async () => {
    api.fetchTeamStats.mockResolvedValueOnce(teamStats())
    const { wrapper } = await mountPage(TeamDesk)
    const slowDay = deferred<TeamStats>()
    api.fetchTeamStats
      .mockReturnValueOnce(slowDay.promise)
      .mockResolvedValueOnce(teamStats('week', { guides: [guide('lina', '李娜', 'S001', { salesFen: 88_000 })] }))
    await click(wrapper, 'team-period-day')
    expect(wrapper.find('[data-testid=team-skeleton]').exists()).toBe(true)
    const daySignal = (api.fetchTeamStats.mock.calls[1]![1] as { signal: AbortSignal }).signal
    await click(wrapper, 'team-period-week')
    expect(daySignal.aborted).toBe(true)
    slowDay.resolve(teamStats('day', { guides: [guide('lina', '李娜', 'S001', { salesFen: 1 })] }))
    await flushPromises()
    expect(wrapper.get('[data-testid=team-row-lina] [data-testid=team-sales]').text()).toBe('¥880')
  })

  it('says when there is no one yet, and when the numbers did not load (with a retry)', async () => {
    api.fetchTeamStats
      .mockRejectedValueOnce(new ApiFailure(500, 'internal', 'boom'))
      .mockResolvedValueOnce(teamStats('month', { guides: [] }))
    const { wrapper } = await mountPage(TeamDesk)
    expect(wrapper.text()).toContain('团队数据没有加载出来')
    await wrapper.get('.gs-status__action').trigger('click')
    await flushPromises()
    expect(api.fetchTeamStats).toHaveBeenCalledTimes(2)
    expect(wrapper.get('[data-testid=team-empty]').text()).toContain('这里还没有导购')
  })

  it('shows content at work: three tables, and what to do when one is empty', async () => {
    api.fetchTeamStats.mockResolvedValue(teamStats())
    const usage: ContentUsage = {
      period: 'month',
      from: '2026-11-01',
      to: '2026-11-25',
      replies: [{ id: 'r1', title: '初次见面', sends: 12, customers: 9, salesFen: 1_250_000 }],
      bundles: [{ id: 'b1', title: '秋日通勤', sends: 4, opens: 3, salesFen: 59_900 }],
      coupons: [],
    }
    api.fetchContentUsage.mockResolvedValueOnce(usage)
    const { wrapper } = await mountPage(TeamDesk)
    expect(api.fetchContentUsage).not.toHaveBeenCalled()
    await click(wrapper, 'team-view-content')
    expect(api.fetchContentUsage).toHaveBeenCalledWith({ period: 'month', storeId: null }, { signal: expect.any(AbortSignal) })
    const reply = wrapper.get('[data-testid=team-content-row-r1]').text()
    expect(reply).toContain('初次见面')
    expect(reply).toContain('12')
    expect(reply).toContain('¥1.3万')
    expect(wrapper.get('[data-testid=team-content-bundles]').text()).toContain('¥599')
    expect(wrapper.get('[data-testid=team-content-coupons]').text()).toContain('在「内容 › 优惠券」里建好券模板')
  })
})
