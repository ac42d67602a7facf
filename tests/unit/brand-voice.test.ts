/**
 * One form of address in everything a customer reads from the brand: 您, as a fashion
 * brand's guide speaks to her. The demo's replies, outfits, coupons, the guides' chat lines
 * and the pages she opens never say 你 (迷你 is a size, not an address).
 */
import { describe, expect, it } from 'vitest'
import { TEMPLATES as DEMO_COUPONS } from '../../src/server/demo/coupons'
import { buildDemoData } from '../../src/server/demo/data'
import { buildDemoReplies } from '../../src/server/demo/replies'
import { renderLookbookGone, renderLookbookPage, type LookbookView } from '../../src/server/modules/bundles/lookbook-page'
import { renderClaimGone, renderClaimPage, type ClaimView } from '../../src/server/modules/coupons/claim-page'
import type { ReplyPart } from '../../src/shared/replies'

const INFORMAL = /(?<!迷)你/

function partTexts(part: ReplyPart): string[] {
  switch (part.type) {
    case 'text':
      return [part.text]
    case 'news':
      return [part.title, part.desc]
    case 'miniprogram':
      return [part.title]
    default:
      return []
  }
}

/** The lines that say 你, to read in a failure. */
function informal(texts: string[]): string[] {
  return texts.filter((text) => INFORMAL.test(text))
}

describe('the brand speaks to her as 您', () => {
  const demo = buildDemoData(Date.UTC(2026, 10, 25))

  it('in every demo reply, and the replies do address her', () => {
    const replies = buildDemoReplies().replies.filter((r) => !r.ownerId)
    const texts = replies.flatMap((r) => [r.title, ...r.parts.flatMap(partTexts)])
    expect(informal(texts)).toEqual([])
    expect(texts.filter((text) => text.includes('您')).length).toBeGreaterThan(50)
  })

  it('in the outfits, coupons and styles she is sent', () => {
    const bundles = demo.bundles.flatMap((b) => [b.title, b.note])
    const coupons = DEMO_COUPONS.flatMap((c) => [c.name, c.description])
    const styles = demo.products.flatMap((p) => [p.name, p.description])
    expect(informal([...bundles, ...coupons, ...styles])).toEqual([])
  })

  it('in what her guide wrote to her in the demo chats', () => {
    const lines = Object.values(demo.messages)
      .flat()
      .filter((m) => m.from === 'guide')
      .map((m) => m.text)
    expect(lines.length).toBeGreaterThan(0)
    expect(informal(lines)).toEqual([])
  })

  it('on her lookbook and coupon pages, and when their links have expired', async () => {
    const lookbook: LookbookView = {
      brand: '绮澜 QILAN',
      title: '周末出游',
      note: '',
      guideName: '小林',
      storeName: '上海静安嘉里中心店',
      collageUrl: '/media/collages/x.png',
      items: [
        {
          name: '短款风衣',
          styleCode: 'QL26S001',
          color: '卡其',
          size: 'S',
          priceFen: 129900,
          imageUrl: null,
          images: [],
          sizesAvailable: [],
        },
      ],
      totalFen: 129900,
      lang: 'zh',
    }
    const coupon: ClaimView = {
      brand: '绮澜 QILAN',
      name: '新客见面礼 30 元',
      kind: 'no_threshold',
      value: 3000,
      threshold: 0,
      code: 'QL7K3M9P2XQ4',
      status: 'sent',
      validFrom: null,
      validUntil: null,
      terms: [],
      guideName: '小林',
      storeName: '上海静安嘉里中心店',
      redeemedAt: null,
      lang: 'zh',
    }
    const pages = [
      renderLookbookPage(lookbook),
      renderLookbookGone('绮澜 QILAN'),
      await renderClaimPage(coupon, new Date('2026-11-25T12:00:00+08:00')),
      await renderClaimPage({ ...coupon, status: 'expired' }, new Date('2026-11-25T12:00:00+08:00')),
      renderClaimGone('绮澜 QILAN'),
    ]
    // Text only: markup and styles cannot address anyone.
    const text = pages.map((html) => html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' '))
    expect(informal(text)).toEqual([])
    expect(text[0]).toContain('为您搭配')
  })
})
