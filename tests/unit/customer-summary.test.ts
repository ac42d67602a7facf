import { describe, expect, it } from 'vitest'
import {
  daysUntilBirthday,
  displayName,
  groupTags,
  headerTags,
  summaryLine,
} from '../../src/components/customer/customer-summary'
import { NOW, daysAgo, member, profile, tag } from '../helpers/fixtures'

describe('displayName', () => {
  it('prefers the guide’s remark over the WeChat name', () => {
    expect(displayName(profile())).toBe('张婷 静安 M码')
    expect(displayName(profile({ follow: { ...profile().follow, remark: '  ' } }))).toBe('Lily🌸')
  })
})

describe('summaryLine', () => {
  it('sums her up in one line', () => {
    expect(summaryLine(profile(), 'zh-CN', NOW)).toBe('M码 · 偏好通勤/度假 · 上次购买 12天前 · 累计 8 单')
    expect(summaryLine(profile(), 'en-US', NOW)).toBe('Size M · Likes 通勤/度假 · Last bought 12 days ago · 8 orders')
  })

  it('leaves out what is unknown', () => {
    const sparse = profile({
      member: member({
        sizes: { top: null, bottom: null, dress: null, shoes: null },
        stylePreferences: [],
        stats: { orderCount: 0, totalSpentFen: 0, lastPurchaseAt: null, averageIntervalDays: null },
      }),
    })
    expect(summaryLine(sparse, 'zh-CN', NOW)).toBe('10个月前添加')
  })

  it('says when she was added when there is no member record', () => {
    expect(summaryLine(profile({ member: null }), 'zh-CN', NOW)).toBe('10个月前添加')
    expect(summaryLine(profile({ member: null, follow: { ...profile().follow, addedAt: null } }), 'zh-CN', NOW)).toBe('')
  })

  it('says "yesterday" and months naturally', () => {
    expect(
      summaryLine(
        profile({
          member: member({ stats: { orderCount: 1, totalSpentFen: 1, lastPurchaseAt: daysAgo(1), averageIntervalDays: null } }),
        }),
        'zh-CN',
        NOW,
      ),
    ).toContain('上次购买 昨天')
    expect(
      summaryLine(
        profile({
          member: member({ stats: { orderCount: 1, totalSpentFen: 1, lastPurchaseAt: daysAgo(95), averageIntervalDays: null } }),
        }),
        'zh-CN',
        NOW,
      ),
    ).toContain('上次购买 3个月前')
  })
})

describe('headerTags', () => {
  it('shows company tags first and counts the rest', () => {
    const tags = [
      tag('爱穿裙子', { type: 'personal', groupName: '', tagId: null }),
      tag('通勤'),
      tag('高净值'),
      tag('复购'),
      tag('门店扫码'),
    ]
    const result = headerTags(tags)
    expect(result.shown.map((t) => t.name)).toEqual(['通勤', '高净值', '复购'])
    expect(result.more).toBe(2)
    expect(headerTags([]).more).toBe(0)
  })
})

describe('groupTags', () => {
  it('keeps company groups together and puts personal tags last', () => {
    const groups = groupTags(
      [tag('爱穿裙子', { type: 'personal', groupName: '' }), tag('通勤'), tag('高净值', { groupName: '客户价值' }), tag('度假')],
      '个人标签',
    )
    expect(groups.map((g) => [g.name, g.tags.map((t) => t.name)])).toEqual([
      ['风格偏好', ['通勤', '度假']],
      ['客户价值', ['高净值']],
      ['个人标签', ['爱穿裙子']],
    ])
  })
})

describe('groupTags, her own tags', () => {
  it('shows a tag she made both here and in WeCom once', () => {
    const here = tag('爱喝美式', { type: 'personal', groupName: '', tagId: null, source: 'guide' })
    const wecom = tag('爱喝美式', { type: 'personal', groupName: '', tagId: null, source: 'wecom' })
    const other = tag('周末到店', { type: 'personal', groupName: '', tagId: null, source: 'wecom' })
    expect(groupTags([wecom, other, here], '我的标签')).toEqual([{ name: '我的标签', tags: [wecom, other] }])
  })
})

describe('daysUntilBirthday', () => {
  const at = (iso: string) => new Date(`${iso}T10:00:00`).getTime()
  it('counts the days to her next birthday, 0 on the day', () => {
    expect(daysUntilBirthday('12-01', at('2026-11-25'))).toBe(6)
    expect(daysUntilBirthday('11-25', at('2026-11-25'))).toBe(0)
    expect(daysUntilBirthday('1990-11-24', at('2026-11-25'))).toBe(364)
    expect(daysUntilBirthday('01-01', at('2026-12-31'))).toBe(1)
  })
  it('keeps 29 February on 28 February in other years, and ignores nonsense', () => {
    expect(daysUntilBirthday('02-29', at('2027-02-27'))).toBe(1)
    expect(daysUntilBirthday('soon', at('2026-11-25'))).toBeNull()
  })
})
