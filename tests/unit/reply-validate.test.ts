import { describe, expect, it } from 'vitest'
import { buildDemoReplies } from '../../src/server/demo/replies'
import { partProblems } from '../../src/shared/reply-validate'

describe('partProblems', () => {
  it('passes good parts of every kind', () => {
    expect(partProblems({ type: 'text', text: '{称呼}您好' })).toEqual([])
    expect(partProblems({ type: 'image', assetId: 'img_1' })).toEqual([])
    expect(
      partProblems({ type: 'news', title: '新品', desc: '', url: 'https://m.example.com/a', coverUrl: '/media/x.png' }),
    ).toEqual([])
    expect(
      partProblems({
        type: 'miniprogram',
        appid: 'wx8a3f6b1c2d4e5f60',
        page: 'pages/a/index.html?from=guide',
        title: '会员',
        coverUrl: 'https://x/y.png',
      }),
    ).toEqual([])
  })

  it('names each field that would be refused, as the server would refuse it', () => {
    expect(partProblems({ type: 'text', text: '  ' })).toEqual([{ field: 'text', problem: 'required' }])
    expect(partProblems({ type: 'text', text: 'x'.repeat(2001) })).toEqual([{ field: 'text', problem: 'tooLong' }])
    expect(partProblems({ type: 'image', assetId: '' })).toEqual([{ field: 'assetId', problem: 'image' }])
    expect(
      partProblems({ type: 'news', title: '', desc: '', url: 'javascript:alert(1)', coverUrl: 'cover.png' }).map((p) => p.field),
    ).toEqual(['title', 'url', 'coverUrl'])
    expect(
      partProblems({ type: 'miniprogram', appid: 'wx123', page: 'pages/a/index', title: '会员', coverUrl: '/c.png' }).map(
        (p) => p.problem,
      ),
    ).toEqual(['appid', 'page'])
  })

  it('passes every part of the demo library, which is about 150 replies in about 12 groups', () => {
    const demo = buildDemoReplies()
    expect(demo.replies.length).toBeGreaterThanOrEqual(140)
    expect(demo.groups.filter((g) => g.parentId === null).length).toBeGreaterThanOrEqual(12)
    const bad = demo.replies.flatMap((r) => r.parts.flatMap((p) => partProblems(p).map((x) => `${r.title}: ${x.field}`)))
    expect(bad).toEqual([])
  })
})
