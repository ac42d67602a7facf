import type { VueWrapper } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import CouponTemplateEditor from '../../src/components/manage/CouponTemplateEditor.vue'
import CouponTemplateList from '../../src/components/manage/CouponTemplateList.vue'
import type { CouponTemplate } from '../../src/shared/coupons'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchCouponTemplates: vi.fn(),
  createCouponTemplate: vi.fn(),
  updateCouponTemplate: vi.fn(),
  deleteCouponTemplate: vi.fn(),
}))
vi.mock('@/api/coupon-templates', () => api)

const memory = vi.hoisted(() => ({ fetchStores: vi.fn() }))
vi.mock('@/api/memory', () => memory)

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

function template(extra: Partial<CouponTemplate> = {}): CouponTemplate {
  return {
    id: 't1',
    name: '秋装满 500 减 50',
    description: '',
    kind: 'amount_off',
    value: 5000,
    threshold: 50000,
    totalStock: 100,
    stockLeft: 97,
    issued: 3,
    redeemed: 1,
    perCustomerLimit: 1,
    guideWeeklyQuota: 20,
    validDays: 30,
    validFrom: null,
    validTo: null,
    eligibleLevels: ['gold'],
    eligibleTags: [],
    maxOrders: null,
    storeIds: [],
    online: false,
    status: 'active',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  }
}

beforeEach(() => {
  for (const fn of [...Object.values(api), ...Object.values(memory)]) fn.mockReset()
  memory.fetchStores.mockResolvedValue({
    items: [
      { id: 's1', name: '静安嘉里中心店', city: '上海' },
      { id: 's2', name: '三里屯店', city: '北京' },
    ],
  })
  toasts.length = 0
})

async function type(wrapper: VueWrapper, testid: string, value: string): Promise<void> {
  await wrapper.find(`[data-testid=${testid}] :is(input, textarea)`).setValue(value)
}
async function click(wrapper: VueWrapper, testid: string): Promise<void> {
  await wrapper.find(`[data-testid=${testid}]`).trigger('click')
  await flushPromises()
}
/** The message beside a field ('' when none shows). */
const fieldError = (wrapper: VueWrapper, testid: string) =>
  wrapper.element.querySelector(`[data-testid=${testid}] .van-field__error-message`)?.textContent ?? ''
const inputValue = (wrapper: VueWrapper, testid: string) =>
  (wrapper.find(`[data-testid=${testid}] input`).element as HTMLInputElement).value

