import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import BundleDesk from '../../src/components/desk/BundleDesk.vue'
import { ApiFailure } from '../../src/api/http'
import type { Bundle } from '../../src/shared/bundles'
import type { ProductDetail } from '../../src/shared/catalog'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchBundles: vi.fn(),
  fetchBrandBundles: vi.fn(),
  fetchBundleSuggestions: vi.fn(),
  createBundle: vi.fn(),
  updateBundle: vi.fn(),
  prepareBundleSend: vi.fn(),
  confirmBundleSend: vi.fn(),
  cancelBundleSend: vi.fn(),
}))
vi.mock('@/api/bundles', () => api)

const catalog = vi.hoisted(() => ({ searchCatalog: vi.fn(), fetchCatalogFacets: vi.fn(), fetchProduct: vi.fn() }))
vi.mock('@/api/catalog', () => catalog)

function product(id: string, category: ProductDetail['category']): ProductDetail {
  return {
    id,
    styleCode: `QL${id}`,
    name: `单品${id}`,
    category,
    priceFen: 59900,
    imageUrl: `/img/${id}.svg`,
    season: '26S',
    tags: ['通勤'],
    colors: [{ name: '黑色', hex: '#2b2b2e' }],
    sizesInStock: ['M'],
    description: '',
    materials: ['棉'],
    images: [],
    skus: ['S', 'M'].map((size) => ({ id: `${id}-${size}`, color: '黑色', colorHex: null, size, stock: 1, priceFen: 59900 })),
  }
}
const products: Record<string, ProductDetail> = { knit: product('knit', 'top'), pants: product('pants', 'bottom') }

function bundle(id: string, extra: Partial<Bundle> = {}): Bundle {
  const item = (p: ProductDetail) => ({
    productId: p.id,
    skuId: `${p.id}-M`,
    styleCode: p.styleCode,
    name: p.name,
    category: p.category,
    color: '黑色',
    size: 'M',
    priceFen: p.priceFen,
    imageUrl: null,
    stock: 1,
  })
  return {
    id,
    scope: 'corp',
    owner: null,
    title: `搭配${id}`,
    note: '',
    items: [item(products.knit!), item(products.pants!)],
    totalFen: 119800,
    collageUrl: `/media/collages/${id}.png`,
    sent: 4,
    opened: 2,
    retired: false,
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  }
}

const composer = () => document.querySelector('[data-testid=bundle-composer]') as HTMLElement
const dialogConfirm = () => document.querySelector('.van-dialog__confirm') as HTMLButtonElement
const dialogCancel = () => document.querySelector('.van-dialog__cancel') as HTMLButtonElement
const cards = (wrapper: VueWrapper) => wrapper.findAll('[data-testid^=desk-bundle-b]').map((c) => c.attributes('data-testid'))

async function click(wrapper: VueWrapper, testid: string): Promise<void> {
  await wrapper.get(`[data-testid=${testid}]`).trigger('click')
  await flushPromises()
}

