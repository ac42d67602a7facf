/**
 * The evening report as a WeCom text card (`message/send`, msgtype textcard): her day in
 * three lines and what tomorrow holds, linking to the workbench. Only her own numbers:
 * nothing about any customer goes into it.
 */
import { formatYuan } from '../../http/customer-page'

export interface EveningCardInput {
  /** The China day reported, YYYY-MM-DD. */
  day: string
  salesFen: number
  orders: number
  tasksDone: number
  /** Her tasks still to do that are due by tomorrow. */
  tomorrowTasks: number
  /** The workbench at the app's public origin. */
  url: string
}

export interface TextCard {
  title: string
  description: string
  url: string
  btntxt: string
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

export function eveningCard(input: EveningCardInput): TextCard {
  const [year, month, date] = input.day.split('-').map(Number) as [number, number, number]
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, date)).getUTCDay()]!
  // WeCom's text card styles its description with these three classes (gray, normal, highlight).
  const lines = [
    `<div class="gray">${year}年${month}月${date}日 ${weekday}</div>`,
    `<div class="normal">今日销售 ${formatYuan(input.salesFen)} · ${input.orders} 单</div>`,
    `<div class="normal">完成任务 ${input.tasksDone} 项</div>`,
    `<div class="highlight">明日待办 ${input.tomorrowTasks} 项</div>`,
  ]
  return { title: `今日小结 · ${month}月${date}日`, description: lines.join(''), url: input.url, btntxt: '去工作台' }
}

/** The workbench's address: the app is hash-routed, so the screen is after the `#`. */
export function workbenchUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/#/workbench`
}
