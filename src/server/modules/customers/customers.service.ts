import type { CustomerList, CustomerListQuery, CustomerProfile, CustomerTag } from '../../../shared/customer'
import { eligibilityOf, followKey, memberLevelOf, type EligibilityFacts } from './eligibility'
import { factsOf } from './facts'
import type { AppContext } from '../../context'
import type { Trx } from '../../db'
import { iso, isoOrNull, parseJsonArray } from '../../db/sql'
import { ApiError } from '../../http/errors'
import { WecomError, WecomErrcode, isWecomOutage } from '../../wecom/errors'
import { KeyedSingleFlight } from '../../wecom/expiring'
import { GuidesRepository } from '../guides/guides.repository'
import { mapExternalContact } from './customers.mapper'
import { ContactsRepository } from './contacts.repository'
import { CustomersRepository } from './customers.repository'
import { followEndDetail } from './follow-end'
import { syncGuideCustomers } from './guide-sync'
import { decodeCursor, encodeCursor, listFilter } from './list-query'
import { ProfileCache } from './profile-cache'
import { ProfileRepository, type EligibilityRows, type FollowPairs } from './profile.repository'

/** A cached profile older than this is served as is and refreshed in the background. */
export const PROFILE_STALE_MS = 10 * 60 * 1000
/** A guide missing from a cached `follow_user` is re-checked with WeCom once the copy is this old. */
export const FOLLOW_RECHECK_MS = 30 * 1000
/** A guide's customer list is re-read from WeCom in the background after this long. */
export const LIST_STALE_MS = 30 * 60 * 1000
/** The first list read waits this long for WeCom before answering with what it has. */
export const FIRST_SYNC_WAIT_MS = 5000
/** A background refresh of one customer is not attempted again sooner than this (WeCom may be down). */
export const REFRESH_RETRY_MS = 60 * 1000

const RECENT_ORDERS = 5
const DAY_MS = 24 * 3600 * 1000
type RefreshOutcome = 'found' | 'unknown' | 'remembered'
/** What the follow check reads of a customer's row, whichever read made it. */
type FollowedRow = { fetched_at: number; follow_user_id: string | null }

const NOT_FOUND_ERRCODES: ReadonlySet<number> = new Set([WecomErrcode.invalidExternalUserId, WecomErrcode.notExternalContact])

export class CustomersService {
  private readonly repo: CustomersRepository
  private readonly contacts: ContactsRepository
  private readonly profileRepo: ProfileRepository
  private readonly guides: GuidesRepository
  private readonly refreshes = new KeyedSingleFlight<string, RefreshOutcome>()
  private readonly profiles: ProfileCache
  private readonly lastBackgroundRefresh = new Map<string, number>()
  private readonly fullRow: ProfileRepository['findProfileRow']
  private readonly slimRow: ProfileRepository['findEligibilityRow']

  constructor(
    private readonly ctx: AppContext,
    options: { profileCacheSize?: number } = {},
  ) {
    this.repo = new CustomersRepository(ctx.db)
    this.contacts = new ContactsRepository(ctx.db)
    this.profileRepo = new ProfileRepository(ctx.db)
    this.fullRow = (externalUserId, userId) => this.profileRepo.findProfileRow(externalUserId, userId)
    this.slimRow = (externalUserId, userId) => this.profileRepo.findEligibilityRow(externalUserId, userId)
    this.guides = new GuidesRepository(ctx.db)
    this.profiles = new ProfileCache(ctx.now, options.profileCacheSize)
  }

  /**
   * Read the customer from WeCom into the cache. Resolves false when WeCom says she does
   * not exist for us (a malformed id, a deleted friendship), after forgetting our copy.
   * Concurrent callers for one customer share a single WeCom call.
   */
  async refresh(externalUserId: string): Promise<boolean> {
    return (await this.refreshOutcome(externalUserId)) === 'found'
  }

  /** As `refresh`, also telling whether WeCom was asked (`unknown`) or its earlier answer repeated (`remembered`). */
  private refreshOutcome(externalUserId: string): Promise<RefreshOutcome> {
    return this.refreshes.run(externalUserId, async () => {
      try {
        const result = await this.ctx.wecom.getExternalContact(externalUserId)
        await this.contacts.saveContact(mapExternalContact(result.external_contact, result.follow_user), this.ctx.now())
        return 'found'
      } catch (error) {
        if (error instanceof WecomError && NOT_FOUND_ERRCODES.has(error.errcode)) {
          await this.contacts.forgetContact(externalUserId, this.ctx.now())
          return error.remembered ? 'remembered' : 'unknown'
        }
        throw error
      }
    })
  }