describe('CouponTemplateEditor: a new template', () => {
  it('sends money in fen and everything she chose', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: null })
    await type(wrapper, 'coupon-name', '  秋装满 200 减 20.5 ')
    await type(wrapper, 'coupon-value', '20.5')
    await type(wrapper, 'coupon-threshold', '200')
    await type(wrapper, 'coupon-stock', '1000')
    await click(wrapper, 'coupon-level-gold')
    await click(wrapper, 'coupon-level-platinum')
    await wrapper.find('[data-testid=coupon-tag-input]').setValue('复购，高净值')
    await wrapper.find('[data-testid=coupon-tag-input]').trigger('keydown', { key: 'Enter' })
    await click(wrapper, 'coupon-store-s1')
    // Usable online unless she turns it off.
    await click(wrapper, 'coupon-online')

    // The preview shows what the customer gets.
    expect(wrapper.find('[data-testid=coupon-preview-value]').text()).toBe('¥20.50')
    expect(wrapper.find('[data-testid=coupon-preview-condition]').text()).toBe('满 ¥200 可用')
    expect(wrapper.find('[data-testid=coupon-preview-validity]').text()).toBe('领取后 30 天内有效')

    const saved = template({ id: 'new1' })
    api.createCouponTemplate.mockResolvedValueOnce(saved)
    await click(wrapper, 'coupon-save')
    expect(api.createCouponTemplate).toHaveBeenCalledWith({
      name: '秋装满 200 减 20.5',
      kind: 'amount_off',
      value: 2050,
      threshold: 20000,
      totalStock: 1000,
      perCustomerLimit: 1,
      guideWeeklyQuota: 50,
      validDays: 30,
      eligibleLevels: ['gold', 'platinum'],
      eligibleTags: ['复购', '高净值'],
      storeIds: ['s1'],
      online: false,
    })
    expect(wrapper.emitted('saved')).toEqual([[saved]])
  })

  it('does not preview a 满减 as usable on any amount before its threshold is typed', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: null })
    expect(wrapper.find('[data-testid=coupon-preview-condition]').text()).toBe('满 — 可用')
    await click(wrapper, 'coupon-kind-no_threshold')
    expect(wrapper.find('[data-testid=coupon-preview-condition]').text()).toBe('无门槛，任意金额可用')
  })

  it('takes a discount as 折 and sends the percentage off', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: null })
    await click(wrapper, 'coupon-kind-percent_off')
    await type(wrapper, 'coupon-name', '会员 85 折')
    await type(wrapper, 'coupon-value', '8.5')
    await type(wrapper, 'coupon-stock', '50')
    expect(wrapper.find('[data-testid=coupon-percent-hint]').text()).toBe('减 15%')
    expect(wrapper.find('[data-testid=coupon-preview-value]').text()).toBe('8.5折')
    expect(wrapper.find('[data-testid=coupon-preview]').text()).toContain('减 15%')
    // No minimum spend unless she sets one.
    expect(wrapper.find('[data-testid=coupon-preview-condition]').text()).toBe('无门槛，任意金额可用')

    // 8.55 折 is no whole percentage: refused beside the field.
    await type(wrapper, 'coupon-value', '8.55')
    await click(wrapper, 'coupon-save')
    expect(fieldError(wrapper, 'coupon-value')).toContain('0.1–9.9')
    expect(api.createCouponTemplate).not.toHaveBeenCalled()

    await type(wrapper, 'coupon-value', '9')
    api.createCouponTemplate.mockResolvedValueOnce(template({ kind: 'percent_off', value: 10, threshold: 0 }))
    await click(wrapper, 'coupon-save')
    expect(api.createCouponTemplate).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'percent_off', value: 10, threshold: 0 }),
    )
  })

  it('sends a no-threshold coupon with threshold 0 and fixed dates', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: null })
    await click(wrapper, 'coupon-kind-no_threshold')
    expect(wrapper.find('[data-testid=coupon-threshold]').exists()).toBe(false)
    await type(wrapper, 'coupon-name', '新客 10 元券')
    await type(wrapper, 'coupon-value', '10')
    await type(wrapper, 'coupon-stock', '500')
    await click(wrapper, 'coupon-validity-dates')
    await type(wrapper, 'coupon-valid-from', '2099-12-01')
    await type(wrapper, 'coupon-valid-to', '2099-12-31')
    expect(wrapper.find('[data-testid=coupon-preview-validity]').text()).toBe('2099-12-01 至 2099-12-31 有效')
    api.createCouponTemplate.mockResolvedValueOnce(template({ kind: 'no_threshold' }))
    await click(wrapper, 'coupon-save')
    const body = api.createCouponTemplate.mock.calls[0]![0]
    expect(body).toMatchObject({
      kind: 'no_threshold',
      value: 1000,
      threshold: 0,
      validFrom: '2099-12-01',
      validTo: '2099-12-31',
    })
    expect(body).not.toHaveProperty('validDays')
  })

  it('blocks bad input beside the fields without calling the API', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: null })
    // "Required" waits until she tries to save.
    expect(fieldError(wrapper, 'coupon-name')).toBe('')
    await click(wrapper, 'coupon-save')
    expect(fieldError(wrapper, 'coupon-name')).toBe('必填')
    expect(fieldError(wrapper, 'coupon-value')).toBe('必填')
    expect(fieldError(wrapper, 'coupon-stock')).toBe('必填')

    await type(wrapper, 'coupon-name', '满减')
    await type(wrapper, 'coupon-value', '50')
    await type(wrapper, 'coupon-threshold', '50')
    await type(wrapper, 'coupon-stock', '10')
    await type(wrapper, 'coupon-per-customer', '101')
    expect(fieldError(wrapper, 'coupon-threshold')).toBe('门槛要高于减免金额')
    expect(fieldError(wrapper, 'coupon-per-customer')).toBe('请填写 1–100 之间的整数')

    await type(wrapper, 'coupon-threshold', '300')
    await type(wrapper, 'coupon-per-customer', '2')
    await click(wrapper, 'coupon-validity-dates')
    await type(wrapper, 'coupon-valid-from', '2099-12-31')
    await type(wrapper, 'coupon-valid-to', '2099-12-01')
    expect(fieldError(wrapper, 'coupon-valid-to')).toBe('结束日期不能早于开始日期')

    await click(wrapper, 'coupon-save')
    expect(api.createCouponTemplate).not.toHaveBeenCalled()
    expect(toasts).toContain('请先改正标红的内容')
  })

  it('shows the server’s 400 message and keeps her input', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: null })
    await type(wrapper, 'coupon-name', '双十一')
    await type(wrapper, 'coupon-value', '30')
    await type(wrapper, 'coupon-threshold', '299')
    await type(wrapper, 'coupon-stock', '20')
    api.createCouponTemplate.mockRejectedValueOnce(new ApiFailure(400, 'bad_request', '同名优惠券已存在'))
    await click(wrapper, 'coupon-save')
    expect(wrapper.find('[data-testid=coupon-server-error]').text()).toContain('同名优惠券已存在')
    expect(inputValue(wrapper, 'coupon-name')).toBe('双十一')
    expect(inputValue(wrapper, 'coupon-value')).toBe('30')
    expect(inputValue(wrapper, 'coupon-threshold')).toBe('299')
    expect(wrapper.emitted('saved')).toBeUndefined()

    // Fixed and sent again: the message goes.
    api.createCouponTemplate.mockResolvedValueOnce(template())
    await type(wrapper, 'coupon-name', '双十一 2')
    await click(wrapper, 'coupon-save')
    expect(wrapper.find('[data-testid=coupon-server-error]').exists()).toBe(false)
    expect(api.createCouponTemplate).toHaveBeenCalledTimes(2)
  })
})

