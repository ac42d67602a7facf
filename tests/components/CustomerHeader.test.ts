import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import CustomerHeader from '../../src/components/customer/CustomerHeader.vue'
import { profile, tag } from '../helpers/fixtures'

describe('CustomerHeader', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows remark, WeChat name, level, three tags and a summary', () => {
    const wrapper = mount(CustomerHeader, {
      props: {
        profile: profile({ follow: { ...profile().follow, tags: [tag('通勤'), tag('高净值'), tag('复购'), tag('门店扫码')] } }),
      },
    })
    expect(wrapper.get('[data-testid=customer-name]').text()).toBe('张婷 静安 M码')
    expect(wrapper.text()).toContain('微信昵称：Lily🌸')
    expect(wrapper.get('[data-testid=member-level]').text()).toBe('金卡会员')
    expect(wrapper.findAll('.gs-chip').map((c) => c.text())).toEqual(['通勤', '高净值', '复购', '+1'])
    expect(wrapper.get('[data-testid=customer-summary]').text()).toContain('累计 8 单')
  })

  it('renders customer-controlled text as text, never as markup', () => {
    const evil = '<img src=x onerror="window.__pwned=1">'
    const wrapper = mount(CustomerHeader, {
      props: { profile: profile({ name: evil, follow: { ...profile().follow, remark: evil, tags: [tag(evil)] } }) },
    })
    expect(wrapper.find('img[src=x]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=customer-name]').text()).toBe(evil)
  })

  it('has no level badge without a member record and names the company of a WeCom contact', () => {
    const wrapper = mount(CustomerHeader, { props: { profile: profile({ member: null, type: 2, corpName: '星河科技' }) } })
    expect(wrapper.find('[data-testid=member-level]').exists()).toBe(false)
    expect(wrapper.text()).toContain('@星河科技')
  })
})
