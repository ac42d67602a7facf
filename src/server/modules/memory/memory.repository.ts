import type { Kysely } from 'kysely'
import { bumped } from '../../db/sql'
import type { Database } from '../../db/schema'

export type Trx = Kysely<Database>

export interface EventInput {
  id: string
  externalUserId: string
  kind: string
  actorId: string | null
  occurredAt: number
  payload: Record<string, unknown>
}

/** The columns of customer_facts a guide edits, by API field name. */
export const FACT_COLUMNS = {
  sizeTop: 'size_top',
  sizeBottom: 'size_bottom',
  sizeDress: 'size_dress',
  sizeShoes: 'size_shoes',
  fitNotes: 'fit_notes',
  stylePreferences: 'style_preferences',
  colorsLiked: 'colors_liked',
  colorsAvoided: 'colors_avoided',
  materialsAvoided: 'materials_avoided',
  birthday: 'birthday',
  phone: 'phone',
  preferredStoreId: 'preferred_store_id',
} as const

export type FactColumn = (typeof FACT_COLUMNS)[keyof typeof FACT_COLUMNS]

export class MemoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work)
  }

  /**
   * Save facts (only the given columns) and move updated_at on — strictly, even within
   * one millisecond, because that column is what invalidates cached profiles.
   */
  async saveFacts(trx: Trx, externalUserId: string, values: Partial<Record<FactColumn, string>>, now: number): Promise<void> {
    await trx
      .insertInto('customer_facts')
      .values({ external_user_id: externalUserId, ...values, updated_at: now })
      .onConflict((oc) =>
        oc.column('external_user_id').doUpdateSet({
          ...values,
          updated_at: bumped('customer_facts.updated_at', now),
        }),
      )
      .execute()
  }

  /** Something about the customer changed that cached profiles must see. */
  touch(trx: Trx, externalUserId: string, now: number): Promise<void> {
    return this.saveFacts(trx, externalUserId, {}, now)
  }

  async ownFacts(externalUserId: string) {
    return this.db.selectFrom('customer_facts').selectAll().where('external_user_id', '=', externalUserId).executeTakeFirst()
  }

  async insertEvent(trx: Trx, event: EventInput): Promise<void> {
    await trx
      .insertInto('customer_events')
      .values({
        id: event.id,
        external_user_id: event.externalUserId,
        kind: event.kind,
        actor_id: event.actorId,
        occurred_at: event.occurredAt,
        payload: JSON.stringify(event.payload),
      })
      .execute()
  }

  findStore(id: string) {
    return this.db.selectFrom('stores').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
  }

  // --- WeCom cache updates after a successful write to WeCom ---------------------------------

  async updateFollow(
    trx: Trx,
    externalUserId: string,
    userId: string,
    values: { remark?: string; description?: string; tags?: string },
    now: number,
  ) {
    await trx
      .updateTable('wecom_follows')
      .set({ ...values, updated_at: bumped('updated_at', now) })
      .where('external_user_id', '=', externalUserId)
      .where('user_id', '=', userId)
      .execute()
  }

  /**
   * The follow row inside a read-modify-write: locked on PostgreSQL so two instances
   * changing her tags at once cannot lose one change (SQLite runs one writer at a time).
   */
  lockFollow(trx: Trx, externalUserId: string, userId: string, rowLocks: boolean) {
    const query = trx
      .selectFrom('wecom_follows')
      .selectAll()
      .where('external_user_id', '=', externalUserId)
      .where('user_id', '=', userId)
    return (rowLocks ? query.forUpdate() : query).executeTakeFirst()
  }

  // --- Personal tags ------------------------------------------------------------------------

  async addPersonalTags(trx: Trx, externalUserId: string, userId: string, names: string[], now: number): Promise<void> {
    if (names.length === 0) return
    await trx
      .insertInto('personal_tags')
      .values(names.map((name) => ({ external_user_id: externalUserId, user_id: userId, name, created_at: now })))
      .onConflict((oc) => oc.columns(['external_user_id', 'user_id', 'name']).doNothing())
      .execute()
  }

  async removePersonalTags(trx: Trx, externalUserId: string, userId: string, names: string[]): Promise<void> {
    if (names.length === 0) return
    await trx
      .deleteFrom('personal_tags')
      .where('external_user_id', '=', externalUserId)
      .where('user_id', '=', userId)
      .where('name', 'in', names)
      .execute()
  }

  // --- Notes and tasks --------------------------------------------------------------------------

  findNote(id: string) {
    return this.db
      .selectFrom('customer_notes as n')
      .leftJoin('guides as g', 'g.user_id', 'n.author_id')
      .selectAll('n')
      .select('g.name as author_name')
      .where('n.id', '=', id)
      .executeTakeFirst()
  }

  async insertNote(
    trx: Trx,
    note: {
      id: string
      externalUserId: string
      authorId: string
      text: string
      nextFollowUp: string | null
      outcome: string | null
      createdAt: number
    },
  ): Promise<void> {
    await trx
      .insertInto('customer_notes')
      .values({
        id: note.id,
        external_user_id: note.externalUserId,
        author_id: note.authorId,
        text: note.text,
        next_follow_up: note.nextFollowUp,
        outcome: note.outcome,
        created_at: note.createdAt,
      })
      .execute()
  }

  async insertTask(
    trx: Trx,
    task: {
      id: string
      guideId: string
      externalUserId: string
      dueDate: string
      noteId: string
      title: string
      createdAt: number
    },
  ): Promise<void> {
    await trx
      .insertInto('tasks')
      .values({
        id: task.id,
        guide_id: task.guideId,
        external_user_id: task.externalUserId,
        kind: 'follow_up',
        due_date: task.dueDate,
        note_id: task.noteId,
        title: task.title,
        done_at: null,
        created_at: task.createdAt,
      })
      .execute()
  }

  openTasks(guideId: string) {
    return this.db
      .selectFrom('tasks as t')
      .leftJoin('wecom_customers as c', 'c.external_user_id', 't.external_user_id')
      .leftJoin('wecom_follows as f', (join) =>
        join.onRef('f.external_user_id', '=', 't.external_user_id').onRef('f.user_id', '=', 't.guide_id'),
      )
      .select(['t.id', 't.kind', 't.due_date', 't.title', 't.done_at', 't.external_user_id', 'c.name', 'c.avatar', 'f.remark'])
      .where('t.guide_id', '=', guideId)
      .where('t.done_at', 'is', null)
      .orderBy('t.due_date')
      .orderBy('t.created_at')
      .limit(200)
      .execute()
  }

  async completeTask(id: string, guideId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('tasks')
      .set({ done_at: now })
      .where('id', '=', id)
      .where('guide_id', '=', guideId)
      .where('done_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  findTask(id: string, guideId: string) {
    return this.db.selectFrom('tasks').selectAll().where('id', '=', id).where('guide_id', '=', guideId).executeTakeFirst()
  }

  // --- Members -----------------------------------------------------------------------------------

  membersByPhone(phone: string) {
    return this.db
      .selectFrom('members as m')
      .leftJoin('stores as s', 's.id', 'm.store_id')
      .select(['m.id', 'm.name', 'm.phone', 'm.level', 'm.external_user_id', 's.name as store_name'])
      .where('m.phone', '=', phone)
      .orderBy('m.id')
      .limit(10)
      .execute()
  }

  memberOf(externalUserId: string) {
    return this.db.selectFrom('members').select(['id', 'name']).where('external_user_id', '=', externalUserId).executeTakeFirst()
  }

  findMember(id: string) {
    return this.db
      .selectFrom('members')
      .select(['id', 'name', 'phone', 'external_user_id'])
      .where('id', '=', id)
      .executeTakeFirst()
  }

  /** Claim the member for this customer only if nobody holds her: true when it took. */
  async bindMember(trx: Trx, memberId: string, externalUserId: string, now: number): Promise<boolean> {
    const result = await trx
      .updateTable('members')
      .set({ external_user_id: externalUserId, updated_at: now })
      .where('id', '=', memberId)
      .where('external_user_id', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }
}
