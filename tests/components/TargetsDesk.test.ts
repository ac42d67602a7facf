import type { VueWrapper } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import TargetsDesk from '../../src/components/desk/TargetsDesk.vue'
import type { StoreSettings, Targets } from '../../src/shared/team'
import { deferred, flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchTargets: vi.fn(),
  saveTargets: vi.fn(),
  fetchTeamStores: vi.fn(),
  updateStoreSettings: vi.fn(),
}))
vi.mock('@/api/team', () => api)

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

function targets(month = '2026-11'): Targets {
  return {
    month,
    stores: [
      {
        storeId: 'S001',
        name: '静安店',
        amountFen: 20_000_000,
        guides: [
          { userId: 'lina', name: '李娜', amountFen: 8_000_000 },
          { userId: 'zhou', name: '周敏', amountFen: null },
        ],
      },
    ],
  }
}
const settings = (extra: Partial<StoreSettings> = {}): StoreSettings => ({
  storeId: 'S001',
  name: '静安店',
  city: '上海',
  commissionBp: 300,
  eveningReportAt: null,
  ranking: null,
  guides: 2,
  ...extra,
})

const input = (wrapper: VueWrapper, selector: string) => wrapper.get(`[data-testid=targets-store-S001] ${selector}`)
const guideInput = (wrapper: VueWrapper, userId: string) => input(wrapper, `[data-testid=targets-guide-${userId}] input`)
const value = (wrapper: VueWrapper, selector: string) => (input(wrapper, selector).element as HTMLInputElement).value
const save = async (wrapper: VueWrapper) => {
  await wrapper.get('[data-testid=targets-save-S001]').trigger('click')
  await flushPromises()
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset()
  api.fetchTargets.mockImplementation((month: string) => Promise.resolve(targets(month)))
  api.fetchTeamStores.mockResolvedValue({ items: [settings()] })
  toasts.length = 0
})

