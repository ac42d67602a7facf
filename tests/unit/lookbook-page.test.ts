import { describe, expect, it } from 'vitest'
import { escapeHtml, formatYuan, safeUrl } from '../../src/server/http/customer-page'
import { renderLookbookGone, renderLookbookPage, type LookbookView } from '../../src/server/modules/bundles/lookbook-page'

const XSS = '<script>alert(1)</script>'

function view(overrides: Partial<LookbookView> = {}): LookbookView {
  return {
    brand: '绮澜 QILAN',
    title: '周末看展的松弛通勤',
    note: '大衣是这季最好搭的一件。',
    guideName: '小林',
    storeName: '静安嘉里中心店',
    collageUrl: '/media/collages/abc.png',
    items: [
      {
        name: '双面羊绒大衣',
        styleCode: 'QL24W001',
        color: '燕麦色',
        size: 'M',
        priceFen: 329_900,
        imageUrl: 'https://cdn.example.com/coat.jpg',
        images: [{ url: 'https://cdn.example.com/coat.jpg' }, { url: '/media/coat-back.png' }],
        sizesAvailable: ['S', 'M', 'L'],
      },
      {
        name: '高腰阔腿西裤',
        styleCode: 'QL24W045',
        color: '焦糖',
        size: '27',
        priceFen: 129_950,
        imageUrl: '/media/trousers.png',
        images: [],
        sizesAvailable: ['26', '27'],
      },
    ],
    totalFen: 459_850,
    lang: 'zh',
    ...overrides,
  }
}

/** Every <img …> tag in the page. */
function images(html: string): string[] {
  return html.match(/<img\b[^>]*>/g) ?? []
}

describe('formatYuan', () => {
  it('writes yuan with thousands separators, and fen only when there are some', () => {
    expect(formatYuan(129_900)).toBe('¥1,299')
    expect(formatYuan(129_950)).toBe('¥1,299.50')
    expect(formatYuan(129_905)).toBe('¥1,299.05')
    expect(formatYuan(0)).toBe('¥0')
    expect(formatYuan(99)).toBe('¥0.99')
    expect(formatYuan(123_456_700)).toBe('¥1,234,567')
  })
})

describe('safeUrl', () => {
  it('keeps http(s) and root-relative URLs', () => {
    expect(safeUrl('https://cdn.example.com/a.png?x=1&y=2')).toBe('https://cdn.example.com/a.png?x=1&y=2')
    expect(safeUrl('http://example.com/a.png')).toBe('http://example.com/a.png')
    expect(safeUrl('/media/a.png')).toBe('/media/a.png')
  })

  it('drops every other kind', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\nscript:alert(1)',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'vbscript:x',
      '//evil.example.com/a.png',
      '/\\evil.example.com/a.png',
      'media/a.png',
      'https://',
      '',
      null,
    ]) {
      expect(safeUrl(url), String(url)).toBeNull()
    }
  })
})

