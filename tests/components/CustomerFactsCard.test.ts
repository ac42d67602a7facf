import { describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import CustomerFactsCard from '../../src/components/memory/CustomerFactsCard.vue'
import { useCustomersStore } from '../../src/stores/customers'
import { facts, profile, tag } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ patchFacts: vi.fn(), revealPhone: vi.fn() }))
vi.mock('@/api/memory', () => ({
  patchFacts: api.patchFacts,
  revealPhone: api.revealPhone,
  fetchStores: vi.fn(async () => ({ items: [] })),
}))

async function mountCard() {
  const { wrapper, pinia } = await mountPage(CustomerFactsCard, { profile: profile() })
  const store = useCustomersStore(pinia)
  store.profiles.set('wmAAAA', profile())
  // The page renders from the store; keep the card's prop in step with it, as the page does.
  const sync = () => wrapper.setProps({ profile: store.profiles.get('wmAAAA')! })
  return { wrapper, store, sync }
}

describe('CustomerFactsCard', () => {
  it('shows a size change at once and keeps the server’s answer', async () => {
    let resolve!: (value: unknown) => void
    api.patchFacts.mockReturnValueOnce(new Promise((r) => (resolve = r)))
    const { wrapper, store, sync } = await mountCard()
    await wrapper.get('[data-testid=size-sizeShoes]').trigger('click')
    await flushPromises()
    const editor = document.querySelector('[data-testid=fact-editor]')!
    const input = editor.querySelector('input')!
    input.value = '39'
    input.dispatchEvent(new Event('input'))
    ;(editor.querySelector('[data-testid=fact-save]') as HTMLButtonElement).click()
    await flushPromises()
    expect(store.profiles.get('wmAAAA')!.facts.sizes.shoes).toBe('39')
    expect(api.patchFacts).toHaveBeenCalledWith('wmAAAA', { sizeShoes: '39' })
    resolve(
      profile({
        facts: facts({
          sizes: { top: 'M', bottom: '27', dress: 'M', shoes: '39' },
          edits: [{ field: 'sizeShoes', byName: '李娜', at: new Date().toISOString() }],
        }),
      }),
    )
    await flushPromises()
    await sync()
    expect(wrapper.get('[data-testid=size-sizeShoes]').text()).toContain('39')
    expect(wrapper.get('[data-testid=size-sizeShoes]').attributes('title')).toContain('李娜')
  })

  it('rolls back and says why when the server refuses', async () => {
    api.patchFacts.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', 'This customer is not one of your contacts'))
    const { wrapper, store } = await mountCard()
    await wrapper.get('[data-testid=fact-fitNotes]').trigger('click')
    await flushPromises()
    const editor = document.querySelector('[data-testid=fact-editor]')!
    const area = editor.querySelector('textarea')!
    area.value = '肩窄'
    area.dispatchEvent(new Event('input'))
    ;(editor.querySelector('[data-testid=fact-save]') as HTMLButtonElement).click()
    await flushPromises()
    expect(store.profiles.get('wmAAAA')!.facts.fitNotes).toBeNull()
    expect(document.body.textContent).toContain('没有保存：This customer is not one of your contacts')
  })

  it('reveals the phone number only when tapped', async () => {
    api.revealPhone.mockResolvedValueOnce('13800138000')
    const { wrapper } = await mountCard()
    expect(wrapper.text()).toContain('138****8000')
    expect(wrapper.text()).not.toContain('13800138000')
    await wrapper.get('[data-testid=phone-reveal]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=phone-full]').attributes('href')).toBe('tel:13800138000')
  })
})

describe('CustomerFactsCard: 风格偏好', () => {
  it('shows her facts and the company’s 风格偏好 tags as one list, and says where each is changed', async () => {
    const her = profile({
      facts: facts({ stylePreferences: ['通勤', '法式'] }),
      follow: { ...profile().follow, tags: [tag('通勤'), tag('度假'), tag('高净值', { groupName: '客户价值' })] },
    })
    const { wrapper } = await mountPage(CustomerFactsCard, { profile: her })
    const row = wrapper.get('[data-testid=fact-stylePreferences]')
    expect(row.findAll('.gs-chip').map((chip) => [chip.text(), chip.attributes('data-source')])).toEqual([
      ['通勤', 'both'],
      ['法式', 'facts'],
      ['度假', 'tag'],
    ])
    expect(row.get('[data-testid=style-tags-note]').text()).toContain('在「标签」里修改')

    await row.trigger('click')
    await flushPromises()
    const editor = document.querySelector('[data-testid=fact-editor]')!
    expect(editor.querySelector('[data-testid=fact-editor-note]')!.textContent).toContain(
      '企业标签 通勤、度假 请在「标签」里修改',
    )
    // What the editor changes is her facts alone.
    expect([...editor.querySelectorAll('.gs-choice--on')].map((b) => b.textContent!.replace('×', '').trim())).toEqual([
      '通勤',
      '法式',
    ])
  })

  it('says nothing about tags when her styles are all in her facts', async () => {
    const { wrapper } = await mountPage(CustomerFactsCard, {
      profile: profile({ follow: { ...profile().follow, tags: [tag('高净值', { groupName: '客户价值' })] } }),
    })
    expect(wrapper.find('[data-testid=style-tags-note]').exists()).toBe(false)
  })
})
