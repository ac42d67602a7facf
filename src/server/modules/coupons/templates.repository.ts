/**
 * The SQL of coupon templates: the rows, their stock, their counts and their audit trail.
 * Stock only moves by conditional updates, inside a transaction that holds the row.
 */
import { randomUUID } from 'node:crypto'
import type { Compilable, Kysely, Selectable } from 'kysely'
import type { Db, DbKind, Trx } from '../../db'
import { forUpdate, lockReading, prepareVersionedRead } from '../../db/dialect'
import type { PrepareOptions } from '../../db/prepared'
import { prepareQuery } from '../../db/prepared'
import type { CouponTemplatesTable, Database } from '../../db/schema'
import { templateColumns, toTemplateRecord, type TemplateCounts, type TemplateRecord } from './coupons.mapper'

export class TemplatesRepository {
  private readonly db: Kysely<Database>
  private readonly kind: DbKind
  private readonly textsOf
  private readonly lockOf

  constructor(private readonly database: Db) {
    this.db = database.kysely
    this.kind = database.kind
    // Read before every coupon send: prepared once.
    this.textsOf = prepareQuery(database, (p: { id: string }) =>
      this.db
        .selectFrom('coupon_templates as t')
        .innerJoin('private_text_version as v', (join) => join.on('v.id', '=', 1))
        .select(['t.name', 't.description', 'v.version'])
        .where('t.id', '=', p.id),
    )
    // Every batch of a coupon's sends on SQLite takes it: built once.
    this.lockOf = prepareQuery(database, (p: { id: string }) =>
      forUpdate(this.kind, this.db.selectFrom('coupon_templates').selectAll().where('id', '=', p.id)),
    )
  }

  transaction<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work)
  }

  /** Every template, newest first; `active` keeps only those not paused or ended. */
  async list(only?: 'active'): Promise<TemplateRecord[]> {
    let query = this.db.selectFrom('coupon_templates').selectAll()
    if (only) query = query.where('status', '=', 'active')
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute()
    return rows.map(toTemplateRecord)
  }

  async find(id: string, trx: Trx = this.db): Promise<TemplateRecord | undefined> {
    const row = await trx.selectFrom('coupon_templates').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toTemplateRecord(row)
  }

  /** Read the template and hold its row until the transaction ends. */
  async lock(trx: Trx, id: string): Promise<TemplateRecord | undefined> {
    const [row] = await this.lockOf({ id }, trx)
    return row && toTemplateRecord(row)
  }

  /**
   * `lock`, with a read that depends on what was issued of the template run in the same
   * round trip where the database can (`lockReading`; `read` is built only then); `read`
   * null: run it yourself now.
   */
  async lockReading<R>(
    trx: Trx,
    id: string,
    read: () => Compilable<R>,
  ): Promise<{ template: TemplateRecord | undefined; read: R[] | null }> {
    const both = await lockReading(this.database, trx, 'coupon_templates', id, read)
    if (!both) return { template: await this.lock(trx, id), read: null }
    return { template: both.row && toTemplateRecord(both.row as Selectable<CouponTemplatesTable>), read: both.read }
  }

  /**
   * The template with reads that depend on what was issued of it, and the row's version,
   * in one statement without a lock, for a write that goes ahead only while the row is
   * that version (see `IssuanceRepository.insertTakingAt`); built once from `reads` (see
   * `prepareVersionedRead`). The reader answers null where the database cannot (SQLite).
   */
  versionedReader<Args extends object, Reads extends Record<string, Compilable<unknown>>>(
    reads: (db: Trx, args: Args) => Reads,
    lists: PrepareOptions<Args>['lists'],
  ) {
    const read = prepareVersionedRead(this.database, 'coupon_templates', reads, lists)
    return async (id: string, args: Args) => {
      const found = await read(id, args)
      if (!found) return null
      const template = found.row && toTemplateRecord(found.row as Selectable<CouponTemplatesTable>)
      return { template, version: found.version, reads: found.reads }
    }
  }

  /**
   * The words her card and page would carry, with the privacy check's version read in the
   * same round trip (before the check reads anything else, as it needs).
   */
  async texts(id: string): Promise<{ name: string; description: string; privacyVersion: string } | undefined> {
    const [row] = await this.textsOf({ id })
    return row && { name: row.name, description: row.description, privacyVersion: String(row.version) }
  }

  /** Issued (given-back reservations aside) and redeemed, for each template asked. */
  async counts(ids: string[]): Promise<Map<string, TemplateCounts>> {
    const map = new Map<string, TemplateCounts>()
    if (ids.length === 0) return map
    const rows = await this.db
      .selectFrom('coupon_issuances')
      .select((eb) => [
        'template_id',
        eb.fn.countAll<number | string>().as('issued'),
        eb.fn.sum<number | string>(eb.case().when('status', '=', 'redeemed').then(1).else(0).end()).as('redeemed'),
      ])
      .where('template_id', 'in', ids)
      .where('status', '!=', 'released')
      .groupBy('template_id')
      .execute()
    for (const row of rows) map.set(row.template_id, { issued: Number(row.issued), redeemed: Number(row.redeemed ?? 0) })
    return map
  }

  async insert(trx: Trx, template: TemplateRecord): Promise<void> {
    await trx
      .insertInto('coupon_templates')
      .values(templateColumns(template) as CouponTemplatesTable)
      .execute()
  }

  async update(trx: Trx, id: string, changes: Partial<TemplateRecord>): Promise<void> {
    await trx.updateTable('coupon_templates').set(templateColumns(changes)).where('id', '=', id).execute()
  }

  async delete(trx: Trx, id: string): Promise<void> {
    await trx.deleteFrom('coupon_templates').where('id', '=', id).execute()
  }

  async hasIssuances(trx: Trx, id: string): Promise<boolean> {
    const any = await trx.selectFrom('coupon_issuances').select('id').where('template_id', '=', id).limit(1).executeTakeFirst()
    return any !== undefined
  }

  /** Take `units` from stock; false (nothing taken) when fewer are left. */
  take(trx: Trx, id: string, units: number): Promise<boolean> {
    return takeStock(trx, id, units)
  }

  async giveBack(trx: Trx, id: string, units: number): Promise<void> {
    await trx
      .updateTable('coupon_templates')
      .set((eb) => ({ stock_left: eb('stock_left', '+', units) }))
      .where('id', '=', id)
      .execute()
  }

  async audit(
    trx: Trx,
    entry: { actorId: string; templateId: string; action: string; before: unknown; after: unknown; at: number },
  ): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({
        id: randomUUID(),
        actor_id: entry.actorId,
        entity: 'coupon_template',
        entity_id: entry.templateId,
        action: entry.action,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        at: entry.at,
      })
      .execute()
  }
}

/** Take `units` of a template's stock; false (nothing taken) when fewer are left. Under its lock. */
export async function takeStock(trx: Trx, id: string, units: number): Promise<boolean> {
  const taken = await trx
    .updateTable('coupon_templates')
    .set((eb) => ({ stock_left: eb('stock_left', '-', units) }))
    .where('id', '=', id)
    .where('stock_left', '>=', units)
    .executeTakeFirst()
  return Number(taken.numUpdatedRows) === 1
}
