/**
 * Writing the tasks the rules call for: per guide, for the customers she is the primary
 * guide of, a few hundred customers at a time with one read per source. Idempotent:
 * every task's id comes from its dedupe key and is inserted with "on conflict do
 * nothing", so re-running (daily, after an import, on two instances at once) adds
 * nothing that is already there. The same pass expires what is past its grace and
 * completes what a purchase made moot, and a campaign's task her guide served since it
 * was written (a send completes every open task it serves at once, tasks.service's
 * `served`, but only those due within a few days: a campaign's is due on its last day).
 *
 * Takes the database and the moment only, so the server's daily job, the CRM importer
 * and the demo seed run the very same code.
 */
import type { CampaignAudience } from '../../../shared/campaigns'
import { shanghaiDate } from '../../../shared/dates'
import type { Db } from '../../db'
import { CampaignAudienceService } from '../campaigns/audience.service'
import { campaignDraft, type CampaignRecord } from '../campaigns/campaign-rules'
import { CampaignsRepository } from '../campaigns/campaigns.repository'
import {
  COUPON_WARNING_DAYS,
  PURCHASE_KINDS,
  campaignTasks,
  doneByPurchase,
  expiredBefore,
  primaryGuides,
  tasksFor,
  type CampaignDraft,
  type CustomerSnapshot,
  type FollowFact,
  type SuggestionSource,
} from './rules'
import { TaskSourcesRepository } from './task-sources.repository'
import { TasksRepository } from './tasks.repository'

const DAY_MS = 86_400_000
/** Customers whose data is read and written together. */
const BATCH = 500

export interface GenerateOptions {
  now: number
  /** Only these guides' customers (default: every guide). */
  guideIds?: readonly string[]
  /**
   * Who follows whom, when it is not read from WeCom's cache: the demo seed passes the
   * simulator's follows, which reach the database only once a guide's list is synced.
   */
  follows?: readonly FollowFact[]
  /**
   * Campaigns to write as tasks for the customers they name (the demo's seed, whose
   * customers are not in the database yet). Not given: the campaigns running today, each
   * for the customers of its stores' guides its audience reaches.
   */
  campaigns?: readonly CampaignDraft[]
}

export interface GenerateReport {
  created: number
  completed: number
  expired: number
}

/** Her customers (she is their primary guide) and who follows each, for one guide's pass. */
interface Book {
  hers: string[]
  followers: Map<string, string[]>
  addedAt: Map<string, number | null>
}

export class TaskGenerator {
  private readonly tasks: TasksRepository
  private readonly sources: TaskSourcesRepository
  private readonly campaigns: CampaignsRepository
  private readonly audience: CampaignAudienceService

  constructor(db: Db) {
    this.tasks = new TasksRepository(db)
    this.sources = new TaskSourcesRepository(db)
    this.campaigns = new CampaignsRepository(db)
    this.audience = new CampaignAudienceService(db)
  }

  async run(options: GenerateOptions): Promise<GenerateReport> {
    const { now } = options
    const today = shanghaiDate(now)
    const known = await this.sources.guideIds()
    const guides = options.guideIds ? options.guideIds.filter((g) => known.includes(g)) : known
    const report: GenerateReport = { created: 0, completed: 0, expired: 0 }
    // A single guide's run (her list opened) expires only hers; the daily run, everyone's.
    report.expired = await this.tasks.expire(expiredBefore(today), guides.length === 1 ? guides[0] : undefined)
    const suggestions: SuggestionSource = {
      birthdayCouponId: await this.sources.birthdayCouponId(today),
      replies: await this.sources.replyHints(),
    }
    // Campaigns given (the demo's seed) are written as given; otherwise those running today.
    const running = options.campaigns ? null : await this.runningByStore(today)
    const knownSet = new Set(known)
    for (const guideId of guides) {
      const campaignsFor = running ? await this.campaignDrafts(guideId, running.of(guideId), now) : () => options.campaigns ?? []
      const book = await this.book(guideId, knownSet, options.follows)
      for (let i = 0; i < book.hers.length; i += BATCH) {
        const ids = book.hers.slice(i, i + BATCH)
        const [customers, open, served] = await Promise.all([
          this.snapshots(guideId, ids, book, now),
          this.tasks.openOf(ids, PURCHASE_KINDS),
          this.sources.servedCampaignTasks(ids, now),
        ])
        const campaigns = campaignsFor(customers)
        const drafts = []
        const done: string[] = [...served]
        for (const customer of customers) {
          done.push(...doneByPurchase(open.get(customer.externalUserId) ?? [], customer.orders, now))
          drafts.push(...tasksFor(customer, { today, now, suggestions, campaigns }))
        }
        // Completed first: a purchase that ends a repurchase task also keys the next one.
        report.completed += await this.tasks.completeIds(done, now)
        report.created += await this.tasks.insertMany(drafts, now)
      }
    }
    return report
  }

