/**
 * Coupons are money, so every change of stock is a conditional update inside a
 * transaction that holds the template's row (PostgreSQL `FOR UPDATE`; SQLite runs one
 * write transaction at a time): stock never goes below zero, a key used twice is one
 * issuance, and a reservation is given back exactly once — by the guide's cancel or,
 * never confirmed, by the sweep a few minutes later.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Transaction } from 'kysely'
import type {
  CouponOffer,
  CouponRefusal,
  CouponTemplate,
  CouponTemplateCreate,
  CouponTemplateUpdate,
  Issuance,
  IssuanceStatus,
  Redemption,
} from '../../../shared/coupons'
import type { MemberLevel } from '../../../shared/customer'
import type { AppContext } from '../../context'
import type { CouponIssuancesTable, CouponTemplatesTable, Database } from '../../db/schema'
import { iso, isoOrNull, isUniqueViolation, parseJsonArray } from '../../db/sql'
import { ApiError } from '../../http/errors'
import type { CustomersService } from '../customers/customers.service'
import { requireManager } from '../guides/roles'
import { PrivateTextGuard } from '../privacy/private-text.guard'
import { couponCardText } from './claim-page'

type Trx = Transaction<Database>
type TemplateRow = CouponTemplatesTable
type IssuanceRow = CouponIssuancesTable

/** A reservation the app never confirmed goes back to stock after this long. */
export const RESERVATION_MS = 5 * 60 * 1000
const DAY_MS = 86_400_000
/** China has one time zone and no daylight saving: weeks and dates are UTC+8. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

/** Monday 00:00 in Shanghai of the week `now` falls in. */
export function weekStart(now: number): number {
  const local = now + SHANGHAI_OFFSET_MS
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7
  return dayStart - weekday * DAY_MS - SHANGHAI_OFFSET_MS
}

