/**
 * All SQL of bundles and their collages: the rows (and who may see them), how often each
 * went out and was opened, and what each collage key draws. Rows become `BundleRecord`s here.
 */
import type { Kysely } from 'kysely'
import type { BundleItemInput, BundleScope } from '../../../shared/bundles'
import type { Db } from '../../db'
import type { BundlesTable, Database } from '../../db/schema'
import { parseJsonArray } from '../../db/sql'
import type { CollageItem } from './collage'

/** A bundle as stored: its pieces as chosen, before the catalogue resolves them. */
export interface BundleRecord {
  id: string
  scope: BundleScope
  ownerId: string | null
  title: string
  note: string
  items: BundleItemInput[]
  retiredAt: number | null
  updatedAt: number
}

export interface NewBundle {
  id: string
  scope: BundleScope
  ownerId: string | null
  title: string
  note: string
  items: BundleItemInput[]
  now: number
}

export interface BundleChanges {
  title?: string
  note?: string
  items?: BundleItemInput[]
  retiredAt?: number | null
  updatedAt: number
}

export interface SendStats {
  sent: number
  opened: number
}

function toRecord(row: BundlesTable): BundleRecord {
  return {
    id: row.id,
    scope: row.scope,
    ownerId: row.owner_id,
    title: row.title,
    note: row.note,
    items: parseJsonArray<BundleItemInput>(row.items),
    retiredAt: row.retired_at === null ? null : Number(row.retired_at),
    updatedAt: Number(row.updated_at),
  }
}

/** Only the style and SKU of each piece are kept; names, prices and pictures come fresh from the catalogue. */
function itemsJson(items: readonly BundleItemInput[]): string {
  return JSON.stringify(items.map((i) => ({ productId: i.productId, skuId: i.skuId })))
}

export class BundlesRepository {
  private readonly db: Kysely<Database>

  constructor(database: Db) {
    this.db = database.kysely
  }

  /** The brand's bundles and this guide's own. */
  private visible(userId: string) {
    return this.db
      .selectFrom('bundles')
      .selectAll()
      .where((eb) => eb.or([eb('scope', '=', 'corp'), eb.and([eb('scope', '=', 'personal'), eb('owner_id', '=', userId)])]))
  }

  async listVisible(userId: string, query: { scope?: BundleScope; includeRetired?: boolean }): Promise<BundleRecord[]> {
    let rows = this.visible(userId)
    if (query.scope) rows = rows.where('scope', '=', query.scope)
    if (!query.includeRetired) rows = rows.where('retired_at', 'is', null)
    const found = await rows.orderBy('scope').orderBy('position').orderBy('updated_at', 'desc').orderBy('id').execute()
    return found.map(toRecord)
  }

  async findVisible(userId: string, id: string): Promise<BundleRecord | null> {
    const row = await this.visible(userId).where('id', '=', id).executeTakeFirst()
    return row ? toRecord(row) : null
  }

  /** A new bundle goes last in its list (the brand's, or its owner's). */
  async insert(bundle: NewBundle): Promise<void> {
    const last = await this.db
      .selectFrom('bundles')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('scope', '=', bundle.scope)
      .$if(bundle.ownerId !== null, (qb) => qb.where('owner_id', '=', bundle.ownerId))
      .executeTakeFirst()
    await this.db
      .insertInto('bundles')
      .values({
        id: bundle.id,
        scope: bundle.scope,
        owner_id: bundle.ownerId,
        title: bundle.title,
        note: bundle.note,
        items: itemsJson(bundle.items),
        position: Number(last?.max ?? -1) + 1,
        retired_at: null,
        created_at: bundle.now,
        updated_at: bundle.now,
      })
      .execute()
  }

  async update(id: string, changes: BundleChanges): Promise<void> {
    await this.db
      .updateTable('bundles')
      .set({
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.note !== undefined ? { note: changes.note } : {}),
        ...(changes.items ? { items: itemsJson(changes.items) } : {}),
        ...(changes.retiredAt !== undefined ? { retired_at: changes.retiredAt } : {}),
        updated_at: changes.updatedAt,
      })
      .where('id', '=', id)
      .execute()
  }

  /** Sends delivered and opened, by bundle; bundles never sent are missing. */
  async sendStats(ids: readonly string[]): Promise<Map<string, SendStats>> {
    const stats = new Map<string, SendStats>()
    if (ids.length === 0) return stats
    const rows = await this.db
      .selectFrom('bundle_sends')
      .select((eb) => [
        'bundle_id',
        eb.fn.countAll<number | string>().as('sent'),
        eb.fn.count<number | string>('first_opened_at').as('opened'),
      ])
      .where('bundle_id', 'in', [...ids])
      .where('status', '=', 'sent')
      .groupBy('bundle_id')
      .execute()
    for (const row of rows) stats.set(row.bundle_id, { sent: Number(row.sent), opened: Number(row.opened) })
    return stats
  }

  // --- Collages -------------------------------------------------------------------------------

  /** Record the collages not known yet; a key already there (or added meanwhile) is left as it is. */
  async addCollages(specs: ReadonlyMap<string, CollageItem[]>, now: number): Promise<void> {
    if (specs.size === 0) return
    const missing = new Map(specs)
    const known = await this.db
      .selectFrom('bundle_collages')
      .select('key')
      .where('key', 'in', [...missing.keys()])
      .execute()
    for (const { key } of known) missing.delete(key)
    if (missing.size === 0) return
    await this.db
      .insertInto('bundle_collages')
      .values([...missing].map(([key, spec]) => ({ key, spec: JSON.stringify(spec), png: null, created_at: now })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
  }

  async findCollage(key: string): Promise<{ spec: CollageItem[]; png: Buffer | null } | null> {
    const row = await this.db.selectFrom('bundle_collages').select(['spec', 'png']).where('key', '=', key).executeTakeFirst()
    if (!row) return null
    return { spec: JSON.parse(row.spec) as CollageItem[], png: row.png ? Buffer.from(row.png) : null }
  }

  /** Keep the drawn PNG; the first drawing kept wins, so every instance serves the same bytes. */
  async keepCollagePng(key: string, png: Buffer): Promise<void> {
    await this.db.updateTable('bundle_collages').set({ png }).where('key', '=', key).where('png', 'is', null).execute()
  }
}
