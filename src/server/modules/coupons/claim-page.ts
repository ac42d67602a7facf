/**
 * The coupon a customer opens from her guide's link card, in WeChat's in-app browser:
 * the brand's ticket — the value large, what it needs, the dates, the terms — and below
 * the perforation the stub she shows at the till: a QR code of the code and the code
 * itself, large and grouped so a cashier can type it. Server-rendered HTML with inline
 * CSS and no script; the QR code is drawn here as inline SVG, nothing is fetched.
 *
 * Once used, expired or withdrawn the stub shows a stamp instead of the QR code, so an
 * old screenshot cannot be mistaken for a live coupon at the till.
 *
 * Every text value comes from managers or guides and is escaped.
 */
import QRCode from 'qrcode'
import { zheOf, type CouponKind, type IssuanceStatus } from '../../../shared/coupons'
import { brandedTitle, brandMark, escapeHtml, formatYuan, PAGE_FONTS, pageHead, renderGonePage } from '../../http/customer-page'
import { KIND_ACCENT } from './coupon-cover'

export interface ClaimView {
  /** The wordmark (BRAND_NAME); '' shows none. */
  brand: string
  name: string
  kind: CouponKind
  /** Fen; for percent_off the percentage taken off (15 → 8.5 折). */
  value: number
  /** Fen the order must reach; 0 for none. */
  threshold: number
  code: string
  status: IssuanceStatus
  /** ISO instants. */
  validFrom: string | null
  validUntil: string | null
  /** Already-worded lines, e.g. '限上海静安嘉里中心店、杭州湖滨银泰店使用', '线上商城可用'. */
  terms: string[]
  guideName: string
  storeName: string | null
  redeemedAt: string | null
  lang: 'zh' | 'en'
}

type Lang = ClaimView['lang']

/** '¥500' → '500': the yuan amount without the sign, as in '满500可用'. */
function yuanDigits(fen: number): string {
  return formatYuan(fen).replace('¥', '')
}

/**
 * The value as the coupon shows it large ('¥50', '8.5 折' / '15% off') and what it needs
 * ('满 ¥500 可用', '无门槛' / 'On orders over ¥500', 'No minimum spend'). Plain text, not escaped.
 */
export function couponValueText(
  kind: CouponKind,
  value: number,
  threshold: number,
  lang: Lang,
): { big: string; condition: string } {
  const en = lang === 'en'
  const big =
    kind === 'percent_off'
      ? en
        ? `${Math.round(value)}% off`
        : `${zheOf(value)} 折`
      : en
        ? `${formatYuan(value)} off`
        : formatYuan(value)
  const condition =
    kind !== 'no_threshold' && threshold > 0
      ? en
        ? `On orders over ${formatYuan(threshold)}`
        : `满 ${formatYuan(threshold)} 可用`
      : en
        ? 'No minimum spend'
        : '无门槛'
  return { big, condition }
}

/**
 * The link card's title and description for the chat, e.g. '¥50 优惠券 · 满500可用' and
 * '冬季焕新礼，点开领取，到店出示即可使用'. Plain text, not escaped.
 */
export function couponCardText(
  view: Pick<ClaimView, 'name' | 'kind' | 'value' | 'threshold'>,
  lang: Lang,
): { title: string; desc: string } {
  const hasThreshold = view.kind !== 'no_threshold' && view.threshold > 0
  const name = view.name.trim()
  if (lang === 'en') {
    const { big } = couponValueText(view.kind, view.value, view.threshold, 'en')
    const title = `${big} coupon · ${hasThreshold ? `orders over ${formatYuan(view.threshold)}` : 'no minimum spend'}`
    return { title, desc: `${name} — open to claim, then show it in store` }
  }
  const big = view.kind === 'percent_off' ? `${zheOf(view.value)}折` : formatYuan(view.value)
  const title =
    view.kind === 'no_threshold'
      ? `${big} 无门槛券`
      : `${big} 优惠券 · ${hasThreshold ? `满${yuanDigits(view.threshold)}可用` : '无门槛'}`
  return { title, desc: `${name}，点开领取，到店出示即可使用` }
}

