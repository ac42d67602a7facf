import type { Task, TaskKind } from '../../../shared/tasks'
import { iso, isoOrNull } from '../../db/sql'
import type { Db, Trx } from '../../db'

export interface NewTask {
  id: string
  guideId: string
  externalUserId: string
  kind: Task['kind']
  dueDate: string
  /** The note that asked for it, when a guide did. */
  noteId: string | null
  title: string
  createdAt: number
}

/** Every read and write of the `tasks` table; rows become `Task`s here. */
export class TasksRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  async insert(trx: Trx, task: NewTask): Promise<void> {
    await trx
      .insertInto('tasks')
      .values({
        id: task.id,
        guide_id: task.guideId,
        external_user_id: task.externalUserId,
        kind: task.kind,
        due_date: task.dueDate,
        note_id: task.noteId,
        title: task.title,
        done_at: null,
        created_at: task.createdAt,
        status: 'todo',
        reason: '',
        skip_reason: null,
        payload: null,
        campaign_id: null,
      })
      .execute()
  }

  /** The guide's open tasks, soonest due first, with the customer as she knows her. */
  async open(guideId: string): Promise<Task[]> {
    const rows = await this.db
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
        't.created_at',
        't.done_at',
        't.external_user_id',
        'c.name',
        'c.avatar',
        'f.remark',
      ])
      .where('t.guide_id', '=', guideId)
      .where('t.status', '=', 'todo')
      .orderBy('t.due_date')
      .orderBy('t.created_at')
      .limit(200)
      .execute()
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as TaskKind,
      status: r.status,
      dueDate: r.due_date,
      title: r.title,
      reason: r.reason,
      customer: { externalUserId: r.external_user_id, name: r.name ?? '', remark: r.remark ?? '', avatar: r.avatar },
      createdAt: iso(r.created_at),
      completedAt: isoOrNull(r.done_at),
      skipReason: r.skip_reason,
      suggestion: null,
    }))
  }

  /** Mark the guide's open task done: true when it was open. */
  async complete(id: string, guideId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('tasks')
      .set({ done_at: now, status: 'done' })
      .where('id', '=', id)
      .where('guide_id', '=', guideId)
      .where('status', '=', 'todo')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async exists(id: string, guideId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('tasks')
      .select('id')
      .where('id', '=', id)
      .where('guide_id', '=', guideId)
      .executeTakeFirst()
    return row !== undefined
  }
}
