/**
 * A guide's to-do list: follow-ups she set on a note, listed soonest first and ticked off.
 * Other domains add tasks through here, inside their own transaction.
 */
import type { Task } from '../../../shared/tasks'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { ApiError } from '../../http/errors'
import { TasksRepository } from './tasks.repository'

const TITLE_LENGTH = 40

export class TasksService {
  private readonly repo: TasksRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new TasksRepository(ctx.db)
  }

  list(userId: string): Promise<Task[]> {
    return this.repo.open(userId)
  }

  async complete(userId: string, taskId: string): Promise<void> {
    if (await this.repo.complete(taskId, userId, this.ctx.now())) return
    if (!(await this.repo.exists(taskId, userId))) throw ApiError.notFound('No such task')
    // Already done: completing twice is fine.
  }

  /** The follow-up a note asked for, saved with the note in the caller's transaction. */
  async addFollowUp(
    trx: Trx,
    input: { noteId: string; guideId: string; externalUserId: string; dueDate: string; text: string; now: number },
  ): Promise<void> {
    const { text } = input
    await this.repo.insert(trx, {
      // One task a note: the note's id makes a retried note's task the same task.
      id: `note-${input.noteId}`,
      guideId: input.guideId,
      externalUserId: input.externalUserId,
      kind: 'follow_up',
      dueDate: input.dueDate,
      noteId: input.noteId,
      title: text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH)}…` : text,
      createdAt: input.now,
    })
  }
}