describe('CouponTemplateEditor: an existing template', () => {
  it('shows the face read-only and sends only what changed, within the update schema', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: template() })
    for (const fixed of ['coupon-kind-amount_off', 'coupon-value', 'coupon-threshold', 'coupon-valid-days'])
      expect(wrapper.find(`[data-testid=${fixed}]`).exists(), fixed).toBe(false)
    expect(wrapper.find('[data-testid=coupon-fixed]').text()).toContain('满¥500减¥50')
    expect(wrapper.find('[data-testid=coupon-fixed]').text()).toContain('领取后 30 天内有效')

    // Nothing changed: nothing sent.
    await click(wrapper, 'coupon-save')
    expect(api.updateCouponTemplate).not.toHaveBeenCalled()
    expect(toasts).toContain('没有修改')

    // Stock cannot go below what is reserved or issued (100 − 97 left = 3).
    await type(wrapper, 'coupon-stock', '2')
    expect(fieldError(wrapper, 'coupon-stock')).toContain('3')
    await click(wrapper, 'coupon-save')
    expect(api.updateCouponTemplate).not.toHaveBeenCalled()

    await type(wrapper, 'coupon-name', '秋装满 500 减 50（加量）')
    await type(wrapper, 'coupon-stock', '200')
    await click(wrapper, 'coupon-level-gold')
    await click(wrapper, 'coupon-store-s2')
    const saved = template({
      name: '秋装满 500 减 50（加量）',
      totalStock: 200,
      stockLeft: 197,
      eligibleLevels: [],
      storeIds: ['s2'],
    })
    api.updateCouponTemplate.mockResolvedValueOnce(saved)
    await click(wrapper, 'coupon-save')
    expect(api.updateCouponTemplate).toHaveBeenCalledWith('t1', {
      name: '秋装满 500 减 50（加量）',
      totalStock: 200,
      eligibleLevels: [],
      storeIds: ['s2'],
    })
    expect(wrapper.emitted('saved')).toEqual([[saved]])
  })
})