  /** Refresh a stale copy without making anyone wait, at most once a minute per customer. */
  private refreshInBackground(externalUserId: string): void {
    const now = this.ctx.now()
    const last = this.lastBackgroundRefresh.get(externalUserId)
    if (last !== undefined && now - last < REFRESH_RETRY_MS) return
    if (this.lastBackgroundRefresh.size > 10_000) this.lastBackgroundRefresh.clear()
    this.lastBackgroundRefresh.set(externalUserId, now)
    this.ctx.background.run('refresh customer', () => this.refresh(externalUserId))
  }

  /**
   * The profile as the JSON the API sends. A revisit whose data has not changed is a
   * string from memory, after one indexed read (or none, when the database says nothing
   * was written since: db/change-watch.ts); anything else assembles the profile afresh.
   */
  async getProfileJson(userId: string, externalUserId: string): Promise<string> {
    const changes = this.ctx.db.changes
    const cached = this.profiles.get(userId, externalUserId)
    if (cached) {
      let current = cached.checkedAt !== null && cached.checkedAt === (await changes?.settled())
      if (!current) {
        // Taken before the read, so a write the read misses moves it on.
        const version = changes?.current() ?? null
        const token = await this.profileRepo.profileToken(externalUserId, userId)
        current = token?.token === cached.token
        if (current) cached.checkedAt = version
      }
      if (current) {
        if (this.ctx.now() - cached.fetchedAt > PROFILE_STALE_MS) {
          this.refreshInBackground(externalUserId)
          if (this.ctx.wecom.degraded()) return withWecomStale(cached.body)
        }
        return cached.body
      }
      this.profiles.delete(userId, externalUserId)
    }
    // The token is read before assembling and again after: the body is cached only if
    // nothing changed in between, so a write racing this read can never leave an old
    // body filed under the new token.
    const versionBefore = changes?.current() ?? null
    const tokenBefore = await this.profileRepo.profileToken(externalUserId, userId)
    const profile = await this.getProfile(userId, externalUserId)
    const body = JSON.stringify(profile)
    const tokenAfter = await this.profileRepo.profileToken(externalUserId, userId)
    const versionAfter = changes?.current() ?? null
    // A body flagged stale is not kept: once WeCom answers again the flag must go.
    if (tokenBefore && tokenAfter && tokenBefore.token === tokenAfter.token && !profile.wecomStale) {
      this.profiles.set(userId, externalUserId, {
        token: tokenAfter.token,
        body,
        fetchedAt: tokenAfter.fetchedAt,
        // "Nothing at all was written since" only holds if nothing was written meanwhile.
        checkedAt: versionBefore === versionAfter ? versionAfter : null,
      })
    }
    return body
  }

  /**
   * The customer's cached row for this guide: read from WeCom first if we do not have
   * her, re-checked with WeCom before refusing a guide she may have added since. 404 for
   * a customer WeCom does not know, 403 for one this guide does not follow. When WeCom
   * cannot be asked (down, limiting us, refusing our set-up) a copy we hold is used as
   * it is, and `wecomStale` says so.
   */
  private async followedRow<Row extends FollowedRow>(
    userId: string,
    externalUserId: string,
    read: (externalUserId: string, userId: string) => Promise<Row | null>,
  ) {
    const now = this.ctx.now()
    let row = await read(externalUserId, userId)
    let wecomStale = false
    let refreshedNow = false
    // An id we hold nothing of may be made up: each one WeCom does not know either counts
    // against the guide's budget, and past it she is answered without asking WeCom.
    const budget = row ? null : this.ctx.budgets.lookups(userId)
    await budget?.check()
    const refreshAndReread = async () => {
      const outcome = await this.refreshOutcome(externalUserId)
      if (outcome !== 'found') {
        if (outcome === 'unknown') await budget?.missed()
        throw (await this.endedFollowError(userId, externalUserId)) ?? ApiError.notFound('No such customer')
      }
      refreshedNow = true
      row = await read(externalUserId, userId)
      if (!row) throw ApiError.notFound('No such customer')
      return row
    }
    if (!row || row.fetched_at === 0) {
      // A customer known only from her guide's list (fetched_at 0) is still worth showing.
      const listed = row
      try {
        row = await refreshAndReread()
      } catch (error) {
        if (!listed || !isWecomOutage(error)) throw error
        row = listed
        wecomStale = true
      }
    }
    if (row.follow_user_id === null && !refreshedNow && now - row.fetched_at > FOLLOW_RECHECK_MS) {
      // She may have added this guide since we cached her: ask WeCom before refusing.
      row = await refreshAndReread()
    }
    if (row.follow_user_id === null) {
      throw (
        (await this.endedFollowError(userId, externalUserId)) ?? ApiError.forbidden('This customer is not one of your contacts')
      )
    }
    if (!refreshedNow && now - row.fetched_at > PROFILE_STALE_MS) {
      this.refreshInBackground(externalUserId)
      if (this.ctx.wecom.degraded()) wecomStale = true
    }
    return { row, wecomStale }
  }

