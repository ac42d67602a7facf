/**
 * The lookbook a customer opens from a bundle's link card, in WeChat's in-app browser:
 * the brand's page, not the tool's — the collage large, the pieces with their prices and
 * the sizes in stock, the total, and how to answer her guide. Server-rendered HTML with
 * inline CSS and no script at all, so it is whole on the first response over 4G.
 *
 * Every text value comes from guides, managers or the catalogue and is escaped; every
 * URL must be http(s) or root-relative, anything else is left out.
 */
import { brandedTitle, brandMark, escapeHtml, formatYuan, pageHead, renderGonePage, safeUrl } from '../../http/customer-page'

export interface LookbookItemView {
  name: string
  styleCode: string
  color: string
  size: string
  priceFen: number
  imageUrl: string | null
  images: { url: string }[]
  sizesAvailable: string[]
}

export interface LookbookView {
  /** The wordmark (BRAND_NAME); '' shows none. */
  brand: string
  title: string
  note: string
  guideName: string
  storeName: string | null
  collageUrl: string
  items: LookbookItemView[]
  totalFen: number
  lang: 'zh' | 'en'
}

interface Strings {
  htmlLang: string
  styledBy: (guide: string) => string
  pieces: string
  count: (n: number) => string
  styleCode: string
  sizesInStock: string
  noSizes: (guide: string) => string
  total: string
  replyKicker: string
  replyTitle: (guide: string) => string
  replyBody: (guide: string, store: string | null) => string
  description: (guide: string, n: number) => string
  morePictures: (name: string) => string
}

/** All values passed in are already escaped. */
const STRINGS: Record<LookbookView['lang'], Strings> = {
  zh: {
    htmlLang: 'zh-CN',
    styledBy: (guide) => `${guide} 为您搭配`,
    pieces: '本套单品',
    count: (n) => `${n} 件`,
    styleCode: '款号',
    sizesInStock: '有货尺码',
    noSizes: (guide) => `门店暂无现货，可请${guide}为您调货`,
    total: '合计',
    replyKicker: '想要哪件',
    replyTitle: (guide) => `喜欢哪件，直接在微信里回复${guide}`,
    replyBody: (guide, store) => `${guide}会为您留好尺码${store ? `，也欢迎到${store}试穿` : ''}。`,
    description: (guide, n) => `${guide} 为您搭配的 ${n} 件单品`,
    morePictures: (name) => `${name} 更多图片`,
  },
  en: {
    htmlLang: 'en',
    styledBy: (guide) => `Styled for you by ${guide}`,
    pieces: 'The pieces',
    count: (n) => (n === 1 ? '1 piece' : `${n} pieces`),
    styleCode: 'Style',
    sizesInStock: 'Sizes in stock',
    noSizes: (guide) => `Not in stock at the store — ${guide} can order it in for you`,
    total: 'Total',
    replyKicker: 'Want one?',
    replyTitle: (guide) => `Love a piece? Reply to ${guide} in WeChat`,
    replyBody: (guide, store) => `${guide} will set your size aside${store ? `, or come and try it on at ${store}` : ''}.`,
    description: (guide, n) => `${n} pieces styled for you by ${guide}`,
    morePictures: (name) => `More pictures of ${name}`,
  },
}