const DAY_FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/**
 * '2026.12.25' in Shanghai, or null for a missing or unreadable instant. An end that
 * falls exactly on midnight is the end of the day before (valid through 12.25 is stored
 * as 12.26 00:00), so `endOfRange` shows that day.
 */
export function formatDay(iso: string | null, endOfRange = false): string | null {
  if (!iso) return null
  const time = Date.parse(iso)
  if (!Number.isFinite(time)) return null
  const parts = (t: number) => Object.fromEntries(DAY_FORMAT.formatToParts(new Date(t)).map((p) => [p.type, p.value]))
  let p = parts(time)
  if (endOfRange && p.hour === '00' && p.minute === '00' && p.second === '00') p = parts(time - 1000)
  return `${p.year}.${p.month}.${p.day}`
}

/** How the code is shown: groups of four ('QL7K 3M9P 2X'), or its own hyphenated groups. */
export function groupCode(code: string): string[] {
  const clean = code.trim()
  if (clean.includes('-')) return clean.split('-').filter(Boolean)
  const size = clean.length <= 6 ? 3 : 4
  const groups: string[] = []
  for (let at = 0; at < clean.length; at += size) groups.push(clean.slice(at, at + size))
  return groups
}

interface Strings {
  htmlLang: string
  preparedBy: (guide: string) => string
  kicker: string
  validity: string
  range: (from: string, until: string) => string
  from: (day: string) => string
  until: (day: string) => string
  always: string
  notYet: (day: string) => string
  show: string
  codeLabel: string
  qrLabel: string
  redeemed: string
  expired: string
  released: string
  redeemedNote: (day: string | null) => string
  expiredNote: (guide: string) => string
  releasedNote: (guide: string) => string
  terms: string
  contact: (guide: string, store: string | null) => string
  goneTitle: string
  goneBody: string
}

/** All values passed in are already escaped. */
const STRINGS: Record<Lang, Strings> = {
  zh: {
    htmlLang: 'zh-CN',
    preparedBy: (guide) => `${guide} 为您准备`,
    kicker: '优惠券',
    validity: '有效期',
    range: (from, until) => `${from} – ${until}`,
    from: (day) => `${day} 起`,
    until: (day) => `至 ${day}`,
    always: '长期有效',
    notYet: (day) => `${day} 起可用，届时到店出示此码`,
    show: '到店结账时出示此码',
    codeLabel: '券码',
    qrLabel: '券码二维码',
    redeemed: '已使用',
    expired: '已过期',
    released: '已失效',
    redeemedNote: (day) => (day ? `已于 ${day} 使用，感谢光临` : '已使用，感谢光临'),
    expiredNote: (guide) => `这张券已过期，可以问问${guide}最近的优惠`,
    releasedNote: (guide) => `这张券已失效，可以问问${guide}最近的优惠`,
    terms: '使用说明',
    contact: (guide, store) => `有任何问题，直接在微信里问${guide}${store ? ` · ${store}` : ''}`,
    goneTitle: '券码无效',
    goneBody: '请联系您的导购',
  },
  en: {
    htmlLang: 'en',
    preparedBy: (guide) => `From ${guide}, for you`,
    kicker: 'Coupon',
    validity: 'Valid',
    range: (from, until) => `${from} – ${until}`,
    from: (day) => `from ${day}`,
    until: (day) => `until ${day}`,
    always: 'No expiry',
    notYet: (day) => `Can be used from ${day} — show this code in store then`,
    show: 'Show this code at the till',
    codeLabel: 'Code',
    qrLabel: 'QR code of the coupon code',
    redeemed: 'Used',
    expired: 'Expired',
    released: 'Void',
    redeemedNote: (day) => (day ? `Used on ${day} — thank you for visiting` : 'Used — thank you for visiting'),
    expiredNote: (guide) => `This coupon has expired — ask ${guide} about current offers`,
    releasedNote: (guide) => `This coupon is no longer valid — ask ${guide} about current offers`,
    terms: 'How to use',
    contact: (guide, store) => `Questions? Ask ${guide} in WeChat${store ? ` · ${store}` : ''}`,
    goneTitle: 'Invalid code',
    goneBody: 'Please contact your stylist',
  },
}

