/**
 * Every read and write of `campaigns`, what a campaign may send (replies, outfits, coupon
 * templates as the campaign checks them) and its progress counted from the tasks it
 * wrote and what happened to their customers. Rows become CampaignRecords here.
 */
import type { ExpressionBuilder, Selectable } from 'kysely'
import type { CampaignAudience, CampaignProgress } from '../../../shared/campaigns'
import type { Db, Trx } from '../../db'
import type { CampaignsTable, Database } from '../../db/schema'
import type { CampaignRecord } from './campaign-rules'

/** The newest campaigns a list reads (the desk lists at most this many). */
export const LIST_LIMIT = 100

function parseAudience(text: string): CampaignAudience {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as CampaignAudience) : {}
  } catch {
    return {}
  }
}

function parseIds(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

function toRecord(row: Selectable<CampaignsTable>): CampaignRecord {
  return {
    id: row.id,
    name: row.name,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    audience: parseAudience(row.audience),
    content: row.content_type && row.content_id ? { type: row.content_type, id: row.content_id } : null,
    note: row.note ?? '',
    storeIds: parseIds(row.store_ids),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
  }
}

export interface ContentFacts {
  title: string
  /** Why a campaign cannot send it, or null when it can. */
  refusal: string | null
}

type TaskScope = ExpressionBuilder<Database & { t: Database['tasks'] }, 't'>
/** The instants a campaign's numbers count between (campaign-rules.ts `campaignWindow`). */
type Window = { from: number; until: number }

export class CampaignsRepository {
  private readonly db: Trx

  constructor(database: Db) {
    this.db = database.kysely
  }

  transaction<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work)
  }

  async insert(trx: Trx, campaign: CampaignRecord, now: number): Promise<void> {
    await trx
      .insertInto('campaigns')
      .values({
        id: campaign.id,
        name: campaign.name,
        starts_on: campaign.startsOn,
        ends_on: campaign.endsOn,
        audience: JSON.stringify(campaign.audience),
        content_type: campaign.content?.type ?? null,
        content_id: campaign.content?.id ?? null,
        note: campaign.note || null,
        store_ids: JSON.stringify(campaign.storeIds),
        created_by: campaign.createdBy,
        created_at: campaign.createdAt,
        updated_at: now,
        ended_at: campaign.endedAt,
      })
      .execute()
  }

  async find(id: string): Promise<CampaignRecord | undefined> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toRecord(row) : undefined
  }

  /** Every campaign, newest first (a brand runs a few a month: the caller keeps those she may see). */
  async all(): Promise<CampaignRecord[]> {
    const rows = await this.db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
    return rows.map(toRecord)
  }

  /** Campaigns running on `today`: started, not past their last day, not ended early. */
  async running(today: string): Promise<CampaignRecord[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('starts_on', '<=', today)
      .where('ends_on', '>=', today)
      .where('ended_at', 'is', null)
      .orderBy('id')
      .execute()
    return rows.map(toRecord)
  }

  /** Ended now, unless it already was: true when this call ended it. */
  async end(trx: Trx, id: string, now: number): Promise<boolean> {
    const result = await trx
      .updateTable('campaigns')
      .set({ ended_at: now, updated_at: now })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Its open tasks skipped, with the reason the guide reads. */
  async skipOpenTasks(trx: Trx, campaignId: string, reason: string, now: number): Promise<number> {
    const result = await trx
      .updateTable('tasks')
      .set({ status: 'skipped', skip_reason: reason, done_at: now })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'todo')
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  // --- What it sends ---------------------------------------------------------------------------

  /** A corporate reply in live groups can be sent by every guide; a personal or retired one cannot. */
  async reply(id: string): Promise<ContentFacts | undefined> {
    const row = await this.db
      .selectFrom('replies as r')
      .innerJoin('reply_groups as g', 'g.id', 'r.group_id')
      .leftJoin('reply_groups as p', 'p.id', 'g.parent_id')
      .select(['r.title', 'r.scope', 'r.retired_at', 'g.retired_at as group_retired', 'p.retired_at as parent_retired'])
      .where('r.id', '=', id)
      .executeTakeFirst()
    if (!row) return undefined
    const refusal =
      row.scope !== 'corp'
        ? 'is a personal reply: a campaign sends one from the shared library'
        : row.retired_at !== null || row.group_retired !== null || row.parent_retired !== null
          ? 'is retired (or in a retired group)'
          : null
    return { title: row.title, refusal }
  }

  async bundle(id: string): Promise<ContentFacts | undefined> {
    const row = await this.db
      .selectFrom('bundles')
      .select(['title', 'scope', 'retired_at'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) return undefined
    const refusal =
      row.scope !== 'corp'
        ? "is a guide's own outfit: a campaign sends a brand outfit"
        : row.retired_at !== null
          ? 'is retired'
          : null
    return { title: row.title, refusal }
  }

  /** A coupon template can be sent while active and not past its last day. */
  async coupon(id: string, today: string): Promise<ContentFacts | undefined> {
    const row = await this.db
      .selectFrom('coupon_templates')
      .select(['name', 'status', 'valid_to'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) return undefined
    const refusal =
      row.status !== 'active'
        ? `is ${row.status}, not active`
        : row.valid_to !== null && row.valid_to < today
          ? 'has ended'
          : null
    return { title: row.name, refusal }
  }

  /** Titles of what campaigns send, by `type:id`. */
  async contentTitles(contents: readonly { type: string; id: string }[]): Promise<Map<string, string>> {
    const ids = (type: string) => [...new Set(contents.filter((c) => c.type === type).map((c) => c.id))]
    const [replies, bundles, coupons] = await Promise.all([
      ids('reply').length
        ? this.db.selectFrom('replies').select(['id', 'title']).where('id', 'in', ids('reply')).execute()
        : Promise.resolve([]),
      ids('bundle').length
        ? this.db.selectFrom('bundles').select(['id', 'title']).where('id', 'in', ids('bundle')).execute()
        : Promise.resolve([]),
      ids('coupon').length
        ? this.db.selectFrom('coupon_templates').select(['id', 'name as title']).where('id', 'in', ids('coupon')).execute()
        : Promise.resolve([]),
    ])
    return new Map([
      ...replies.map((r) => [`reply:${r.id}`, r.title] as const),
      ...bundles.map((r) => [`bundle:${r.id}`, r.title] as const),
      ...coupons.map((r) => [`coupon:${r.id}`, r.title] as const),
    ])
  }

  // --- Progress ------------------------------------------------------------------------------

  /**
   * Its progress per guide whose tasks they are, counted in customers (one task each): see
   * CampaignProgress in src/shared/campaigns.ts for what each number means.
   */
  async progress(campaign: CampaignRecord, w: Window): Promise<Map<string, CampaignProgress>> {
    const content = campaign.content
    const tasks = this.db.selectFrom('tasks as t').where('t.campaign_id', '=', campaign.id)
    const count = (condition: (eb: TaskScope) => ReturnType<TaskScope['exists']>) =>
      tasks
        .select((eb) => ['t.guide_id', eb.fn.countAll<number | string>().as('n')])
        .where((eb) => condition(eb as unknown as TaskScope))
        .groupBy('t.guide_id')
        .execute()

    const none = Promise.resolve([] as { guide_id: string; n: number | string }[])
    const [written, sent, bundleOpens, claimed, redeemed, sales] = await Promise.all([
      tasks
        .select((eb) => [
          't.guide_id',
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.sum<number | string | null>(eb.case().when('t.status', '=', 'done').then(1).else(0).end()).as('done'),
        ])
        .groupBy('t.guide_id')
        .execute(),
      count((eb) => {
        if (!content) return eb.or([eb.exists(couponSends(eb, w)), eb.exists(bundleSends(eb, w)), eb.exists(replySends(eb, w))])
        if (content.type === 'coupon') return eb.exists(couponSends(eb, w).where('ci.template_id', '=', content.id))
        if (content.type === 'bundle') return eb.exists(bundleSends(eb, w).where('bs.bundle_id', '=', content.id))
        return eb.exists(replySends(eb, w).where('rs.reply_id', '=', content.id))
      }),
      content?.type === 'bundle'
        ? count((eb) =>
            eb.exists(bundleSends(eb, w).where('bs.bundle_id', '=', content.id).where('bs.first_opened_at', 'is not', null)),
          )
        : none,
      content?.type === 'coupon' ? count((eb) => eb.exists(claimedCoupons(eb, w, content.id))) : none,
      content?.type === 'coupon'
        ? count((eb) =>
            eb.exists(couponSends(eb, w).where('ci.template_id', '=', content.id).where('ci.redeemed_at', 'is not', null)),
          )
        : none,
      this.db
        .selectFrom('tasks as t')
        .innerJoin('members as m', 'm.external_user_id', 't.external_user_id')
        .innerJoin('orders as o', 'o.member_id', 'm.id')
        .select((eb) => ['t.guide_id', eb.fn.sum<number | string>('o.total_fen').as('n')])
        .where('t.campaign_id', '=', campaign.id)
        .whereRef('o.credited_guide_id', '=', 't.guide_id')
        .where('o.purchased_at', '>=', w.from)
        .where('o.purchased_at', '<=', w.until)
        .groupBy('t.guide_id')
        .execute(),
    ])

    const out = new Map<string, CampaignProgress>()
    const of = (guideId: string) => {
      let row = out.get(guideId)
      if (!row) {
        row = { customers: 0, done: 0, sent: 0, opened: 0, claimed: 0, redeemed: 0, salesFen: 0 }
        out.set(guideId, row)
      }
      return row
    }
    for (const r of written) Object.assign(of(r.guide_id), { customers: Number(r.n), done: Number(r.done ?? 0) })
    // A coupon's claim page is all she opens: claiming it is how we know she opened it.
    const opened = content?.type === 'coupon' ? claimed : bundleOpens
    for (const [field, rows] of [
      ['sent', sent],
      ['opened', opened],
      ['claimed', claimed],
      ['redeemed', redeemed],
      ['salesFen', sales],
    ] as const) {
      for (const r of rows) of(r.guide_id)[field] = Number(r.n ?? 0)
    }
    return out
  }
}

/** Her issuances (any template) sent during the window. */
function couponSends(eb: TaskScope, w: Window) {
  return eb
    .selectFrom('coupon_issuances as ci')
    .select('ci.id')
    .whereRef('ci.external_user_id', '=', 't.external_user_id')
    .where('ci.sent_at', '>=', w.from)
    .where('ci.sent_at', '<=', w.until)
}

/** Outfits sent to her during the window. */
function bundleSends(eb: TaskScope, w: Window) {
  return eb
    .selectFrom('bundle_sends as bs')
    .select('bs.id')
    .whereRef('bs.external_user_id', '=', 't.external_user_id')
    .where('bs.status', '=', 'sent')
    .where('bs.sent_at', '>=', w.from)
    .where('bs.sent_at', '<=', w.until)
}

/** Replies sent to her during the window. */
function replySends(eb: TaskScope, w: Window) {
  return eb
    .selectFrom('reply_sends as rs')
    .select('rs.id')
    .whereRef('rs.external_user_id', '=', 't.external_user_id')
    .where('rs.sent_at', '>=', w.from)
    .where('rs.sent_at', '<=', w.until)
}

/** The campaign's coupon sent to her during it and claimed (a redeemed one was claimed, or taken at the till). */
function claimedCoupons(eb: TaskScope, w: Window, templateId: string) {
  return couponSends(eb, w)
    .where('ci.template_id', '=', templateId)
    .where((c) => c.or([c('ci.claimed_at', 'is not', null), c('ci.redeemed_at', 'is not', null)]))
}
