import { describe, expect, it } from 'vitest'
import { fillVariables, hasVariables, salutation } from '../../src/shared/reply-fill'

describe('salutation', () => {
  it('turns a real name into a polite form by gender', () => {
    expect(salutation({ remark: '张婷 静安 M码', name: 'Lily🌸', gender: 2 })).toBe('张女士')
    expect(salutation({ remark: '何俊杰', name: 'Jay', gender: 1 })).toBe('何先生')
    expect(salutation({ remark: '周敏', name: 'x', gender: 0 })).toBe('周敏')
  })
  it('never turns other words of the guide’s remark into how she is addressed', () => {
    expect(salutation({ remark: '孕期 怕冷', name: 'Lily🌸', gender: 2 })).toBe('Lily')
    expect(salutation({ remark: 'VIP大客户', name: '🌸', gender: 2 })).toBe('您')
    expect(salutation({ remark: '郑安琪静安S码', name: 'x', gender: 2 })).toBe('郑女士')
    expect(salutation({ remark: '郑安琪静安S码', name: 'Angie', gender: 0 })).toBe('Angie')
    expect(salutation({ remark: '欧阳娜娜', name: 'x', gender: 2 })).toBe('欧阳女士')
  })
  it('uses a nickname without its emoji, and 您 when nothing is usable', () => {
    expect(salutation({ remark: '', name: 'Lily🌸', gender: 2 })).toBe('Lily')
    expect(salutation({ remark: '', name: '小鱼儿～', gender: 2 })).toBe('小鱼儿')
    expect(salutation({ remark: '', name: '🌸🌸', gender: 2 })).toBe('您')
  })
})

describe('fillVariables', () => {
  const values = { salutation: '张女士', guide: '李娜', store: '上海静安嘉里中心店', memberLevel: '金卡会员' }
  it('fills every variable, however often it appears, and leaves other braces alone', () => {
    expect(fillVariables('{称呼}您好，我是{导购}。{称呼}是我们的{会员等级}，欢迎来{门店}。{其他}', values)).toBe(
      '张女士您好，我是李娜。张女士是我们的金卡会员，欢迎来上海静安嘉里中心店。{其他}',
    )
    expect(hasVariables('你好{导购}')).toBe(true)
    expect(hasVariables('你好')).toBe(false)
  })
})
