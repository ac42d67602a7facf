import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import {
  couponCardText,
  couponValueText,
  formatDay,
  groupCode,
  renderClaimGone,
  renderClaimPage,
  type ClaimView,
} from '../../src/server/modules/coupons/claim-page'

const XSS = '<script>alert(1)</script>'
const NOW = new Date('2026-12-01T10:00:00+08:00')

function view(overrides: Partial<ClaimView> = {}): ClaimView {
  return {
    brand: '绮澜 QILAN',
    name: '冬季焕新礼',
    kind: 'amount_off',
    value: 5000,
    threshold: 50000,
    code: 'QL7K3M9P2XQ4',
    status: 'sent',
    validFrom: '2026-11-25T00:00:00+08:00',
    validUntil: '2026-12-26T00:00:00+08:00',
    terms: ['限上海静安嘉里中心店、杭州湖滨银泰店使用', '线上商城可用'],
    guideName: '小林',
    storeName: '上海静安嘉里中心店',
    redeemedAt: null,
    lang: 'zh',
    ...overrides,
  }
}

/** The inline QR svg of a page. */
function qrOf(html: string): string {
  const match = /<div class="qr">(<svg[\s\S]*?<\/svg>)<\/div>/.exec(html)
  expect(match).not.toBeNull()
  return match![1]!
}

describe('couponValueText', () => {
  it('shows money off in yuan with its threshold', () => {
    expect(couponValueText('amount_off', 5000, 50000, 'zh')).toEqual({ big: '¥50', condition: '满 ¥500 可用' })
    expect(couponValueText('amount_off', 5050, 129900, 'zh')).toEqual({ big: '¥50.50', condition: '满 ¥1,299 可用' })
    expect(couponValueText('amount_off', 5000, 0, 'zh').condition).toBe('无门槛')
    expect(couponValueText('no_threshold', 10000, 0, 'zh')).toEqual({ big: '¥100', condition: '无门槛' })
  })

  it('shows a percentage off as 折 of the price paid', () => {
    expect(couponValueText('percent_off', 15, 50000, 'zh')).toEqual({ big: '8.5 折', condition: '满 ¥500 可用' })
    expect(couponValueText('percent_off', 20, 0, 'zh').big).toBe('8 折')
    expect(couponValueText('percent_off', 1, 0, 'zh').big).toBe('9.9 折')
    expect(couponValueText('percent_off', 95, 0, 'zh').big).toBe('0.5 折')
  })

  it('has English wording', () => {
    expect(couponValueText('percent_off', 15, 50000, 'en')).toEqual({ big: '15% off', condition: 'On orders over ¥500' })
    expect(couponValueText('no_threshold', 10000, 0, 'en')).toEqual({ big: '¥100 off', condition: 'No minimum spend' })
  })
})

describe('couponCardText', () => {
  it('titles the link card with the value and the threshold', () => {
    expect(couponCardText({ name: '冬季焕新礼', kind: 'amount_off', value: 5000, threshold: 50000 }, 'zh')).toEqual({
      title: '¥50 优惠券 · 满500可用',
      desc: '冬季焕新礼，点开领取，到店出示即可使用',
    })
    expect(couponCardText({ name: '会员折扣', kind: 'percent_off', value: 15, threshold: 0 }, 'zh').title).toBe(
      '8.5折 优惠券 · 无门槛',
    )
    expect(couponCardText({ name: '生日礼', kind: 'no_threshold', value: 10000, threshold: 0 }, 'zh').title).toBe('¥100 无门槛券')
    expect(couponCardText({ name: 'Gift', kind: 'amount_off', value: 5000, threshold: 50000 }, 'en').title).toBe(
      '¥50 off coupon · orders over ¥500',
    )
  })
})

describe('formatDay and groupCode', () => {
  it('writes Shanghai dates, an end at midnight as the day before', () => {
    expect(formatDay('2026-11-24T16:00:00Z')).toBe('2026.11.25')
    expect(formatDay('2026-12-25T16:00:00Z', true)).toBe('2026.12.25')
    expect(formatDay('2026-12-25T15:59:59.999Z', true)).toBe('2026.12.25')
    expect(formatDay(null)).toBeNull()
    expect(formatDay('not a date')).toBeNull()
  })

  it('groups a code for reading aloud and typing', () => {
    expect(groupCode('QL7K3M9P2XQ4')).toEqual(['QL7K', '3M9P', '2XQ4'])
    expect(groupCode('QL-8H2D-77KP')).toEqual(['QL', '8H2D', '77KP'])
    expect(groupCode('ABC123')).toEqual(['ABC', '123'])
  })
})