const CSS = `
:root{--paper:#f4f1ec;--ink:#2b2723;--muted:#7b7268;--line:rgba(43,39,35,.13);--chip:rgba(43,39,35,.28);--card:#ebe5dc;--tile:#ebe6de;
--serif:"Songti SC","STSong","Noto Serif SC","Noto Serif CJK SC","Source Han Serif SC","Source Han Serif CN",Georgia,"Times New Roman",serif;
--sans:-apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans SC","Noto Sans CJK SC","Helvetica Neue",Arial,sans-serif}
@media (prefers-color-scheme:dark){:root{--paper:#1a1816;--ink:#eee8df;--muted:#a1988d;--line:rgba(238,232,223,.14);--chip:rgba(238,232,223,.3);--card:#24211e;--tile:#2a2724}}
*{box-sizing:border-box;margin:0;padding:0}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{background:var(--paper);color:var(--ink);font:15px/1.65 var(--sans);-webkit-font-smoothing:antialiased}
img{display:block;max-width:100%;height:auto}
ul,ol{list-style:none}
.page{max-width:560px;margin:0 auto;padding:0 0 calc(32px + env(safe-area-inset-bottom))}
.mast{padding:20px 24px 16px;text-align:center}
.mark{font-family:var(--serif);font-size:14px;letter-spacing:.34em;text-indent:.34em;text-transform:uppercase;white-space:nowrap}
.hero img{width:100%;aspect-ratio:1;background:#f4f1ec}
.intro{padding:24px 28px 4px;text-align:center}
.eyebrow{font-size:12px;letter-spacing:.18em;color:var(--muted)}
h1{font-family:var(--serif);font-weight:600;font-size:27px;line-height:1.35;letter-spacing:.03em;margin-top:8px;overflow-wrap:anywhere;text-wrap:balance}
.note{margin:14px auto 0;max-width:30em;color:var(--muted);line-height:1.85;white-space:pre-line;overflow-wrap:anywhere;text-wrap:pretty}
.rule{width:28px;height:1px;background:var(--ink);opacity:.35;margin:22px auto 0}
.pieces{padding:40px 20px 0}
.head{display:flex;justify-content:space-between;align-items:baseline;padding:0 0 12px;border-bottom:1px solid var(--line)}
h2{font-family:var(--serif);font-weight:600;font-size:18px;letter-spacing:.04em}
.head span{font-size:13px;color:var(--muted)}
.item{display:grid;grid-template-columns:38% 1fr;gap:18px;padding:20px 0;border-bottom:1px solid var(--line)}
.media img,.ph{width:100%;aspect-ratio:1;object-fit:cover;border-radius:2px;background:var(--tile)}
.ph{display:flex;align-items:center;justify-content:center;color:var(--chip)}
.body{min-width:0;padding-top:2px}
h3{font-family:var(--serif);font-weight:600;font-size:16px;line-height:1.45;overflow-wrap:anywhere}
.meta{margin-top:3px;font-size:13px;color:var(--muted);overflow-wrap:anywhere}
.price{margin-top:8px;font-size:17px;letter-spacing:.02em;font-variant-numeric:tabular-nums}
.sizes{margin-top:12px}
.label{font-size:11px;letter-spacing:.12em;color:var(--muted)}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.chips li{min-width:32px;height:26px;padding:0 8px;border:1px solid var(--chip);border-radius:2px;font-size:12px;line-height:24px;text-align:center}
.chips .on{background:var(--ink);border-color:var(--ink);color:var(--paper)}
.none{margin-top:4px;font-size:12px;color:var(--muted)}
.code{margin-top:10px;font-size:11px;letter-spacing:.06em;color:var(--muted);overflow-wrap:anywhere}
.more{grid-column:1/-1;display:flex;gap:8px;overflow-x:auto;scroll-snap-type:x mandatory;-webkit-overflow-scrolling:touch;scrollbar-width:none}
.more::-webkit-scrollbar{display:none}
.more li{flex:0 0 28%;scroll-snap-align:start}
.more img{width:100%;aspect-ratio:1;object-fit:cover;border-radius:2px;background:var(--tile)}
.media img,.more img{mix-blend-mode:darken}
.total{display:flex;justify-content:space-between;align-items:baseline;padding:18px 0 0}
.total span{font-size:14px;color:var(--muted)}
.total strong{font-size:22px;font-weight:600;letter-spacing:.02em;font-variant-numeric:tabular-nums}
.reply{margin:44px 20px 0;padding:32px 24px 30px;background:var(--card);border-radius:2px;text-align:center}
.reply svg{display:block;margin:0 auto 10px;color:var(--muted)}
.reply .label{display:block}
.reply h2{margin-top:8px;font-size:19px;line-height:1.55;overflow-wrap:anywhere;text-wrap:balance}
.reply p{margin-top:8px;font-size:14px;color:var(--muted);overflow-wrap:anywhere;text-wrap:balance}
.foot{padding:40px 24px 8px;text-align:center;color:var(--muted)}
.foot .mark{font-size:12px}
@media (prefers-color-scheme:dark){.hero{padding:0 16px}.hero img{border-radius:2px}.media img,.more img{mix-blend-mode:normal}}
@media (min-width:600px){.page{padding-top:16px}.hero img{border-radius:2px}}
`
  .trim()
  .replace(/\n/g, '')

/** The quiet stand-in for a piece without a picture: a hanger, no words. */
const HANGER = `<svg width="40" height="40" viewBox="0 0 48 48" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M20.5 14a3.5 3.5 0 1 1 3.5 3.5V21"/><path d="M24 21 9.5 30.5c-1 .7-.6 1.5.6 1.5h27.8c1.2 0 1.6-.8.6-1.5Z"/></svg>`

/** A speech bubble: this page is answered in the chat. */
const BUBBLE = `<svg width="28" height="28" viewBox="0 0 28 28" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round" aria-hidden="true"><path d="M14 5c-5.5 0-10 3.6-10 8 0 2.5 1.4 4.7 3.6 6.1L7 23l4.2-2.2c.9.2 1.8.2 2.8.2 5.5 0 10-3.6 10-8s-4.5-8-10-8Z"/><circle cx="10" cy="13" r=".6" fill="currentColor"/><circle cx="14" cy="13" r=".6" fill="currentColor"/><circle cx="18" cy="13" r=".6" fill="currentColor"/></svg>`

