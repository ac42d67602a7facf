/**
 * The demo's campaigns, built from `now` so they are running on any day the demo starts:
 * 王蕾's for her store (a season's new arrivals for silver-and-up members, with a coupon,
 * started four days ago and running ten more) and head office's for 湖滨 (an outfit for
 * customers tagged 复购), so every guide has campaign tasks. Their tasks are written by
 * the task generator as the demo's week replays (tasks.ts); here are the rows, who each
 * reaches (worked out from the demo data, as the campaign's filters will find them once
 * WeCom's side is synced), and what 王蕾's guides did with hers: coupons sent, claimed,
 * one redeemed with a purchase, one task skipped.
 */
import { createHash } from 'node:crypto'
import type { CampaignAudience } from '../../shared/campaigns'
import { addDays, shanghaiDate } from '../../shared/dates'
import type { Db } from '../db'
import { campaignDraft, campaignStatus, type CampaignRecord } from '../modules/campaigns/campaign-rules'
import { CampaignsRepository } from '../modules/campaigns/campaigns.repository'
import { primaryGuides, taskId, type CampaignDraft, type FollowFact } from '../modules/tasks/rules'
import { TasksRepository } from '../modules/tasks/tasks.repository'
import type { DemoData } from './data'

const HOUR = 3_600_000
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
/** The coupon 王蕾's campaign sends (满 1000 减 150, 14 days), from coupons.ts. */
const CAMPAIGN_COUPON = { id: 'ct_demo_1000_150', offFen: 15000, validDays: 14 }
/** Head office, which the demo has no user for: its campaign shows this id as its maker. */
const HEAD_OFFICE = 'hq'

/** A retailer's season by month: winter wear from November, spring from February… */
function season(today: string): string {
  const month = Number(today.slice(5, 7))
  return month >= 11 || month === 1 ? '冬' : month <= 4 ? '春' : month <= 7 ? '夏' : '秋'
}

/** Epoch ms of `hour` o'clock China time on `date`. */
function chinaTime(date: string, hour: number): number {
  return Date.parse(`${date}T00:00:00+08:00`) + hour * HOUR
}

export function demoCampaigns(data: DemoData, now: number): CampaignRecord[] {
  const today = shanghaiDate(now)
  const tag = (name: string) => data.tagGroups.flatMap((g) => g.tags).find((t) => t.name === name)!.id
  const outfit = data.bundles.find((b) => b.scope === 'corp')!
  const manager = data.guides.find((g) => g.role === 'manager')!
  const wear = `${season(today)}装`
  const winter: CampaignRecord = {
    id: 'cp_demo_renewal',
    name: `${wear}焕新 · 老客回访`,
    startsOn: addDays(today, -4),
    endsOn: addDays(today, 10),
    audience: { levels: ['silver', 'gold', 'platinum'] },
    content: { type: 'coupon', id: CAMPAIGN_COUPON.id },
    note: `银卡及以上老客：${wear}新款到店，送一张满 1000 减 150，约她来试穿`,
    storeIds: [manager.storeId],
    createdBy: manager.userId,
    createdAt: chinaTime(addDays(today, -4), 9.5),
    endedAt: null,
  }
  const hubin: CampaignRecord = {
    id: 'cp_demo_hubin_preview',
    name: `湖滨店 · ${wear}新品预约`,
    startsOn: addDays(today, -2),
    endsOn: addDays(today, 5),
    audience: { tags: [tag('复购')] },
    content: { type: 'bundle', id: outfit.id },
    note: '',
    storeIds: data.stores.filter((s) => s.id !== manager.storeId).map((s) => s.id),
    createdBy: HEAD_OFFICE,
    createdAt: chinaTime(addDays(today, -2), 10),
    endedAt: null,
  }
  return [winter, hubin]
}

/**
 * Whom a demo campaign reaches: each customer of its stores' guides (her primary guide)
 * whose member level or her guide's tags match. The demo's campaigns filter on these two
 * only, which the demo data knows before anything is synced.
 */
function reached(data: DemoData, campaign: CampaignRecord): string[] {
  const audience: CampaignAudience = campaign.audience
  const others = Object.keys(audience).filter((k) => k !== 'levels' && k !== 'tags')
  if (others.length) throw new Error(`demo campaigns filter on levels and tags only, not ${others.join(', ')}`)
  const follows: FollowFact[] = data.customers.flatMap((c) =>
    c.follows.map((f) => ({ externalUserId: c.externalUserId, userId: f.userId, addedAt: f.createtime * 1000 })),
  )
  const primary = primaryGuides(follows, new Set(data.guides.map((g) => g.userId)))
  const storeOf = new Map(data.guides.map((g) => [g.userId, g.storeId]))
  const levelOf = new Map(data.members.map((m) => [m.externalUserId, m.level]))
  const levels = new Set<string>(audience.levels ?? [])
  return data.customers
    .filter((c) => {
      const guide = primary.get(c.externalUserId)
      if (!guide || !campaign.storeIds.includes(storeOf.get(guide) ?? '')) return false
      const tags = c.follows.find((f) => f.userId === guide)?.corpTagIds ?? []
      const level = levelOf.get(c.externalUserId)
      if (levels.size && !(level && levels.has(level))) return false
      return !audience.tags?.length || audience.tags.some((t) => tags.includes(t))
    })
    .map((c) => c.externalUserId)
    .sort()
}

/** The campaigns running on the day of `at`, as the task generator takes them. */
export function demoCampaignDrafts(data: DemoData, campaigns: readonly CampaignRecord[], at: number): CampaignDraft[] {
  return campaigns.filter((c) => campaignStatus(c, shanghaiDate(at)) === 'running').map((c) => campaignDraft(c, reached(data, c)))
}