const CSS = `
:root{--paper:#f4f1ec;--ink:#2b2723;--muted:#7b7268;--line:rgba(43,39,35,.13);--stub:#fbf9f5;--face-ink:#f7f2ea;--stamp:#8c3b3b;--spent:#a39a90;${PAGE_FONTS}}
@media (prefers-color-scheme:dark){:root{--paper:#1a1816;--ink:#eee8df;--muted:#a1988d;--line:rgba(238,232,223,.14);--stub:#24211e;--stamp:#d08a7c;--spent:#4a4540}}
*{box-sizing:border-box;margin:0;padding:0}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{background:var(--paper);color:var(--ink);font:15px/1.65 var(--sans);-webkit-font-smoothing:antialiased}
ul{list-style:none}
.page{max-width:480px;margin:0 auto;padding:0 20px calc(32px + env(safe-area-inset-bottom))}
.mast{padding:20px 4px 8px;text-align:center}
.mark{font-family:var(--serif);font-size:14px;letter-spacing:.34em;text-indent:.34em;text-transform:uppercase;white-space:nowrap}
.eyebrow{padding:6px 0 20px;text-align:center;font-size:12px;letter-spacing:.18em;color:var(--muted);overflow-wrap:anywhere}
.ticket{position:relative;border-radius:6px;filter:drop-shadow(0 10px 24px rgba(43,39,35,.10))}
.face{position:relative;background:var(--accent);color:var(--face-ink);border-radius:6px 6px 0 0;padding:30px 24px 28px;text-align:center;overflow:hidden}
.face::before{content:"";position:absolute;inset:10px;border:1px solid rgba(247,242,234,.28);border-radius:3px;pointer-events:none}
.kicker{position:relative;font-size:11px;letter-spacing:.4em;text-indent:.4em;opacity:.78}
.value{position:relative;margin-top:6px;font-family:var(--serif);font-weight:600;line-height:1.05;letter-spacing:.01em;white-space:nowrap;font-variant-numeric:lining-nums}
.value .num{font-size:68px}
.value .unit{font-size:26px;margin:0 .08em}
.value .en{font-size:30px;margin-left:.18em}
.cond{position:relative;display:inline-block;margin-top:12px;padding:2px 12px;border:1px solid rgba(247,242,234,.45);border-radius:999px;font-size:13px;letter-spacing:.08em}
h1{position:relative;margin-top:16px;font-family:var(--serif);font-weight:600;font-size:20px;line-height:1.45;letter-spacing:.04em;overflow-wrap:anywhere;text-wrap:balance}
.dates{position:relative;margin-top:6px;font-size:13px;letter-spacing:.04em;opacity:.82;font-variant-numeric:tabular-nums}
.perf{position:relative;height:24px;background:radial-gradient(circle at 0 50%,transparent 11px,var(--stub) 11.5px) left/51% 100% no-repeat,radial-gradient(circle at 100% 50%,transparent 11px,var(--stub) 11.5px) right/51% 100% no-repeat}
.perf i{position:absolute;left:22px;right:22px;top:50%;border-top:1.5px dashed var(--line)}
.stub{background:var(--stub);border-radius:0 0 6px 6px;padding:14px 24px 28px;text-align:center}
.qr{position:relative;width:212px;height:212px;margin:0 auto;padding:6px;background:#fff;border-radius:4px}
.qr svg{display:block;width:200px;height:200px}
.show{margin-top:14px;font-size:15px;font-weight:500;letter-spacing:.08em}
.label{display:block;margin-top:18px;font-size:11px;letter-spacing:.2em;color:var(--muted)}
.code{margin-top:4px;font-family:var(--mono);font-size:26px;font-weight:600;letter-spacing:.06em;line-height:1.3;display:flex;flex-wrap:wrap;justify-content:center;gap:0 .55em;-webkit-user-select:all;user-select:all}
.notice{margin:14px auto 0;max-width:22em;font-size:13px;color:var(--muted);overflow-wrap:anywhere}
.stamp{display:flex;flex-direction:column;align-items:center;justify-content:center;width:212px;height:212px;margin:0 auto}
.seal{display:flex;flex-direction:column;align-items:center;justify-content:center;width:150px;height:150px;border:2px solid var(--stamp);border-radius:50%;color:var(--stamp);transform:rotate(-12deg);box-shadow:inset 0 0 0 5px var(--stub),inset 0 0 0 6px var(--stamp)}
.seal strong{font-family:var(--serif);font-size:28px;font-weight:600;letter-spacing:.2em;text-indent:.2em;line-height:1.2}
.seal span{margin-top:4px;font-size:12px;letter-spacing:.08em;font-variant-numeric:tabular-nums}
.used .face{background:var(--spent)}
.used .code{color:var(--muted);text-decoration:line-through;text-decoration-thickness:1px;-webkit-user-select:text;user-select:text}
.terms{margin-top:36px}
h2{font-family:var(--serif);font-weight:600;font-size:17px;letter-spacing:.06em;padding-bottom:10px;border-bottom:1px solid var(--line)}
.terms li{position:relative;padding:11px 0 11px 16px;border-bottom:1px solid var(--line);font-size:14px;line-height:1.7;overflow-wrap:anywhere}
.terms li::before{content:"";position:absolute;left:2px;top:21px;width:5px;height:5px;border-radius:50%;background:var(--accent);opacity:.8}
.contact{margin-top:28px;text-align:center;font-size:13px;color:var(--muted);overflow-wrap:anywhere;text-wrap:balance}
.foot{padding:36px 0 8px;text-align:center;color:var(--muted)}
.foot .mark{font-size:12px}
@media (prefers-color-scheme:dark){.ticket{filter:none}.face{filter:saturate(.85) brightness(.92)}.used .face{filter:none}}
@media (min-width:600px){.page{padding-top:16px}}
`
  .trim()
  .replace(/\n/g, '')

