import { describe, expect, it } from 'vitest'
import { findPrivateText, privatePieces } from '../../src/server/modules/privacy/private-text'

describe('privatePieces', () => {
  it('cuts a remark into the words a guide wrote, leaving sizes out', () => {
    expect(privatePieces('郑安琪 静安 S码')).toEqual(['郑安琪', '静安', '郑安琪 静安 S码'])
    expect(privatePieces('王姐')).toEqual(['王姐'])
    expect(privatePieces('A')).toEqual([])
  })
})

describe('findPrivateText', () => {
  const secrets = [
    { kind: 'remark' as const, text: '郑安琪 静安 S码' },
    { kind: 'description' as const, text: '孕期，怕冷；老公姓王' },
    { kind: 'personal_tag' as const, text: '爱砍价' },
    { kind: 'phone' as const, text: '13800138000' },
  ]
  const allowed = ['上海静安嘉里中心店', '通勤', '燕麦色', '绮澜 QILAN', '李娜']

  it('finds a remark, a description, a tag or a phone in a title or note', () => {
    expect(findPrivateText(['为郑安琪 静安 S码搭配'], secrets, allowed)).toEqual({ kind: 'remark', fragment: '郑安琪' })
    expect(findPrivateText(['给孕期的你'], secrets, allowed)).toEqual({ kind: 'description', fragment: '孕期' })
    expect(findPrivateText(['', '不给爱砍价的'], secrets, allowed)).toEqual({ kind: 'personal_tag', fragment: '爱砍价' })
    expect(findPrivateText(['有事打 138 0013 8000'], secrets, allowed)).toEqual({ kind: 'phone', fragment: '13800138000' })
  })

  it('lets through product words, the store, the brand, the guide and sizes', () => {
    expect(findPrivateText(['为您挑的一套通勤搭配', '静安店 S码有货 · 李娜'], secrets, allowed)).toBeNull()
    expect(findPrivateText(['绮澜 QILAN 燕麦色系'], secrets, allowed)).toBeNull()
  })
})

describe('remarks written without spaces, and long notes', () => {
  it('finds a name at the start of a remark typed in one run', () => {
    const secrets = [{ kind: 'remark' as const, text: '郑安琪静安S码' }]
    expect(findPrivateText(['为郑安琪搭配'], secrets, [])).toEqual({ kind: 'remark', fragment: '郑安琪' })
    expect(findPrivateText(['为张婷挑的'], [{ kind: 'remark', text: '张婷VIP' }], [])).toEqual({
      kind: 'remark',
      fragment: '张婷',
    })
    expect(findPrivateText(['给王芳的'], [{ kind: 'member', text: '王芳' }], [])).toEqual({ kind: 'member', fragment: '王芳' })
  })

  it('does not let a note’s everyday two-character words block a title', () => {
    const notes = [{ kind: 'note' as const, text: '周末 来店 试了三件大衣，想要驼色的' }]
    expect(findPrivateText(['周末也能穿'], notes, [])).toBeNull()
    expect(findPrivateText(['试了三件大衣的你'], notes, [])).toEqual({ kind: 'note', fragment: '试了三件大衣' })
  })
})