describe('TargetsDesk', () => {
  it("opens on this month (China's) with what is set, and the guides' sum against the store", async () => {
    const { wrapper } = await mountPage(TargetsDesk)
    expect(api.fetchTargets).toHaveBeenCalledWith('2026-11', null, { signal: expect.any(AbortSignal) })
    expect(wrapper.get('[data-testid=targets-month]').text()).toBe('2026年11月')
    expect(value(wrapper, '[data-testid=targets-store-input]')).toBe('200000')
    expect(value(wrapper, '[data-testid=targets-commission-input]')).toBe('3')
    expect((guideInput(wrapper, 'lina').element as HTMLInputElement).value).toBe('80000')
    expect((guideInput(wrapper, 'zhou').element as HTMLInputElement).value).toBe('')
    expect(wrapper.get('[data-testid=targets-sum]').text()).toBe('导购目标合计 ¥80,000 / 门店目标 ¥200,000 · 还差 ¥120,000')
    expect(wrapper.find('[data-testid=targets-unsaved]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=targets-save-S001]').attributes('disabled')).toBeDefined()

    await wrapper.get('[data-testid=targets-month-next]').trigger('click')
    await flushPromises()
    expect(api.fetchTargets).toHaveBeenLastCalledWith('2026-12', null, expect.anything())
  })

  it('saves only what changed, yuan as fen and the rate as basis points', async () => {
    const { wrapper } = await mountPage(TargetsDesk)
    await guideInput(wrapper, 'zhou').setValue('60000.5')
    await input(wrapper, '[data-testid=targets-commission-input]').setValue('2.5')
    expect(wrapper.find('[data-testid=targets-unsaved]').exists()).toBe(true)
    expect(wrapper.get('[data-testid=targets-sum]').text()).toContain('导购目标合计 ¥140,000.50')

    const answer = targets()
    answer.stores[0]!.guides[1]!.amountFen = 6_000_050
    api.saveTargets.mockResolvedValueOnce(answer)
    api.updateStoreSettings.mockResolvedValueOnce(settings({ commissionBp: 250 }))
    await save(wrapper)
    expect(api.saveTargets).toHaveBeenCalledWith({
      month: '2026-11',
      items: [{ scope: 'guide', id: 'zhou', amountFen: 6_000_050 }],
    })
    expect(api.updateStoreSettings).toHaveBeenCalledWith('S001', { commissionBp: 250 })
    expect(toasts).toContain('已保存')
    expect(wrapper.find('[data-testid=targets-unsaved]').exists()).toBe(false)
    expect((guideInput(wrapper, 'zhou').element as HTMLInputElement).value).toBe('60000.5')
  })

  it('clears a target left empty, and leaves the rate alone when it did not change', async () => {
    const { wrapper } = await mountPage(TargetsDesk)
    await input(wrapper, '[data-testid=targets-store-input]').setValue('')
    api.saveTargets.mockResolvedValueOnce(targets())
    await save(wrapper)
    expect(api.saveTargets).toHaveBeenCalledWith({ month: '2026-11', items: [{ scope: 'store', id: 'S001', amountFen: null }] })
    expect(api.updateStoreSettings).not.toHaveBeenCalled()
  })

  it('refuses what is not a target before asking the server', async () => {
    const { wrapper } = await mountPage(TargetsDesk)
    await guideInput(wrapper, 'lina').setValue('-1')
    expect(wrapper.get('[data-testid=targets-guide-lina]').text()).toContain('不能是负数')
    await guideInput(wrapper, 'lina').setValue('1.234')
    expect(wrapper.get('[data-testid=targets-guide-lina]').text()).toContain('最多两位小数')
    await guideInput(wrapper, 'lina').setValue('100000001')
    expect(wrapper.get('[data-testid=targets-guide-lina]').text()).toContain('不能超过 1 亿元')
    await input(wrapper, '[data-testid=targets-commission-input]').setValue('3.25')
    expect(wrapper.get('[data-testid=targets-store-S001]').text()).toContain('最多一位小数')
    expect(wrapper.get('[data-testid=targets-save-S001]').attributes('disabled')).toBeDefined()
    await save(wrapper)
    expect(api.saveTargets).not.toHaveBeenCalled()
    expect(api.updateStoreSettings).not.toHaveBeenCalled()
  })

  it("shows the server's refusal and keeps what she typed", async () => {
    const { wrapper } = await mountPage(TargetsDesk)
    await guideInput(wrapper, 'lina').setValue('90000')
    api.saveTargets.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', '这家门店不归你管'))
    await save(wrapper)
    expect(wrapper.get('[data-testid=targets-problem]').text()).toBe('没有保存：这家门店不归你管')
    expect(toasts).toContain('没有保存：这家门店不归你管')
    expect((guideInput(wrapper, 'lina').element as HTMLInputElement).value).toBe('90000')
    expect(wrapper.find('[data-testid=targets-unsaved]').exists()).toBe(true)
  })

  it('asks before another month drops unsaved changes', async () => {
    const { wrapper } = await mountPage(TargetsDesk)
    await guideInput(wrapper, 'lina').setValue('90000')
    await wrapper.get('[data-testid=targets-month-prev]').trigger('click')
    await flushPromises()
    expect(document.querySelector('.van-dialog__message')?.textContent).toContain('有未保存的修改')
    ;(document.querySelector('.van-dialog__cancel') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.fetchTargets).toHaveBeenCalledTimes(1)
    expect((guideInput(wrapper, 'lina').element as HTMLInputElement).value).toBe('90000')
  })

  it('waits for the rates before drawing a store, and keeps a saved rate for the next month', async () => {
    const rates = deferred<{ items: StoreSettings[] }>()
    api.fetchTeamStores.mockReturnValueOnce(rates.promise)
    const { wrapper } = await mountPage(TargetsDesk)
    expect(wrapper.find('[data-testid=targets-store-S001]').exists()).toBe(false)
    rates.resolve({ items: [settings()] })
    await flushPromises()
    expect(value(wrapper, '[data-testid=targets-commission-input]')).toBe('3')

    await input(wrapper, '[data-testid=targets-commission-input]').setValue('4')
    api.updateStoreSettings.mockResolvedValueOnce(settings({ commissionBp: 400 }))
    await save(wrapper)
    await wrapper.get('[data-testid=targets-month-next]').trigger('click')
    await flushPromises()
    expect(api.fetchTeamStores).toHaveBeenCalledTimes(1)
    expect(value(wrapper, '[data-testid=targets-commission-input]')).toBe('4')
    expect(wrapper.find('[data-testid=targets-unsaved]').exists()).toBe(false)
  })

  it('offers no rate when the store settings did not load', async () => {
    api.fetchTeamStores.mockRejectedValueOnce(new ApiFailure(0, 'network', 'down'))
    const { wrapper } = await mountPage(TargetsDesk)
    expect(wrapper.find('[data-testid=targets-commission-input]').exists()).toBe(false)
    expect(value(wrapper, '[data-testid=targets-store-input]')).toBe('200000')
  })
})
