import { beforeEach, describe, expect, it, vi } from 'vitest'
import BundlePanel from '../../src/components/bundles/BundlePanel.vue'
import type { Bundle, BundleFit, BundleSend, Suggestions } from '../../src/shared/bundles'
import type { ProductDetail } from '../../src/shared/catalog'
import { useSessionStore } from '../../src/stores/session'
import { ApiFailure } from '../../src/api/http'
import { WecomCallError } from '../../src/wecom'
import { facts, profile } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchBundles: vi.fn(),
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

const wecom = vi.hoisted(() => ({ sendChatMessage: vi.fn() }))
vi.mock('@/wecom', async (original) => ({
  ...(await original<typeof import('../../src/wecom')>()),
  sendChatMessage: wecom.sendChatMessage,
}))

function product(
  id: string,
  category: ProductDetail['category'],
  sizes: string[],
  stockOf: (size: string) => number,
): ProductDetail {
  return {
    id,
    styleCode: `QL${id}`,
    name: `单品${id}`,
    category,
    priceFen: 59900,
    imageUrl: `/img/${id}.svg`,
    season: '26S',
    tags: category === 'top' ? ['通勤', '法式'] : ['通勤'],
    colors: [
      { name: '燕麦色', hex: '#d8c8ae' },
      { name: '黑色', hex: '#2b2b2e' },
    ],
    sizesInStock: sizes.filter((s) => stockOf(s) > 0),
    description: '',
    materials: ['棉'],
    images: [{ url: `/img/${id}-black.svg`, color: '黑色', kind: 'main' }],
    skus: ['燕麦色', '黑色'].flatMap((color, c) =>
      sizes.map((size) => ({ id: `${id}-${c}-${size}`, color, colorHex: null, size, stock: stockOf(size), priceFen: 59900 })),
    ),
  }
}

const products: Record<string, ProductDetail> = {
  knit: product('knit', 'top', ['S', 'M', 'L'], (s) => (s === 'M' ? 2 : 1)),
  pants: product('pants', 'bottom', ['26', '27', '28'], (s) => (s === '27' ? 0 : 3)),
}

function bundle(id: string, extra: Partial<Bundle> = {}): Bundle {
  return {
    id,
    scope: 'corp',
    owner: null,
    title: `搭配${id}`,
    note: '',
    items: [
      {
        productId: 'knit',
        skuId: 'knit-0-M',
        styleCode: 'QLknit',
        name: '单品knit',
        category: 'top',
        color: '燕麦色',
        size: 'M',
        priceFen: 59900,
        imageUrl: null,
        stock: 2,
      },
      {
        productId: 'pants',
        skuId: 'pants-0-26',
        styleCode: 'QLpants',
        name: '单品pants',
        category: 'bottom',
        color: '燕麦色',
        size: '26',
        priceFen: 59900,
        imageUrl: null,
        stock: 3,
      },
    ],
    totalFen: 119800,
    collageUrl: `/media/collages/${id}.png`,
    sent: 0,
    opened: 0,
    retired: false,
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  }
}

const sent: BundleSend = {
  id: 'send000000000001',
  status: 'pending',
  link: 'https://x/l/abc',
  message: { msgtype: 'news', news: { link: 'https://x/l/abc', title: '搭配b1', desc: '2 件', imgUrl: 'https://x/c.png' } },
}

// Her remark is '张婷 静安 M码' (the fixture's): it must never name an outfit.
const her = profile({ facts: facts({ sizes: { top: 'M', bottom: '27', dress: null, shoes: null } }) })

/** b1 as it goes to her: the knit in M, the trousers in 27 sold out here (26 in stock). */
function fitOfB1(): BundleFit {
  const [knit, pants] = bundle('b1').items
  return {
    bundleId: 'b1',
    pieces: [
      { item: knit!, fit: 'hers', herSize: 'M', alternative: null, avoided: null },
      {
        item: { ...pants!, skuId: 'pants-0-27', size: '27', stock: 0 },
        fit: 'hers_no_stock',
        herSize: '27',
        alternative: { skuId: 'pants-0-28', color: '燕麦色', size: '28', stock: 3 },
        avoided: null,
      },
    ],
    allHers: false,
    totalFen: 119800,
    collageUrl: '/media/collages/b1-her.png',
  }
}

