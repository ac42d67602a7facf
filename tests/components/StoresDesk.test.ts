import type { VueWrapper } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import StoresDesk from '../../src/components/desk/StoresDesk.vue'
import type { StoreSettings } from '../../src/shared/team'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchTeamStores: vi.fn(),
  updateStoreSettings: vi.fn(),
  fetchStoreKeys: vi.fn(),
  createStoreKey: vi.fn(),
  revokeStoreKey: vi.fn(),
}))
vi.mock('@/api/team', () => api)

const clipboard = vi.hoisted(() => ({ copyText: vi.fn() }))
vi.mock('@/composables/useReplySender', () => clipboard)

const store = (extra: Partial<StoreSettings> = {}): StoreSettings => ({
  storeId: 'S001',
  name: '静安店',
  city: '上海',
  commissionBp: 300,
  eveningReportAt: null,
  ranking: null,
  guides: 2,
  ...extra,
})

const card = (wrapper: VueWrapper) => wrapper.get('[data-testid=store-card-S001]')
const field = (wrapper: VueWrapper, testid: string) => card(wrapper).get(`[data-testid=${testid}]`)
const click = async (wrapper: VueWrapper, testid: string) => {
  await wrapper.get(`[data-testid=${testid}]`).trigger('click')
  await flushPromises()
}
const dialog = () => document.querySelector('.van-dialog') as HTMLElement | null
const visibleDialogs = () => [...document.querySelectorAll<HTMLElement>('.van-dialog')].filter((d) => d.style.display !== 'none')

beforeEach(() => {
  for (const fn of [...Object.values(api), ...Object.values(clipboard)]) fn.mockReset()
  api.fetchTeamStores.mockResolvedValue({ items: [store(), store({ storeId: 'S002', name: '三里屯店', city: '北京' })] })
  api.fetchStoreKeys.mockImplementation((storeId: string) =>
    Promise.resolve({
      items:
        storeId === 'S001'
          ? [
              { id: 'k1', label: '1 号收银台', createdAt: '2026-10-02T02:00:00.000Z', revokedAt: null },
              { id: 'k0', label: '旧收银', createdAt: '2026-03-02T02:00:00.000Z', revokedAt: '2026-10-01T02:00:00.000Z' },
            ]
          : [],
    }),
  )
})

