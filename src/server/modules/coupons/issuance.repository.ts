/**
 * The SQL of issuances, from reservation to her page. Every change of status is a
 * conditional update: it says whether it happened, so a racing twin does nothing twice.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely'
import type { Db, DbKind, Trx } from '../../db'
import { inList, insertTakingStock, pairsIn } from '../../db/dialect'
import { prepareQuery, type PreparedQuery } from '../../db/prepared'
import type { CouponIssuancesTable, Database } from '../../db/schema'
import { GuidesRepository } from '../guides/guides.repository'
import { StoresRepository } from '../stores/stores.repository'
import { takeStock } from './templates.repository'
import { ISSUANCE_COLUMNS, issuanceRow, toIssuanceRecord, type IssuanceContext, type IssuanceRecord } from './coupons.mapper'
import {
  MADE,
  OVERDUE,
  USED,
  quotaCountsFrom,
  batchStateFrom,
  BATCH_LISTS,
  type BatchAsk,
  type BatchState,
  type QuotaAsk,
  type QuotaCountMaps,
} from './batch-state'

/**
 * Reservations lapsed at `now` (never confirmed in time), as the sweep and a batch find
 * them: by when they lapse alone, in migration 0030's index of reservations.
 */
export function overdueReservations(db: Trx, now: number) {
  return db.selectFrom('coupon_issuances').where('status', '=', 'reserved').where('reserved_until', '<', now)
}

export class IssuanceRepository {
  private readonly db: Kysely<Database>
  private readonly kind: DbKind
  private readonly byKey
  /**
   * SQLite: the batch insert's SQL by number of rows. Kysely builds and compiles a batch's
   * insert (500 values) on every call, ≈ 0.3 ms, a third of what SQLite takes to insert them.
   */
  private readonly insertSqlByRows = new Map<number, string>()
  /** PostgreSQL: the batch insert taking its stock, one text for any number of rows (prepared); gated. */
  private readonly queryGeneric: Db['queryGeneric']
  private readonly insertTakingSql: { locked: string; gated: string } | null
  private readonly batchOf: PreparedQuery<BatchAsk, { scope: string; subject: string; n: number | string }>

  constructor(database: Db) {
    this.db = database.kysely
    this.kind = database.kind
    this.queryGeneric = database.queryGeneric
    const locked = insertTakingStock(database.kind, ISSUANCE_COLUMNS, false)
    const gated = insertTakingStock(database.kind, ISSUANCE_COLUMNS, true)
    this.insertTakingSql = locked && gated ? { locked, gated } : null
    if (locked) database.prepareText?.(locked)
    // Every send looks its key up first (most find nothing): prepared once.
    this.byKey = prepareQuery(database, (p: { guideId: string; key: string }) =>
      this.db.selectFrom('coupon_issuances').selectAll().where('guide_id', '=', p.guideId).where('idempotency_key', '=', p.key),
    )
    // Every batch of a coupon's sends reads it (SQLite, under the lock): built once.
    this.batchOf = prepareQuery(database, (q: BatchAsk) => this.batchQuery(this.db, q), { lists: BATCH_LISTS })
  }