  /**
   * Only campaigns' tasks, for these guides: a campaign created running writes its tasks
   * at once, without running every other rule for the whole store. Answers how many were new.
   */
  async writeCampaigns(options: { now: number; guideIds: readonly string[]; campaignIds: readonly string[] }): Promise<number> {
    const { now } = options
    const running = await this.runningByStore(shanghaiDate(now), options.campaignIds)
    const known = await this.sources.guideIds()
    const knownSet = new Set(known)
    let created = 0
    for (const guideId of options.guideIds.filter((g) => knownSet.has(g))) {
      const mine = running.of(guideId)
      if (mine.length === 0) continue
      const campaignsFor = await this.campaignDrafts(guideId, mine, now)
      const book = await this.book(guideId, knownSet)
      for (let i = 0; i < book.hers.length; i += BATCH) {
        const customers = await this.snapshots(guideId, book.hers.slice(i, i + BATCH), book, now)
        const campaigns = campaignsFor(customers)
        created += await this.tasks.insertMany(
          customers.flatMap((customer) => campaignTasks(customer, campaigns, now)),
          now,
        )
      }
    }
    return created
  }

  /** How many of each guide's customers an audience reaches now (the campaign form's count). */
  async reach(options: { now: number; guideIds: readonly string[]; audience: CampaignAudience }): Promise<Map<string, number>> {
    const { now } = options
    const knownSet = new Set(await this.sources.guideIds())
    const out = new Map<string, number>()
    for (const guideId of options.guideIds.filter((g) => knownSet.has(g))) {
      const matches = await this.audience.matcher(guideId, options.audience, now)
      const book = await this.book(guideId, knownSet)
      let count = 0
      for (let i = 0; i < book.hers.length; i += BATCH) {
        count += (await this.snapshots(guideId, book.hers.slice(i, i + BATCH), book, now)).filter(matches).length
      }
      out.set(guideId, count)
    }
    return out
  }

  /** Running campaigns (or these of them), and for each guide those that run in her store. */
  private async runningByStore(today: string, only?: readonly string[]) {
    const running = (await this.campaigns.running(today)).filter((c) => !only || only.includes(c.id))
    const storeOf = running.length ? await this.sources.guideStores() : new Map<string, string | null>()
    return {
      of: (guideId: string): CampaignRecord[] => {
        const store = storeOf.get(guideId)
        return store ? running.filter((c) => c.storeIds.includes(store)) : []
      },
    }
  }

  /** Her campaigns as the rules take them, for a batch of her customers: each names those it reaches. */
  private async campaignDrafts(
    guideId: string,
    campaigns: readonly CampaignRecord[],
    now: number,
  ): Promise<(customers: readonly CustomerSnapshot[]) => CampaignDraft[]> {
    const matchers = await Promise.all(campaigns.map((c) => this.audience.matcher(guideId, c.audience, now)))
    return (customers) =>
      campaigns.map((campaign, i) =>
        campaignDraft(
          campaign,
          customers.filter(matchers[i]!).map((c) => c.externalUserId),
        ),
      )
  }

  /** The customers she is the primary guide of, sorted, with who follows each. */
  private async book(guideId: string, known: ReadonlySet<string>, given?: readonly FollowFact[]): Promise<Book> {
    const follows = given ? aroundGuide(given, guideId) : await this.sources.followsAround(guideId)
    const primary = primaryGuides(follows, known)
    const followers = new Map<string, string[]>()
    const addedAt = new Map<string, number | null>()
    for (const f of follows) {
      followers.set(f.externalUserId, [...(followers.get(f.externalUserId) ?? []), f.userId])
      if (f.userId === guideId) addedAt.set(f.externalUserId, f.addedAt)
    }
    const hers = [...primary]
      .filter(([, g]) => g === guideId)
      .map(([customer]) => customer)
      .sort()
    return { hers, followers, addedAt }
  }

  /** What the rules know about each of these customers of hers, one read per source. */
  private async snapshots(guideId: string, ids: readonly string[], book: Book, now: number): Promise<CustomerSnapshot[]> {
    const data = await this.sources.sources(ids, now, now + (COUPON_WARNING_DAYS + 1) * DAY_MS)
    return ids.map((externalUserId) => ({
      externalUserId,
      guideId,
      followers: book.followers.get(externalUserId) ?? [guideId],
      birthday: data.birthdays.get(externalUserId) ?? null,
      orders: data.orders.get(externalUserId) ?? [],
      lastContactAt: data.lastContact.get(externalUserId) ?? null,
      addedAt: book.addedAt.get(externalUserId) ?? null,
      coupons: data.coupons.get(externalUserId) ?? [],
    }))
  }
}

/** The follows of every customer the guide follows (all guides' follows of them). */
function aroundGuide(follows: readonly FollowFact[], guideId: string): FollowFact[] {
  const hers = new Set(follows.filter((f) => f.userId === guideId).map((f) => f.externalUserId))
  return follows.filter((f) => hers.has(f.externalUserId))
}
