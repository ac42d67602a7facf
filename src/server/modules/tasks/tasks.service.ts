/**
 * A guide's tasks: written by the rules (rules.ts, through TaskGenerator) and by her own
 * notes' follow-ups; listed by status, ticked off, skipped with a reason, done by
 * themselves when she serves the customer, expired after their grace. Other domains add
 * and complete tasks through here, inside their own transaction.
 */
import type { BirthdayList, Task, TaskList, TaskListQuery } from '../../../shared/tasks'
import { addDays, shanghaiDate } from '../../../shared/dates'
import { hasControlCharacters } from '../../../shared/text'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { iso } from '../../db/sql'
import { ApiError } from '../../http/errors'
import type { CustomersService } from '../customers/customers.service'
import {
  AUTO_DONE_AHEAD_DAYS,
  SERVED_KINDS,
  birthdayIn,
  expiredBefore,
  followUpTask,
  monthDay,
  ordersLastYear,
  taskId,
} from './rules'
import { TaskGenerator, type GenerateReport } from './task-generator.service'
import { TaskSourcesRepository } from './task-sources.repository'
import { TasksRepository, type TaskCursor } from './tasks.repository'

const DEFAULT_LIMIT = 50

export class TasksService {
  private readonly repo: TasksRepository
  private readonly sources: TaskSourcesRepository
  readonly generator: TaskGenerator
  /** The day this instance last wrote each guide's tasks on her opening the list. */
  private readonly generatedOn = new Map<string, string>()

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService | null = null,
  ) {
    this.repo = new TasksRepository(ctx.db)
    this.sources = new TaskSourcesRepository(ctx.db)
    this.generator = new TaskGenerator(ctx.db)
  }

  /** The daily job: every guide's tasks written, expired and completed as of now. */
  generateAll(): Promise<GenerateReport> {
    return this.generator.run({ now: this.ctx.now() })
  }

  /**
   * Before her first list of the day: her customers known (a new guide's list is read
   * from WeCom first) and her tasks written, so a guide who joined today sees hers
   * before the next daily run; then anything past its grace expired.
   */
  private async prepare(userId: string): Promise<void> {
    const now = this.ctx.now()
    const today = shanghaiDate(now)
    if (this.generatedOn.get(userId) !== today) {
      let syncing = false
      try {
        syncing = (await this.customers?.ensureGuideCustomers(userId)) ?? false
      } catch (error) {
        // WeCom unreachable: her tasks are still ours to show, from what we already know.
        if (error instanceof ApiError && error.statusCode === 401) throw error
        this.ctx.log.warn({ err: error }, 'Listing tasks without a fresh customer list')
      }
      if (!syncing) {
        await this.generator.run({ now, guideIds: [userId] })
        this.generatedOn.set(userId, today)
        return
      }
    }
    await this.repo.expire(expiredBefore(today), userId)
  }

  async list(userId: string, query: TaskListQuery): Promise<TaskList> {
    const status = query.status ?? 'todo'
    const limit = query.limit ?? DEFAULT_LIMIT
    const after = decodeTaskCursor(query.cursor, status)
    await this.prepare(userId)
    const rows = await this.repo.list(userId, { status, kind: query.kind, after, limit: limit + 1 })
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    return {
      items: page.map(({ doneAtMs: _doneAtMs, ...task }): Task => task),
      nextCursor: rows.length > limit && last ? encodeTaskCursor(status, last) : null,
    }
  }

  async complete(userId: string, taskId: string): Promise<void> {
    if (await this.repo.complete(taskId, userId, this.ctx.now())) return
    const task = await this.repo.find(taskId, userId)
    if (!task) throw ApiError.notFound('No such task')
    if (task.status === 'skipped') throw new ApiError(409, 'conflict', 'This task was skipped')
    // Already done: completing twice is fine.
  }

  async skip(userId: string, taskId: string, rawReason: string): Promise<void> {
    const reason = rawReason.trim()
    if (!reason) throw ApiError.badRequest('reason: say why the task is skipped')
    if (await this.repo.skip(taskId, userId, reason, this.ctx.now())) return
    const task = await this.repo.find(taskId, userId)
    if (!task) throw ApiError.notFound('No such task')
    if (task.status === 'done') throw new ApiError(409, 'conflict', 'This task is already done')
    // Already skipped: skipping twice is fine.
  }

  /** The follow-up a note asked for, saved with the note in the caller's transaction. */
  async addFollowUp(
    trx: Trx,
    input: { noteId: string; guideId: string; externalUserId: string; dueDate: string; text: string; now: number },
  ): Promise<void> {
    await this.repo.insertMany([followUpTask(input)], input.now, trx)
  }

  /**
   * She sent this customer something (a reply, an outfit, a coupon): her open tasks that a
   * message serves are done. In the caller's transaction if it has one, with the send's time.
   */
  async served(input: { guideId: string; externalUserId: string; now: number }, trx?: Trx): Promise<void> {
    await this.repo.completeServed(trx, {
      ...input,
      kinds: SERVED_KINDS,
      dueBy: addDays(shanghaiDate(input.now), AUTO_DONE_AHEAD_DAYS),
    })
  }

  /** Her customers' birthdays in this or next month, with what helps her write to each. */
  async birthdays(userId: string, which: 'this' | 'next'): Promise<BirthdayList> {
    if (this.customers) await this.customers.ensureGuideCustomers(userId)
    const now = this.ctx.now()
    const today = shanghaiDate(now)
    const first = which === 'this' ? `${today.slice(0, 7)}-01` : addDays(`${today.slice(0, 7)}-28`, 7).slice(0, 7) + '-01'
    const month = first.slice(0, 7)
    const year = Number(month.slice(0, 4))
    const rows = (await this.sources.birthdaysOf(userId))
      .map((row) => ({ row, md: monthDay(row.birthday) }))
      .filter((x): x is { row: typeof x.row; md: string } => x.md !== null && x.md.slice(0, 2) === month.slice(5, 7))
      .sort((a, b) => a.md.localeCompare(b.md) || a.row.externalUserId.localeCompare(b.row.externalUserId))
    const ids = rows.map((x) => x.row.externalUserId)
    const orders = await this.sources.ordersOf(ids, now)
    const keys = rows.map((x) => (birthdayIn(year, x.md) ? taskId(`birthday:${x.row.externalUserId}:${year}`) : ''))
    const existing = await this.repo.existingIds(
      userId,
      keys.filter((k) => k),
    )
    return {
      month,
      items: rows.map(({ row, md }, i) => {
        const hers = orders.get(row.externalUserId) ?? []
        const last = hers.reduce<number | null>((max, o) => (max === null || o.purchasedAt > max ? o.purchasedAt : max), null)
        return {
          customer: { externalUserId: row.externalUserId, name: row.name, remark: row.remark, avatar: row.avatar },
          birthday: md,
          lastPurchaseAt: last === null ? null : iso(last),
          ordersLastYear: ordersLastYear(hers, now),
          taskId: existing.has(keys[i]!) ? keys[i]! : null,
        }
      }),
    }
  }
}

/** The cursor is opaque to the app: the list's sort key of the last task shown, and its status. */
export function encodeTaskCursor(status: string, last: Task & { doneAtMs: number | null }): string {
  const key = status === 'done' || status === 'skipped' ? (last.doneAtMs ?? 0) : last.dueDate
  return Buffer.from(JSON.stringify([status, key, last.id])).toString('base64url')
}

export function decodeTaskCursor(raw: string | undefined, status: string): TaskCursor | undefined {
  if (!raw) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    // A safe integer and clean text, or PostgreSQL would refuse the query (a 500, not a 400).
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value[0] === status &&
      typeof value[2] === 'string' &&
      !hasControlCharacters(value[2])
    ) {
      if ((status === 'todo' || status === 'expired') && typeof value[1] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value[1])) {
        return { status, dueDate: value[1], id: value[2] }
      }
      if ((status === 'done' || status === 'skipped') && Number.isSafeInteger(value[1]) && value[1] >= 0) {
        return { status, doneAt: value[1], id: value[2] }
      }
    }
  } catch {
    // fall through
  }
  throw ApiError.badRequest('cursor is not one this API returned for this status')
}
