/**
 * What the task rules read about customers, set-based: for a few hundred customers at a
 * time, one query per source (birthdays, orders, last contact, coupons), never one per
 * customer. Also the birthday list's reads, and the campaign tasks a send has served.
 */
import type { Db, Trx } from '../../db'
import { parseJsonArray } from '../../db/sql'
import type { CouponFact, FollowFact, OrderFact, ReplyHint } from './rules'

/** Customers a statement: well under SQLite's bound-parameter limit. */
const CHUNK = 500

function chunked<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

export interface CustomerSources {
  birthdays: Map<string, string>
  orders: Map<string, OrderFact[]>
  lastContact: Map<string, number>
  coupons: Map<string, CouponFact[]>
}

export interface BirthdayRow {
  externalUserId: string
  name: string
  remark: string
  avatar: string | null
  birthday: string
}

export class TaskSourcesRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  async guideIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('guides').select('user_id').orderBy('user_id').execute()
    return rows.map((r) => r.user_id)
  }

  /** Each guide's store (a campaign runs for the guides of its stores). */
  async guideStores(): Promise<Map<string, string | null>> {
    const rows = await this.db.selectFrom('guides').select(['user_id', 'store_id']).execute()
    return new Map(rows.map((r) => [r.user_id, r.store_id]))
  }

  /**
   * Open campaign tasks of these customers that their guide served since the task was
   * written: she sent the customer a reply, an outfit or a coupon (up to `now`).
   */
  async servedCampaignTasks(externalUserIds: readonly string[], now: number): Promise<string[]> {
    const out: string[] = []
    for (const ids of chunked(externalUserIds)) {
      const rows = await this.db
        .selectFrom('tasks as t')
        .select('t.id')
        .where('t.external_user_id', 'in', ids)
        .where('t.kind', '=', 'campaign')
        .where('t.status', '=', 'todo')
        .where((eb) =>
          eb.or([
            eb.exists(
              eb
                .selectFrom('reply_sends as rs')
                .select('rs.id')
                .whereRef('rs.external_user_id', '=', 't.external_user_id')
                .whereRef('rs.user_id', '=', 't.guide_id')
                .whereRef('rs.sent_at', '>=', 't.created_at')
                .where('rs.sent_at', '<=', now),
            ),
            eb.exists(
              eb
                .selectFrom('bundle_sends as bs')
                .select('bs.id')
                .whereRef('bs.external_user_id', '=', 't.external_user_id')
                .whereRef('bs.guide_id', '=', 't.guide_id')
                .where('bs.status', '=', 'sent')
                .whereRef('bs.sent_at', '>=', 't.created_at')
                .where('bs.sent_at', '<=', now),
            ),
            eb.exists(
              eb
                .selectFrom('coupon_issuances as ci')
                .select('ci.id')
                .whereRef('ci.external_user_id', '=', 't.external_user_id')
                .whereRef('ci.guide_id', '=', 't.guide_id')
                .whereRef('ci.sent_at', '>=', 't.created_at')
                .where('ci.sent_at', '<=', now),
            ),
          ]),
        )
        .execute()
      out.push(...rows.map((r) => r.id))
    }
    return out
  }

  /** Every follow of every customer the guide follows, by guides we know (to tell whose she is). */
  async followsAround(guideId: string): Promise<FollowFact[]> {
    const rows = await this.db
      .selectFrom('wecom_follows as mine')
      .innerJoin('wecom_follows as f', 'f.external_user_id', 'mine.external_user_id')
      .innerJoin('guides as g', 'g.user_id', 'f.user_id')
      .select(['f.external_user_id', 'f.user_id', 'f.added_at'])
      .where('mine.user_id', '=', guideId)
      // A customer who deleted a guide is not hers to look after any more: no tasks for it.
      .where('mine.deleted_by_customer_at', 'is', null)
      .where('f.deleted_by_customer_at', 'is', null)
      .execute()
    return rows.map((r) => ({
      externalUserId: r.external_user_id,
      userId: r.user_id,
      addedAt: r.added_at === null ? null : Number(r.added_at),
    }))
  }

  /** Her birthday (her own fact over the member record's; an emptied fact means none), orders, contacts, coupons. */
  async sources(externalUserIds: readonly string[], now: number, couponHorizon: number): Promise<CustomerSources> {
    const out: CustomerSources = { birthdays: new Map(), orders: new Map(), lastContact: new Map(), coupons: new Map() }
    const later = (id: string, at: number | string | null) => {
      if (at === null) return
      const value = Number(at)
      if (value > (out.lastContact.get(id) ?? 0)) out.lastContact.set(id, value)
    }
    for (const ids of chunked(externalUserIds)) {
      const [members, facts, orders, replies, bundles, coupons, notes, held] = await Promise.all([
        this.db
          .selectFrom('members')
          .select(['external_user_id', 'birthday'])
          .where('external_user_id', 'in', ids)
          .where('birthday', 'is not', null)
          .execute(),
        this.db
          .selectFrom('customer_facts')
          .select(['external_user_id', 'birthday'])
          .where('external_user_id', 'in', ids)
          .where('birthday', 'is not', null)
          .execute(),
        this.db
          .selectFrom('orders as o')
          .innerJoin('members as m', 'm.id', 'o.member_id')
          .select(['m.external_user_id', 'o.id', 'o.purchased_at'])
          .where('m.external_user_id', 'in', ids)
          .where('o.purchased_at', '<=', now)
          .execute(),
        this.db
          .selectFrom('reply_sends')
          .select((eb) => ['external_user_id', eb.fn.max('sent_at').as('at')])
          .where('external_user_id', 'in', ids)
          .where('sent_at', '<=', now)
          .groupBy('external_user_id')
          .execute(),
        this.db
          .selectFrom('bundle_sends')
          .select((eb) => ['external_user_id', eb.fn.max('sent_at').as('at')])
          .where('external_user_id', 'in', ids)
          .where('status', '=', 'sent')
          .where('sent_at', '<=', now)
          .groupBy('external_user_id')
          .execute(),
        this.db
          .selectFrom('coupon_issuances')
          .select((eb) => ['external_user_id', eb.fn.max('sent_at').as('at')])
          .where('external_user_id', 'in', ids)
          .where('sent_at', '<=', now)
          .groupBy('external_user_id')
          .execute(),
        this.db
          .selectFrom('customer_notes')
          .select((eb) => ['external_user_id', eb.fn.max('created_at').as('at')])
          .where('external_user_id', 'in', ids)
          .where('created_at', '<=', now)
          .groupBy('external_user_id')
          .execute(),
        this.db
          .selectFrom('coupon_issuances as i')
          .innerJoin('coupon_templates as t', 't.id', 'i.template_id')
          .select(['i.id', 'i.guide_id', 'i.external_user_id', 'i.valid_until', 't.name'])
          .where('i.external_user_id', 'in', ids)
          .where('i.status', 'in', ['sent', 'claimed'])
          .where('i.issued_at', '<=', now)
          .where('i.valid_until', '>', now)
          .where('i.valid_until', '<=', couponHorizon)
          .execute(),
      ])
      for (const m of members) if (m.external_user_id && m.birthday) out.birthdays.set(m.external_user_id, m.birthday)
      // Her guide's own fact wins; an emptied one means the guide removed it.
      for (const f of facts) {
        if (f.birthday) out.birthdays.set(f.external_user_id, f.birthday)
        else out.birthdays.delete(f.external_user_id)
      }
      for (const o of orders) {
        if (o.external_user_id) push(out.orders, o.external_user_id, { id: o.id, purchasedAt: Number(o.purchased_at) })
      }
      for (const row of [...replies, ...bundles, ...coupons, ...notes]) {
        if (row.external_user_id) later(row.external_user_id, row.at as number | string | null)
      }
      for (const c of held) {
        push(out.coupons, c.external_user_id, {
          issuanceId: c.id,
          guideId: c.guide_id,
          templateName: c.name,
          validUntil: Number(c.valid_until),
        })
      }
    }
    return out
  }

  /** The brand's live replies (for suggestions), in the library's order. */
  async replyHints(): Promise<ReplyHint[]> {
    const rows = await this.db
      .selectFrom('replies as r')
      .innerJoin('reply_groups as g', 'g.id', 'r.group_id')
      .select(['r.id', 'r.title', 'r.stages', 'r.tags'])
      .where('r.scope', '=', 'corp')
      .where('r.retired_at', 'is', null)
      .where('g.retired_at', 'is', null)
      .orderBy('g.position')
      .orderBy('r.position')
      .orderBy('r.id')
      .execute()
    return rows.map((r) => ({ id: r.id, title: r.title, stages: parseJsonArray(r.stages), tags: parseJsonArray(r.tags) }))
  }

  /**
   * The birthday coupon: an active template whose name says 生日, still valid on `today`
   * and with stock left; the oldest such if several.
   */
  async birthdayCouponId(today: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('coupon_templates')
      .select('id')
      .where('status', '=', 'active')
      .where('name', 'like', '%生日%')
      .where('stock_left', '>', 0)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirst()
    return row?.id ?? null
  }

  /** The guide's customers with a birthday on record, as she knows them. */
  async birthdaysOf(guideId: string): Promise<BirthdayRow[]> {
    const rows = await this.db
      .selectFrom('wecom_follows as f')
      .innerJoin('wecom_customers as c', 'c.external_user_id', 'f.external_user_id')
      .leftJoin('members as m', 'm.external_user_id', 'f.external_user_id')
      .leftJoin('customer_facts as cf', 'cf.external_user_id', 'f.external_user_id')
      .select(['f.external_user_id', 'f.remark', 'c.name', 'c.avatar', 'm.birthday', 'cf.birthday as own_birthday'])
      .where('f.user_id', '=', guideId)
      .where('f.deleted_by_customer_at', 'is', null)
      .where((eb) => eb.or([eb('m.birthday', 'is not', null), eb('cf.birthday', 'is not', null)]))
      .execute()
    return rows.flatMap((r) => {
      const birthday = r.own_birthday !== null ? r.own_birthday : r.birthday
      return birthday ? [{ externalUserId: r.external_user_id, name: r.name, remark: r.remark, avatar: r.avatar, birthday }] : []
    })
  }

  /** Orders of these customers up to `now` (for the last purchase and the year's count). */
  async ordersOf(externalUserIds: readonly string[], now: number): Promise<Map<string, OrderFact[]>> {
    const out = new Map<string, OrderFact[]>()
    for (const ids of chunked(externalUserIds)) {
      const rows = await this.db
        .selectFrom('orders as o')
        .innerJoin('members as m', 'm.id', 'o.member_id')
        .select(['m.external_user_id', 'o.id', 'o.purchased_at'])
        .where('m.external_user_id', 'in', ids)
        .where('o.purchased_at', '<=', now)
        .execute()
      for (const o of rows) {
        if (o.external_user_id) push(out, o.external_user_id, { id: o.id, purchasedAt: Number(o.purchased_at) })
      }
    }
    return out
  }
}
