import type { Task, TaskKind, TaskStatus, TaskSuggestion } from '../../../shared/tasks'
import { TASK_KINDS } from '../../../shared/tasks'
import { bytewise } from '../../db/dialect'
import { iso, isoOrNull } from '../../db/sql'
import type { Db, DbKind, Trx } from '../../db'
import type { OpenTaskFact, TaskDraft, TaskPayload } from './rules'

/** Rows a statement: well under SQLite's bound-parameter limit. */
const CHUNK = 200

/** Where a page of a list starts: after this task in the list's order. */
export type TaskCursor =
  { status: 'todo' | 'expired'; dueDate: string; id: string } | { status: 'done' | 'skipped'; doneAt: number; id: string }

export function parsePayload(text: string | null): TaskPayload {
  if (!text) return { suggestion: null }
  try {
    const value = JSON.parse(text) as Partial<TaskPayload>
    const s = value.suggestion
    const suggestion: TaskSuggestion | null =
      s && typeof s.id === 'string' && (s.type === 'reply' || s.type === 'coupon' || s.type === 'bundle') ? s : null
    return { suggestion, ...(typeof value.basis === 'number' ? { basis: value.basis } : {}) }
  } catch {
    return { suggestion: null }
  }
}

function kindOf(kind: string): TaskKind {
  return (TASK_KINDS as readonly string[]).includes(kind) ? (kind as TaskKind) : 'follow_up'
}

/** Every read and write of the `tasks` table; rows become `Task`s here. */
export class TasksRepository {
  private readonly db: Trx
  private readonly kind: DbKind

  constructor(database: Db) {
    this.db = database.kysely
    this.kind = database.kind
  }

  /** Write tasks that are not there yet (by id, derived from the dedupe key); answers how many were new. */
  async insertMany(drafts: readonly TaskDraft[], now: number, trx: Trx = this.db): Promise<number> {
    let inserted = 0
    for (let i = 0; i < drafts.length; i += CHUNK) {
      const result = await trx
        .insertInto('tasks')
        .values(
          drafts.slice(i, i + CHUNK).map((task) => ({
            id: task.id,
            guide_id: task.guideId,
            external_user_id: task.externalUserId,
            kind: task.kind,
            due_date: task.dueDate,
            note_id: task.noteId,
            title: task.title,
            done_at: null,
            created_at: now,
            status: 'todo' as const,
            reason: task.reason,
            skip_reason: null,
            payload: JSON.stringify(task.payload),
            campaign_id: task.campaignId,
          })),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst()
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0)
    }
    return inserted
  }

  /** A page of the guide's tasks in one status: todo soonest due first, the rest latest first. */
  async list(
    guideId: string,
    options: { status: TaskStatus; kind?: TaskKind; after?: TaskCursor; limit: number },
  ): Promise<(Task & { doneAtMs: number | null })[]> {
    const { status, after } = options
    const id = bytewise(this.kind, 't.id')
    let query = this.db
      .selectFrom('tasks as t')
      .leftJoin('wecom_customers as c', 'c.external_user_id', 't.external_user_id')
      .leftJoin('wecom_follows as f', (join) =>
        join.onRef('f.external_user_id', '=', 't.external_user_id').onRef('f.user_id', '=', 't.guide_id'),
      )
      .select([
        't.id',
        't.kind',
        't.status',
        't.due_date',
        't.title',
        't.reason',
        't.skip_reason',
        't.payload',
        't.created_at',
        't.done_at',
        't.external_user_id',
        'c.name',
        'c.avatar',
        'f.remark',
      ])
      .where('t.guide_id', '=', guideId)
      .where('t.status', '=', status)
    if (options.kind) query = query.where('t.kind', '=', options.kind)
    if (status === 'todo') {
      if (after && 'dueDate' in after) {
        query = query.where((eb) =>
          eb.or([eb('t.due_date', '>', after.dueDate), eb.and([eb('t.due_date', '=', after.dueDate), eb(id, '>', after.id)])]),
        )
      }
      query = query.orderBy('t.due_date', 'asc').orderBy(id, 'asc')
    } else if (status === 'expired') {
      if (after && 'dueDate' in after) {
        query = query.where((eb) =>
          eb.or([eb('t.due_date', '<', after.dueDate), eb.and([eb('t.due_date', '=', after.dueDate), eb(id, '<', after.id)])]),
        )
      }
      query = query.orderBy('t.due_date', 'desc').orderBy(id, 'desc')
    } else {
      if (after && 'doneAt' in after) {
        query = query.where((eb) =>
          eb.or([eb('t.done_at', '<', after.doneAt), eb.and([eb('t.done_at', '=', after.doneAt), eb(id, '<', after.id)])]),
        )
      }
      query = query.orderBy('t.done_at', 'desc').orderBy(id, 'desc')
    }
    const rows = await query.limit(options.limit).execute()
    return rows.map((r) => ({
      id: r.id,
      kind: kindOf(r.kind),
      status: r.status,
      dueDate: r.due_date,
      title: r.title,
      reason: r.reason,
      customer: { externalUserId: r.external_user_id, name: r.name ?? '', remark: r.remark ?? '', avatar: r.avatar },
      createdAt: iso(Number(r.created_at)),
      completedAt:
        r.status === 'done' || r.status === 'skipped' ? isoOrNull(r.done_at === null ? null : Number(r.done_at)) : null,
      skipReason: r.skip_reason,
      suggestion: parsePayload(r.payload).suggestion,
      doneAtMs: r.done_at === null ? null : Number(r.done_at),
    }))
  }

