/**
 * How a task reads on the workbench: its group by due day, the words for its kind and due
 * date, what its suggestion lets her do where no chat is open, and the route that opens her
 * profile with that suggestion pre-selected. Pure: tests pass `today` and `locale`.
 */
import type { RouteLocationRaw } from 'vue-router'
import { suggestionQuery } from './task-suggestion'
import { translate, type AppLocale, type MessageKey } from '@/i18n'
import type { Task, TaskCustomerSchema, TaskKind, TaskStatus, TaskSuggestion } from '@/shared/tasks'
import type { Static } from 'typebox'

type TaskCustomer = Static<typeof TaskCustomerSchema>

export interface TaskGroups {
  overdue: Task[]
  today: Task[]
  upcoming: Task[]
}

/** `YYYY-MM-DD` for the guide's own calendar day. */
export function localDay(now: number = Date.now()): string {
  const d = new Date(now)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

export function groupTasks(tasks: readonly Task[], today: string): TaskGroups {
  return {
    overdue: tasks.filter((task) => task.dueDate < today),
    today: tasks.filter((task) => task.dueDate === today),
    upcoming: tasks.filter((task) => task.dueDate > today),
  }
}

/** Whole days from `from` to `to`, both `YYYY-MM-DD` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const day = (value: string) => {
    const [y, m, d] = value.split('-').map(Number)
    return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)
  }
  return Math.round((day(to) - day(from)) / 86_400_000)
}

export const KIND_LABELS: Record<TaskKind, MessageKey> = {
  birthday: 'tasks.kind.birthday',
  follow_up: 'tasks.kind.follow_up',
  after_purchase: 'tasks.kind.after_purchase',
  repurchase: 'tasks.kind.repurchase',
  dormant: 'tasks.kind.dormant',
  coupon_expiring: 'tasks.kind.coupon_expiring',
  campaign: 'tasks.kind.campaign',
}

export const STATUS_LABELS: Record<TaskStatus, MessageKey> = {
  todo: 'tasks.status.todo',
  done: 'tasks.status.done',
  expired: 'tasks.status.expired',
  skipped: 'tasks.status.skipped',
}

/** What an empty list says, and what to do about it. */
export function emptyState(status: TaskStatus, filtered: boolean): { title: MessageKey; hint: MessageKey } {
  if (filtered) return { title: 'tasks.empty.kind', hint: 'tasks.empty.kindHint' }
  return { title: `tasks.empty.${status}`, hint: `tasks.empty.${status}Hint` }
}

/** Her remark is how the guide knows her; WeCom's nickname otherwise. */
export function customerLabel(customer: Pick<TaskCustomer, 'name' | 'remark'>): string {
  return customer.remark.trim() || customer.name.trim() || '?'
}

/** `MM-DD` as the guide reads a birthday: "12月8日", "Dec 8". */
export function birthdayText(monthDay: string, target: AppLocale): string {
  const [m, d] = monthDay.split('-').map(Number)
  if (!m || !d) return monthDay
  // A leap year, so 02-29 is a date; UTC both ways, so no time zone moves the day.
  const date = new Date(Date.UTC(2000, m - 1, d))
  return new Intl.DateTimeFormat(target, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date)
}

/** When it is due, as a word where one fits: 今天, 明天, 逾期 3 天, else the date. */
export function dueText(dueDate: string, today: string, target: AppLocale): string {
  const days = daysBetween(today, dueDate)
  if (days === 0) return translate(target, 'tasks.due.today')
  if (days === 1) return translate(target, 'tasks.due.tomorrow')
  if (days < 0) return translate(target, 'tasks.due.overdue', { n: -days })
  return translate(target, 'tasks.due.on', { date: birthdayText(dueDate.slice(5), target) })
}

/** Her profile, with the task and its suggestion riding along so the right tab opens on it. */
export function profileRoute(task: Pick<Task, 'id' | 'customer' | 'suggestion'>): RouteLocationRaw {
  const query: Record<string, string> = { task: task.id }
  if (task.suggestion) query.suggest = suggestionQuery(task.suggestion)
  return { name: 'customer', params: { externalUserId: task.customer.externalUserId }, query }
}

/**
 * What the suggestion button does on the workbench, where no chat is open and nothing can
 * be sent: a reply's text is copied for her to paste; a coupon or an outfit is prepared on
 * her profile, which can make its link.
 */
export function suggestionAction(suggestion: TaskSuggestion | null): { kind: 'copy' | 'open'; label: MessageKey } | null {
  if (!suggestion) return null
  if (suggestion.type === 'reply') return { kind: 'copy', label: 'tasks.action.copyReply' }
  return { kind: 'open', label: suggestion.type === 'coupon' ? 'tasks.action.coupon' : 'tasks.action.bundle' }
}

/** The reasons a guide gives most, one tap each; she may write her own instead. */
export const SKIP_REASONS: readonly MessageKey[] = [
  'tasks.skip.reason.contacted',
  'tasks.skip.reason.doNotDisturb',
  'tasks.skip.reason.notRelevant',
  'tasks.skip.reason.wrongData',
]

export const SKIP_REASON_MAX = 100

/** The reason as it goes to the server, or null while there is none or it is too long. */
export function skipReason(text: string): string | null {
  const reason = text.trim()
  // Counted in characters, as the server's schema counts them (an emoji is one).
  const length = Array.from(reason).length
  return length > 0 && length <= SKIP_REASON_MAX ? reason : null
}