describe('renderClaimPage', () => {
  it('is a complete, script-free page for the in-app browser', async () => {
    const html = await renderClaimPage(view(), NOW)
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<meta name="viewport" content="width=device-width')
    expect(html).toContain('<meta name="referrer" content="no-referrer">')
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link /i)
    // Nothing is fetched: the only URL is the SVG namespace of the QR code.
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//i)
  })

  it('shows the value, the threshold, the dates, the terms and who sent it', async () => {
    const html = await renderClaimPage(view(), NOW)
    expect(html).toContain('aria-label="¥50"')
    expect(html).toContain('<span class="num">50</span>')
    expect(html).toContain('满 ¥500 可用')
    expect(html).toContain('<h1>冬季焕新礼</h1>')
    expect(html).toContain('2026.11.25 – 2026.12.25')
    expect(html).toContain('<li>限上海静安嘉里中心店、杭州湖滨银泰店使用</li>')
    expect(html).toContain('<li>线上商城可用</li>')
    expect(html).toContain('小林 为您准备')
    expect(html).toContain('到店结账时出示此码')
    expect(html).toContain('<span>QL7K</span><span>3M9P</span><span>2XQ4</span>')
  })

  it('words a percentage off as 折, and no threshold as 无门槛', async () => {
    const percent = await renderClaimPage(view({ kind: 'percent_off', value: 15 }), NOW)
    expect(percent).toContain('aria-label="8.5 折"')
    expect(percent).toContain('<span class="num">8.5</span><span class="unit">折</span>')
    const free = await renderClaimPage(view({ kind: 'no_threshold', value: 10000, threshold: 0 }), NOW)
    expect(free).toContain('无门槛')
    expect(free).not.toContain('满 ¥')
  })

  it('escapes every text value', async () => {
    const html = await renderClaimPage(
      view({
        brand: `Q${XSS}`,
        name: `券${XSS}"'`,
        terms: [`限${XSS}店使用`],
        guideName: `林${XSS}`,
        storeName: `店${XSS}`,
        code: `AB<i>CD"E`,
      }),
      NOW,
    )
    expect(html).not.toContain(XSS)
    expect(html).not.toContain('<i>CD')
    expect(html).toContain('<span>AB&lt;i</span>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('券&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;')
    expect(html).not.toMatch(/<script/i)
  })

  it('draws a QR code of the code, locally, as inline svg', async () => {
    const a = qrOf(await renderClaimPage(view({ code: 'QL7K3M9P2XQ4' }), NOW))
    const b = qrOf(await renderClaimPage(view({ code: 'QL7K3M9P2XQ5' }), NOW))
    expect(a).toMatch(/^<svg width="200" height="200" /)
    expect(a).not.toEqual(b)
    // The very same matrix the library draws for the code.
    const expected = await QRCode.toString('QL7K3M9P2XQ4', { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
    const path = (svg: string) => /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1]
    expect(path(a)).toBeDefined()
    expect(path(a)).toBe(path(expected))
  })

  it('stamps a redeemed coupon with its date and shows no QR code', async () => {
    const html = await renderClaimPage(view({ status: 'redeemed', redeemedAt: '2026-11-30T07:20:00Z' }), NOW)
    expect(html).toContain('data-state="redeemed"')
    expect(html).toContain('<strong>已使用</strong><span>2026.11.30</span>')
    expect(html).not.toContain('class="qr"')
    expect(html).not.toContain('<svg')
    expect(html).not.toContain('到店结账时出示此码')
  })

  it('shows an expired coupon as 已过期, also when its end has passed before the status caught up', async () => {
    for (const overrides of [{ status: 'expired' as const }, { validUntil: '2026-11-30T00:00:00+08:00' }]) {
      const html = await renderClaimPage(view(overrides), NOW)
      expect(html).toContain('data-state="expired"')
      expect(html).toContain('<strong>已过期</strong>')
      expect(html).not.toContain('class="qr"')
    }
    const released = await renderClaimPage(view({ status: 'released' }), NOW)
    expect(released).toContain('<strong>已失效</strong>')
    expect(released).not.toContain('class="qr"')
  })

  it('keeps a claimed coupon usable, and says when one not yet valid starts', async () => {
    const claimed = await renderClaimPage(view({ status: 'claimed' }), NOW)
    expect(claimed).toContain('data-state="usable"')
    expect(claimed).toContain('class="qr"')
    const early = await renderClaimPage(view({ validFrom: '2026-12-10T00:00:00+08:00' }), NOW)
    expect(early).toContain('2026.12.10 起可用')
  })

  it('words open-ended validity', async () => {
    expect(await renderClaimPage(view({ validFrom: null, validUntil: null }), NOW)).toContain('有效期 长期有效')
    expect(await renderClaimPage(view({ validFrom: null }), NOW)).toContain('有效期 至 2026.12.25')
  })

  it('speaks English', async () => {
    const html = await renderClaimPage(view({ lang: 'en' }), NOW)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('Show this code at the till')
    expect(html).toContain('On orders over ¥500')
  })
})

describe('renderClaimGone', () => {
  it('says only that the code is not valid, with the brand escaped', () => {
    const html = renderClaimGone(`绮澜${XSS}`)
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('券码无效')
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">')
    expect(html).not.toContain(XSS)
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/过期|已使用|expired/i)
  })
})
