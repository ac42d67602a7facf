import { beforeEach, describe, expect, it, vi } from 'vitest'
import CatalogPicker from '../../src/components/bundles/CatalogPicker.vue'
import type { CatalogFacets, CatalogPage, CatalogQuery, ProductSummary } from '../../src/shared/catalog'
import { deferred, flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  searchCatalog: vi.fn(),
  fetchCatalogFacets: vi.fn(),
  fetchProduct: vi.fn(),
}))
vi.mock('@/api/catalog', () => api)

function product(id: string, name: string, extra: Partial<ProductSummary> = {}): ProductSummary {
  return {
    id,
    styleCode: `SC-${id.toUpperCase()}`,
    name,
    category: 'top',
    priceFen: 129_900,
    imageUrl: `/media/products/${id}.jpg`,
    season: '2026AW',
    tags: ['通勤'],
    colors: [
      { name: '燕麦', hex: '#d8c8b0' },
      { name: '黑色', hex: '#111111' },
    ],
    sizesInStock: ['S', 'M', 'L'],
    ...extra,
  }
}

const page = (items: ProductSummary[], total = items.length, nextCursor: string | null = null): CatalogPage => ({
  items,
  total,
  nextCursor,
})

const facets: CatalogFacets = {
  tags: ['通勤', '度假'],
  sizes: [{ category: 'top', sizes: ['S', 'M', 'L'] }],
  priceFen: { min: 19_900, max: 899_900 },
  storeId: 'store-1',
}

const firstPage = page(
  [
    product('p1', '羊毛混纺开衫'),
    product('p2', '真丝衬衫', { priceFen: 89_900, sizesInStock: [], colors: [{ name: '白色', hex: null }] }),
  ],
  2,
)

type Props = InstanceType<typeof CatalogPicker>['$props']

async function mountPicker(props: Partial<Props> = {}) {
  const { wrapper } = await mountPage(CatalogPicker, { show: true, ...props })
  await flushPromises()
  return wrapper
}

const $ = (testid: string) => document.querySelector<HTMLElement>(`[data-testid=${testid}]`)
const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid=catalog-item]')]
const ids = () => rows().map((row) => row.dataset.id)
const row = (id: string) => document.querySelector<HTMLElement>(`[data-testid=catalog-item][data-id=${id}]`)!
const lastQuery = (): CatalogQuery => api.searchCatalog.mock.calls.at(-1)![0]
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function click(element: HTMLElement | null): Promise<void> {
  expect(element).not.toBeNull()
  element!.click()
  await flushPromises()
}