  async find(id: string, guideId: string): Promise<{ status: TaskStatus } | undefined> {
    return this.db.selectFrom('tasks').select('status').where('id', '=', id).where('guide_id', '=', guideId).executeTakeFirst()
  }

  /** Done by the guide's tap: from todo, or late from expired. True when it changed. */
  async complete(id: string, guideId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('tasks')
      .set({ done_at: now, status: 'done' })
      .where('id', '=', id)
      .where('guide_id', '=', guideId)
      .where('status', 'in', ['todo', 'expired'])
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async skip(id: string, guideId: string, reason: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('tasks')
      .set({ done_at: now, status: 'skipped', skip_reason: reason })
      .where('id', '=', id)
      .where('guide_id', '=', guideId)
      .where('status', 'in', ['todo', 'expired'])
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Open tasks due before `before` expire (all guides', or one's). */
  async expire(before: string, guideId?: string): Promise<number> {
    let query = this.db
      .updateTable('tasks')
      .set({ status: 'expired' })
      .where('status', '=', 'todo')
      .where('due_date', '<', before)
    if (guideId) query = query.where('guide_id', '=', guideId)
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  /**
   * Her guide served her: her open tasks of these kinds due by `dueBy` are done. A campaign
   * task is due on the campaign's last day and is done by any send while it runs.
   */
  async completeServed(
    trx: Trx | undefined,
    input: { guideId: string; externalUserId: string; kinds: readonly TaskKind[]; dueBy: string; now: number },
  ): Promise<number> {
    const result = await (trx ?? this.db)
      .updateTable('tasks')
      .set({ done_at: input.now, status: 'done' })
      .where('guide_id', '=', input.guideId)
      .where('external_user_id', '=', input.externalUserId)
      .where('status', '=', 'todo')
      .where('kind', 'in', [...input.kinds])
      .where((eb) => eb.or([eb('due_date', '<=', input.dueBy), eb('kind', '=', 'campaign')]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  async completeIds(ids: readonly string[], now: number): Promise<number> {
    let done = 0
    for (let i = 0; i < ids.length; i += CHUNK) {
      const result = await this.db
        .updateTable('tasks')
        .set({ done_at: now, status: 'done' })
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .where('status', '=', 'todo')
        .executeTakeFirst()
      done += Number(result.numUpdatedRows)
    }
    return done
  }

  /** Open tasks of these customers that a purchase may complete, by customer. */
  async openOf(externalUserIds: readonly string[], kinds: readonly TaskKind[]): Promise<Map<string, OpenTaskFact[]>> {
    const out = new Map<string, OpenTaskFact[]>()
    if (externalUserIds.length === 0) return out
    for (let i = 0; i < externalUserIds.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('tasks')
        .select(['id', 'kind', 'external_user_id', 'payload', 'created_at'])
        .where('external_user_id', 'in', externalUserIds.slice(i, i + CHUNK))
        .where('status', '=', 'todo')
        .where('kind', 'in', [...kinds])
        .execute()
      for (const r of rows) {
        const list = out.get(r.external_user_id) ?? []
        list.push({
          id: r.id,
          kind: kindOf(r.kind),
          basis: parsePayload(r.payload).basis ?? null,
          createdAt: Number(r.created_at),
        })
        out.set(r.external_user_id, list)
      }
    }
    return out
  }

  /** Which of these task ids the guide has. */
  async existingIds(guideId: string, ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('tasks')
        .select('id')
        .where('guide_id', '=', guideId)
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()
      for (const r of rows) out.add(r.id)
    }
    return out
  }

  /** How many tasks each guide has of each kind in each status (the demo's check, and tests'). */
  async summary(): Promise<{ guideId: string; kind: string; status: TaskStatus; count: number }[]> {
    const rows = await this.db
      .selectFrom('tasks')
      .select((eb) => ['guide_id', 'kind', 'status', eb.fn.countAll<number | string>().as('n')])
      .groupBy(['guide_id', 'kind', 'status'])
      .execute()
    return rows.map((r) => ({ guideId: r.guide_id, kind: r.kind, status: r.status, count: Number(r.n) }))
  }

  /** For the demo's week: tasks open on a day, and what the guide did with them. */
  async openDueBy(dueBy: string): Promise<{ id: string; guide_id: string }[]> {
    return this.db
      .selectFrom('tasks')
      .select(['id', 'guide_id'])
      .where('status', '=', 'todo')
      .where('due_date', '<=', dueBy)
      .orderBy('id')
      .execute()
  }
}