  transaction<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work)
  }

  async find(id: string): Promise<IssuanceRecord | undefined> {
    const row = await this.db.selectFrom('coupon_issuances').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toIssuanceRecord(row)
  }

  async findByCode(code: string): Promise<IssuanceRecord | undefined> {
    const row = await this.db.selectFrom('coupon_issuances').selectAll().where('code', '=', code).executeTakeFirst()
    return row && toIssuanceRecord(row)
  }

  /** What this guide's idempotency key already made, if anything. */
  async findByKey(guideId: string, key: string): Promise<IssuanceRecord | undefined> {
    const [row] = await this.byKey({ guideId, key })
    return row && toIssuanceRecord(row)
  }

  /** What she holds (given-back reservations are not hers), newest first. */
  async ofCustomer(externalUserId: string): Promise<IssuanceRecord[]> {
    const rows = await this.db
      .selectFrom('coupon_issuances')
      .selectAll()
      .where('external_user_id', '=', externalUserId)
      .where('status', '!=', 'released')
      .orderBy('issued_at', 'desc')
      .orderBy('id', 'desc')
      .limit(100)
      .execute()
    return rows.map(toIssuanceRecord)
  }

  /** What these guides' idempotency keys already made, in one look. */
  async findByKeys(keys: readonly { guideId: string; key: string }[], trx: Trx = this.db): Promise<IssuanceRecord[]> {
    if (keys.length === 0) return []
    // The pairs themselves, one (guide, key) index lookup each: two lists would probe
    // every guide with every key (25 sends, 625 lookups).
    const rows = await trx
      .selectFrom('coupon_issuances')
      .selectAll()
      .where((eb) =>
        eb(
          eb.refTuple('guide_id', 'idempotency_key'),
          'in',
          keys.map((k) => eb.tuple(k.guideId, k.key)),
        ),
      )
      .execute()
    return rows.map(toIssuanceRecord)
  }

  /**
   * Insert these issuances and take as many from the template's stock (under its lock): the
   * ids written, and `taken` false should the stock not cover them (then nothing may stand:
   * the caller rolls back). One whose guide's key was used meanwhile (by a send whose lock
   * is not ours) is skipped, not an error, so the rest of its batch stands.
   */
  async insertTaking(
    trx: Trx,
    templateId: string,
    issuances: readonly IssuanceRecord[],
  ): Promise<{ written: Set<string>; taken: boolean }> {
    if (issuances.length === 0) return { written: new Set(), taken: true }
    const rows = issuances.map(issuanceRow)
    if (this.insertTakingSql) {
      // One round trip for both: the lock is held through every one, and every send behind
      // it waits for each.
      const run = async (text: string, values: unknown[]) => (await trx.executeQuery(CompiledQuery.raw(text, values))).rows
      return (await this.insertTakingAs(run, this.insertTakingSql.locked, templateId, rows, []))!
    }
    const values = rows.flatMap((row) => Object.values(row) as unknown[])
    const take = async (written: Set<string>) => ({
      written,
      taken: written.size === 0 || (await takeStock(trx, templateId, written.size)),
    })
    let insert = this.insertSqlByRows.get(rows.length)
    if (insert === undefined) {
      const compiled = trx
        .insertInto('coupon_issuances')
        .values(rows)
        .onConflict((oc) => oc.columns(['guide_id', 'idempotency_key']).doNothing())
        .returning('id')
        .compile()
      // Kept only if every value is a parameter, row after row in the row's own column
      // order: then the same SQL serves any rows of this count.
      const same = compiled.parameters.length === values.length && compiled.parameters.every((p, i) => p === values[i])
      if (!same) return take(new Set((await trx.executeQuery(compiled)).rows.map((row) => row.id)))
      insert = compiled.sql
      this.insertSqlByRows.set(rows.length, insert)
    }
    const query = CompiledQuery.raw(insert, values) as CompiledQuery<{ id: string }>
    return take(new Set((await trx.executeQuery(query)).rows.map((row) => row.id)))
  }

  /**
   * PostgreSQL: `insertTaking` in a statement of its own, outside any transaction, if the
   * template row is still at `version` (`prepareVersionedRead`); null when it is not (nothing was
   * written: decide again under the lock). Null on SQLite too.
   */
  async insertTakingAt(
    templateId: string,
    version: string,
    issuances: readonly IssuanceRecord[],
  ): Promise<{ written: Set<string>; taken: boolean } | null> {
    if (!this.insertTakingSql || !this.queryGeneric) return null
    // Planned once for any rows (the statement is small; PostgreSQL would make the same plan).
    const rows = issuances.map(issuanceRow)
    return this.insertTakingAs(this.queryGeneric, this.insertTakingSql.gated, templateId, rows, [version])
  }

  private async insertTakingAs(
    run: (text: string, values: unknown[]) => Promise<unknown[]>,
    text: string,
    templateId: string,
    rows: readonly CouponIssuancesTable[],
    gate: readonly string[],
  ): Promise<{ written: Set<string>; taken: boolean } | null> {
    const values = [...ISSUANCE_COLUMNS.map(([name]) => rows.map((row) => row[name])), templateId, ...gate]
    type Answer = { ids: string[]; taken: number | string; gated: number | string }
    const [answer] = (await run(text, values)) as Answer[]
    if (!answer || Number(answer.gated) !== 1) return null
    return { written: new Set(answer.ids), taken: answer.ids.length === 0 || Number(answer.taken) === 1 }
  }

  /** `quotaCountsMany` for one send: her holds of this coupon and this guide's week's count. */
  async quotaCounts(
    trx: Trx,
    q: { templateId: string; guideId: string; externalUserId: string; now: number; weekStart: number },
  ): Promise<{ holds: number; guideUsed: number }> {
    const counts = await this.quotaCountsMany(trx, { ...q, guideIds: [q.guideId], externalUserIds: [q.externalUserId] })
    return { holds: counts.holds.get(q.externalUserId) ?? 0, guideUsed: counts.guideUsed.get(q.guideId) ?? 0 }
  }

  /**
   * `quotaCounts` for a batch of sends of one coupon: her holds for each customer asked,
   * and each guide's issuances since `weekStart`, in one statement.
   */
  async quotaCountsMany(trx: Trx, q: QuotaAsk): Promise<QuotaCountMaps> {
    return quotaCountsFrom(await this.quotaQuery(trx, q).execute(), q.templateId)
  }

  /** The read behind `quotaCountsMany`, to run with the lock (`TemplatesRepository.lockReading`). */
  quotaQuery(trx: Trx, q: QuotaAsk) {
    // Her holds of every coupon, this one picked out below: a few rows a customer, found by
    // customer. Asked with the coupon as well, PostgreSQL went in by the coupon instead and
    // read all its issuances (its statistics, taken before the sale began, say it has none).
    const holds = trx
      .selectFrom('coupon_issuances')
      .select((e) => ['template_id as scope', 'external_user_id as subject', e.fn.countAll<number | string>().as('n')])
      .where(inList(this.kind, 'external_user_id', q.externalUserIds))
      .where('status', '!=', 'released')
      .where((e) => e.or([e('status', '=', 'redeemed'), e('valid_until', 'is', null), e('valid_until', '>=', q.now)]))
      .groupBy(['external_user_id', 'template_id'])
    // Her week's count is a counter row (migration 0025), not a scan of what she sent.
    const used = trx
      .selectFrom('coupon_guide_usage')
      .select((e) => [e.val(USED).as('scope'), 'guide_id as subject', e.cast<number | string>('used', 'integer').as('n')])
      .where('template_id', '=', q.templateId)
      .where(inList(this.kind, 'guide_id', q.guideIds))
      .where('week_start', '=', q.weekStart)
    return holds.unionAll(used)
  }

  /**
   * Everything a batch of sends decides with, in one statement, read under the coupon's
   * lock: the quota counts (`quotaQuery`), which of the batch's keys already made an
   * issuance (of any coupon: a retry is answered with it), and the reservations overdue at
   * `now` (of every coupon, found by status and time as `overdueOf` does; this one's are
   * picked out by `batchStateFrom`).
   */
  batchQuery(trx: Trx, q: BatchAsk) {
    const made = trx
      .selectFrom('coupon_issuances')
      .select((e) => [e.val(MADE).as('scope'), 'id as subject', e.cast<number | string>(e.val(0), 'integer').as('n')])
      .where(pairsIn(this.kind, ['guide_id', 'idempotency_key'], q.keys))
    const overdue = overdueReservations(trx, q.now).select((e) => [
      sql<string>`${OVERDUE} || ${e.ref('template_id')}`.as('scope'),
      'id as subject',
      e.cast<number | string>(e.val(0), 'integer').as('n'),
    ])
    return this.quotaQuery(trx, q).unionAll(made).unionAll(overdue)
  }

  async batchState(trx: Trx, q: BatchAsk): Promise<BatchState> {
    return batchStateFrom(await this.batchOf(q, trx), q.templateId)
  }

  /** These issuances, by id. */
  async findByIds(trx: Trx, ids: readonly string[]): Promise<IssuanceRecord[]> {
    if (ids.length === 0) return []
    const rows = await trx.selectFrom('coupon_issuances').selectAll().where('id', 'in', ids).execute()
    return rows.map(toIssuanceRecord)
  }

  /** The templates with a reservation overdue at `now`. */
  async templatesWithOverdue(now: number): Promise<string[]> {
    const rows = await overdueReservations(this.db, now).select('template_id').distinct().execute()
    return rows.map((row) => row.template_id)
  }

  /** This template's reservations overdue at `now`: their ids. */
  async overdueOf(templateId: string, now: number, trx: Trx = this.db): Promise<string[]> {
    // Found by when they lapse alone, this coupon's picked out here: asked with the
    // coupon, PostgreSQL went in by the coupon and read all its issuances (see above).
    const overdue = await overdueReservations(trx, now).select(['id', 'template_id']).execute()
    return overdue.filter((row) => row.template_id === templateId).map((row) => row.id)
  }

  /**
   * Release those of these reservations still overdue at `now`; how many were. Under the
   * template's lock (one confirmed or cancelled since it was read is left as it is).
   */
  async releaseOverdueOf(trx: Trx, templateId: string, ids: readonly string[], now: number): Promise<number> {
    let released = 0
    // A few hundred at a time: after a long outage thousands may be due, more than a
    // statement may bind.
    for (let start = 0; start < ids.length; start += 500) {
      const done = await trx
        .updateTable('coupon_issuances')
        .set({ status: 'released', released_at: now, reserved_until: null, release_reason: 'timeout' })
        .where('id', 'in', ids.slice(start, start + 500))
        .where('template_id', '=', templateId)
        .where('status', '=', 'reserved')
        .where('reserved_until', '<', now)
        .returning('id')
        .execute()
      released += done.length
    }
    return released
  }

  /** A reservation the guide cancelled; false when it was no longer reserved. */
  async releaseReserved(trx: Trx, id: string, now: number): Promise<boolean> {
    const released = await trx
      .updateTable('coupon_issuances')
      .set({ status: 'released', released_at: now, reserved_until: null, release_reason: 'cancel' })
      .where('id', '=', id)
      .where('status', '=', 'reserved')
      .executeTakeFirst()
    return Number(released.numUpdatedRows) === 1
  }

  /** WeCom took the card; false when it was no longer reserved. */
  async markSent(id: string, now: number): Promise<boolean> {
    const done = await this.db
      .updateTable('coupon_issuances')
      .set({ status: 'sent', sent_at: now, reserved_until: null })
      .where('id', '=', id)
      .where('status', '=', 'reserved')
      .executeTakeFirst()
    return Number(done.numUpdatedRows) === 1
  }

  /** She opened it: claimed, and sent if the app never said so. */
  async markClaimed(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('coupon_issuances')
      .set((eb) => ({
        status: 'claimed',
        claimed_at: now,
        sent_at: eb.fn.coalesce('sent_at', eb.val(now)),
        reserved_until: null,
      }))
      .where('id', '=', id)
      .where('status', 'in', ['reserved', 'sent'])
      .execute()
  }

  /** A timed-out reservation delivered after all; false when another revived it first. */
  async revive(trx: Trx, id: string, status: 'sent' | 'claimed', now: number): Promise<boolean> {
    const revived = await trx
      .updateTable('coupon_issuances')
      .set({
        status,
        sent_at: now,
        claimed_at: status === 'claimed' ? now : null,
        released_at: null,
        release_reason: null,
        reserved_until: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'released')
      .where('release_reason', '=', 'timeout')
      .executeTakeFirst()
    return Number(revived.numUpdatedRows) === 1
  }

  /** The templates, guides and stores these issuances show. */
  async contextOf(issuances: IssuanceRecord[]): Promise<IssuanceContext> {
    const templates = await this.db
      .selectFrom('coupon_templates')
      .select(['id', 'name', 'kind', 'value', 'threshold'])
      .where('id', 'in', [...new Set(issuances.map((r) => r.templateId))])
      .execute()
    const names = await new GuidesRepository(this.db).names(issuances.map((r) => r.guideId))
    const guides = [...names].map(([userId, name]) => ({ userId, name }))
    const storeIds = issuances.flatMap((r) => (r.redeemedStoreId ? [r.redeemedStoreId] : []))
    return { templates, guides, stores: await new StoresRepository(this.db).findMany(storeIds) }
  }
}
