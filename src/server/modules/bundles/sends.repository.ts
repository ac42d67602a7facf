/**
 * All SQL of bundle sends: the card waiting for WeCom, its delivery, her opens, the
 * timeline entries they make.
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { BundleItem, BundleSend } from '../../../shared/bundles'
import type { Db, Trx } from '../../db'
import type { BundleSendsTable, Database } from '../../db/schema'

/** The bundle as it went out: her lookbook shows this, whatever happens to the bundle later. */
export interface SendSnapshot {
  title: string
  note: string
  items: BundleItem[]
  totalFen: number
  collageKey: string
}

export interface SendRecord {
  id: string
  bundleId: string
  guideId: string
  externalUserId: string | null
  status: BundleSend['status']
  snapshot: SendSnapshot
  createdAt: number
  lastOpenedAt: number | null
}

/** A send with the guide and store her lookbook names. */
export interface LookbookSend extends SendRecord {
  guideName: string | null
  storeId: string | null
  storeName: string | null
}

export interface NewSend {
  id: string
  bundleId: string
  guideId: string
  externalUserId: string | null
  chatId: string | null
  snapshot: SendSnapshot
  createdAt: number
}

/** A line in the customer's timeline about a send. */
export interface SendEvent {
  kind: 'bundle_sent' | 'bundle_opened'
  externalUserId: string
  actorId: string | null
  occurredAt: number
  payload: { bundleId: string; sendId: string; title: string; items: number }
}

type SendColumns = Pick<
  BundleSendsTable,
  'id' | 'bundle_id' | 'guide_id' | 'external_user_id' | 'status' | 'snapshot' | 'created_at' | 'last_opened_at'
>

function toRecord(row: SendColumns): SendRecord {
  return {
    id: row.id,
    bundleId: row.bundle_id,
    guideId: row.guide_id,
    externalUserId: row.external_user_id,
    status: row.status,
    snapshot: JSON.parse(row.snapshot) as SendSnapshot,
    createdAt: Number(row.created_at),
    lastOpenedAt: row.last_opened_at === null ? null : Number(row.last_opened_at),
  }
}

export class SendsRepository {
  private readonly db: Kysely<Database>

  constructor(database: Db) {
    this.db = database.kysely
  }

  async insertPending(send: NewSend): Promise<void> {
    await this.db
      .insertInto('bundle_sends')
      .values({
        id: send.id,
        bundle_id: send.bundleId,
        guide_id: send.guideId,
        external_user_id: send.externalUserId,
        chat_id: send.chatId,
        status: 'pending',
        snapshot: JSON.stringify(send.snapshot),
        created_at: send.createdAt,
        sent_at: null,
        first_opened_at: null,
        last_opened_at: null,
      })
      .execute()
  }

  async find(id: string): Promise<SendRecord | null> {
    const row = await this.db.selectFrom('bundle_sends').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toRecord(row) : null
  }

  async findForLookbook(id: string): Promise<LookbookSend | null> {
    const row = await this.db
      .selectFrom('bundle_sends as s')
      .leftJoin('guides as g', 'g.user_id', 's.guide_id')
      .leftJoin('stores as st', 'st.id', 'g.store_id')
      .select([
        's.id',
        's.guide_id',
        's.status',
        's.snapshot',
        's.bundle_id',
        's.external_user_id',
        's.created_at',
        's.last_opened_at',
        'g.name',
        'g.store_id',
        'st.name as store_name',
      ])
      .where('s.id', '=', id)
      .executeTakeFirst()
    if (!row) return null
    return { ...toRecord(row), guideName: row.name, storeId: row.store_id, storeName: row.store_name }
  }

  /** Pending → sent; false when it was not pending any more (another path got there first). */
  async markSent(trx: Trx, id: string, sentAt: number): Promise<boolean> {
    const updated = await trx
      .updateTable('bundle_sends')
      .set({ status: 'sent', sent_at: sentAt })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return Number(updated.numUpdatedRows) === 1
  }

  async cancelPending(id: string): Promise<void> {
    await this.db
      .updateTable('bundle_sends')
      .set({ status: 'cancelled' })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute()
  }

  async countOpen(trx: Trx, id: string, at: number): Promise<void> {
    await trx
      .updateTable('bundle_sends')
      .set((eb) => ({
        open_count: eb('open_count', '+', 1),
        first_opened_at: eb.fn.coalesce('first_opened_at', eb.val(at)),
        last_opened_at: at,
      }))
      .where('id', '=', id)
      .execute()
  }

  async insertEvent(trx: Trx, event: SendEvent): Promise<void> {
    await trx
      .insertInto('customer_events')
      .values({
        id: randomUUID(),
        external_user_id: event.externalUserId,
        kind: event.kind,
        actor_id: event.actorId,
        occurred_at: event.occurredAt,
        payload: JSON.stringify(event.payload),
      })
      .execute()
  }
}
