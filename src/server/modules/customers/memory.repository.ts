/**
 * What guides write about a customer: her facts, the events the timeline shows, her
 * follow entry after a WeCom write, personal tags and notes.
 */
import type { Db, DbKind, Trx } from '../../db'
import { forUpdate } from '../../db/dialect'
import { bumped } from '../../db/sql'

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

export interface NoteInput {
  id: string
  externalUserId: string
  authorId: string
  text: string
  nextFollowUp: string | null
  outcome: string | null
  createdAt: number
}

export class MemoryRepository {
  private readonly db: Trx
  private readonly kind: DbKind

  constructor(database: Db) {
    this.db = database.kysely
    this.kind = database.kind
  }

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
  lockFollow(trx: Trx, externalUserId: string, userId: string) {
    const query = trx
      .selectFrom('wecom_follows')
      .selectAll()
      .where('external_user_id', '=', externalUserId)
      .where('user_id', '=', userId)
    return forUpdate(this.kind, query).executeTakeFirst()
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

  // --- Notes ------------------------------------------------------------------------------------

  findNote(id: string) {
    return this.db
      .selectFrom('customer_notes as n')
      .leftJoin('guides as g', 'g.user_id', 'n.author_id')
      .selectAll('n')
      .select('g.name as author_name')
      .where('n.id', '=', id)
      .executeTakeFirst()
  }

  async insertNote(trx: Trx, note: NoteInput): Promise<void> {
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
}
