import { describe, expect, it } from 'vitest'
import { ReplyIndex, customerStages, normalize, rankContextFor } from '../../src/components/replies/reply-index'
import type { Reply, ReplyLibrary } from '../../src/shared/replies'
import { profile } from '../helpers/fixtures'

const NOW = Date.UTC(2026, 10, 25)
const DAY = 24 * 3600 * 1000

function reply(id: string, title: string, text: string, extra: Partial<Reply> = {}): Reply {
  return {
    id,
    scope: 'corp',
    groupId: 'g1',
    title,
    parts: [{ type: 'text', text }],
    tags: [],
    stages: [],
    position: Number(id.slice(1)),
    retired: false,
    updatedAt: new Date(NOW).toISOString(),
    ...extra,
  }
}

function library(replies: Reply[], usage: ReplyLibrary['usage'] = []): ReplyLibrary {
  return {
    groups: [
      { id: 'g1', scope: 'corp', parentId: null, name: '尺码', position: 0, retired: false },
      { id: 'g1a', scope: 'corp', parentId: 'g1', name: '鞋', position: 0, retired: false },
      { id: 'mine', scope: 'personal', parentId: null, name: '我的', position: 0, retired: false },
    ],
    replies,
    usage,
    favorites: [],
    assets: [],
  }
}

describe('ReplyIndex', () => {
  const replies = [
    reply('r1', '门店地址', '我们在嘉里中心 B1 层，{称呼}到了给我打电话。'),
    reply('r2', '尺码怎么选', '平时穿 M 码的话选 M 就好。'),
    reply('r3', '鞋码建议', '这款鞋偏小半码，建议选大一码。', { groupId: 'g1a', tags: ['复购'] }),
    reply('r4', '生日祝福', '{称呼}生日快乐！', { stages: ['birthday_month'] }),
    reply('r5', 'VIP 专享', '铂金会员专属服务。'),
  ]

  it('matches Chinese substrings in titles and text, every word, ignoring case and width', () => {
    const index = new ReplyIndex(library(replies))
    expect(index.search('嘉里').map((r) => r.id)).toEqual(['r1'])
    expect(index.search('码').map((r) => r.id)).toEqual(['r2', 'r3'])
    expect(index.search('码 半码').map((r) => r.id)).toEqual(['r3'])
    expect(index.search('ｖｉｐ').map((r) => r.id)).toEqual(['r5'])
    expect(normalize('ＶＩＰ')).toBe('vip')
    // Variables are not content: searching their names finds nothing.
    expect(index.search('称呼')).toEqual([])
    expect(index.search('   ')).toEqual([])
  })

  it('ranks title hits first, then what suits her, then what she uses most', () => {
    const index = new ReplyIndex(library(replies, [{ replyId: 'r2', count: 9, lastUsedAt: new Date(NOW).toISOString() }]))
    // 选 is in r2's title and in r3's text only.
    expect(index.search('选').map((r) => r.id)).toEqual(['r2', 'r3'])
    expect(index.search('建议').map((r) => r.id)).toEqual(['r3'])
    const used = new ReplyIndex(library(replies, [{ replyId: 'r1', count: 5, lastUsedAt: new Date(NOW).toISOString() }]))
    expect(used.search('B1 层', null).map((r) => r.id)).toEqual(['r1'])
    const context = { tags: ['复购'], stages: [] }
    // Both titles hit; the one for her tags wins.
    expect(index.search('码', context).map((r) => r.id)).toEqual(['r3', 'r2'])
    expect(index.search('这款', context).map((r) => r.id)).toEqual(['r3'])
  })

  it('suggests by her stage and tags, and remembers what she used', () => {
    const index = new ReplyIndex(
      library(replies, [
        { replyId: 'r1', count: 1, lastUsedAt: new Date(NOW - DAY).toISOString() },
        { replyId: 'r2', count: 4, lastUsedAt: new Date(NOW - 2 * DAY).toISOString() },
      ]),
    )
    expect(index.suggested({ tags: ['复购'], stages: ['birthday_month'] }).map((r) => r.id)).toEqual(['r4', 'r3'])
    expect(index.recentlyUsed().map((r) => r.id)).toEqual(['r1', 'r2'])
    expect(index.mostUsed().map((r) => r.id)).toEqual(['r2'])
    expect(index.sections('g1').map((s) => [s.group.id, s.replies.map((r) => r.id)])).toEqual([
      ['g1', ['r1', 'r2', 'r4', 'r5']],
      ['g1a', ['r3']],
    ])
    expect(index.topGroups().map((g) => g.id)).toEqual(['g1', 'mine'])
  })
})

describe('customerStages', () => {
  it('knows a new customer, a recent buyer and a birthday month', () => {
    const base = profile()
    const fresh = { ...base, follow: { ...base.follow, addedAt: new Date(NOW - 3 * DAY).toISOString() } }
    expect(customerStages(fresh, NOW)).toContain('new_customer')
    const old = { ...base, follow: { ...base.follow, addedAt: new Date(NOW - 300 * DAY).toISOString() } }
    expect(customerStages(old, NOW)).not.toContain('new_customer')
    const buyer = {
      ...old,
      member: { ...base.member!, stats: { ...base.member!.stats, lastPurchaseAt: new Date(NOW - 5 * DAY).toISOString() } },
    }
    expect(customerStages(buyer, NOW)).toContain('after_purchase')
    expect(customerStages({ ...old, facts: { ...old.facts, birthday: '11-30' } }, NOW)).toContain('birthday_month')
    expect(customerStages({ ...old, facts: { ...old.facts, birthday: '1990-11-02' } }, NOW)).toContain('birthday_month')
    expect(customerStages({ ...old, facts: { ...old.facts, birthday: '12-01' } }, NOW)).not.toContain('birthday_month')
    expect(rankContextFor(null, NOW)).toBeNull()
  })
})
