/**
 * A manager's campaigns: created for her stores (checked against what she may see), the
 * content checked sendable, audited; written as tasks by the task generator at once when
 * already running, else by the task job on its first day; followed per guide; ended early.
 * Everything a manager reads is her stores' alone.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type {
  Campaign,
  CampaignAudience,
  CampaignAudienceCount,
  CampaignAudienceQuery,
  CampaignCreate,
  CampaignDetail,
  CampaignList,
  CampaignProgress,
} from '../../../shared/campaigns'
import { isCalendarDate, shanghaiDate } from '../../../shared/dates'
import type { AppContext } from '../../context'
import { iso, isoOrNull } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { birthdayMonthOf } from '../customers/list-query'
import { GuidesRepository } from '../guides/guides.repository'
import { requireStoreInScope, requireTeamScope, storeInScope, type TeamScope } from '../guides/roles'
import { AuditRepository } from '../replies/audit.repository'
import { StoresRepository } from '../stores/stores.repository'
import { TaskGenerator } from '../tasks/task-generator.service'
import {
  ENDED_REASON,
  MAX_CAMPAIGN_DAYS,
  campaignDays,
  campaignStatus,
  campaignWindow,
  type CampaignRecord,
} from './campaign-rules'
import { CampaignsRepository, LIST_LIMIT } from './campaigns.repository'

type GuideRow = { user_id: string; name: string; store_id: string | null }

const ZERO: CampaignProgress = { customers: 0, done: 0, sent: 0, opened: 0, claimed: 0, redeemed: 0, salesFen: 0 }

function add(a: CampaignProgress, b: CampaignProgress): CampaignProgress {
  return {
    customers: a.customers + b.customers,
    done: a.done + b.done,
    sent: a.sent + b.sent,
    opened: a.opened + b.opened,
    claimed: a.claimed + b.claimed,
    redeemed: a.redeemed + b.redeemed,
    salesFen: a.salesFen + b.salesFen,
  }
}

export class CampaignsService {
  private readonly repo: CampaignsRepository
  private readonly guides: GuidesRepository
  private readonly stores: StoresRepository
  private readonly auditLog: AuditRepository
  private readonly generator: TaskGenerator

  constructor(private readonly ctx: AppContext) {
    this.repo = new CampaignsRepository(ctx.db)
    this.guides = new GuidesRepository(ctx.db)
    this.stores = new StoresRepository(ctx.db)
    this.auditLog = new AuditRepository(ctx.db)
    this.generator = new TaskGenerator(ctx.db)
  }

  async create(userId: string, input: CampaignCreate): Promise<CampaignDetail> {
    const scope = await requireTeamScope(this.ctx, userId)
    const now = this.ctx.now()
    const today = shanghaiDate(now)
    const name = input.name.trim()
    if (!name) throw ApiError.badRequest('name: give the campaign a name')
    for (const field of ['startsOn', 'endsOn'] as const) {
      if (!isCalendarDate(input[field])) throw ApiError.badRequest(`${field}: ${input[field]} is not a day of the calendar`)
    }
    if (input.endsOn < input.startsOn) throw ApiError.badRequest('endsOn: the campaign ends before it starts')
    if (input.endsOn < today) throw ApiError.badRequest(`endsOn: ${input.endsOn} is already past (today is ${today} in China)`)
    if (campaignDays(input.startsOn, input.endsOn) > MAX_CAMPAIGN_DAYS) {
      throw ApiError.badRequest(`endsOn: a campaign runs at most ${MAX_CAMPAIGN_DAYS} days`)
    }
    const storeIds = await this.storesFor(scope, input.storeIds)
    if (input.content) await this.assertSendable(input.content, today)
    const record: CampaignRecord = {
      id: `cp_${randomBytes(12)
        .toString('base64url')
        .replace(/[^A-Za-z0-9]/g, 'x')}`,
      name,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      audience: normalAudience(input.audience, now),
      content: input.content,
      note: (input.note ?? '').trim(),
      storeIds,
      createdBy: userId,
      createdAt: now,
      endedAt: null,
    }
    await this.repo.transaction(async (trx) => {
      await this.repo.insert(trx, record, now)
      const { id: _id, createdAt: _at, createdBy: _by, endedAt: _end, ...after } = record
      await this.auditLog.record(trx, {
        id: randomUUID(),
        actorId: userId,
        entity: 'campaign',
        entityId: record.id,
        action: 'create',
        before: undefined,
        after,
        at: now,
      })
    })
    // After the commit: should writing fail half-way, the task job writes the rest within the hour.
    if (campaignStatus(record, today) === 'running') {
      const team = await this.guides.team(new Set(storeIds))
      await this.generator.writeCampaigns({ now, guideIds: team.map((g) => g.user_id), campaignIds: [record.id] })
    }
    return this.detailOf(scope, record)
  }

  async list(userId: string): Promise<CampaignList> {
    const scope = await requireTeamScope(this.ctx, userId)
    const visible = (await this.repo.all()).filter((c) => c.storeIds.some((s) => storeInScope(scope, s))).slice(0, LIST_LIMIT)
    const [guides, names] = await Promise.all([this.guides.team(null), this.namesFor(visible)])
    const items = await Promise.all(
      visible.map(async (record) => {
        const rows = await this.guideRows(scope, record, guides)
        return this.view(scope, record, rows, names)
      }),
    )
    return { items }
  }

  async detail(userId: string, id: string): Promise<CampaignDetail> {
    const scope = await requireTeamScope(this.ctx, userId)
    return this.detailOf(scope, await this.visible(scope, id))
  }

  async end(userId: string, id: string): Promise<CampaignDetail> {
    const scope = await requireTeamScope(this.ctx, userId)
    const record = await this.visible(scope, id)
    for (const store of record.storeIds) {
      if (!storeInScope(scope, store)) throw ApiError.forbidden('This campaign also runs in stores that are not yours')
    }
    const now = this.ctx.now()
    if (campaignStatus(record, shanghaiDate(now)) === 'ended')
      throw new ApiError(409, 'conflict', 'This campaign has already ended')
    await this.repo.transaction(async (trx) => {
      if (!(await this.repo.end(trx, id, now))) throw new ApiError(409, 'conflict', 'This campaign has already ended')
      await this.repo.skipOpenTasks(trx, id, ENDED_REASON, now)
      await this.auditLog.record(trx, {
        id: randomUUID(),
        actorId: userId,
        entity: 'campaign',
        entityId: id,
        action: 'retire',
        before: { endedAt: null },
        after: { endedAt: iso(now) },
        at: now,
      })
    })
    return this.detailOf(scope, { ...record, endedAt: now })
  }

  /** How many customers the audience reaches today in each store (hers, or those asked for). */
  async audienceCount(userId: string, query: CampaignAudienceQuery): Promise<CampaignAudienceCount> {
    const scope = await requireTeamScope(this.ctx, userId)
    const now = this.ctx.now()
    const storeIds = await this.storesFor(scope, query.storeIds)
    const [stores, team] = await Promise.all([this.stores.findMany(storeIds), this.guides.team(new Set(storeIds))])
    const reach = await this.generator.reach({
      now,
      guideIds: team.map((g) => g.user_id),
      audience: normalAudience(query.audience, now),
    })
    const counts = new Map<string, number>()
    for (const guide of team) {
      if (guide.store_id) counts.set(guide.store_id, (counts.get(guide.store_id) ?? 0) + (reach.get(guide.user_id) ?? 0))
    }
    const nameOf = new Map(stores.map((s) => [s.id, s.name]))
    const items = storeIds.map((id) => ({ id, name: nameOf.get(id) ?? id, customers: counts.get(id) ?? 0 }))
    return { total: items.reduce((sum, s) => sum + s.customers, 0), stores: items }
  }

  // --- Helpers --------------------------------------------------------------------------------

  /** The stores asked for (each hers, each known), or all of hers; never none. */
  private async storesFor(scope: TeamScope, asked: readonly string[] | undefined): Promise<string[]> {
    if (asked === undefined) {
      const all = scope.stores === 'all' ? (await this.stores.list()).map((s) => s.id) : [...scope.stores].sort()
      if (all.length === 0) throw ApiError.badRequest('storeIds: you look after no store; name the stores it runs in')
      return all
    }
    const ids = [...new Set(asked)]
    for (const id of ids) requireStoreInScope(scope, id)
    const known = new Set((await this.stores.findMany(ids)).map((s) => s.id))
    const unknown = ids.filter((id) => !known.has(id))
    if (unknown.length) throw ApiError.badRequest(`storeIds: no store ${unknown.join(', ')}`)
    return ids
  }

  private async assertSendable(content: NonNullable<CampaignCreate['content']>, today: string): Promise<void> {
    const facts =
      content.type === 'reply'
        ? await this.repo.reply(content.id)
        : content.type === 'bundle'
          ? await this.repo.bundle(content.id)
          : await this.repo.coupon(content.id, today)
    const what = { reply: 'reply', bundle: 'outfit', coupon: 'coupon' }[content.type]
    if (!facts) throw ApiError.badRequest(`content: no ${what} ${content.id}`)
    if (facts.refusal) throw ApiError.badRequest(`content: the ${what} “${facts.title}” ${facts.refusal}`)
  }

  /** The campaign, if it runs in one of her stores: 404 for none, 403 for someone else's. */
  private async visible(scope: TeamScope, id: string): Promise<CampaignRecord> {
    const record = await this.repo.find(id)
    if (!record) throw ApiError.notFound('No such campaign')
    if (!record.storeIds.some((s) => storeInScope(scope, s)))
      throw ApiError.forbidden('This campaign runs in none of your stores')
    return record
  }

  private async detailOf(scope: TeamScope, record: CampaignRecord): Promise<CampaignDetail> {
    const [guides, names] = await Promise.all([this.guides.team(null), this.namesFor([record])])
    const rows = await this.guideRows(scope, record, guides)
    return { campaign: this.view(scope, record, rows, names), guides: rows }
  }

  /**
   * Progress per guide she may see: every guide of its stores that are hers (none written
   * yet shows as zeros), and any other guide of hers holding its tasks (one who moved).
   */
  private async guideRows(scope: TeamScope, record: CampaignRecord, guides: readonly GuideRow[]) {
    const progress = await this.repo.progress(record, campaignWindow(record))
    return guides
      .filter(
        (g) =>
          (g.store_id !== null && record.storeIds.includes(g.store_id) && storeInScope(scope, g.store_id)) ||
          (progress.has(g.user_id) && storeInScope(scope, g.store_id)),
      )
      .map((g) => ({ userId: g.user_id, name: g.name, storeId: g.store_id, ...(progress.get(g.user_id) ?? ZERO) }))
  }

  /** Names of the stores, creators and contents of these campaigns. */
  private async namesFor(records: readonly CampaignRecord[]) {
    const [stores, people, titles] = await Promise.all([
      this.stores.findMany([...new Set(records.flatMap((r) => r.storeIds))]),
      this.guides.names([...new Set(records.map((r) => r.createdBy))]),
      this.repo.contentTitles(records.flatMap((r) => (r.content ? [r.content] : []))),
    ])
    return { stores: new Map(stores.map((s) => [s.id, s.name])), people, titles }
  }

  private view(
    scope: TeamScope,
    record: CampaignRecord,
    rows: readonly CampaignProgress[],
    names: Awaited<ReturnType<CampaignsService['namesFor']>>,
  ): Campaign {
    const content = record.content
    return {
      id: record.id,
      name: record.name,
      startsOn: record.startsOn,
      endsOn: record.endsOn,
      status: campaignStatus(record, shanghaiDate(this.ctx.now())),
      audience: record.audience,
      content: content ? { ...content, title: names.titles.get(`${content.type}:${content.id}`) ?? '' } : null,
      note: record.note,
      stores: record.storeIds.filter((id) => storeInScope(scope, id)).map((id) => ({ id, name: names.stores.get(id) ?? id })),
      createdBy: { userId: record.createdBy, name: names.people.get(record.createdBy) ?? record.createdBy },
      createdAt: iso(record.createdAt),
      endedAt: isoOrNull(record.endedAt),
      totals: rows.reduce<CampaignProgress>((sum, row) => add(sum, pick(row)), ZERO),
    }
  }
}

function pick(row: CampaignProgress): CampaignProgress {
  const { customers, done, sent, opened, claimed, redeemed, salesFen } = row
  return { customers, done, sent, opened, claimed, redeemed, salesFen }
}

/**
 * The audience as stored: lists without repeats (empty ones dropped), and a birthday month
 * of 'this' or 'next' fixed to the month it means today, so the campaign keeps meaning
 * what the manager saw when she made it.
 */
function normalAudience(audience: CampaignAudience, now: number): CampaignAudience {
  const out: CampaignAudience = {}
  if (audience.tags?.length) out.tags = [...new Set(audience.tags)]
  if (audience.levels?.length) out.levels = [...new Set(audience.levels)]
  if (audience.lastPurchase !== undefined) out.lastPurchase = audience.lastPurchase
  if (audience.lastContact !== undefined) out.lastContact = audience.lastContact
  if (audience.birthdayMonth !== undefined) out.birthdayMonth = String(Number(birthdayMonthOf(audience.birthdayMonth, now)))
  if (audience.dormant !== undefined) out.dormant = audience.dormant
  if (audience.hasCoupon !== undefined) out.hasCoupon = audience.hasCoupon
  return out
}
