import { describe, expect, it } from 'vitest'
import { mergedStyles } from '../../src/components/memory/style-preferences'
import { tag } from '../helpers/fixtures'

describe('mergedStyles', () => {
  it('is her facts first, then the 风格偏好 tags not among them, each saying where it lives', () => {
    const tags = [
      tag('度假'),
      tag('通勤'),
      tag('高净值', { groupName: '客户价值' }),
      tag('法式', { type: 'personal', groupName: '' }),
    ]
    expect(mergedStyles(['通勤', ' 极简 ', '通勤'], tags)).toEqual([
      { name: '通勤', fact: true, tag: true },
      { name: '极简', fact: true, tag: false },
      { name: '度假', fact: false, tag: true },
    ])
  })

  it('is empty when neither says anything', () => {
    expect(mergedStyles([], [tag('高净值', { groupName: '客户价值' })])).toEqual([])
  })
})
