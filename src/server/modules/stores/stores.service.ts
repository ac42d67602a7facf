import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import type { StoreList } from '../../../shared/memory'
import type {
  RankingSchedule,
  StoreSettings,
  StoreSettingsList,
  StoreSettingsUpdate,
  TillKeyCreated,
  TillKeyList,
} from '../../../shared/team'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { writeTransaction } from '../../db/dialect'
import { iso } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { requireStoreInScope, requireTeamScope } from '../guides/roles'
import { AuditRepository } from '../replies/audit.repository'
import { hashStoreKey, newStoreKey } from './store-keys'
import { rankingOf, StoresRepository, type StoreSettingsRow } from './stores.repository'

/**
 * The company's stores, as guides pick them (a customer's preferred store); their
 * settings and their tills' keys, which only the store's manager or head office changes.
 * Every change of settings or keys is audited (entity 'store') in its transaction.
 */
export class StoresService {
  private readonly repo: StoresRepository
  private readonly audit: AuditRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new StoresRepository(ctx.db)
    this.audit = new AuditRepository(ctx.db)
  }

  async list(): Promise<StoreList> {
    return { items: await this.repo.list() }
  }

  /** The store whose till sent this key; 401 for a missing, unknown or revoked key. */
  async storeForKey(key: string | undefined): Promise<string> {
    if (!key) throw ApiError.unauthorized('Send the store API key (Authorization: Bearer <key>)')
    const found = await this.repo.keyByHash(hashStoreKey(key))
    if (!found || found.revokedAt !== null) throw ApiError.unauthorized('This store API key is not valid')
    return found.storeId
  }

  /** Her stores (every store for head office) with their settings. */
  async settingsList(userId: string): Promise<StoreSettingsList> {
    const scope = await requireTeamScope(this.ctx, userId)
    return { items: await this.repo.settings(scope.stores === 'all' ? null : scope.stores) }
  }

  /** Change the fields given; audited with only the fields whose value changed. */
  async updateSettings(userId: string, storeId: string, patch: StoreSettingsUpdate): Promise<StoreSettings> {
    await this.requireOwnStore(userId, storeId)
    await writeTransaction(this.ctx.db, async (trx) => {
      const repo = new StoresRepository(trx)
      const row = await repo.settingsForUpdate(this.ctx.db.kind, storeId)
      if (!row) throw ApiError.notFound('No such store')
      const now = settingsOf(row)
      const before: Record<string, unknown> = {}
      const after: StoreSettingsUpdate = {}
      for (const field of ['commissionBp', 'eveningReportAt', 'ranking'] as const) {
        if (patch[field] === undefined || isDeepStrictEqual(patch[field], now[field])) continue
        before[field] = now[field]
        Object.assign(after, { [field]: patch[field] })
      }
      if (Object.keys(after).length === 0) return
      await repo.updateSettings(storeId, columnsOf(after))
      await this.audit.record(trx, {
        id: randomUUID(),
        actorId: userId,
        entity: 'store',
        entityId: storeId,
        action: 'update',
        before,
        after,
        at: this.ctx.now(),
      })
    })
    const [settings] = await this.repo.settings(new Set([storeId]))
    return settings!
  }

  /** A store's till keys, newest first; never the key or its hash. */
  async listKeys(userId: string, storeId: string): Promise<TillKeyList> {
    await this.requireOwnStore(userId, storeId)
    const rows = await this.repo.keys(storeId)
    return {
      items: rows.map((r) => ({
        id: r.id,
        label: r.label,
        createdAt: iso(r.createdAt),
        revokedAt: r.revokedAt === null ? null : iso(r.revokedAt),
      })),
    }
  }

  /** A new key for a store's till, shown once; only its hash is kept. */
  async createKey(userId: string, storeId: string, label: string): Promise<TillKeyCreated> {
    await this.requireOwnStore(userId, storeId)
    const key = newStoreKey()
    const id = `sk_${randomUUID().replace(/-/g, '').slice(0, 16)}`
    const now = this.ctx.now()
    await writeTransaction(this.ctx.db, async (trx) => {
      await new StoresRepository(trx).insertKey({ id, storeId, keyHash: hashStoreKey(key), label, createdAt: now })
      await this.recordKey(trx, userId, storeId, 'create', label, now)
    })
    return { id, storeId, key }
  }

  /** Revoke a key: its till is refused from now on. Revoking it again changes nothing. */
  async revokeKey(userId: string, storeId: string, keyId: string): Promise<void> {
    await this.requireOwnStore(userId, storeId)
    const now = this.ctx.now()
    await writeTransaction(this.ctx.db, async (trx) => {
      const repo = new StoresRepository(trx)
      const key = await repo.key(storeId, keyId)
      if (!key) throw ApiError.notFound('This store has no such till key')
      if (await repo.revokeKey(storeId, keyId, now)) await this.recordKey(trx, userId, storeId, 'retire', key.label, now)
    })
  }

  /** A store the user looks after: 403 for a guide or another manager's store, 404 for none. */
  private async requireOwnStore(userId: string, storeId: string): Promise<void> {
    const scope = await requireTeamScope(this.ctx, userId)
    // Store ids are no secret (every guide lists them), so unknown can be told from not hers.
    if (!(await this.repo.find(storeId))) throw ApiError.notFound('No such store')
    requireStoreInScope(scope, storeId)
  }

  private recordKey(
    trx: Trx,
    userId: string,
    storeId: string,
    action: 'create' | 'retire',
    label: string,
    at: number,
  ): Promise<void> {
    // The label names the key; the key itself and its hash stay out of the log.
    return this.audit.record(trx, {
      id: randomUUID(),
      actorId: userId,
      entity: 'store',
      entityId: storeId,
      action,
      before: undefined,
      after: { tillKey: label },
      at,
    })
  }
}

function settingsOf(row: StoreSettingsRow): {
  commissionBp: number | null
  eveningReportAt: string | null
  ranking: RankingSchedule | null
} {
  return {
    commissionBp: row.commission_bp === null ? null : Number(row.commission_bp),
    eveningReportAt: row.evening_report_at,
    ranking: rankingOf(row),
  }
}

function columnsOf(fields: StoreSettingsUpdate): Partial<StoreSettingsRow> {
  const columns: Partial<StoreSettingsRow> = {}
  if (fields.commissionBp !== undefined) columns.commission_bp = fields.commissionBp
  if (fields.eveningReportAt !== undefined) columns.evening_report_at = fields.eveningReportAt
  if (fields.ranking !== undefined) {
    columns.ranking_weekday = fields.ranking?.weekday ?? null
    columns.ranking_at = fields.ranking?.at ?? null
    columns.ranking_metric = fields.ranking?.metric ?? null
  }
  return columns
}
