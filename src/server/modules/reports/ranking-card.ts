/**
 * The weekly ranking as a WeCom text message (`message/send`, msgtype text): a store's
 * people ranked by last week's sales (销售排名) or estimated commission (返佣排名), top
 * first. A text message and not a text card: a card's description holds 512 bytes, a
 * store's whole team does not fit; text holds 2,048. Only the team's own numbers.
 */
import { addDays } from '../../../shared/dates'
import type { RankingMetric } from '../../../shared/team'

export interface RankingEntry {
  userId: string
  name: string
  amountFen: number
}

export interface RankingMessageInput {
  storeName: string
  metric: RankingMetric
  /** The Monday of the week ranked (China), YYYY-MM-DD; the week runs to the Sunday after. */
  week: string
  entries: readonly RankingEntry[]
}

/** WeCom cuts a text message at 2,048 bytes; lines stop short of it with a count of the rest. */
const MAX_BYTES = 2_000

const TITLES: Record<RankingMetric, string> = { sales: '销售排名', commission: '返佣排名' }

/**
 * Money for a glance: whole yuan with thousands separators, and from ¥10,000 in 万 with
 * one decimal (¥12,345 → ¥1.2万, ¥20,000 → ¥2万).
 */
export function rankingMoney(fen: number): string {
  const yuan = Math.round(Math.max(0, fen) / 100)
  if (yuan >= 10_000) return `¥${String(Math.round(yuan / 1_000) / 10)}万`
  return `¥${String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`
}

/**
 * Highest first; ties share a place and the next is skipped (1, 2, 2, 4), as a guide's
 * own rank has it (stats/periods.rankAmong). Equal amounts are listed by name.
 */
export function placed(entries: readonly RankingEntry[]): (RankingEntry & { place: number })[] {
  const sorted = [...entries].sort(
    (a, b) => b.amountFen - a.amountFen || a.name.localeCompare(b.name, 'zh-CN') || (a.userId < b.userId ? -1 : 1),
  )
  return sorted.map((entry) => ({ ...entry, place: 1 + sorted.filter((o) => o.amountFen > entry.amountFen).length }))
}

function dayLabel(date: string): string {
  const [, month, day] = date.split('-').map(Number) as [number, number, number]
  return `${month}月${day}日`
}

export function rankingMessage(input: RankingMessageInput): string {
  const head = [
    `上周${TITLES[input.metric]} · ${input.storeName}`,
    `${dayLabel(input.week)}–${dayLabel(addDays(input.week, 6))}`,
    '',
  ]
  if (input.metric === 'commission') head.splice(2, 0, '（预估返佣：销售额 × 门店返佣比例）')
  const lines = [...head]
  const ranked = placed(input.entries)
  let bytes = Buffer.byteLength(lines.join('\n'))
  for (const [index, entry] of ranked.entries()) {
    const line = `${entry.place}. ${entry.name} ${rankingMoney(entry.amountFen)}`
    const rest = ranked.length - index
    // Room for this line and, when more follow, the line that counts them.
    if (bytes + Buffer.byteLength(line) + 1 + (rest > 1 ? 40 : 0) > MAX_BYTES) {
      lines.push(`…另有 ${rest} 人`)
      break
    }
    lines.push(line)
    bytes += Buffer.byteLength(line) + 1
  }
  return lines.join('\n')
}