  /** A customer she once had is marked as such (deleted, handed over), not just refused. */
  private async endedFollowError(userId: string, externalUserId: string): Promise<ApiError | null> {
    const end = await this.contacts.followEnd(userId, externalUserId)
    if (!end) return null
    return new ApiError(403, 'forbidden', 'This customer is not one of your contacts any more', followEndDetail(end))
  }

  /** Every write about a customer goes through this: only her guides may make it. */
  async assertFollower(userId: string, externalUserId: string): Promise<void> {
    await this.followedRow(userId, externalUserId, this.slimRow)
  }

  /**
   * What coupon eligibility reads of her profile (member level, every tag, order count),
   * answered as `getProfile` answers (403/404, a refresh from WeCom) without assembling
   * the rest: her facts and recent orders are not read.
   */
  async eligibilityFacts(userId: string, externalUserId: string): Promise<EligibilityFacts> {
    return eligibilityOf((await this.followedRow(userId, externalUserId, this.slimRow)).row)
  }

  /**
   * `eligibilityFacts` for a batch of sends (a flash sale's) in one read, for each send
   * whose customer is cached and followed by its guide; null for the rest, which take the
   * one-send path (WeCom, budgets, the refusal's wording) on their own, not in the batch.
   * `read`: the rows of `eligibilityQuery` for these sends, read with something else.
   */
  async eligibilityFactsMany(
    sends: readonly { userId: string; externalUserId: string }[],
    read?: EligibilityRows,
  ): Promise<(EligibilityFacts | null)[]> {
    const rows = read ?? (await this.profileRepo.findEligibilityRows(sends))
    const now = this.ctx.now()
    return sends.map(({ userId, externalUserId }) => {
      const row = rows.get(followKey(userId, externalUserId))
      if (!row || row.fetched_at === 0) return null
      // As `followedRow` does with a followed row it found.
      if (now - row.fetched_at > PROFILE_STALE_MS) this.refreshInBackground(externalUserId)
      return eligibilityOf(row)
    })
  }

  /** The read behind `eligibilityFactsMany`, to run inside another; `pairs` as `followPairs` makes them. */
  eligibilityQuery = (db: Trx, pairs: FollowPairs) => this.profileRepo.eligibilityRowsQuery(db, pairs)

  async getProfile(userId: string, externalUserId: string): Promise<CustomerProfile> {
    const { row, wecomStale } = await this.followedRow(userId, externalUserId, this.fullRow)
    const [personalTags, factChanges] = await Promise.all([
      this.profileRepo.personalTags(externalUserId, userId),
      this.profileRepo.factChanges(externalUserId),
    ])

    let member: CustomerProfile['member'] = null
    if (row.member_id !== null) {
      // PostgreSQL returns count and sum as strings (bigint/numeric).
      const orderCount = Number(row.order_count ?? 0)
      const orders = orderCount > 0 ? await this.profileRepo.recentOrders(row.member_id, RECENT_ORDERS) : []
      const first = row.first_purchase_at === null ? null : Number(row.first_purchase_at)
      const last = row.last_purchase_at === null ? null : Number(row.last_purchase_at)
      member = {
        memberId: row.member_id,
        level: memberLevelOf(row.level ?? 'normal'),
        points: row.points ?? 0,
        storeName: row.store_name,
        sizes: { top: row.size_top, bottom: row.size_bottom, dress: row.size_dress, shoes: row.size_shoes },
        stylePreferences: parseJsonArray<string>(row.style_preferences),
        stats: {
          orderCount,
          totalSpentFen: Number(row.total_spent ?? 0),
          lastPurchaseAt: isoOrNull(last),
          averageIntervalDays:
            orderCount >= 2 && first !== null && last !== null ? Math.round((last - first) / DAY_MS / (orderCount - 1)) : null,
        },
        recentPurchases: orders.map((o) => ({
          orderId: o.id,
          purchasedAt: iso(o.purchasedAt),
          storeName: o.storeName,
          totalFen: o.totalFen,
          items: o.items,
        })),
      }
    }

    return {
      externalUserId,
      name: row.name,
      avatar: row.avatar,
      gender: row.gender,
      type: row.type,
      corpName: row.corp_name,
      follow: {
        remark: row.remark ?? '',
        description: row.description ?? '',
        tags: [
          ...parseJsonArray<CustomerTag>(row.tags),
          ...personalTags.map((name): CustomerTag => ({ groupName: '', name, type: 'personal', tagId: null, source: 'guide' })),
        ],
        addedAt: isoOrNull(row.added_at),
        addWay: row.add_way ?? 0,
        deletedByCustomerAt: isoOrNull(row.deleted_by_customer_at),
      },
      member,
      facts: factsOf(row, factChanges),
      // Known only from her guide's list (fetched_at 0, served while WeCom is away): when that list was read.
      syncedAt: iso(Number(row.fetched_at) || Number(row.customer_updated_at)),
      ...(wecomStale ? { wecomStale: true } : {}),
    }
  }

