import type { RankingSchedule, StoreSettings } from '../../../shared/team'
import type { Db, DbKind, Trx } from '../../db'
import { forUpdate } from '../../db/dialect'
import type { StoresTable } from '../../db/schema'

export interface StoreSummary {
  id: string
  name: string
}

/** What a store's settings are as stored: the columns the desk changes. */
export type StoreSettingsRow = Pick<
  StoresTable,
  'commission_bp' | 'evening_report_at' | 'ranking_weekday' | 'ranking_at' | 'ranking_metric'
>

export interface TillKeyRow {
  id: string
  label: string
  createdAt: number
  revokedAt: number | null
}

/** The weekly ranking as the columns hold it; null unless all three are set. */
export function rankingOf(row: StoreSettingsRow): RankingSchedule | null {
  if (row.ranking_weekday === null || row.ranking_at === null || row.ranking_metric === null) return null
  return { weekday: Number(row.ranking_weekday), at: row.ranking_at, metric: row.ranking_metric }
}

/**
 * Every read of the `stores` table (the CRM import writes it) and its tills' keys. Takes the `Db` or a `Trx`
 * (a transaction on it): nothing here differs between SQLite and PostgreSQL, and a caller
 * may read inside its own transaction.
 */
export class StoresRepository {
  private readonly db: Trx

  constructor(database: Db | Trx) {
    this.db = 'kysely' in database ? database.kysely : database
  }

  /** Every store, in id order: what a guide picks from. */
  list(): Promise<{ id: string; name: string; city: string }[]> {
    return this.db.selectFrom('stores').select(['id', 'name', 'city']).orderBy('id').execute()
  }

  find(id: string): Promise<StoreSummary | undefined> {
    return this.db.selectFrom('stores').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
  }

  /** The stores with these ids, in no particular order; unknown ids are left out. */
  async findMany(ids: readonly string[]): Promise<StoreSummary[]> {
    if (ids.length === 0) return []
    return this.db
      .selectFrom('stores')
      .select(['id', 'name'])
      .where('id', 'in', [...new Set(ids)])
      .execute()
  }

  /** Stores with their settings and how many people work there (null: every store), in id order. */
  async settings(storeIds: ReadonlySet<string> | null): Promise<StoreSettings[]> {
    if (storeIds && storeIds.size === 0) return []
    let query = this.db
      .selectFrom('stores as s')
      .select((eb) => [
        's.id',
        's.name',
        's.city',
        's.commission_bp',
        's.evening_report_at',
        's.ranking_weekday',
        's.ranking_at',
        's.ranking_metric',
        eb
          .selectFrom('guides as g')
          .select(eb.fn.countAll<number | string>().as('n'))
          .whereRef('g.store_id', '=', 's.id')
          .as('guides'),
      ])
      .orderBy('s.id')
    if (storeIds) query = query.where('s.id', 'in', [...storeIds])
    const rows = await query.execute()
    return rows.map((r) => ({
      storeId: r.id,
      name: r.name,
      city: r.city,
      commissionBp: r.commission_bp === null ? null : Number(r.commission_bp),
      eveningReportAt: r.evening_report_at,
      ranking: rankingOf(r),
      guides: Number(r.guides ?? 0),
    }))
  }

  /** A store's settings columns as they are before a change, locked until the transaction ends. */
  settingsForUpdate(kind: DbKind, id: string): Promise<StoreSettingsRow | undefined> {
    const query = this.db
      .selectFrom('stores')
      .select(['commission_bp', 'evening_report_at', 'ranking_weekday', 'ranking_at', 'ranking_metric'])
      .where('id', '=', id)
    return forUpdate(kind, query).executeTakeFirst()
  }

  async updateSettings(id: string, patch: Partial<StoreSettingsRow>): Promise<void> {
    if (Object.keys(patch).length === 0) return
    await this.db.updateTable('stores').set(patch).where('id', '=', id).execute()
  }

  /** A store's till keys, newest first. */
  async keys(storeId: string): Promise<TillKeyRow[]> {
    const rows = await this.db
      .selectFrom('store_api_keys')
      .select(['id', 'label', 'created_at', 'revoked_at'])
      .where('store_id', '=', storeId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    return rows.map(toTillKey)
  }

  /** One of a store's keys; a key of another store is not found. */
  async key(storeId: string, keyId: string): Promise<TillKeyRow | undefined> {
    const row = await this.db
      .selectFrom('store_api_keys')
      .select(['id', 'label', 'created_at', 'revoked_at'])
      .where('store_id', '=', storeId)
      .where('id', '=', keyId)
      .executeTakeFirst()
    return row && toTillKey(row)
  }

  /** Revoke a key that is still live; false when it already was. */
  async revokeKey(storeId: string, keyId: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('store_api_keys')
      .set({ revoked_at: at })
      .where('id', '=', keyId)
      .where('store_id', '=', storeId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** The store a key (by its hash) opens, and whether it was revoked. */
  keyByHash(keyHash: string): Promise<{ storeId: string; revokedAt: number | null } | undefined> {
    return this.db
      .selectFrom('store_api_keys')
      .select(['store_id as storeId', 'revoked_at as revokedAt'])
      .where('key_hash', '=', keyHash)
      .executeTakeFirst()
  }

  async insertKey(key: { id: string; storeId: string; keyHash: string; label: string; createdAt: number }): Promise<void> {
    await this.db
      .insertInto('store_api_keys')
      .values({
        id: key.id,
        store_id: key.storeId,
        key_hash: key.keyHash,
        label: key.label,
        created_at: key.createdAt,
        revoked_at: null,
      })
      .execute()
  }
}

function toTillKey(r: { id: string; label: string; created_at: number; revoked_at: number | null }): TillKeyRow {
  return {
    id: r.id,
    label: r.label,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  }
}