export async function writeDemoCampaigns(db: Db, campaigns: readonly CampaignRecord[], now: number): Promise<void> {
  const repo = new CampaignsRepository(db)
  await repo.transaction(async (trx) => {
    for (const campaign of campaigns) await repo.insert(trx, campaign, Math.min(now, campaign.createdAt))
  })
}

function demoCode(seed: string): string {
  const digest = createHash('sha256').update(seed).digest()
  return Array.from(digest.subarray(0, 12), (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('')
}

/**
 * What the guides did with 王蕾's campaign so far: the first customers of each guide's
 * own share were sent its coupon on the days after it started (claimed by some, one redeemed
 * with a purchase credited to her guide). Written before the week replays, so the task
 * job completes those tasks the day after each send, as it would have.
 */
export async function playDemoCampaign(db: Db, data: DemoData, campaign: CampaignRecord, now: number): Promise<void> {
  const today = shanghaiDate(now)
  const plays: { customer: string; guideId: string; daysAgo: number; outcome: 'sent' | 'claimed' | 'redeemed' }[] = []
  for (const [guideId, customers] of ownCustomers(data, campaign)) {
    const outcomes = guideId === campaign.createdBy ? (['claimed', 'sent'] as const) : (['redeemed', 'claimed', 'sent'] as const)
    outcomes.forEach((outcome, i) => {
      const customer = customers[i]
      if (customer) plays.push({ customer, guideId, daysAgo: 3 - i, outcome })
    })
  }
  const trx = db.kysely
  for (const play of plays) {
    const day = addDays(today, -play.daysAgo)
    const sentAt = chinaTime(day, 11 + play.daysAgo)
    const claimedAt = play.outcome === 'sent' ? null : sentAt + 2 * HOUR
    const redeemedAt = play.outcome === 'redeemed' ? chinaTime(addDays(day, 1), 15) : null
    const member = data.members.find((m) => m.externalUserId === play.customer)
    const orderId = redeemedAt !== null && member ? `C${member.id.slice(1)}cp` : null
    if (orderId && member && redeemedAt !== null) {
      // Something over the coupon's 1000 yuan threshold: the dearest style she could buy.
      const product = [...data.products].sort((a, b) => b.priceFen - a.priceFen || a.id.localeCompare(b.id))[0]!
      const sku = product.skus[0]!
      const priceFen = product.priceFen - CAMPAIGN_COUPON.offFen
      await trx
        .insertInto('orders')
        .values({
          id: orderId,
          member_id: member.id,
          store_id: campaign.storeIds[0] ?? null,
          purchased_at: redeemedAt,
          total_fen: priceFen,
          created_at: redeemedAt,
          guide_user_id: play.guideId,
          credited_guide_id: play.guideId,
        })
        .execute()
      await trx
        .insertInto('order_items')
        .values({
          order_id: orderId,
          line_no: 1,
          product_id: product.id,
          name: product.name,
          color: sku.color,
          size: sku.size,
          quantity: 1,
          price_fen: priceFen,
          returned: 0,
        })
        .execute()
    }
    await trx
      .insertInto('coupon_issuances')
      .values({
        id: `ci_demo_cp_${play.customer.slice(-8)}`,
        template_id: CAMPAIGN_COUPON.id,
        code: demoCode(`campaign:${campaign.id}:${play.customer}`),
        guide_id: play.guideId,
        external_user_id: play.customer,
        idempotency_key: `demo-campaign-${play.customer}`,
        status: play.outcome,
        reserved_until: null,
        issued_at: sentAt,
        sent_at: sentAt,
        claimed_at: claimedAt,
        redeemed_at: redeemedAt,
        redeemed_store_id: redeemedAt === null ? null : (campaign.storeIds[0] ?? null),
        released_at: null,
        release_reason: null,
        valid_from: sentAt,
        valid_until: chinaTime(addDays(day, CAMPAIGN_COUPON.validDays + 1), 0) - 1,
        order_id: orderId,
      })
      .execute()
  }
  await trx
    .updateTable('coupon_templates')
    .set((eb) => ({ stock_left: eb('stock_left', '-', plays.length) }))
    .where('id', '=', CAMPAIGN_COUPON.id)
    .execute()
}

/** One of her campaign customers is away: her guide skipped the task, saying so. */
export async function skipOneDemoTask(db: Db, data: DemoData, campaign: CampaignRecord, now: number): Promise<void> {
  const tasks = new TasksRepository(db)
  for (const [guideId, customers] of ownCustomers(data, campaign)) {
    if (guideId === campaign.createdBy) continue
    const customer = customers[3]
    if (customer) {
      await tasks.skip(taskId(`campaign:${campaign.id}:${customer}`), guideId, '客户在外地出差，活动结束后才回来', now - 5 * HOUR)
    }
  }
}

/**
 * The campaign's customers by guide, each list in a fixed order: those only her guide
 * follows (a shared customer's timeline is where other demos and tests look).
 */
function ownCustomers(data: DemoData, campaign: CampaignRecord): Map<string, string[]> {
  const followers = new Map(data.customers.map((c) => [c.externalUserId, c.follows.length]))
  const follows: FollowFact[] = data.customers.flatMap((c) =>
    c.follows.map((f) => ({ externalUserId: c.externalUserId, userId: f.userId, addedAt: f.createtime * 1000 })),
  )
  const primary = primaryGuides(follows, new Set(data.guides.map((g) => g.userId)))
  const out = new Map<string, string[]>()
  for (const customer of reached(data, campaign).filter((c) => followers.get(c) === 1)) {
    const guide = primary.get(customer)!
    out.set(guide, [...(out.get(guide) ?? []), customer])
  }
  return out
}