describe('CouponTemplateEditor: who a template is for', () => {
  it('makes a new-customer gift, with the limit in the preview', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: null })
    await type(wrapper, 'coupon-name', '新客见面礼')
    await click(wrapper, 'coupon-kind-no_threshold')
    await type(wrapper, 'coupon-value', '30')
    await type(wrapper, 'coupon-stock', '500')
    expect(wrapper.get('[data-testid=coupon-audience-any]').attributes('aria-checked')).toBe('true')
    await click(wrapper, 'coupon-audience-new')
    expect(wrapper.text()).toContain('仅限新客')
    api.createCouponTemplate.mockResolvedValueOnce(template({ id: 'new1', maxOrders: 0 }))
    await click(wrapper, 'coupon-save')
    expect(api.createCouponTemplate).toHaveBeenCalledWith(expect.objectContaining({ name: '新客见面礼', maxOrders: 0 }))
  })

  it('starts from the saved limit, checks what she types, and sends only a change', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: template({ maxOrders: 0 }) })
    expect(wrapper.get('[data-testid=coupon-audience-new]').attributes('aria-checked')).toBe('true')
    await click(wrapper, 'coupon-audience-max')
    await wrapper.get('[data-testid=coupon-max-orders]').setValue('几次')
    await click(wrapper, 'coupon-save')
    expect(api.updateCouponTemplate).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('请填写 1–10000 之间的整数')
    await wrapper.get('[data-testid=coupon-max-orders]').setValue('5')
    expect(wrapper.text()).toContain('下单不超过 5 次')
    api.updateCouponTemplate.mockResolvedValueOnce(template({ maxOrders: 5 }))
    await click(wrapper, 'coupon-save')
    expect(api.updateCouponTemplate).toHaveBeenCalledWith('t1', { maxOrders: 5 })
  })

  it('lifts the limit with 不限', async () => {
    const { wrapper } = await mountPage(CouponTemplateEditor, { template: template({ maxOrders: 2 }) })
    expect((wrapper.get('[data-testid=coupon-max-orders]').element as HTMLInputElement).value).toBe('2')
    await click(wrapper, 'coupon-audience-any')
    api.updateCouponTemplate.mockResolvedValueOnce(template())
    await click(wrapper, 'coupon-save')
    expect(api.updateCouponTemplate).toHaveBeenCalledWith('t1', { maxOrders: null })
  })
})

describe('CouponTemplateList', () => {
  const dialogConfirm = () => document.querySelector('.van-dialog__confirm') as HTMLButtonElement
  const dialogMessage = () => document.querySelector('.van-dialog__message')?.textContent ?? ''

  it('lists value, status and numbers', async () => {
    api.fetchCouponTemplates.mockResolvedValueOnce({
      templates: [
        template(),
        template({ id: 't2', name: '85 折', kind: 'percent_off', value: 15, threshold: 0, status: 'paused' }),
      ],
    })
    const { wrapper } = await mountPage(CouponTemplateList)
    const row = wrapper.find('[data-testid=coupon-row-t1]').text()
    expect(row).toContain('满¥500减¥50')
    expect(row).toContain('进行中')
    expect(row).toContain('97 / 100')
    expect(wrapper.find('[data-testid=coupon-row-t2]').text()).toContain('8.5折（减 15%）')
    expect(wrapper.find('[data-testid=coupon-toggle-t2]').text()).toBe('恢复')
    // Issued already: no delete offered.
    expect(wrapper.find('[data-testid=coupon-delete-t1]').exists()).toBe(false)
  })

  it('offers to create the first one when there are none', async () => {
    api.fetchCouponTemplates.mockResolvedValueOnce({ templates: [] })
    const { wrapper } = await mountPage(CouponTemplateList)
    const empty = wrapper.find('[data-testid=coupon-empty]')
    expect(empty.text()).toContain('还没有优惠券模板')
    await empty.find('button').trigger('click')
    expect(wrapper.emitted('create')).toHaveLength(1)
  })

  it('offers to end a template the server will not delete (409: it has issuances)', async () => {
    api.fetchCouponTemplates.mockResolvedValue({ templates: [template({ issued: 0, stockLeft: 100, redeemed: 0 })] })
    const { wrapper } = await mountPage(CouponTemplateList)
    api.deleteCouponTemplate.mockRejectedValueOnce(new ApiFailure(409, 'conflict', 'has issuances'))
    api.updateCouponTemplate.mockResolvedValueOnce(template({ status: 'ended' }))

    await click(wrapper, 'coupon-delete-t1')
    expect(dialogMessage()).toContain('删除后不能恢复')
    dialogConfirm().click()
    await flushPromises()
    expect(api.deleteCouponTemplate).toHaveBeenCalledWith('t1')

    expect(dialogMessage()).toContain('已经发出过，不能删除')
    expect(dialogConfirm().textContent).toContain('结束')
    dialogConfirm().click()
    await flushPromises()
    expect(api.updateCouponTemplate).toHaveBeenCalledWith('t1', { status: 'ended' })
    expect(wrapper.find('[data-testid=coupon-status-t1]').text()).toBe('已结束')
    expect(wrapper.emitted('changed')).toEqual([[template({ status: 'ended' })]])
    expect(wrapper.emitted('removed')).toBeUndefined()
  })
})