/** The pictures of a piece, main one first, each once, only those that may be shown. */
function pictures(item: LookbookItemView): string[] {
  const urls: string[] = []
  for (const candidate of [item.imageUrl, ...item.images.map((image) => image.url)]) {
    const url = safeUrl(candidate)
    if (url && !urls.includes(url)) urls.push(url)
  }
  return urls
}

function renderItem(item: LookbookItemView, t: Strings, guide: string): string {
  const name = escapeHtml(item.name)
  const [main, ...more] = pictures(item)
  const media = main
    ? `<img src="${escapeHtml(main)}" width="400" height="400" alt="${name}" loading="lazy" decoding="async" sizes="(max-width: 560px) 38vw, 200px">`
    : `<div class="ph">${HANGER}</div>`
  const meta = [item.color, item.size]
    .filter((part) => part.trim() !== '')
    .map(escapeHtml)
    .join(' · ')
  const sizes = item.sizesAvailable.length
    ? `<div class="sizes"><span class="label">${t.sizesInStock}</span><ul class="chips">${item.sizesAvailable
        .map((size) => `<li${size === item.size ? ' class="on"' : ''}>${escapeHtml(size)}</li>`)
        .join('')}</ul></div>`
    : `<div class="sizes"><span class="label">${t.sizesInStock}</span><p class="none">${t.noSizes(guide)}</p></div>`
  const gallery = more.length
    ? `<ul class="more" aria-label="${escapeHtml(t.morePictures(item.name))}">${more
        .slice(0, 8)
        .map(
          (url) =>
            `<li><img src="${escapeHtml(url)}" width="400" height="400" alt="${name}" loading="lazy" decoding="async" sizes="(max-width: 560px) 28vw, 150px"></li>`,
        )
        .join('')}</ul>`
    : ''
  return `<li class="item">
<div class="media">${media}</div>
<div class="body">
<h3>${name}</h3>
${meta ? `<p class="meta">${meta}</p>` : ''}
<p class="price">${formatYuan(item.priceFen)}</p>
${sizes}
${item.styleCode ? `<p class="code">${t.styleCode} ${escapeHtml(item.styleCode)}</p>` : ''}
</div>
${gallery}
</li>`
}

/** The whole lookbook page for one bundle, as a complete HTML document. */
export function renderLookbookPage(view: LookbookView): string {
  const t = STRINGS[view.lang] ?? STRINGS.zh
  const mark = brandMark(view.brand)
  const title = escapeHtml(view.title)
  const guide = escapeHtml(view.guideName)
  const store = view.storeName ? escapeHtml(view.storeName) : null
  const collage = safeUrl(view.collageUrl)
  const note = view.note.trim()
  const hero = collage
    ? `<figure class="hero"><img src="${escapeHtml(collage)}" width="800" height="800" alt="${title}" fetchpriority="high" sizes="(max-width: 560px) 100vw, 560px"></figure>`
    : ''
  const description = note || t.description(view.guideName, view.items.length)
  return `${pageHead({
    lang: t.htmlLang,
    title: brandedTitle(view.title, view.brand),
    description: description.length > 120 ? `${description.slice(0, 119)}…` : description,
    image: collage && /^https?:/i.test(collage) ? collage : null,
    css: CSS,
  })}
<body>
<main class="page">
<header class="mast">${mark}</header>
${hero}
<section class="intro">
<p class="eyebrow">${t.styledBy(guide)}</p>
<h1>${title}</h1>
${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}
<div class="rule"></div>
</section>
<section class="pieces">
<div class="head"><h2>${t.pieces}</h2><span>${t.count(view.items.length)}</span></div>
<ol>
${view.items.map((item) => renderItem(item, t, guide)).join('\n')}
</ol>
<div class="total"><span>${t.total} · ${t.count(view.items.length)}</span><strong>${formatYuan(view.totalFen)}</strong></div>
</section>
<section class="reply">
${BUBBLE}
<span class="label">${t.replyKicker}</span>
<h2>${t.replyTitle(guide)}</h2>
<p>${t.replyBody(guide, store)}</p>
</section>
${mark ? `<footer class="foot">${mark}</footer>` : ''}
</main>
</body>
</html>
`
}

/** What an expired or withdrawn link shows: the brand, and who to ask. Never why. */
export function renderLookbookGone(brand: string): string {
  return renderGonePage({
    brand,
    title: '链接已失效',
    body: '请联系您的导购，获取新的搭配',
    english: 'This link is no longer valid. Please contact your stylist.',
  })
}
