import { describe, expect, it } from 'vitest'
import { changeLines, fieldLabel, formatValue } from '../../src/components/manage/audit-display'
import { auditChanges } from '../../src/server/modules/replies/audit-changes'

describe('auditChanges', () => {
  const reply = { title: '洗护提醒', parts: [{ type: 'text', text: '冷水手洗' }], tags: ['复购', '羊毛'], stages: [] }

  it('keeps only the fields whose value changed, though the editor sends them all', () => {
    const form = { title: ' 洗护提醒（羊毛） ', parts: reply.parts, tags: ['羊毛', '复购'], stages: [], expectedUpdatedAt: 'x' }
    expect(auditChanges('update', reply, form)).toEqual([{ field: 'title', before: '洗护提醒', after: ' 洗护提醒（羊毛） ' }])
  })

  it('says nothing more for a create, retire or restore: the action says it', () => {
    expect(auditChanges('create', {}, reply)).toEqual([])
    expect(auditChanges('retire', reply, { retired: true })).toEqual([])
    expect(auditChanges('update', reply, { retired: true })).toEqual([])
  })

  it('gives the new value alone where the log kept no old one', () => {
    expect(auditChanges('update', { name: '满减', status: 'active' }, { name: '满减', totalStock: 80 })).toEqual([
      { field: 'totalStock', after: 80 },
    ])
  })

  it('tells a move to another group from a move up or down, counting places from 1', () => {
    expect(auditChanges('move', { groupId: 'g1', position: 3 }, { groupId: 'g2', position: 0 })).toEqual([
      { field: 'groupId', before: 'g1', after: 'g2' },
    ])
    expect(auditChanges('move', { groupId: 'g1', position: 3 }, { groupId: 'g1', position: 2 })).toEqual([
      { field: 'position', before: 4, after: 3 },
    ])
    expect(auditChanges('move', { parentId: null, position: 1 }, { parentId: 'g9', position: 0 })).toEqual([
      { field: 'parentId', before: null, after: 'g9' },
    ])
  })
})

describe('the change log in words', () => {
  it('labels fields in Chinese (and English), never with the API’s names', () => {
    expect(fieldLabel('reply', 'title', 'zh-CN')).toBe('标题')
    expect(fieldLabel('reply', 'parts', 'zh-CN')).toBe('内容')
    expect(fieldLabel('reply_group', 'parentId', 'zh-CN')).toBe('上级分组')
    expect(fieldLabel('coupon_template', 'totalStock', 'zh-CN')).toBe('总库存')
    expect(fieldLabel('coupon_template', 'eligibleLevels', 'en-US')).not.toBe('eligibleLevels')
    expect(fieldLabel('coupon_template', 'somethingNew', 'zh-CN')).toBe('其他设置')
  })

  it('says values as the desk does', () => {
    const parts = [
      { type: 'text', text: '{称呼}，新衣服穿着怎么样？' },
      { type: 'image', assetId: 'a' },
      { type: 'news', title: '洗护指南', desc: '', url: 'https://x', coverUrl: '' },
    ]
    expect(formatValue('reply', 'parts', parts, 'zh-CN')).toBe('「{称呼}，新衣服穿着怎么样？」 + 图片 + 链接「洗护指南」')
    expect(formatValue('reply', 'stages', ['new_customer', 'birthday_month'], 'zh-CN')).toBe('新客户、生日月')
    expect(formatValue('reply', 'position', 2, 'zh-CN')).toBe('第 2 位')
    expect(formatValue('reply_group', 'parentId', null, 'zh-CN')).toBe('顶层分组')
    expect(formatValue('reply', 'groupId', '开场问候', 'zh-CN')).toBe('开场问候')
    expect(formatValue('coupon_template', 'eligibleLevels', [], 'zh-CN')).toBe('所有会员')
    expect(formatValue('coupon_template', 'eligibleLevels', ['gold'], 'zh-CN')).toBe('金卡会员')
    expect(formatValue('coupon_template', 'storeIds', ['上海静安嘉里中心店'], 'zh-CN')).toBe('上海静安嘉里中心店')
    expect(formatValue('coupon_template', 'status', 'paused', 'zh-CN')).toBe('已暂停')
    expect(formatValue('coupon_template', 'totalStock', 80, 'zh-CN')).toBe('80 张')
    expect(formatValue('coupon_template', 'online', false, 'zh-CN')).toBe('关')
    expect(formatValue('coupon_template', 'maxOrders', 0, 'zh-CN')).toBe('仅限新客')
    expect(formatValue('reply', 'title', 'x'.repeat(50), 'zh-CN')).toBe(`「${'x'.repeat(40)}…」`)
  })

  it('draws each change as label, before → after', () => {
    const lines = changeLines(
      {
        entity: 'coupon_template',
        changes: [
          { field: 'totalStock', before: 50, after: 80 },
          { field: 'description', after: '到店可用' },
        ],
      },
      'zh-CN',
    )
    expect(lines).toEqual([
      { field: 'totalStock', label: '总库存', before: '50 张', after: '80 张' },
      { field: 'description', label: '说明', after: '「到店可用」' },
    ])
  })
})
