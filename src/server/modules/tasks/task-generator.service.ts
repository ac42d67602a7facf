/**
 * Writing the tasks the rules call for: per guide, for the customers she is the primary
 * guide of, a few hundred customers at a time with one read per source. Idempotent:
 * every task's id comes from its dedupe key and is inserted with "on conflict do
 * nothing", so re-running (daily, after an import, on two instances at once) adds
 * nothing that is already there. The same pass expires what is past its grace and
 * completes what a purchase made moot.
 *
 * Takes the database and the moment only, so the server's daily job, the CRM importer
 * and the demo seed run the very same code.
 */
import { shanghaiDate } from '../../../shared/dates'
import type { Db } from '../../db'
import {
  COUPON_WARNING_DAYS,
  PURCHASE_KINDS,
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
  /** A manager's campaigns to write as tasks for the customers they name. */
  campaigns?: readonly CampaignDraft[]
}

export interface GenerateReport {
  created: number
  completed: number
  expired: number
}

export class TaskGenerator {
  private readonly tasks: TasksRepository
  private readonly sources: TaskSourcesRepository

  constructor(db: Db) {
    this.tasks = new TasksRepository(db)
    this.sources = new TaskSourcesRepository(db)
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
    const knownSet = new Set(known)
    for (const guideId of guides) {
      const follows = options.follows ? aroundGuide(options.follows, guideId) : await this.sources.followsAround(guideId)
      const primary = primaryGuides(follows, knownSet)
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
      for (let i = 0; i < hers.length; i += BATCH) {
        const ids = hers.slice(i, i + BATCH)
        const [data, open] = await Promise.all([
          this.sources.sources(ids, now, now + (COUPON_WARNING_DAYS + 1) * DAY_MS),
          this.tasks.openOf(ids, PURCHASE_KINDS),
        ])
        const drafts = []
        const done: string[] = []
        for (const externalUserId of ids) {
          const customer: CustomerSnapshot = {
            externalUserId,
            guideId,
            followers: followers.get(externalUserId) ?? [guideId],
            birthday: data.birthdays.get(externalUserId) ?? null,
            orders: data.orders.get(externalUserId) ?? [],
            lastContactAt: data.lastContact.get(externalUserId) ?? null,
            addedAt: addedAt.get(externalUserId) ?? null,
            coupons: data.coupons.get(externalUserId) ?? [],
          }
          done.push(...doneByPurchase(open.get(externalUserId) ?? [], customer.orders, now))
          drafts.push(...tasksFor(customer, { today, now, suggestions, campaigns: options.campaigns }))
        }
        // Completed first: a purchase that ends a repurchase task also keys the next one.
        report.completed += await this.tasks.completeIds(done, now)
        report.created += await this.tasks.insertMany(drafts, now)
      }
    }
    return report
  }
}

/** The follows of every customer the guide follows (all guides' follows of them). */
function aroundGuide(follows: readonly FollowFact[], guideId: string): FollowFact[] {
  const hers = new Set(follows.filter((f) => f.userId === guideId).map((f) => f.externalUserId))
  return follows.filter((f) => hers.has(f.externalUserId))
}
