/**
 * The team's numbers as a spreadsheet file: what the manager opens in Excel or WPS and
 * passes on. Pure text work; the numbers come from team.service.ts.
 */
import type { TeamGuideStats, TeamStats, TeamTotals } from '../../../shared/team'

export type CsvLang = 'zh' | 'en'

const HEADERS: Record<CsvLang, string[]> = {
  zh: [
    '导购',
    '门店',
    '销售额(元)',
    '订单',
    '新增客户',
    '流失客户',
    '完成任务',
    '逾期任务',
    '话术发送',
    '搭配发送',
    '搭配打开',
    '券发送',
    '券领取',
    '券核销',
    '目标(元)',
    '完成率',
    '预估返佣(元)',
  ],
  en: [
    'Guide',
    'Store',
    'Sales (CNY)',
    'Orders',
    'New customers',
    'Lost customers',
    'Tasks done',
    'Tasks overdue',
    'Replies sent',
    'Outfits sent',
    'Outfits opened',
    'Coupons sent',
    'Coupons claimed',
    'Coupons redeemed',
    'Target (CNY)',
    'Achieved',
    'Est. commission (CNY)',
  ],
}

const LABELS: Record<CsvLang, { subtotal: string; total: string; file: string }> = {
  zh: { subtotal: '小计', total: '合计', file: '团队数据' },
  en: { subtotal: 'Subtotal', total: 'Total', file: 'team' },
}

/** A BOM first: without it Excel reads UTF-8 as the local code page and the Chinese is garbled. */
const BOM = '\uFEFF'

/** Fen as yuan with two decimals, in integers all the way (no 0.1 + 0.2 on the way). */
export function yuan(fen: number): string {
  const abs = Math.abs(Math.trunc(fen))
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** Sales over target as a percentage with one decimal; empty without a target. */
export function achieved(salesFen: number, targetFen: number | null): string {
  if (!targetFen || targetFen <= 0) return ''
  return `${((salesFen * 100) / targetFen).toFixed(1)}%`
}

/**
 * Text a person typed (a name, a store) made safe for a spreadsheet: a cell starting with
 * = + - @ (or a tab or carriage return) is a formula to Excel, so it gets a leading
 * apostrophe and shows as the text it is.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/** One CSV field (RFC 4180): quoted when it holds a quote, a comma, a line break or edge spaces. */
export function field(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function row(name: string, store: string, n: TeamTotals | TeamGuideStats): string {
  const cells = [
    neutralise(name),
    neutralise(store),
    yuan(n.salesFen),
    String(n.orders),
    String(n.customersAdded),
    String(n.customersLost),
    String(n.tasksDone),
    String(n.tasksOverdue),
    String(n.repliesSent),
    String(n.bundlesSent),
    String(n.bundlesOpened),
    String(n.couponsSent),
    String(n.couponsClaimed),
    String(n.couponsRedeemed),
    n.targetFen === null ? '' : yuan(n.targetFen),
    achieved(n.salesFen, n.targetFen),
    yuan(n.commissionFen),
  ]
  return cells.map(field).join(',')
}

/** Each store's guides followed by its subtotal, then the total. Lines end in CRLF as RFC 4180 and Excel expect. */
export function teamCsv(stats: TeamStats, lang: CsvLang): string {
  const labels = LABELS[lang]
  const lines = [HEADERS[lang].map(field).join(',')]
  for (const store of stats.stores) {
    for (const guide of stats.guides.filter((g) => g.storeId === store.id)) lines.push(row(guide.name, store.name, guide))
    lines.push(row(labels.subtotal, store.name, store.totals))
  }
  lines.push(row(labels.total, '', stats.totals))
  return `${BOM}${lines.join('\r\n')}\r\n`
}

/**
 * `attachment` with an ASCII name every browser takes, and the Chinese one (RFC 5987) for
 * those that read it.
 */
export function csvDisposition(stats: TeamStats, lang: CsvLang): string {
  const ascii = `team-${stats.period}-${stats.from}.csv`
  const named = `${LABELS[lang].file}-${stats.period}-${stats.from}.csv`
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(named)}`
}