describe('StoresDesk', () => {
  it('shows each store: 21:00 when no evening time is set, the ranking off, its till keys', async () => {
    const { wrapper } = await mountPage(StoresDesk)
    expect(wrapper.find('[data-testid=store-card-S002]').exists()).toBe(true)
    expect((field(wrapper, 'store-evening').element as HTMLInputElement).value).toBe('21:00')
    expect((field(wrapper, 'store-ranking-on').element as HTMLSelectElement).value).toBe('false')
    expect(card(wrapper).find('[data-testid=store-ranking-weekday]').exists()).toBe(false)
    expect(card(wrapper).get('[data-testid=till-key-k1]').text()).toContain('1 号收银台')
    expect(card(wrapper).get('[data-testid=till-key-k1]').text()).toContain('使用中')
    expect(card(wrapper).get('[data-testid=till-key-k0]').text()).toContain('停用')
    expect(card(wrapper).find('[data-testid=till-key-revoke-k0]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=till-keys-S002]').text()).toContain('还没有密钥')
  })

  it('saves only the changed settings: the evening time, then a weekly ranking', async () => {
    const { wrapper } = await mountPage(StoresDesk)
    await field(wrapper, 'store-evening').setValue('20:30')
    api.updateStoreSettings.mockResolvedValueOnce(store({ eveningReportAt: '20:30' }))
    await click(wrapper, 'store-save-S001')
    expect(api.updateStoreSettings).toHaveBeenCalledWith('S001', { eveningReportAt: '20:30' })

    await field(wrapper, 'store-ranking-on').setValue('true')
    await field(wrapper, 'store-ranking-weekday').setValue('5')
    await field(wrapper, 'store-ranking-at').setValue('18:00')
    await field(wrapper, 'store-ranking-metric').setValue('commission')
    api.updateStoreSettings.mockResolvedValueOnce(
      store({ eveningReportAt: '20:30', ranking: { weekday: 5, at: '18:00', metric: 'commission' } }),
    )
    await click(wrapper, 'store-save-S001')
    expect(api.updateStoreSettings).toHaveBeenLastCalledWith('S001', {
      ranking: { weekday: 5, at: '18:00', metric: 'commission' },
    })
    expect(field(wrapper, 'store-save-S001').attributes('disabled')).toBeDefined()
  })

  it("keeps what she chose and shows the server's refusal", async () => {
    const { wrapper } = await mountPage(StoresDesk)
    await field(wrapper, 'store-evening').setValue('22:00')
    api.updateStoreSettings.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', '这家门店不归你管'))
    await click(wrapper, 'store-save-S001')
    expect(card(wrapper).text()).toContain('没有保存：这家门店不归你管')
    expect((field(wrapper, 'store-evening').element as HTMLInputElement).value).toBe('22:00')
  })

  it('shows a new till key once, with a copy button and a warning', async () => {
    const { wrapper } = await mountPage(StoresDesk)
    await card(wrapper).get('[data-testid=till-key-label]').setValue('2 号收银台')
    api.createStoreKey.mockResolvedValueOnce({ id: 'k2', storeId: 'S001', key: 'gs_till_secret_123' })
    await card(wrapper).get('form').trigger('submit')
    await flushPromises()
    expect(api.createStoreKey).toHaveBeenCalledWith('S001', '2 号收银台')
    const secret = document.querySelector('[data-testid=till-key-secret]')
    expect(secret?.textContent).toBe('gs_till_secret_123')
    expect(dialog()?.textContent).toContain('密钥只显示这一次')
    clipboard.copyText.mockResolvedValueOnce(true)
    ;(document.querySelector('[data-testid=till-key-copy]') as HTMLButtonElement).click()
    await flushPromises()
    expect(clipboard.copyText).toHaveBeenCalledWith('gs_till_secret_123')
    expect(card(wrapper).get('[data-testid=till-key-k2]').text()).toContain('2 号收银台')

    ;(document.querySelector('.van-dialog__confirm') as HTMLButtonElement).click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 350))
    expect(document.body.textContent).not.toContain('gs_till_secret_123')
    expect(visibleDialogs()).toHaveLength(0)
  })

  it('revokes a key only once she confirms', async () => {
    const { wrapper } = await mountPage(StoresDesk)
    await click(wrapper, 'till-key-revoke-k1')
    expect(document.querySelector('.van-dialog__message')?.textContent).toContain(
      '使用「1 号收银台」的收银（静安店）将不能再核销优惠券',
    )
    ;(document.querySelector('.van-dialog__cancel') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.revokeStoreKey).not.toHaveBeenCalled()

    await click(wrapper, 'till-key-revoke-k1')
    api.revokeStoreKey.mockResolvedValueOnce(undefined)
    ;(document.querySelector('.van-dialog__confirm') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.revokeStoreKey).toHaveBeenCalledWith('S001', 'k1')
    expect(card(wrapper).get('[data-testid=till-key-k1]').text()).toContain('停用')
    expect(card(wrapper).find('[data-testid=till-key-revoke-k1]').exists()).toBe(false)
  })

  it('says when the stores did not load, and tries again', async () => {
    api.fetchTeamStores.mockReset()
    api.fetchTeamStores.mockRejectedValueOnce(new ApiFailure(500, 'internal', 'boom')).mockResolvedValueOnce({ items: [store()] })
    const { wrapper } = await mountPage(StoresDesk)
    expect(wrapper.text()).toContain('门店没有加载出来')
    await wrapper.get('.gs-status__action').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=store-card-S001]').exists()).toBe(true)
  })
})
