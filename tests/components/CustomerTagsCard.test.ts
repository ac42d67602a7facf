import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import CustomerTagsCard from '../../src/components/customer/CustomerTagsCard.vue'
import TagEditor from '../../src/components/memory/TagEditor.vue'
import type { TagChange } from '../../src/components/memory/tag-change'
import type { CustomerProfile, CustomerTag } from '../../src/shared/customer'
import { useCustomersStore } from '../../src/stores/customers'
import { profile, tag } from '../helpers/fixtures'
import { deferred, flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ changeTags: vi.fn(), changePersonalTags: vi.fn(), fetchCustomer: vi.fn() }))
vi.mock('@/api/memory', () => ({
  changeTags: api.changeTags,
  changePersonalTags: api.changePersonalTags,
  fetchCorpTags: vi.fn(async () => ({ groups: [] })),
}))
vi.mock('@/api/customers', () => ({ fetchCustomer: api.fetchCustomer }))

const holiday = tag('度假')
const mine: CustomerTag = { groupName: '', name: '爱喝美式', type: 'personal', tagId: null, source: 'guide' }
const change: TagChange = {
  corp: { add: [{ id: holiday.tagId!, name: '度假', groupName: holiday.groupName }], remove: [] },
  personal: { add: ['爱喝美式'], remove: [] },
}

function withTags(tags: CustomerTag[]): CustomerProfile {
  const base = profile()
  return { ...base, follow: { ...base.follow, tags: [...base.follow.tags, ...tags] } }
}

async function mountCard() {
  const { wrapper, pinia } = await mountPage(CustomerTagsCard, { profile: profile() })
  const store = useCustomersStore(pinia)
  store.profiles.set('wmAAAA', profile())
  const names = () => store.profiles.get('wmAAAA')!.follow.tags.map((t) => t.name)
  const save = async (tagChange: TagChange) => {
    wrapper.findComponent(TagEditor).vm.$emit('save', tagChange)
    await flushPromises()
  }
  return { wrapper, store, names, save }
}

const toast = () => document.querySelector('.van-toast__text')?.textContent ?? ''

describe('CustomerTagsCard', () => {
  beforeEach(() => {
    api.changeTags.mockReset()
    api.changePersonalTags.mockReset()
    api.fetchCustomer.mockReset()
  })

  it('sends company tags, then her own, and shows both at once', async () => {
    const corp = deferred<CustomerProfile>()
    const personal = deferred<CustomerProfile>()
    api.changeTags.mockReturnValueOnce(corp.promise)
    api.changePersonalTags.mockReturnValueOnce(personal.promise)
    const { names, save } = await mountCard()
    await save(change)
    expect(names()).toEqual(expect.arrayContaining(['度假', '爱喝美式']))
    expect(api.changeTags).toHaveBeenCalledWith('wmAAAA', { add: [holiday.tagId], remove: [] })
    // Her own tags wait for the company tags.
    expect(api.changePersonalTags).not.toHaveBeenCalled()

    corp.resolve(withTags([holiday]))
    await flushPromises()
    expect(api.changePersonalTags).toHaveBeenCalledWith('wmAAAA', { add: ['爱喝美式'], remove: [] })
    personal.resolve(withTags([holiday, mine]))
    await flushPromises()
    expect(names()).toEqual(expect.arrayContaining(['度假', '爱喝美式']))
    expect(toast()).toBe('标签已更新')
    expect(api.fetchCustomer).not.toHaveBeenCalled()
  })

  it('keeps the company tags when her own tags fail, and says which part failed', async () => {
    api.changeTags.mockResolvedValueOnce(withTags([holiday]))
    api.changePersonalTags.mockRejectedValueOnce(new ApiFailure(0, 'network', 'Network Error'))
    api.fetchCustomer.mockResolvedValueOnce(withTags([holiday]))
    const { names, save } = await mountCard()
    await save(change)
    expect(api.changeTags.mock.invocationCallOrder[0]).toBeLessThan(api.changePersonalTags.mock.invocationCallOrder[0]!)
    expect(names()).toContain('度假')
    expect(names()).not.toContain('爱喝美式')
    expect(toast()).toContain('企业标签已更新')
    expect(toast()).toContain('我的标签没有保存：网络不可用，请稍后再试')
  })

  it('still saves her own tags when WeCom refuses the company tags', async () => {
    api.changeTags.mockRejectedValueOnce(new ApiFailure(502, 'wecom_error', 'WeCom said no'))
    api.changePersonalTags.mockResolvedValueOnce(withTags([mine]))
    api.fetchCustomer.mockResolvedValueOnce(withTags([mine]))
    const { names, save } = await mountCard()
    await save(change)
    expect(api.changePersonalTags).toHaveBeenCalledTimes(1)
    expect(names()).toContain('爱喝美式')
    expect(names()).not.toContain('度假')
    expect(toast()).toContain('企业标签没有保存：WeCom said no')
    expect(toast()).toContain('我的标签已更新')
  })

  it('sends only the part that changed', async () => {
    api.changePersonalTags.mockResolvedValueOnce(withTags([mine]))
    const { names, save } = await mountCard()
    await save({ corp: { add: [], remove: [] }, personal: change.personal })
    expect(api.changeTags).not.toHaveBeenCalled()
    expect(names()).toContain('爱喝美式')
    expect(toast()).toBe('标签已更新')
  })
})

