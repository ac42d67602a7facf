import type { FastifyReply } from 'fastify'

/**
 * Headers for the pages customers open from a chat (lookbook, coupon): never cached or
 * indexed, and a policy that allows no script at all — they have none, and any that got
 * in through content would not run.
 */
export function customerPageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'private, no-store')
    .header('x-robots-tag', 'noindex')
    .header(
      'content-security-policy',
      "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
    .type('text/html; charset=utf-8')
}

// --- What every customer page shares ----------------------------------------------------------

/** '¥1,299', or '¥1,299.50' when there are fen. */
export function formatYuan(fen: number): string {
  const value = Number.isFinite(fen) ? Math.round(fen) : 0
  const abs = Math.abs(value)
  const yuan = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = abs % 100
  return `${value < 0 ? '-' : ''}¥${yuan}${cents ? `.${String(cents).padStart(2, '0')}` : ''}`
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

/**
 * The brand's wordmark, or '' when none is configured (real mode without BRAND_NAME): the
 * page then names no brand rather than a placeholder or the demo's.
 */
export function brandMark(brand: string): string {
  const name = brand.trim()
  return name ? `<div class="mark">${escapeHtml(name)}</div>` : ''
}

/** A page's title with the brand after it, or alone when no brand is configured. */
export function brandedTitle(title: string, brand: string): string {
  const name = brand.trim()
  return name ? `${title} · ${name}` : title
}

/**
 * The URL if it may go into the page: absolute http(s), or a path on this site ('/…',
 * not '//host'). Anything else — javascript:, data:, relative paths, odd whitespace — is null.
 */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null
  // Whitespace, control characters and backslashes have no business in our URLs, and
  // browsers read some of them in surprising ways ('/\host' is another host).
  if (/[\s\\]/.test(url) || [...url].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null
  if (url.startsWith('/')) return url.startsWith('//') ? null : url
  if (!/^https?:\/\//i.test(url)) return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : null
  } catch {
    return null
  }
}

/** The type faces of every customer page, as CSS custom properties for `:root`. */
export const PAGE_FONTS = `--serif:"Songti SC","STSong","Noto Serif SC","Noto Serif CJK SC","Source Han Serif SC","Source Han Serif CN",Georgia,"Times New Roman",serif;
--sans:-apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans SC","Noto Sans CJK SC","Helvetica Neue",Arial,sans-serif;
--mono:"SF Mono",ui-monospace,Menlo,Consolas,"Roboto Mono","DejaVu Sans Mono","Liberation Mono",monospace`

/** The document head every customer page shares: no referrer, no index, brand colours. */
export function pageHead(options: {
  lang: string
  title: string
  description: string
  image?: string | null
  css: string
}): string {
  const title = escapeHtml(options.title)
  const description = escapeHtml(options.description)
  return `<!doctype html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="format-detection" content="telephone=no">
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#f4f1ec" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="#1a1816" media="(prefers-color-scheme: dark)">
<title>${title}</title>
<meta name="description" content="${description}">
<meta property="og:type" content="website">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${description}">
${options.image ? `<meta property="og:image" content="${escapeHtml(options.image)}">\n` : ''}<style>${options.css}</style>
</head>`
}

const GONE_CSS = `
:root{--paper:#f4f1ec;--ink:#2b2723;--muted:#7b7268;${PAGE_FONTS}}
@media (prefers-color-scheme:dark){:root{--paper:#1a1816;--ink:#eee8df;--muted:#a1988d}}
*{box-sizing:border-box;margin:0;padding:0}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{background:var(--paper);color:var(--ink);font:15px/1.7 var(--sans);-webkit-font-smoothing:antialiased}
.page{min-height:100vh;min-height:100dvh;display:flex;flex-direction:column;align-items:center;padding:20px 32px calc(32px + env(safe-area-inset-bottom));text-align:center}
.mark{font-family:var(--serif);font-size:14px;letter-spacing:.34em;text-indent:.34em;text-transform:uppercase;white-space:nowrap}
.msg{flex:1;display:flex;flex-direction:column;justify-content:center;padding-bottom:12vh}
.rule{width:28px;height:1px;background:var(--ink);opacity:.35;margin:0 auto 28px}
h1{font-family:var(--serif);font-weight:600;font-size:24px;letter-spacing:.08em}
p{margin-top:10px;color:var(--muted)}
.en{margin-top:28px;font-size:13px;letter-spacing:.02em;text-wrap:balance}
`
  .trim()
  .replace(/\n/g, '')

/**
 * What a customer sees for a link that no longer leads anywhere (expired, withdrawn,
 * tampered): the brand, a title, who to ask, and the same in English. Never why.
 */
export function renderGonePage(page: { brand: string; title: string; body: string; english: string }): string {
  return `${pageHead({ lang: 'zh-CN', title: brandedTitle(page.title, page.brand), description: `${page.title}，${page.body}`, image: null, css: GONE_CSS })}
<body>
<main class="page">
<header>${brandMark(page.brand)}</header>
<section class="msg">
<div class="rule"></div>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.body)}</p>
<p class="en" lang="en">${escapeHtml(page.english)}</p>
</section>
</main>
</body>
</html>
`
}