describe('BundlePanel', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    toasts.length = 0
    api.fetchBundles.mockResolvedValue([
      bundle('b1'),
      bundle('b2'),
      bundle('mine', { scope: 'personal', owner: { userId: 'lina', name: '李娜' } }),
    ])
    const suggestions: Suggestions = {
      bundles: [{ bundle: bundle('b2'), reasons: [{ code: 'fits_size', detail: 'M', at: null }], score: 3 }],
      products: [
        {
          productId: 'knit',
          name: '单品knit',
          category: 'top',
          priceFen: 59900,
          imageUrl: null,
          skuId: 'knit-1-M',
          reasons: [{ code: 'likes_style', detail: '通勤', at: null }],
          score: 2,
        },
      ],
      fits: [fitOfB1()],
      sizes: her.facts.sizes,
    }
    api.fetchBundleSuggestions.mockResolvedValue(suggestions)
    api.prepareBundleSend.mockResolvedValue(sent)
    api.confirmBundleSend.mockResolvedValue({ ...sent, status: 'sent' })
    api.cancelBundleSend.mockResolvedValue({ ...sent, status: 'cancelled' })
    catalog.fetchProduct.mockImplementation(async (id: string) => products[id])
  })

  const mountPanel = (canSend = true) =>
    mountPage(BundlePanel, { target: { externalUserId: her.externalUserId }, profile: her, canSend })

  it('puts what suits her first, with the reason in words, and her own below', async () => {
    const { wrapper } = await mountPanel()
    const forHer = wrapper.get('[data-testid=bundles-for-her]')
    expect(forHer.findAll('[data-bundle-card]')).toHaveLength(1)
    expect(forHer.text()).toContain('合你的尺码')
    expect(wrapper.get('[data-testid=pieces-for-her]').text()).toContain('你喜欢的通勤风')
    expect(wrapper.get('[data-testid=bundles-mine]').text()).toContain('搭配mine')
    // The brand list leaves out what is already suggested.
    const brand = wrapper.get('[data-testid=bundles-brand]')
    expect(brand.find('[data-testid=bundle-b2]').exists()).toBe(false)
    expect(brand.find('[data-testid=bundle-b1]').exists()).toBe(true)
  })

  it('sends through WeCom and confirms; a cancel withdraws the link silently', async () => {
    const { wrapper } = await mountPanel()
    wecom.sendChatMessage.mockResolvedValueOnce('sent')
    await wrapper.get('[data-testid=bundle-switch-pants]').trigger('click')
    await wrapper.get('[data-testid=bundle-send-b1]').trigger('click')
    await flushPromises()
    expect(wecom.sendChatMessage).toHaveBeenCalledWith(sent.message)
    expect(api.confirmBundleSend).toHaveBeenCalledWith(sent.id)
    expect(toasts).toContain('已发送')
    expect(wrapper.get('[data-testid=bundle-b1]').text()).toContain('发出 1')

    toasts.length = 0
    wecom.sendChatMessage.mockResolvedValueOnce('cancelled')
    await wrapper.get('[data-testid=bundle-send-b1]').trigger('click')
    await flushPromises()
    expect(api.cancelBundleSend).toHaveBeenCalledWith(sent.id)
    expect(toasts).toEqual([])
  })

  it('shows each card in her sizes, flags a size sold out here, and sends what the card shows', async () => {
    const { wrapper } = await mountPanel()
    const card = () => wrapper.get('[data-testid=bundle-b1]')
    expect(card().get('[data-testid=bundle-sizes]').text()).toBe('按她的尺码：M · 27')
    // The picture is of the pieces as she gets them.
    expect(card().get('img').attributes('src')).toBe('/media/collages/b1-her.png')
    expect(card().text()).toContain('单品pants 27 码门店缺货，可调货')

    // Sending with a piece not in stock asks first; cancelling sends nothing.
    await card().get('[data-testid=bundle-send-b1]').trigger('click')
    await flushPromises()
    expect(document.querySelector('.van-dialog')?.textContent).toContain('有单品不是她的尺码现货')
    ;(document.querySelector('.van-dialog__cancel') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.prepareBundleSend).not.toHaveBeenCalled()

    // She takes the 28 in stock: the card says so, and that SKU is what goes out, unasked.
    await card().get('[data-testid=bundle-switch-pants]').trigger('click')
    expect(card().get('[data-testid=bundle-sizes]').text()).toBe('按她的尺码：M · 28')
    expect(card().text()).toContain('单品pants 将发 28（有货）')
    wecom.sendChatMessage.mockResolvedValueOnce('sent')
    await card().get('[data-testid=bundle-send-b1]').trigger('click')
    await flushPromises()
    expect(api.prepareBundleSend).toHaveBeenCalledWith('b1', {
      externalUserId: her.externalUserId,
      items: [
        { productId: 'knit', skuId: 'knit-0-M' },
        { productId: 'pants', skuId: 'pants-0-28' },
      ],
    })
  })

  it('explains a refusal for private text instead of a bare failure', async () => {
    const { wrapper } = await mountPanel()
    api.prepareBundleSend.mockRejectedValueOnce(new ApiFailure(422, 'private_text', 'holds a remark', '张婷'))
    await wrapper.get('[data-testid=bundle-send-b2]').trigger('click')
    await flushPromises()
    expect(document.querySelector('.van-dialog')?.textContent).toContain('标题或说明里的「张婷」是你记下的客户私人信息')
    expect(toasts.some((m) => m.includes('发送失败'))).toBe(false)
    expect(wecom.sendChatMessage).not.toHaveBeenCalled()
  })

  it('names a new outfit after its pieces’ style, never after her', async () => {
    const { wrapper } = await mountPanel()
    await wrapper.get('[data-testid=bundle-new]').trigger('click')
    await flushPromises()
    const title = () => (document.querySelector('[data-testid=composer-title] input') as HTMLInputElement).value
    expect(title()).toBe('为您挑的一套搭配')
    const picker = wrapper.findComponent({ name: 'CatalogPicker' })
    picker.vm.$emit('pick', { ...products.knit, sizesInStock: [] })
    await flushPromises()
    picker.vm.$emit('pick', { ...products.pants, sizesInStock: [] })
    await flushPromises()
    expect(title()).toBe('为您挑的一套通勤搭配')
    expect(title()).not.toContain('张婷')
  })

  it('says why a send failed and withdraws the link', async () => {
    const { wrapper } = await mountPanel()
    wecom.sendChatMessage.mockRejectedValueOnce(
      new WecomCallError('sendChatMessage', 'fail', 'sendChatMessage:fail no permission', 0),
    )
    await wrapper.get('[data-testid=bundle-send-b2]').trigger('click')
    await flushPromises()
    expect(api.cancelBundleSend).toHaveBeenCalledWith(sent.id)
    expect(toasts.at(-1)).toMatch(/发送失败.*no permission/)
  })

  it('copies the link where sending is impossible', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const { wrapper } = await mountPanel(false)
    const button = wrapper.get('[data-testid=bundle-send-b2]')
    expect(button.text()).toBe('复制链接')
    await button.trigger('click')
    await flushPromises()
    expect(wecom.sendChatMessage).not.toHaveBeenCalled()
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining(sent.link))
    expect(toasts.at(-1)).toContain('链接已复制')
  })

  it('starts a bundle from a suggested piece in her size, and keeps her picks when saving fails', async () => {
    const { wrapper } = await mountPanel()
    await wrapper.get('[data-testid=piece-suggestion]').trigger('click')
    await flushPromises()
    const composer = () => document.querySelector('[data-testid=bundle-composer]')!
    expect(composer().querySelectorAll('[data-testid=composer-piece]')).toHaveLength(1)
    // The suggested SKU (black, M) is kept.
    const pressed = [...composer().querySelectorAll('[data-testid=composer-size][aria-pressed=true]')].map((b) =>
      b.textContent?.trim(),
    )
    expect(pressed).toEqual(['M'])

    api.createBundle.mockRejectedValueOnce(new Error('boom'))
    // Two pieces are needed: add the trousers through the composer's own picking path.
    catalog.fetchProduct.mockClear()
    const picker = wrapper.findComponent({ name: 'CatalogPicker' })
    picker.vm.$emit('pick', { ...products.pants, sizesInStock: [] })
    await flushPromises()
    const sizes = [...composer().querySelectorAll('[data-testid=composer-size][aria-pressed=true]')].map((b) =>
      b.textContent?.trim(),
    )
    // Her size even when this store is out of it (another store can send it), said plainly.
    expect(sizes).toEqual(['M', '27'])
    expect(composer().textContent).toContain('门店缺货')
    ;(composer().querySelector('[data-testid=composer-save]') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.createBundle).toHaveBeenCalledWith(
      expect.objectContaining({
        scope: 'personal',
        items: [
          { productId: 'knit', skuId: 'knit-1-M' },
          { productId: 'pants', skuId: 'pants-0-27' },
        ],
      }),
    )
    expect(toasts.at(-1)).toContain('保存失败')
    expect(composer().querySelectorAll('[data-testid=composer-piece]')).toHaveLength(2)
  })

  it('lets a manager publish for the brand and edit or retire the brand’s bundles', async () => {
    const { wrapper } = await mountPanel()
    const brandButton = () => wrapper.get('[data-testid=bundle-edit-b1]')
    expect(brandButton().text()).toBe('改一改')
    useSessionStore().me = { userId: 'wanglei', name: '王蕾', role: 'manager' }
    await flushPromises()
    expect(brandButton().text()).toBe('编辑')

    await wrapper.get('[data-testid=bundle-new]').trigger('click')
    await flushPromises()
    const composer = () => document.querySelector('[data-testid=bundle-composer]')!
    const picker = wrapper.findComponent({ name: 'CatalogPicker' })
    picker.vm.$emit('pick', { ...products.knit, sizesInStock: [] })
    await flushPromises()
    picker.vm.$emit('pick', { ...products.pants, sizesInStock: [] })
    await flushPromises()
    ;(composer().querySelector('[data-testid=composer-publish]') as HTMLElement).click()
    await flushPromises()
    api.createBundle.mockResolvedValueOnce(bundle('new'))
    ;(composer().querySelector('[data-testid=composer-save]') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.createBundle).toHaveBeenCalledWith(expect.objectContaining({ scope: 'corp' }))

    // Retiring the brand's bundle from its editor takes it off the list.
    await brandButton().trigger('click')
    await flushPromises()
    api.updateBundle.mockResolvedValueOnce(bundle('b1', { retired: true }))
    ;(composer().querySelector('[data-testid=composer-retire]') as HTMLButtonElement).click()
    await flushPromises()
    ;(document.querySelector('.van-dialog__confirm') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.updateBundle).toHaveBeenCalledWith('b1', { retired: true })
    expect(wrapper.find('[data-testid=bundle-b1]').exists()).toBe(false)
  })
})