describe('CustomerTagsCard: one place for each tag', () => {
  const wecomMine = (name: string): CustomerTag => ({ groupName: '', name, type: 'personal', tagId: null, source: 'wecom' })

  it('leaves her 风格偏好 tags to 资料, and shows her own tags, wherever made, once under 我的标签', async () => {
    const her = withTags([mine, wecomMine('爱喝美式'), wecomMine('周末到店')])
    const { wrapper } = await mountPage(CustomerTagsCard, { profile: her })
    const card = wrapper.get('[data-testid=tags-card]')
    expect(card.text()).not.toContain('通勤')
    expect(card.get('[data-testid=tags-styles-note]').text()).toContain('资料')
    const groups = card
      .findAll('.tag-group')
      .map((g) => [g.get('.tag-group__name').text(), g.findAll('.gs-chip').map((c) => c.text())])
    expect(groups).toEqual([
      ['客户价值', ['高净值']],
      ['我的标签', ['爱喝美式', '周末到店']],
    ])
  })

  it('edits her own tags in one list: those made here can go, those made in WeCom say so and stay', async () => {
    const { wrapper } = await mountPage(TagEditor, { show: true, tags: [mine, wecomMine('爱喝美式'), wecomMine('周末到店')] })
    await flushPromises()
    const editor = document.querySelector('[data-testid=tag-editor]')!
    expect(editor.textContent).not.toContain('企业微信中的个人标签')
    const fromWecom = [...editor.querySelectorAll('[data-testid=wecom-personal-tag]')].map((el) => el.textContent)
    expect(fromWecom).toEqual(['周末到店企微'])
    expect(editor.textContent).toContain('只能在企业微信里删除')

    // Removing the copy made here leaves the one in WeCom, shown as such.
    ;(
      [...editor.querySelectorAll('.gs-choice--on')].find((b) => b.textContent!.includes('爱喝美式')) as HTMLButtonElement
    ).click()
    await flushPromises()
    expect([...editor.querySelectorAll('[data-testid=wecom-personal-tag]')].map((el) => el.textContent)).toEqual([
      '爱喝美式企微',
      '周末到店企微',
    ])
    // A name she already has in WeCom is not made again here.
    const input = editor.querySelector('[data-testid=personal-tag-input] input') as HTMLInputElement
    input.value = '周末到店'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    ;(editor.querySelector('[data-testid=tags-save]') as HTMLButtonElement).click()
    await flushPromises()
    expect(wrapper.emitted('save')![0]![0]).toMatchObject({ personal: { add: [], remove: ['爱喝美式'] } })
  })
})