/** `YYYY-MM-DD` in Shanghai → the first (or, with `end`, the last) millisecond of that day. */
function shanghaiDay(date: string, end = false): number {
  const start = Date.parse(`${date}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS
  return end ? start + DAY_MS - 1 : start
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** 12 characters a cashier can read and type: no 0/O, 1/I. */
function newCode(): string {
  const bytes = randomBytes(12)
  let code = ''
  for (const byte of bytes) code += CODE_ALPHABET[byte % CODE_ALPHABET.length]
  return code
}

/** What a till or a customer types: any case, with or without spaces and dashes. */
export function normalizeCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '')
}

export function hashStoreKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

function refusal(code: CouponRefusal, message: string): ApiError {
  return new ApiError(409, code, message)
}

export interface CustomerFacts {
  level: MemberLevel | null
  tags: string[]
  /** Orders the CRM has for her; 0 when she is not a member (nothing bought that we know of). */
  orderCount: number
}

export class CouponsService {
  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
  ) {}

  private get db() {
    return this.ctx.db.kysely
  }

  private get rowLocks(): boolean {
    return this.ctx.db.kind === 'postgres'
  }

  // --- Templates ------------------------------------------------------------------------------

  private async counts(ids: string[]): Promise<Map<string, { issued: number; redeemed: number }>> {
    const map = new Map<string, { issued: number; redeemed: number }>()
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

  private toTemplate(row: TemplateRow, counts?: { issued: number; redeemed: number }): CouponTemplate {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      kind: row.kind,
      value: row.value,
      threshold: row.threshold,
      totalStock: row.total_stock,
      stockLeft: row.stock_left,
      issued: counts?.issued ?? 0,
      redeemed: counts?.redeemed ?? 0,
      perCustomerLimit: row.per_customer_limit,
      guideWeeklyQuota: row.guide_weekly_quota,
      validDays: row.valid_days,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      eligibleLevels: parseJsonArray<string>(row.eligible_levels),
      eligibleTags: parseJsonArray<string>(row.eligible_tags),
      maxOrders: row.max_orders ?? null,
      storeIds: parseJsonArray<string>(row.store_ids),
      online: row.online === 1,
      status: row.status,
      createdAt: iso(Number(row.created_at)),
      updatedAt: iso(Number(row.updated_at)),
    }
  }

  async listTemplates(userId: string): Promise<CouponTemplate[]> {
    await requireManager(this.ctx, userId)
    const rows = await this.db.selectFrom('coupon_templates').selectAll().orderBy('created_at', 'desc').orderBy('id').execute()
    const counts = await this.counts(rows.map((r) => r.id))
    return rows.map((r) => this.toTemplate(r, counts.get(r.id)))
  }

  private checkTemplate(input: {
    kind: TemplateRow['kind']
    value: number
    threshold: number
    validDays?: number | null
    validFrom?: string | null
    validTo?: string | null
  }): void {
    if (input.kind === 'percent_off' && (input.value < 1 || input.value > 99)) {
      throw ApiError.badRequest('value: a percent_off coupon takes 1 to 99 percent off')
    }
    // 0 means any order (as no_threshold); otherwise the spend must exceed what comes off.
    if (input.kind === 'amount_off' && input.threshold !== 0 && input.threshold <= input.value) {
      throw ApiError.badRequest('threshold: an amount_off coupon needs a threshold above its value (or 0 for any order)')
    }
    if (input.kind === 'no_threshold' && input.threshold !== 0) throw ApiError.badRequest('threshold: must be 0 for no_threshold')
    const fixed = input.validFrom != null || input.validTo != null
    if (fixed) {
      if (!input.validFrom || !input.validTo) throw ApiError.badRequest('validFrom and validTo: give both, or validDays')
      for (const [field, value] of [
        ['validFrom', input.validFrom],
        ['validTo', input.validTo],
      ] as const) {
        const parsed = new Date(`${value}T00:00:00Z`)
        // Round-trip: 2026-02-30 parses, as March 2nd, and is not a date.
        if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
          throw ApiError.badRequest(`${field}: ${value} is not a date`)
        }
      }
      if (input.validTo < input.validFrom) throw ApiError.badRequest('validTo: before validFrom')
      if (shanghaiDay(input.validTo, true) < this.ctx.now()) throw ApiError.badRequest('validTo: already past')
      if (input.validDays != null) throw ApiError.badRequest('validDays: give either validDays or fixed dates, not both')
    } else if (input.validDays == null) {
      throw ApiError.badRequest('validDays: how many days a coupon is valid from issue (or validFrom and validTo)')
    }
  }

  private async audit(
    trx: Trx,
    actorId: string,
    entityId: string,
    action: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({
        id: randomUUID(),
        actor_id: actorId,
        entity: 'coupon_template',
        entity_id: entityId,
        action,
        before: before === undefined ? null : JSON.stringify(before),
        after: after === undefined ? null : JSON.stringify(after),
        at: this.ctx.now(),
      })
      .execute()
  }

  async createTemplate(userId: string, input: CouponTemplateCreate): Promise<CouponTemplate> {
    await requireManager(this.ctx, userId)
    this.checkTemplate(input)
    const stores = input.storeIds ?? []
    await this.checkStores(stores)
    const now = this.ctx.now()
    const id = `ct_${randomUUID().replace(/-/g, '').slice(0, 20)}`
    const row: TemplateRow = {
      id,
      name: input.name.trim(),
      description: (input.description ?? '').trim(),
      kind: input.kind,
      value: input.value,
      threshold: input.threshold,
      total_stock: input.totalStock,
      stock_left: input.totalStock,
      per_customer_limit: input.perCustomerLimit,
      guide_weekly_quota: input.guideWeeklyQuota,
      valid_days: input.validDays ?? null,
      valid_from: input.validFrom ?? null,
      valid_to: input.validTo ?? null,
      eligible_levels: JSON.stringify(input.eligibleLevels ?? []),
      eligible_tags: JSON.stringify(input.eligibleTags ?? []),
      max_orders: input.maxOrders ?? null,
      store_ids: JSON.stringify(stores),
      online: input.online === false ? 0 : 1,
      status: 'active',
      created_by: userId,
      created_at: now,
      updated_at: now,
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('coupon_templates').values(row).execute()
      await this.audit(trx, userId, id, 'create', undefined, input)
    })
    return this.toTemplate(row)
  }

  private async checkStores(stores: string[]): Promise<void> {
    if (!stores.length) return
    const known = await this.db.selectFrom('stores').select('id').where('id', 'in', stores).execute()
    const missing = stores.filter((id) => !known.some((k) => k.id === id))
    if (missing.length) throw ApiError.badRequest(`storeIds: no store ${missing.join(', ')}`)
  }

  async updateTemplate(userId: string, id: string, patch: CouponTemplateUpdate): Promise<CouponTemplate> {
    await requireManager(this.ctx, userId)
    if (patch.storeIds) await this.checkStores(patch.storeIds)
    const updated = await this.db.transaction().execute(async (trx) => {
      const row = await this.lockTemplate(trx, id)
      if (!row) throw ApiError.notFound('No such coupon template')
      if (row.status === 'ended' && patch.status && patch.status !== 'ended') {
        throw new ApiError(409, 'conflict', 'An ended coupon cannot be restarted: create a new one')
      }
      let stockLeft = row.stock_left
      if (patch.totalStock !== undefined) {
        const taken = row.total_stock - row.stock_left
        if (patch.totalStock < taken) throw ApiError.badRequest(`totalStock: ${taken} are already reserved or issued`)
        stockLeft = patch.totalStock - taken
      }
      const next: Partial<TemplateRow> = {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.description !== undefined ? { description: patch.description.trim() } : {}),
        ...(patch.totalStock !== undefined ? { total_stock: patch.totalStock, stock_left: stockLeft } : {}),
        ...(patch.perCustomerLimit !== undefined ? { per_customer_limit: patch.perCustomerLimit } : {}),
        ...(patch.guideWeeklyQuota !== undefined ? { guide_weekly_quota: patch.guideWeeklyQuota } : {}),
        ...(patch.eligibleLevels !== undefined ? { eligible_levels: JSON.stringify(patch.eligibleLevels) } : {}),
        ...(patch.eligibleTags !== undefined ? { eligible_tags: JSON.stringify(patch.eligibleTags) } : {}),
        ...(patch.maxOrders !== undefined ? { max_orders: patch.maxOrders } : {}),
        ...(patch.storeIds !== undefined ? { store_ids: JSON.stringify(patch.storeIds) } : {}),
        ...(patch.online !== undefined ? { online: patch.online ? 1 : 0 } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        updated_at: Math.max(this.ctx.now(), Number(row.updated_at) + 1),
      }
      await trx.updateTable('coupon_templates').set(next).where('id', '=', id).execute()
      await this.audit(
        trx,
        userId,
        id,
        patch.status && patch.status !== row.status ? 'update' : 'update',
        this.toTemplate(row),
        patch,
      )
      return { ...row, ...next } as TemplateRow
    })
    const counts = await this.counts([id])
    return this.toTemplate(updated, counts.get(id))
  }

  /** Only a template nobody holds can go; one with issuances is paused or ended instead. */
  async deleteTemplate(userId: string, id: string): Promise<void> {
    await requireManager(this.ctx, userId)
    await this.db.transaction().execute(async (trx) => {
      const row = await this.lockTemplate(trx, id)
      if (!row) throw ApiError.notFound('No such coupon template')
      const any = await trx.selectFrom('coupon_issuances').select('id').where('template_id', '=', id).limit(1).executeTakeFirst()
      if (any) throw new ApiError(409, 'conflict', 'This coupon has been issued: pause or end it instead of deleting it')
      await trx.deleteFrom('coupon_templates').where('id', '=', id).execute()
      await this.audit(trx, userId, id, 'retire', { name: row.name }, undefined)
    })
  }

  private lockTemplate(trx: Trx, id: string): Promise<TemplateRow | undefined> {
    const query = trx.selectFrom('coupon_templates').selectAll().where('id', '=', id)
    return (this.rowLocks ? query.forUpdate() : query).executeTakeFirst()
  }

  // --- Issuing --------------------------------------------------------------------------------

  /** Her member level and tags, as eligibility reads them (403/404 as the profile answers). */
  private async customerFacts(userId: string, externalUserId: string): Promise<CustomerFacts> {
    const profile = await this.customers.getProfile(userId, externalUserId)
    return {
      level: profile.member?.level ?? null,
      tags: profile.follow.tags.map((t) => t.name),
      orderCount: profile.member?.stats.orderCount ?? 0,
    }
  }

  private eligible(row: TemplateRow, facts: CustomerFacts): boolean {
    const levels = parseJsonArray<string>(row.eligible_levels)
    const tags = parseJsonArray<string>(row.eligible_tags)
    if (levels.length && (!facts.level || !levels.includes(facts.level))) return false
    if (tags.length && !tags.some((t) => facts.tags.includes(t))) return false
    return true
  }

  private active(row: TemplateRow, now: number): boolean {
    if (row.status !== 'active') return false
    return !row.valid_to || shanghaiDay(row.valid_to, true) >= now
  }

  /**
   * Give back reservations nobody confirmed in time: each exactly once, stock with it.
   * Locks are always taken template first, then its issuances, as issuing does.
   */
  async releaseExpired(): Promise<number> {
    const due = await this.db
      .selectFrom('coupon_issuances')
      .select('template_id')
      .distinct()
      .where('status', '=', 'reserved')
      .where('reserved_until', '<', this.ctx.now())
      .execute()
    let released = 0
    for (const { template_id: id } of due) {
      released += await this.db.transaction().execute(async (trx) => {
        await this.lockTemplate(trx, id)
        return this.releaseExpiredOf(trx, id)
      })
    }
    return released
  }

  /** The same for one template, inside a transaction that holds its row. */
  private async releaseExpiredOf(trx: Trx, templateId: string): Promise<number> {
    const now = this.ctx.now()
    const released = await trx
      .updateTable('coupon_issuances')
      .set({ status: 'released', released_at: now, reserved_until: null, release_reason: 'timeout' })
      .where('template_id', '=', templateId)
      .where('status', '=', 'reserved')
      .where('reserved_until', '<', now)
      .returning('id')
      .execute()
    if (released.length) {
      await trx
        .updateTable('coupon_templates')
        .set((eb) => ({ stock_left: eb('stock_left', '+', released.length) }))
        .where('id', '=', templateId)
        .execute()
    }
    return released.length
  }

  /** Why this guide cannot send this coupon to her now, or null. Run inside the lock. */
  private async refusalFor(
    trx: Trx,
    row: TemplateRow,
    userId: string,
    externalUserId: string,
    facts: CustomerFacts,
  ): Promise<{ reason: CouponRefusal | null; guideUsed: number; holds: number }> {
    const now = this.ctx.now()
    const [holds, guideUsed] = await Promise.all([
      trx
        .selectFrom('coupon_issuances')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('template_id', '=', row.id)
        .where('external_user_id', '=', externalUserId)
        .where('status', '!=', 'released')
        // A coupon that ran out unused no longer counts against her limit.
        .where((eb) => eb.or([eb('status', '=', 'redeemed'), eb('valid_until', 'is', null), eb('valid_until', '>=', now)]))
        .executeTakeFirstOrThrow(),
      trx
        .selectFrom('coupon_issuances')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('template_id', '=', row.id)
        .where('guide_id', '=', userId)
        .where('issued_at', '>=', weekStart(now))
        .where('status', '!=', 'released')
        .executeTakeFirstOrThrow(),
    ])
    const counts = { holds: Number(holds.n), guideUsed: Number(guideUsed.n) }
    let reason: CouponRefusal | null = null
    if (!this.active(row, now)) reason = 'template_inactive'
    else if (!this.eligible(row, facts)) reason = 'not_eligible'
    else if (row.max_orders !== null && facts.orderCount > row.max_orders) reason = 'too_many_orders'
    else if (counts.holds >= row.per_customer_limit) reason = 'customer_limit'
    else if (counts.guideUsed >= row.guide_weekly_quota) reason = 'guide_quota'
    else if (row.stock_left <= 0) reason = 'out_of_stock'
    return { reason, ...counts }
  }

  async offers(userId: string, externalUserId: string): Promise<CouponOffer[]> {
    const facts = await this.customerFacts(userId, externalUserId)
    const rows = await this.db
      .selectFrom('coupon_templates')
      .selectAll()
      .where('status', '=', 'active')
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute()
    const counts = await this.counts(rows.map((r) => r.id))
    const offers: CouponOffer[] = []
    for (const row of rows) {
      if (!this.active(row, this.ctx.now())) continue
      const { reason, guideUsed, holds } = await this.db
        .transaction()
        .execute((trx) => this.refusalFor(trx, row, userId, externalUserId, facts))
      offers.push({
        template: this.toTemplate(row, counts.get(row.id)),
        available: reason === null,
        reason,
        guideUsedThisWeek: guideUsed,
        customerHolds: holds,
      })
    }
    // What she can have first; then the rest, each with its reason.
    return offers.sort((a, b) => Number(b.available) - Number(a.available))
  }

  async issue(
    userId: string,
    templateId: string,
    input: { externalUserId: string; idempotencyKey: string },
    origin: string,
  ): Promise<{ issuance: Issuance; created: boolean }> {
    // Before the lock: the key may already have done its work (a retry).
    const earlier = await this.findByKey(userId, input.idempotencyKey)
    if (earlier)
      return { issuance: await this.view(this.sameKey(earlier, templateId, input.externalUserId), origin), created: false }
    const facts = await this.customerFacts(userId, input.externalUserId)
    await this.assertNothingPrivate(userId, templateId, input.externalUserId)
    const attempt = this.db.transaction().execute(async (trx) => {
      const row = await this.lockTemplate(trx, templateId)
      if (!row) throw ApiError.notFound('No such coupon')
      const again = await trx
        .selectFrom('coupon_issuances')
        .selectAll()
        .where('guide_id', '=', userId)
        .where('idempotency_key', '=', input.idempotencyKey)
        .executeTakeFirst()
      if (again) return { row: this.sameKey(again, templateId, input.externalUserId), created: false }
      // Overdue reservations of this coupon go back first; the row we hold counts them in.
      const released = await this.releaseExpiredOf(trx, templateId)
      const fresh: TemplateRow = { ...row, stock_left: row.stock_left + released }
      const { reason } = await this.refusalFor(trx, fresh, userId, input.externalUserId, facts)
      if (reason) throw refusal(reason, REFUSAL_MESSAGES[reason])
      const taken = await trx
        .updateTable('coupon_templates')
        .set((eb) => ({ stock_left: eb('stock_left', '-', 1) }))
        .where('id', '=', templateId)
        .where('stock_left', '>', 0)
        .executeTakeFirst()
      if (Number(taken.numUpdatedRows) !== 1) throw refusal('out_of_stock', REFUSAL_MESSAGES.out_of_stock)
      const now = this.ctx.now()
      const validity = this.validity(fresh, now)
      const issuance: IssuanceRow = {
        id: `ci_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
        template_id: templateId,
        code: newCode(),
        guide_id: userId,
        external_user_id: input.externalUserId,
        idempotency_key: input.idempotencyKey,
        status: 'reserved',
        reserved_until: now + RESERVATION_MS,
        issued_at: now,
        sent_at: null,
        claimed_at: null,
        redeemed_at: null,
        redeemed_store_id: null,
        released_at: null,
        release_reason: null,
        valid_from: validity.from,
        valid_until: validity.until,
        order_id: null,
      }
      await trx.insertInto('coupon_issuances').values(issuance).execute()
      return { row: issuance, created: true }
    })
    let result: { row: IssuanceRow; created: boolean }
    try {
      result = await attempt
    } catch (error) {
      // The same key for another coupon at the same moment: the other transaction holds a
      // different row lock, so the unique index is what catches it (and this one rolled back).
      if (!isUniqueViolation(error)) throw error
      const winner = await this.findByKey(userId, input.idempotencyKey)
      if (!winner) throw error
      result = { row: this.sameKey(winner, templateId, input.externalUserId), created: false }
    }
    return { issuance: await this.view(result.row, origin), created: result.created }
  }

  /**
   * Her card and coupon page carry the template's name and description: words a manager
   * wrote for customers, checked all the same against what is kept about her.
   */
  private async assertNothingPrivate(userId: string, templateId: string, externalUserId: string): Promise<void> {
    const template = await this.db
      .selectFrom('coupon_templates')
      .select(['name', 'description'])
      .where('id', '=', templateId)
      .executeTakeFirst()
    // An unknown template is answered under the lock, as before.
    if (!template) return
    const guard = new PrivateTextGuard(this.db)
    await guard.assertNothingPrivate(
      userId,
      [externalUserId],
      [template.name, template.description],
      await guard.pageWords(userId, this.ctx.config.brandName),
    )
  }

  /**
   * A reservation the sweep gave back, shown to be delivered after all (a late confirm, or
   * she opened the link): taken from stock again while there is stock. Under the lock.
   */
  private async revive(row: IssuanceRow, status: 'sent' | 'claimed'): Promise<boolean> {
    if (row.status !== 'released' || row.release_reason !== 'timeout') return false
    return this.db.transaction().execute(async (trx) => {
      await this.lockTemplate(trx, row.template_id)
      const taken = await trx
        .updateTable('coupon_templates')
        .set((eb) => ({ stock_left: eb('stock_left', '-', 1) }))
        .where('id', '=', row.template_id)
        .where('stock_left', '>', 0)
        .executeTakeFirst()
      if (Number(taken.numUpdatedRows) !== 1) return false
      const now = this.ctx.now()
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
        .where('id', '=', row.id)
        .where('status', '=', 'released')
        .where('release_reason', '=', 'timeout')
        .executeTakeFirst()
      if (Number(revived.numUpdatedRows) !== 1) {
        // Someone else revived it first: put the unit back.
        await trx
          .updateTable('coupon_templates')
          .set((eb) => ({ stock_left: eb('stock_left', '+', 1) }))
          .where('id', '=', row.template_id)
          .execute()
      }
      return true
    })
  }

  private sameKey(row: IssuanceRow, templateId: string, externalUserId: string): IssuanceRow {
    if (row.template_id !== templateId || row.external_user_id !== externalUserId) {
      throw new ApiError(409, 'conflict', 'This idempotencyKey was used for another coupon or customer')
    }
    if (row.status === 'released') {
      throw new ApiError(409, 'conflict', 'This reservation was given back: send the coupon again with a new idempotencyKey')
    }
    return row
  }

  private findByKey(userId: string, key: string): Promise<IssuanceRow | undefined> {
    return this.db
      .selectFrom('coupon_issuances')
      .selectAll()
      .where('guide_id', '=', userId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst()
  }

  private validity(row: TemplateRow, now: number): { from: number | null; until: number | null } {
    if (row.valid_from && row.valid_to) return { from: shanghaiDay(row.valid_from), until: shanghaiDay(row.valid_to, true) }
    // N days after issue, to the end of that day in Shanghai: 1 day issued at 23:55 runs to
    // the end of tomorrow, never five minutes.
    const days = row.valid_days ?? 30
    const local = now + SHANGHAI_OFFSET_MS
    return { from: now, until: Math.floor(local / DAY_MS) * DAY_MS + (days + 1) * DAY_MS - 1 - SHANGHAI_OFFSET_MS }
  }

  private async ownIssuance(userId: string, id: string): Promise<IssuanceRow> {
    const row = await this.db.selectFrom('coupon_issuances').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row || row.guide_id !== userId) throw ApiError.notFound('No such issuance')
    return row
  }

  /** WeCom took the card: the coupon is hers now. Confirming again is harmless. */
  async confirm(userId: string, id: string, origin: string): Promise<Issuance> {
    const row = await this.ownIssuance(userId, id)
    if (row.status === 'released') {
      if (await this.revive(row, 'sent')) return this.view(await this.ownIssuance(userId, id), origin, userId)
      throw new ApiError(409, 'conflict', 'This reservation was released: issue the coupon again')
    }
    if (row.status === 'reserved') {
      const done = await this.db
        .updateTable('coupon_issuances')
        .set({ status: 'sent', sent_at: this.ctx.now(), reserved_until: null })
        .where('id', '=', id)
        .where('status', '=', 'reserved')
        .executeTakeFirst()
      if (Number(done.numUpdatedRows) !== 1) return this.confirm(userId, id, origin)
    }
    return this.view(await this.ownIssuance(userId, id), origin)
  }

  /** The send was cancelled or failed: the coupon goes back to stock, once. */
  async release(userId: string, id: string, origin: string): Promise<Issuance> {
    const row = await this.ownIssuance(userId, id)
    if (row.status !== 'reserved' && row.status !== 'released') {
      throw new ApiError(409, 'conflict', 'This coupon was already sent: it can no longer be given back')
    }
    await this.db.transaction().execute(async (trx) => {
      await this.lockTemplate(trx, row.template_id)
      const released = await trx
        .updateTable('coupon_issuances')
        .set({ status: 'released', released_at: this.ctx.now(), reserved_until: null, release_reason: 'cancel' })
        .where('id', '=', id)
        .where('status', '=', 'reserved')
        .executeTakeFirst()
      if (Number(released.numUpdatedRows) === 1) {
        await trx
          .updateTable('coupon_templates')
          .set((eb) => ({ stock_left: eb('stock_left', '+', 1) }))
          .where('id', '=', row.template_id)
          .execute()
      }
    })
    return this.view(await this.ownIssuance(userId, id), origin)
  }

  private statusOf(row: IssuanceRow, now: number): IssuanceStatus {
    if ((row.status === 'sent' || row.status === 'claimed') && row.valid_until !== null && Number(row.valid_until) < now)
      return 'expired'
    return row.status
  }

  private async view(row: IssuanceRow, origin: string, viewerId: string | null = null): Promise<Issuance> {
    return (await this.views([row], origin, viewerId))[0]!
  }

  /**
   * A code is money at the till: only the guide who sent it (or she, on her page) sees
   * it; another guide of hers sees that she holds it and how it stands.
   */
  private async views(rows: IssuanceRow[], origin: string, viewerId: string | null = null): Promise<Issuance[]> {
    if (rows.length === 0) return []
    const templates = await this.db
      .selectFrom('coupon_templates')
      .select(['id', 'name', 'kind', 'value', 'threshold'])
      .where('id', 'in', [...new Set(rows.map((r) => r.template_id))])
      .execute()
    const guides = await this.db
      .selectFrom('guides')
      .select(['user_id', 'name'])
      .where('user_id', 'in', [...new Set(rows.map((r) => r.guide_id))])
      .execute()
    const storeIds = [...new Set(rows.flatMap((r) => (r.redeemed_store_id ? [r.redeemed_store_id] : [])))]
    const stores = storeIds.length
      ? await this.db.selectFrom('stores').select(['id', 'name']).where('id', 'in', storeIds).execute()
      : []
    const now = this.ctx.now()
    return rows.map((row) => {
      const template = templates.find((t) => t.id === row.template_id)!
      const own = viewerId === null || viewerId === row.guide_id
      return {
        issuanceId: row.id,
        templateId: row.template_id,
        code: viewerId === null || viewerId === row.guide_id ? row.code : '',
        claimUrl: viewerId === null || viewerId === row.guide_id ? `${origin}/c/${row.code}` : '',
        status: this.statusOf(row, now),
        name: template.name,
        kind: template.kind,
        value: template.value,
        threshold: template.threshold,
        validFrom: isoOrNull(row.valid_from === null ? null : Number(row.valid_from)),
        validUntil: isoOrNull(row.valid_until === null ? null : Number(row.valid_until)),
        reservedUntil: row.status === 'reserved' ? isoOrNull(Number(row.reserved_until)) : null,
        issuedAt: iso(Number(row.issued_at)),
        claimedAt: isoOrNull(row.claimed_at === null ? null : Number(row.claimed_at)),
        redeemedAt: isoOrNull(row.redeemed_at === null ? null : Number(row.redeemed_at)),
        redeemedStoreName: stores.find((s) => s.id === row.redeemed_store_id)?.name ?? null,
        guide: { userId: row.guide_id, name: guides.find((g) => g.user_id === row.guide_id)?.name ?? row.guide_id },
        card: own
          ? {
              link: `${origin}/c/${row.code}`,
              ...couponCardText(template, 'zh'),
              imgUrl: `${origin}/media/coupon-cover/${template.kind}.png`,
            }
          : null,
      }
    })
  }

  /** What she holds (from any guide), newest first; given-back reservations are not hers. */
  async customerCoupons(userId: string, externalUserId: string, origin: string): Promise<Issuance[]> {
    await this.customers.assertFollower(userId, externalUserId)
    const rows = await this.db
      .selectFrom('coupon_issuances')
      .selectAll()
      .where('external_user_id', '=', externalUserId)
      .where('status', '!=', 'released')
      .orderBy('issued_at', 'desc')
      .orderBy('id', 'desc')
      .limit(100)
      .execute()
    return this.views(rows, origin, userId)
  }

  // --- The customer's page and the till -------------------------------------------------------

  /**
   * The coupon behind a claim link, marked claimed on her first look. A reservation she
   * opens was delivered even if the app never confirmed it. Released codes are unknown.
   */
  async claim(rawCode: string, origin: string, record: boolean): Promise<{ issuance: Issuance; template: TemplateRow } | null> {
    const code = normalizeCode(rawCode)
    if (!/^[A-Z2-9]{12}$/.test(code)) return null
    const row = await this.db.selectFrom('coupon_issuances').selectAll().where('code', '=', code).executeTakeFirst()
    if (!row) return null
    // She has the link, so it was delivered: a reservation the sweep gave back is hers again.
    if (row.status === 'released' && !(record && (await this.revive(row, 'claimed')))) return null
    if (record && (row.status === 'reserved' || row.status === 'sent')) {
      const now = this.ctx.now()
      await this.db
        .updateTable('coupon_issuances')
        .set((eb) => ({
          status: 'claimed',
          claimed_at: now,
          sent_at: eb.fn.coalesce('sent_at', eb.val(now)),
          reserved_until: null,
        }))
        .where('id', '=', row.id)
        .where('status', 'in', ['reserved', 'sent'])
        .execute()
    }
    const fresh = (await this.db
      .selectFrom('coupon_issuances')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow()) as IssuanceRow
    if (fresh.status === 'released') return null
    const template = (await this.db
      .selectFrom('coupon_templates')
      .selectAll()
      .where('id', '=', fresh.template_id)
      .executeTakeFirstOrThrow()) as TemplateRow
    return { issuance: await this.view(fresh, origin), template }
  }

  async storeForKey(key: string | undefined): Promise<string> {
    if (!key) throw ApiError.unauthorized('Send the store API key (Authorization: Bearer <key>)')
    const row = await this.db
      .selectFrom('store_api_keys')
      .select(['store_id', 'revoked_at'])
      .where('key_hash', '=', hashStoreKey(key))
      .executeTakeFirst()
    if (!row || row.revoked_at !== null) throw ApiError.unauthorized('This store API key is not valid')
    return row.store_id
  }

  async redeem(storeId: string, rawCode: string, orderId: string | undefined): Promise<Redemption> {
    const code = normalizeCode(rawCode)
    return this.db.transaction().execute(async (trx) => {
      const query = trx.selectFrom('coupon_issuances').selectAll().where('code', '=', code)
      const row = await (this.rowLocks ? query.forUpdate() : query).executeTakeFirst()
      if (!row || row.status === 'released' || row.status === 'reserved') throw ApiError.notFound('No coupon has this code')
      const template = (await trx
        .selectFrom('coupon_templates')
        .selectAll()
        .where('id', '=', row.template_id)
        .executeTakeFirstOrThrow()) as TemplateRow
      const now = this.ctx.now()
      if (row.status === 'redeemed') {
        const store = row.redeemed_store_id
          ? await trx.selectFrom('stores').select('name').where('id', '=', row.redeemed_store_id).executeTakeFirst()
          : undefined
        throw new ApiError(
          409,
          'already_redeemed',
          `This coupon was already used on ${iso(Number(row.redeemed_at))}${store ? ` at ${store.name}` : ''}`,
        )
      }
      if (row.valid_from !== null && Number(row.valid_from) > now) {
        throw new ApiError(409, 'coupon_not_valid_yet', `This coupon is valid from ${iso(Number(row.valid_from))}`)
      }
      if (row.valid_until !== null && Number(row.valid_until) < now) {
        throw new ApiError(409, 'coupon_expired', `This coupon expired on ${iso(Number(row.valid_until))}`)
      }
      const stores = parseJsonArray<string>(template.store_ids)
      if (stores.length && !stores.includes(storeId))
        throw new ApiError(409, 'wrong_store', 'This coupon cannot be used at this store')
      const done = await trx
        .updateTable('coupon_issuances')
        .set({ status: 'redeemed', redeemed_at: now, redeemed_store_id: storeId, order_id: orderId ?? null })
        .where('id', '=', row.id)
        .where('status', 'in', ['sent', 'claimed'])
        .executeTakeFirst()
      if (Number(done.numUpdatedRows) !== 1) throw new ApiError(409, 'already_redeemed', 'This coupon was already used')
      return {
        code,
        status: 'redeemed' as const,
        name: template.name,
        kind: template.kind,
        value: template.value,
        threshold: template.threshold,
        redeemedAt: iso(now),
        storeId,
      }
    })
  }

  /** A new key for a store's till, shown once; only its hash is kept. */
  async createStoreKey(userId: string, storeId: string, label: string): Promise<{ id: string; storeId: string; key: string }> {
    await requireManager(this.ctx, userId)
    const store = await this.db.selectFrom('stores').select('id').where('id', '=', storeId).executeTakeFirst()
    if (!store) throw ApiError.notFound('No such store')
    const key = `gsk_${randomBytes(24).toString('base64url')}`
    const id = `sk_${randomUUID().replace(/-/g, '').slice(0, 16)}`
    await this.db
      .insertInto('store_api_keys')
      .values({ id, store_id: storeId, key_hash: hashStoreKey(key), label, created_at: this.ctx.now(), revoked_at: null })
      .execute()
    return { id, storeId, key }
  }
}

const REFUSAL_MESSAGES: Record<CouponRefusal, string> = {
  out_of_stock: 'This coupon has run out',
  customer_limit: 'She already holds as many of this coupon as one customer may',
  guide_quota: 'You have sent your quota of this coupon for this week',
  not_eligible: 'Her member level or tags do not qualify for this coupon',
  too_many_orders: 'This coupon is for customers with fewer orders (a new-customer gift): she has bought too often',
  template_inactive: 'This coupon is paused or has ended',
}

export type { CouponRefusal }