/** The big value with its sign or unit set smaller; `label` is the whole value for assistive tech. */
function valueHtml(kind: CouponKind, value: number, lang: Lang, label: string): string {
  let inner: string
  if (kind === 'percent_off') {
    inner =
      lang === 'en'
        ? `<span class="num">${Math.round(value)}</span><span class="unit">%</span><span class="en">off</span>`
        : `<span class="num">${zheOf(value)}</span><span class="unit">折</span>`
  } else {
    const digits = escapeHtml(yuanDigits(value))
    inner = `<span class="unit">¥</span><span class="num">${digits}</span>${lang === 'en' ? '<span class="en">off</span>' : ''}`
  }
  return `<p class="value" aria-label="${escapeHtml(label)}">${inner}</p>`
}

type State = 'usable' | 'redeemed' | 'expired' | 'released'

/** What the coupon is now: a sent coupon past its end is expired, whatever the row says yet. */
function stateOf(view: ClaimView, now: Date): State {
  if (view.status === 'redeemed') return 'redeemed'
  if (view.status === 'expired') return 'expired'
  if (view.status === 'released') return 'released'
  const until = view.validUntil ? Date.parse(view.validUntil) : NaN
  if (Number.isFinite(until) && now.getTime() >= until) return 'expired'
  return 'usable'
}