describe('renderLookbookPage', () => {
  it('is a complete, light document: viewport, no referrer, a title, no script', () => {
    const html = renderLookbookPage(view())
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<html lang="zh-CN">')
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">')
    expect(html).toContain('<meta name="referrer" content="no-referrer">')
    expect(html).toContain('<title>周末看展的松弛通勤 · 绮澜 QILAN</title>')
    expect(html).toContain('</html>')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link\b[^>]*stylesheet/i)
    expect(html).toMatch(/<style>[^<]+<\/style>/)
    expect(html).toMatch(/prefers-color-scheme:dark/)
    expect(Buffer.byteLength(html)).toBeLessThan(30_000)
  })

  it('escapes every text value that guides, managers and the catalogue supply', () => {
    const html = renderLookbookPage(
      view({
        brand: `QILAN ${XSS}`,
        title: `标题 ${XSS}`,
        note: `备注 ${XSS} "quoted" & 'single'`,
        guideName: `<img src=x onerror=alert(1)>`,
        storeName: `店 ${XSS}`,
        items: [
          {
            ...view().items[0]!,
            name: `大衣 ${XSS}" onload="alert(1)`,
            styleCode: XSS,
            color: XSS,
            size: XSS,
            sizesAvailable: [XSS, 'M'],
          },
        ],
      }),
    )
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('" onload="')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&quot;quoted&quot; &amp; &#39;single&#39;')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    // Also where a value goes into an attribute or the head.
    expect(html).toContain(
      '<title>标题 &lt;script&gt;alert(1)&lt;/script&gt; · QILAN &lt;script&gt;alert(1)&lt;/script&gt;</title>',
    )
    expect(html).toContain('alt="大衣 &lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;alert(1)"')
  })

  it('drops javascript: and other unsafe URLs, and escapes the ones it keeps', () => {
    const html = renderLookbookPage(
      view({
        collageUrl: 'javascript:alert(1)',
        items: [
          {
            ...view().items[0]!,
            imageUrl: 'javascript:alert(1)',
            images: [{ url: 'data:text/html,<b>' }, { url: '/media/a.png?x=1&y="2"' }],
          },
          { ...view().items[1]!, imageUrl: '//evil.example.com/x.png', images: [] },
        ],
      }),
    )
    expect(html).not.toMatch(/javascript:/i)
    expect(html).not.toContain('data:text/html')
    expect(html).not.toContain('evil.example.com')
    expect(html).not.toContain('fetchpriority')
    expect(html).toContain('src="/media/a.png?x=1&amp;y=&quot;2&quot;"')
    // The piece without a picture gets the quiet placeholder.
    expect(html).toContain('class="ph"')
  })

  it('shows the collage first, then every piece with its price, colour, size and sizes in stock, and the total', () => {
    const html = renderLookbookPage(view())
    const hero = images(html)[0]!
    expect(hero).toContain('src="/media/collages/abc.png"')
    expect(hero).toContain('width="800" height="800"')
    expect(hero).not.toContain('loading="lazy"')
    expect(hero).toContain('sizes=')
    expect(html).toContain('¥3,299')
    expect(html).toContain('¥1,299.50')
    expect(html).toContain('¥4,598.50')
    expect(html).toContain('燕麦色 · M')
    expect(html).toContain('焦糖 · 27')
    expect(html).toContain('有货尺码')
    expect(html).toContain('<li>S</li><li class="on">M</li><li>L</li>')
    expect(html).toContain('<li>26</li><li class="on">27</li>')
    expect(html).toContain('QL24W001')
    expect(html).toContain('2 件')
    // The same picture twice is shown once; the other goes in the strip below.
    expect(html.match(/coat\.jpg/g)).toHaveLength(1)
    expect(html).toContain('src="/media/coat-back.png"')
  })

  it('lazy-loads every picture but the collage, each with its size', () => {
    const [, ...rest] = images(renderLookbookPage(view()))
    expect(rest.length).toBe(3)
    for (const img of rest) {
      expect(img).toContain('loading="lazy"')
      expect(img).toContain('decoding="async"')
      expect(img).toMatch(/width="\d+" height="\d+"/)
      expect(img).toContain('sizes="')
      expect(img).toMatch(/alt="[^"]+"/)
    }
  })

  it('tells her how to reply to her guide', () => {
    const html = renderLookbookPage(view())
    expect(html).toContain('喜欢哪件，直接在微信里回复小林')
    expect(html).toContain('小林会为您留好尺码，也欢迎到静安嘉里中心店试穿。')
    const noStore = renderLookbookPage(view({ storeName: null }))
    expect(noStore).toContain('小林会为您留好尺码。')
  })

  it('says so when no size is in stock', () => {
    const html = renderLookbookPage(view({ items: [{ ...view().items[0]!, sizesAvailable: [] }] }))
    expect(html).toContain('门店暂无现货')
  })

  it('speaks English when asked', () => {
    const html = renderLookbookPage(view({ lang: 'en', title: 'Weekend', note: '' }))
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('Styled for you by 小林')
    expect(html).toContain('Sizes in stock')
    expect(html).toContain('Reply to 小林 in WeChat')
    expect(html).toContain('2 pieces')
    expect(html).not.toContain('有货尺码')
    expect(html).toContain('<meta name="description" content="2 pieces styled for you by 小林">')
  })
})

describe('renderLookbookGone', () => {
  it('is a calm brand page that says the link no longer works, and nothing about why', () => {
    const html = renderLookbookGone(`绮澜 ${XSS}`)
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('链接已失效')
    expect(html).toContain('请联系您的导购')
    expect(html).toContain('绮澜 &lt;script&gt;')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<img/i)
    expect(html).toContain('<meta name="referrer" content="no-referrer">')
    expect(html).not.toMatch(/过期|撤回|retired|expired/i)
  })
})

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })
})
