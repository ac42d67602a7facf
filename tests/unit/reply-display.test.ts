import { describe, expect, it } from 'vitest'
import { customerValues, snippetSegments } from '../../src/components/replies/reply-display'
import { profile } from '../helpers/fixtures'

describe('snippetSegments', () => {
  it('keeps every variable as a variable where nothing is known', () => {
    expect(snippetSegments('{称呼}，{门店}的{会员等级}日到了', null)).toEqual([
      { kind: 'variable', value: 'salutation' },
      { kind: 'text', text: '，' },
      { kind: 'variable', value: 'store' },
      { kind: 'text', text: '的' },
      { kind: 'variable', value: 'memberLevel' },
      { kind: 'text', text: '日到了' },
    ])
  })

  it('fills what is known into the text and leaves the rest as variables', () => {
    expect(snippetSegments('{称呼}您好，我是{导购}，{门店}见', { salutation: '张女士', guide: '李娜' })).toEqual([
      { kind: 'text', text: '张女士您好，我是李娜，' },
      { kind: 'variable', value: 'store' },
      { kind: 'text', text: '见' },
    ])
    expect(snippetSegments('没有变量', null)).toEqual([{ kind: 'text', text: '没有变量' }])
  })
})

describe('customerValues', () => {
  it('knows her salutation, level and the guide; her store only when she has one', () => {
    const noStore = profile({ facts: { ...profile().facts, preferredStore: null } })
    expect(customerValues(noStore, '李娜')).toEqual({ salutation: '张女士', memberLevel: '金卡会员', guide: '李娜' })
    const nonMember = profile({ member: null, facts: { ...profile().facts, preferredStore: { id: 'S002', name: '徐汇店' } } })
    expect(customerValues(nonMember, null)).toEqual({ salutation: '张女士', memberLevel: '会员', store: '徐汇店' })
  })
})
