import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import IntegrationDesk from '../../src/components/desk/IntegrationDesk.vue'
import type { IntegrationKey } from '../../src/shared/integration'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchIntegrationKeys: vi.fn(),
  createIntegrationKey: vi.fn(),
  revokeIntegrationKey: vi.fn(),
}))
vi.mock('@/api/integration', () => api)

const clipboard = vi.hoisted(() => ({ copyText: vi.fn() }))
vi.mock('@/composables/useReplySender', () => clipboard)

const key = (extra: Partial<IntegrationKey> = {}): IntegrationKey => ({
  id: 'ik_pos',
  name: 'POS',
  scopes: ['stock', 'orders'],
  createdAt: '2026-10-02T02:00:00.000Z',
  createdBy: 'hq',
  createdByName: '总部运营',
  revokedAt: null,
  ...extra,
})
const OLD = key({
  id: 'ik_old',
  name: '旧 ERP',
  scopes: ['products'],
  createdByName: null,
  createdBy: 'gone',
  revokedAt: '2026-10-01T02:00:00.000Z',
})

const dialogText = () =>
  [...document.querySelectorAll<HTMLElement>('.van-dialog')]
    .filter((d) => d.style.display !== 'none')
    .map((d) => d.textContent ?? '')
    .join('\n')
const visibleDialogs = () => [...document.querySelectorAll<HTMLElement>('.van-dialog')].filter((d) => d.style.display !== 'none')

beforeEach(() => {
  for (const fn of [...Object.values(api), ...Object.values(clipboard)]) fn.mockReset()
  api.fetchIntegrationKeys.mockResolvedValue({ items: [key(), OLD] })
})