  // --- The guide's own customers ------------------------------------------------------

  /** Read every customer of the guide from WeCom, page by page, and end the follows she lost. */
  syncGuideCustomers(userId: string): Promise<void> {
    return syncGuideCustomers(this.ctx, userId)
  }

  /**
   * Make sure we know which customers are the guide's. The first time, wait a little for
   * WeCom (never long); later, refresh in the background when the copy is old. Resolves
   * true while the first read is still running.
   */
  async ensureGuideCustomers(userId: string): Promise<boolean> {
    const guide = await this.guides.find(userId)
    if (!guide) throw ApiError.unauthorized('Your session is no longer valid; sign in again')
    if (guide.customers_synced_at === null) {
      const sync = this.syncGuideCustomers(userId)
      this.ctx.background.run('first customer sync', () => sync)
      const outcome = await settlesWithin(sync, FIRST_SYNC_WAIT_MS)
      // Nothing cached and WeCom failed: say so rather than show an empty list.
      if (outcome.settled && outcome.error) throw outcome.error
      return !outcome.settled
    }
    if (this.ctx.now() - guide.customers_synced_at > LIST_STALE_MS) {
      this.ctx.background.run('customer sync', () => this.syncGuideCustomers(userId))
    }
    return false
  }

  async list(userId: string, query: CustomerListQuery): Promise<CustomerList> {
    const sort = query.sort ?? 'added'
    const after = decodeCursor(query.cursor, sort)
    const filter = listFilter(query, this.ctx.now())
    const syncing = await this.ensureGuideCustomers(userId)
    const limit = query.limit ?? 30
    const { rows, keys } = await this.repo.listForGuide(userId, { filter, sort, after, limit: limit + 1 })
    // A first page that holds every match has counted them already: a narrow search or
    // filter at 10,000 customers then reads them once, not twice.
    const total = !after && rows.length <= limit ? rows.length : await this.repo.countForGuide(userId, filter)
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    return {
      items: page.map((r) => ({
        externalUserId: r.externalUserId,
        name: r.name,
        remark: r.remark,
        avatar: r.avatar,
        memberLevel: r.memberLevel ? memberLevelOf(r.memberLevel) : null,
        addedAt: isoOrNull(r.addedAt),
        lastPurchaseAt: isoOrNull(r.lastPurchaseAt),
        totalSpendFen: r.totalSpendFen,
        lastContactAt: isoOrNull(r.lastContactAt),
        deletedByCustomerAt: isoOrNull(r.deletedByCustomerAt),
      })),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor(sort, { key: keys.get(last.externalUserId) ?? 0, externalUserId: last.externalUserId })
          : null,
      total,
      syncing,
    }
  }
}

/** A cached body, marked as served while WeCom could not be asked (rare: parsed, not spliced). */
function withWecomStale(body: string): string {
  return JSON.stringify({ ...(JSON.parse(body) as CustomerProfile), wecomStale: true })
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<{ settled: boolean; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<{ settled: false }>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms)
  })
  try {
    return await Promise.race([
      promise.then(
        () => ({ settled: true }),
        (error: unknown) => ({ settled: true, error }),
      ),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
  }
}
