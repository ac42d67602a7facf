import { describe, expect, it } from 'vitest'
import { needsPreview, stopActions, stopTitle } from '../../src/components/replies/reply-send'
import type { Reply } from '../../src/shared/replies'

function reply(parts: Reply['parts']): Reply {
  return {
    id: 'r1',
    scope: 'corp',
    groupId: 'g1',
    title: '标题',
    parts,
    tags: [],
    stages: [],
    position: 0,
    retired: false,
    updatedAt: '2026-11-01T00:00:00.000Z',
  }
}

describe('needsPreview', () => {
  it('previews a reply whose text carries a variable', () => {
    expect(needsPreview(reply([{ type: 'text', text: '{称呼}，新品到了' }]))).toBe(true)
    expect(
      needsPreview(
        reply([
          { type: 'text', text: '新品到了' },
          { type: 'image', assetId: 'a1' },
        ]),
      ),
    ).toBe(false)
  })

  it('previews a card whose title carries a variable', () => {
    const news = (title: string): Reply['parts'][number] => ({
      type: 'news',
      title,
      desc: '',
      url: 'https://a.cn',
      coverUrl: '/c.jpg',
    })
    expect(needsPreview(reply([news('{称呼}的新品')]))).toBe(true)
    expect(needsPreview(reply([news('新品')]))).toBe(false)
  })
})

describe('after a send stopped', () => {
  const attempt = (sent: number, total: number) => ({ sent, total, remaining: total - sent })

  it('says what went out when she cancelled, or which part failed', () => {
    expect(stopTitle({ index: 1, cancelled: true, attempt: attempt(1, 3) })).toBe('已发出 1/3 条，剩下的没有发送')
    expect(stopTitle({ index: 1, cancelled: false, attempt: attempt(1, 3) })).toBe('第 2/3 条没有发出去')
    expect(stopTitle({ index: 0, cancelled: false, attempt: attempt(0, 1) })).toBe('没有发出去')
  })

  it('offers the rest when some went out, else to try again; copying either way', () => {
    expect(stopActions({ index: 1, cancelled: false, attempt: attempt(1, 3) })).toEqual([
      { name: '继续发送剩下的 2 条', key: 'rest' },
      { name: '复制文字', key: 'copy' },
    ])
    expect(stopActions({ index: 0, cancelled: false, attempt: attempt(0, 2) })[0]).toEqual({ name: '重试', key: 'rest' })
  })
})