/** The QR code of the code, as inline SVG, 200 px. Contains no text from the view. */
async function qrSvg(code: string, label: string): Promise<string> {
  const svg = await QRCode.toString(code, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
  return svg.trim().replace('<svg ', `<svg width="200" height="200" role="img" aria-label="${escapeHtml(label)}" `)
}

/**
 * The whole claim page for one coupon, as a complete HTML document. `now` decides
 * whether a coupon the database still calls sent has in fact run out, or is not valid yet.
 */
export async function renderClaimPage(view: ClaimView, now: Date): Promise<string> {
  const t = STRINGS[view.lang] ?? STRINGS.zh
  const lang: Lang = view.lang === 'en' ? 'en' : 'zh'
  const mark = brandMark(view.brand)
  const name = escapeHtml(view.name)
  const guide = escapeHtml(view.guideName)
  const store = view.storeName?.trim() ? escapeHtml(view.storeName.trim()) : null
  const accent = KIND_ACCENT[view.kind] ?? KIND_ACCENT.amount_off
  const { big, condition } = couponValueText(view.kind, view.value, view.threshold, lang)
  const state = stateOf(view, now)

  const from = formatDay(view.validFrom)
  const until = formatDay(view.validUntil, true)
  const dates = from && until ? t.range(from, until) : from ? t.from(from) : until ? t.until(until) : t.always
  const startsAt = view.validFrom ? Date.parse(view.validFrom) : NaN
  const notYet = state === 'usable' && from && Number.isFinite(startsAt) && now.getTime() < startsAt

  const groups = groupCode(view.code)
    .map((group) => `<span>${escapeHtml(group)}</span>`)
    .join('')
  let stub: string
  if (state === 'usable') {
    stub = `<div class="qr">${await qrSvg(view.code, t.qrLabel)}</div>
<p class="show">${t.show}</p>
<span class="label">${t.codeLabel}</span>
<p class="code">${groups}</p>
${notYet ? `<p class="notice">${t.notYet(from)}</p>` : ''}`
  } else {
    const word = state === 'redeemed' ? t.redeemed : state === 'expired' ? t.expired : t.released
    const day = state === 'redeemed' ? formatDay(view.redeemedAt) : state === 'expired' ? until : null
    const note = state === 'redeemed' ? t.redeemedNote(day) : state === 'expired' ? t.expiredNote(guide) : t.releasedNote(guide)
    stub = `<div class="stamp"><div class="seal"><strong>${word}</strong>${day ? `<span>${day}</span>` : ''}</div></div>
<p class="notice">${note}</p>
<span class="label">${t.codeLabel}</span>
<p class="code">${groups}</p>`
  }

  const terms = view.terms.map((line) => line.trim()).filter((line) => line !== '')
  const card = couponCardText(view, lang)
  return `${pageHead({
    lang: t.htmlLang,
    title: brandedTitle(view.name, view.brand),
    description: `${card.title} · ${card.desc}`,
    css: CSS,
  })}
<body>
<main class="page" style="--accent:${accent}">
<header class="mast">${mark}</header>
<p class="eyebrow">${t.preparedBy(guide)}</p>
<article class="ticket${state === 'usable' ? '' : ' used'}" data-state="${state}">
<section class="face">
<p class="kicker">${t.kicker}</p>
${valueHtml(view.kind, view.value, lang, big)}
<p class="cond">${escapeHtml(condition)}</p>
<h1>${name}</h1>
<p class="dates">${t.validity} ${dates}</p>
</section>
<div class="perf" aria-hidden="true"><i></i></div>
<section class="stub">
${stub}
</section>
</article>
${
  terms.length
    ? `<section class="terms"><h2>${t.terms}</h2><ul>${terms.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>`
    : ''
}
<p class="contact">${t.contact(guide, store)}</p>
${mark ? `<footer class="foot">${mark}</footer>` : ''}
</main>
</body>
</html>
`
}

/** What an unknown, withdrawn or tampered coupon link shows: the brand, and who to ask. Never why. */
export function renderClaimGone(brand: string): string {
  return renderGonePage({
    brand,
    title: STRINGS.zh.goneTitle,
    body: STRINGS.zh.goneBody,
    english: 'This coupon code is not valid. Please contact your stylist.',
  })
}