describe('IntegrationDesk', () => {
  it('lists each system with what it may write, who made it and whether it still works', async () => {
    const { wrapper } = await mountPage(IntegrationDesk)
    const pos = wrapper.get('[data-testid=integration-key-ik_pos]').text()
    expect(pos).toContain('POS')
    expect(pos).toContain('库存')
    expect(pos).toContain('订单')
    expect(pos).toContain('总部运营')
    expect(pos).toContain('使用中')
    const old = wrapper.get('[data-testid=integration-key-ik_old]').text()
    expect(old).toContain('商品')
    expect(old).toContain('gone')
    expect(old).toContain('停用')
    expect(wrapper.find('[data-testid=integration-revoke-ik_old]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=integration-docs]').attributes('href')).toBe('/api/openapi.json')
  })

  it('asks for a name and at least one kind of data before it makes a key', async () => {
    const { wrapper } = await mountPage(IntegrationDesk)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.get('[data-testid=integration-form-error]').text()).toBe('请填写系统名称')
    await wrapper.get('[data-testid=integration-name]').setValue('ERP')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.get('[data-testid=integration-form-error]').text()).toBe('至少选一项它可以写入的数据')
    expect(api.createIntegrationKey).not.toHaveBeenCalled()
  })

  it('shows a new key once, with a copy button, and lists it as the server has it', async () => {
    const { wrapper } = await mountPage(IntegrationDesk)
    await wrapper.get('[data-testid=integration-name]').setValue('  ERP ')
    // Picked out of order, and one picked then dropped: the request names them in the contract's order.
    await wrapper.get('[data-testid=integration-scope-products]').setValue(true)
    await wrapper.get('[data-testid=integration-scope-members]').setValue(true)
    await wrapper.get('[data-testid=integration-scope-stock]').setValue(true)
    await wrapper.get('[data-testid=integration-scope-members]').setValue(false)
    api.createIntegrationKey.mockResolvedValueOnce({
      id: 'ik_erp',
      name: 'ERP',
      scopes: ['stock', 'products'],
      key: 'gsi_secret_123',
    })
    const erp = key({ id: 'ik_erp', name: 'ERP', scopes: ['stock', 'products'], createdAt: '2026-10-03T02:00:00.000Z' })
    api.fetchIntegrationKeys.mockResolvedValueOnce({ items: [erp, key(), OLD] })
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(api.createIntegrationKey).toHaveBeenCalledWith({ name: 'ERP', scopes: ['stock', 'products'] })
    expect(document.querySelector('[data-testid=integration-secret]')?.textContent).toBe('gsi_secret_123')
    expect(dialogText()).toContain('「ERP」的密钥')
    expect(dialogText()).toContain('密钥只显示这一次')
    expect(dialogText()).toContain('Authorization: Bearer')
    clipboard.copyText.mockResolvedValueOnce(true)
    ;(document.querySelector('[data-testid=integration-copy]') as HTMLButtonElement).click()
    await flushPromises()
    expect(clipboard.copyText).toHaveBeenCalledWith('gsi_secret_123')
    expect(wrapper.get('[data-testid=integration-key-ik_erp]').text()).toContain('商品')
    expect((wrapper.get('[data-testid=integration-name]').element as HTMLInputElement).value).toBe('')
    expect((wrapper.get('[data-testid=integration-scope-stock]').element as HTMLInputElement).checked).toBe(false)

    ;(document.querySelector('.van-dialog__confirm') as HTMLButtonElement).click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 350))
    expect(document.body.textContent).not.toContain('gsi_secret_123')
    expect(visibleDialogs()).toHaveLength(0)
  })

  it('keeps the form when the server refuses, and says why', async () => {
    const { wrapper } = await mountPage(IntegrationDesk)
    await wrapper.get('[data-testid=integration-name]').setValue('POS')
    await wrapper.get('[data-testid=integration-scope-orders]').setValue(true)
    api.createIntegrationKey.mockRejectedValueOnce(new ApiFailure(400, 'bad_request', 'name 太长'))
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(document.body.textContent).toContain('没有成功：name 太长')
    expect((wrapper.get('[data-testid=integration-name]').element as HTMLInputElement).value).toBe('POS')
    expect((wrapper.get('[data-testid=integration-scope-orders]').element as HTMLInputElement).checked).toBe(true)
  })

  it('revokes a key only once she confirms, naming what the system will no longer write', async () => {
    const { wrapper } = await mountPage(IntegrationDesk)
    await wrapper.get('[data-testid=integration-revoke-ik_pos]').trigger('click')
    await flushPromises()
    expect(document.querySelector('.van-dialog__message')?.textContent).toContain('「POS」将不能再写入库存和订单')
    ;(document.querySelector('.van-dialog__cancel') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.revokeIntegrationKey).not.toHaveBeenCalled()

    await wrapper.get('[data-testid=integration-revoke-ik_pos]').trigger('click')
    await flushPromises()
    api.revokeIntegrationKey.mockResolvedValueOnce(undefined)
    ;(document.querySelector('.van-dialog__confirm') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.revokeIntegrationKey).toHaveBeenCalledWith('ik_pos')
    expect(wrapper.get('[data-testid=integration-key-ik_pos]').text()).toContain('停用')
    expect(wrapper.find('[data-testid=integration-revoke-ik_pos]').exists()).toBe(false)
  })

  it('tells a store manager this is head office’s, and offers a retry when the list did not load', async () => {
    api.fetchIntegrationKeys.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', 'Only head office'))
    const denied = await mountPage(IntegrationDesk)
    expect(denied.wrapper.text()).toContain('只有总部可以管理系统对接')
    expect(denied.wrapper.find('[data-testid=integration-new]').exists()).toBe(false)

    api.fetchIntegrationKeys.mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline'))
    const offline = await mountPage(IntegrationDesk)
    expect(offline.wrapper.text()).toContain('密钥没有加载出来')
    await offline.wrapper.get('.gs-state button').trigger('click')
    await flushPromises()
    expect(offline.wrapper.get('[data-testid=integration-key-ik_pos]').text()).toContain('POS')
  })

  it('says so when no system is connected yet', async () => {
    api.fetchIntegrationKeys.mockResolvedValueOnce({ items: [] })
    const { wrapper } = await mountPage(IntegrationDesk)
    expect(wrapper.text()).toContain('还没有系统接入')
    expect(wrapper.find('[data-testid=integration-new]').exists()).toBe(true)
  })
})