async function type(text: string): Promise<void> {
  const input = document.querySelector<HTMLInputElement>('[data-testid=catalog-search] input')!
  input.value = text
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

describe('CatalogPicker', () => {
  beforeEach(() => {
    for (const fn of Object.values(api)) fn.mockReset()
    api.searchCatalog.mockResolvedValue(structuredClone(firstPage))
    api.fetchCatalogFacets.mockResolvedValue(structuredClone(facets))
  })

  it('shows the first page: picture, name, code, price, colours and what her store has', async () => {
    await mountPicker()
    expect(api.searchCatalog).toHaveBeenCalledTimes(1)
    expect(api.searchCatalog).toHaveBeenCalledWith({ sort: 'relevance', limit: 20 }, expect.any(AbortSignal))
    expect(ids()).toEqual(['p1', 'p2'])

    const first = row('p1')
    expect(first.textContent).toContain('羊毛混纺开衫')
    expect(first.textContent).toContain('SC-P1')
    expect(first.textContent).toContain('¥1,299')
    expect(first.textContent).toContain('有货 S M L')
    expect(first.querySelectorAll('.catalog__dot')).toHaveLength(2)
    const img = first.querySelector('img')!
    expect(img.getAttribute('loading')).toBe('lazy')
    expect(img.getAttribute('width')).toBe('56')
    expect(img.getAttribute('height')).toBe('56')

    expect(row('p2').textContent).toContain('门店暂无库存')
    expect(row('p2').textContent).toContain('¥899')
    expect($('catalog-picker')!.textContent).toContain('共 2 款')
    expect($('catalog-empty')).toBeNull()
  })

  it('searches while she types, and a slower older answer never replaces the newer one', async () => {
    await mountPicker()
    const older = deferred<CatalogPage>()
    api.searchCatalog.mockReturnValueOnce(older.promise)
    api.searchCatalog.mockResolvedValueOnce(page([product('p9', '连衣裙 新')]))

    // Keystrokes within the debounce make one request, not one each.
    await type('连')
    await type('连衣')
    expect(api.searchCatalog).toHaveBeenCalledTimes(1)
    await wait(250)
    await flushPromises()
    expect(api.searchCatalog).toHaveBeenCalledTimes(2)
    expect(lastQuery()).toMatchObject({ q: '连衣' })

    await type('连衣裙')
    await wait(250)
    await flushPromises()
    expect(api.searchCatalog).toHaveBeenCalledTimes(3)
    expect(lastQuery()).toMatchObject({ q: '连衣裙' })
    expect(ids()).toEqual(['p9'])
    // The older request was cancelled…
    const olderSignal: AbortSignal = api.searchCatalog.mock.calls[1]![1]
    expect(olderSignal.aborted).toBe(true)
    // …and even if its answer still arrives, it is ignored.
    older.resolve(page([product('p8', '旧结果')]))
    await flushPromises()
    expect(ids()).toEqual(['p9'])
  })

  it('filters by category from the chips', async () => {
    await mountPicker()
    expect($('catalog-category-all')!.getAttribute('aria-selected')).toBe('true')
    await click($('catalog-category-dress'))
    expect(lastQuery()).toMatchObject({ category: 'dress' })
    expect($('catalog-category-dress')!.getAttribute('aria-selected')).toBe('true')
    expect($('catalog-category-all')!.getAttribute('aria-selected')).toBe('false')
    await click($('catalog-category-all'))
    expect(lastQuery().category).toBeUndefined()
  })

  it('offers her size where the profile knows it, and filters by it', async () => {
    await mountPicker({ sizes: { top: 'M', bottom: null, dress: null, shoes: '37' } })
    expect($('catalog-her-size')).toBeNull()
    await click($('catalog-category-top'))
    const herSize = $('catalog-her-size')!
    expect(herSize.textContent).toContain('她的尺码 M')
    expect(lastQuery().size).toBeUndefined()
    await click(herSize)
    expect(lastQuery()).toMatchObject({ category: 'top', size: 'M' })
    expect($('catalog-her-size')!.getAttribute('aria-pressed')).toBe('true')

    // Not for a category without her size; the filter is dropped with the button.
    await click($('catalog-category-bottom'))
    expect($('catalog-her-size')).toBeNull()
    expect(lastQuery()).toMatchObject({ category: 'bottom' })
    expect(lastQuery().size).toBeUndefined()
    await click($('catalog-category-shoes'))
    expect(lastQuery()).toMatchObject({ category: 'shoes', size: '37' })
  })

  it('filters by stock and by price band', async () => {
    await mountPicker()
    await click($('catalog-in-stock'))
    expect(lastQuery()).toMatchObject({ inStock: true })
    await click($('catalog-price'))
    const band = [...document.querySelectorAll<HTMLElement>('.van-action-sheet__item')].find((b) => b.textContent === '¥500–1000')
    await click(band ?? null)
    expect(lastQuery()).toMatchObject({ inStock: true, minPriceFen: 50_000, maxPriceFen: 100_000 })
    expect($('catalog-price')!.textContent).toContain('¥500–1000')
  })

  it('picks a row, but not one already picked', async () => {
    const wrapper = await mountPicker({ pickedIds: ['p1'], max: 4 })
    expect(row('p1').textContent).toContain('已选')
    expect(row('p1').getAttribute('aria-disabled')).toBe('true')
    expect(row('p2').textContent).not.toContain('已选')

    await click(row('p1'))
    expect(wrapper.emitted('pick')).toBeUndefined()

    await click(row('p2'))
    expect(wrapper.emitted('pick')).toHaveLength(1)
    expect(wrapper.emitted('pick')![0]).toEqual([expect.objectContaining({ id: 'p2', name: '真丝衬衫' })])
  })

  it('says so and picks nothing once the bundle is full', async () => {
    const wrapper = await mountPicker({ pickedIds: ['p1', 'x2'], max: 2 })
    expect($('catalog-full')!.textContent).toContain('最多选 2 件')
    expect(row('p2').getAttribute('aria-disabled')).toBe('true')
    await click(row('p2'))
    expect(wrapper.emitted('pick')).toBeUndefined()
  })

  it('appends the next page with the cursor the server gave, and stops at the end', async () => {
    const next = deferred<CatalogPage>()
    api.searchCatalog.mockResolvedValueOnce(page([product('p1', '一'), product('p2', '二')], 3, 'c2'))
    api.searchCatalog.mockReturnValueOnce(next.promise)
    await mountPicker()
    // Vant List asks for more as soon as the end of the list is in view (here: at once).
    expect(api.searchCatalog).toHaveBeenCalledTimes(2)
    expect(api.searchCatalog.mock.calls[0]![0].cursor).toBeUndefined()
    expect(lastQuery()).toMatchObject({ cursor: 'c2', limit: 20, sort: 'relevance' })
    expect(ids()).toEqual(['p1', 'p2'])
    expect($('catalog-picker')!.textContent).not.toContain('共 3 款')

    next.resolve(page([product('p3', '三')], 3, null))
    await flushPromises()
    expect(ids()).toEqual(['p1', 'p2', 'p3'])
    expect($('catalog-picker')!.textContent).toContain('共 3 款')
    expect(api.searchCatalog).toHaveBeenCalledTimes(2)
  })

  it('says what to do when nothing matches, and clears the filters', async () => {
    await mountPicker()
    api.searchCatalog.mockResolvedValueOnce(page([]))
    await click($('catalog-in-stock'))
    const empty = $('catalog-empty')!
    expect(empty.textContent).toContain('没有找到合适的款式')
    expect(empty.textContent).toContain('换个关键词或清除筛选')
    expect(rows()).toHaveLength(0)

    await click(empty.querySelector<HTMLElement>('button'))
    expect(lastQuery()).toEqual({ sort: 'relevance', limit: 20 })
    expect($('catalog-empty')).toBeNull()
    expect(ids()).toEqual(['p1', 'p2'])
    expect($('catalog-in-stock')!.getAttribute('aria-pressed')).toBe('false')
  })

  it('loads nothing until it is opened, and emits close when dismissed', async () => {
    const { wrapper } = await mountPage(CatalogPicker, { show: false })
    await flushPromises()
    expect(api.searchCatalog).not.toHaveBeenCalled()
    await wrapper.setProps({ show: true })
    await flushPromises()
    expect(api.searchCatalog).toHaveBeenCalledTimes(1)
    await click(document.querySelector<HTMLElement>('.van-popup__close-icon'))
    expect(wrapper.emitted('close')).toHaveLength(1)
  })
})