describe('BundleDesk', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    api.fetchBrandBundles.mockResolvedValue([
      bundle('b1', { title: '通勤两件套' }),
      bundle('b2', { title: '周末休闲' }),
      bundle('b3', { title: '旧款搭配', retired: true }),
    ])
    catalog.fetchProduct.mockImplementation(async (id: string) => products[id])
  })

  it('lists the brand’s outfits in use, searchable, and the retired ones apart', async () => {
    const { wrapper } = await mountPage(BundleDesk)
    expect(api.fetchBrandBundles).toHaveBeenCalledTimes(1)
    expect(cards(wrapper)).toEqual(['desk-bundle-b1', 'desk-bundle-b2'])
    const b1 = wrapper.get('[data-testid=desk-bundle-b1]').text()
    expect(b1).toContain('通勤两件套')
    expect(b1).toContain('2 件')
    expect(b1).toContain('在用')
    expect(wrapper.get('[data-testid=desk-bundle-b1] img').attributes('src')).toBe('/media/collages/b1.png')

    await wrapper.get('[data-testid=desk-bundle-search]').setValue('周末')
    expect(cards(wrapper)).toEqual(['desk-bundle-b2'])
    // A piece's name finds its outfits too.
    await wrapper.get('[data-testid=desk-bundle-search]').setValue('单品pants')
    expect(cards(wrapper)).toEqual(['desk-bundle-b1', 'desk-bundle-b2'])

    await wrapper.get('[data-testid=desk-bundle-search]').setValue('')
    await click(wrapper, 'desk-bundle-filter-retired')
    expect(cards(wrapper)).toEqual(['desk-bundle-b3'])
    expect(wrapper.get('[data-testid=desk-bundle-status-b3]').text()).toBe('已停用')
  })

  it('retires an outfit only after she confirms, and restores it the same way', async () => {
    const { wrapper } = await mountPage(BundleDesk)
    await click(wrapper, 'desk-bundle-retire-b1')
    dialogCancel().click()
    await flushPromises()
    expect(api.updateBundle).not.toHaveBeenCalled()
    expect(cards(wrapper)).toContain('desk-bundle-b1')

    api.updateBundle.mockResolvedValueOnce(bundle('b1', { title: '通勤两件套', retired: true }))
    await click(wrapper, 'desk-bundle-retire-b1')
    dialogConfirm().click()
    await flushPromises()
    expect(api.updateBundle).toHaveBeenCalledWith('b1', { retired: true })
    expect(cards(wrapper)).toEqual(['desk-bundle-b2'])

    await click(wrapper, 'desk-bundle-filter-retired')
    expect(cards(wrapper)).toEqual(['desk-bundle-b1', 'desk-bundle-b3'])
    api.updateBundle.mockResolvedValueOnce(bundle('b3', { title: '旧款搭配' }))
    await click(wrapper, 'desk-bundle-restore-b3')
    dialogConfirm().click()
    await flushPromises()
    expect(api.updateBundle).toHaveBeenLastCalledWith('b3', { retired: false })
    expect(cards(wrapper)).toEqual(['desk-bundle-b1'])
  })

  it('keeps the outfit when the server refuses', async () => {
    const { wrapper } = await mountPage(BundleDesk)
    api.updateBundle.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', 'Managers only'))
    await click(wrapper, 'desk-bundle-retire-b1')
    dialogConfirm().click()
    await flushPromises()
    expect(cards(wrapper)).toEqual(['desk-bundle-b1', 'desk-bundle-b2'])
  })

  it('edits an outfit in the composer, as a panel on the right', async () => {
    const { wrapper } = await mountPage(BundleDesk)
    await wrapper.get('[data-testid=desk-bundle-b2] button').trigger('click')
    await flushPromises()
    expect(composer().classList).toContain('van-popup--right')
    expect(composer().querySelectorAll('[data-testid=composer-piece]')).toHaveLength(2)
    expect(composer().querySelector('[data-testid=composer-save-send]')).toBeNull()

    api.updateBundle.mockResolvedValueOnce(bundle('b2', { title: '周末出游' }))
    const title = composer().querySelector('[data-testid=composer-title] input') as HTMLInputElement
    title.value = '周末出游'
    title.dispatchEvent(new Event('input'))
    await flushPromises()
    ;(composer().querySelector('[data-testid=composer-save]') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.updateBundle).toHaveBeenCalledWith('b2', expect.objectContaining({ title: '周末出游' }))
    expect(wrapper.get('[data-testid=desk-bundle-b2]').text()).toContain('周末出游')
  })

  it('makes a new outfit for the brand, with no switch to keep it her own', async () => {
    const { wrapper } = await mountPage(BundleDesk)
    await click(wrapper, 'desk-bundle-new')
    expect(composer().querySelector('[data-testid=composer-publish]')).toBeNull()
    const picker = wrapper.findComponent({ name: 'CatalogPicker' })
    picker.vm.$emit('pick', { ...products.knit, sizesInStock: [] })
    await flushPromises()
    picker.vm.$emit('pick', { ...products.pants, sizesInStock: [] })
    await flushPromises()
    api.createBundle.mockResolvedValueOnce(bundle('b9', { title: '新搭配' }))
    ;(composer().querySelector('[data-testid=composer-save]') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.createBundle).toHaveBeenCalledWith(expect.objectContaining({ scope: 'corp' }))
    expect(cards(wrapper)).toEqual(['desk-bundle-b1', 'desk-bundle-b2', 'desk-bundle-b9'])
  })
})
