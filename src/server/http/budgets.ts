/**
 * Budgets on failures anyone can make us spend work on, counted where every instance sees
 * them (the rate limits' counter: Redis or the database). Mostly WeCom calls: the corp's
 * frequency limit is shared by every guide, so bogus input must not be able to use it up:
 *
 * - a guide's lookups of customer or group ids we hold nothing of, that WeCom does not
 *   know either (`externalcontact/get`, `groupchat/get`): at most `lookupMisses` a window;
 * - OAuth codes WeCom refuses (`auth/getuserinfo`), across the whole deployment, since
 *   fresh codes come with fresh states from any number of addresses: at most
 *   `oauthFailures` a window, after which sign-ins wait for the window to pass;
 * - and integration keys refused (none, unknown, revoked), per client address: at most
 *   `badKeys` a window. A key is 192 random bits, so this is not what keeps it from being
 *   guessed; it keeps a caller without a key from costing us a lookup per request, and a
 *   misconfigured system sees 429s rather than hammering on.
 *
 * Each is read before the call and counted after a miss, so a real lookup or sign-in never
 * uses the budget up; concurrent misses may pass it by as many as run at once. A counter
 * that fails lets the call through (logged), as the rate limits do.
 */
import { ApiError } from './errors'
import type { Counter, Limit } from './rate-limits'

export interface BudgetLimits {
  /** Per guide: WeCom lookups of ids that are neither ours nor WeCom's. */
  lookupMisses: Limit
  /** For the whole deployment: OAuth codes WeCom refused. */
  oauthFailures: Limit
  /** Per client IP: integration keys refused. */
  badKeys: Limit
}

const MINUTE = 60_000

/** A guide who opens 20 unknown customers a minute is not opening customers; 30 failed sign-ins a minute company-wide is not a morning rush. */
export const DEFAULT_BUDGETS: BudgetLimits = {
  lookupMisses: { max: 20, windowMs: MINUTE },
  oauthFailures: { max: 30, windowMs: MINUTE },
  badKeys: { max: 20, windowMs: MINUTE },
}

/** What a call that may fail for nothing checks before and reports after. */
export interface LookupBudget {
  /** 429 with Retry-After, without a WeCom call, once the guide's misses are used up. */
  check(): Promise<void>
  /** WeCom was asked and did not know the id. */
  missed(): Promise<void>
}

export class FailureBudgets {
  constructor(
    private readonly counter: Counter,
    private readonly limits: BudgetLimits,
    private readonly warn: (error: unknown) => void = () => {},
  ) {}

  /** The lookups of one guide. */
  lookups(userId: string): LookupBudget {
    const key = `wecom-misses:guide:${userId}`
    const limit = this.limits.lookupMisses
    return {
      check: () =>
        this.check(
          key,
          limit,
          (seconds) =>
            `Too many customers or groups that do not exist were looked up; try again in ${seconds} s (ids come from WeCom's sidebar, not typed by hand)`,
        ),
      missed: () => this.count(key, limit),
    }
  }

  /** Integration keys sent from one address. */
  badKeys(ip: string): LookupBudget {
    const key = `bad-keys:ip:${ip}`
    const limit = this.limits.badKeys
    return {
      check: () =>
        this.check(key, limit, (seconds) => `Too many requests with a wrong integration key; try again in ${seconds} s`),
      missed: () => this.count(key, limit),
    }
  }

  /** Before sending a sign-in code to WeCom. */
  checkOAuth(): Promise<void> {
    return this.check(
      'wecom-oauth-failures',
      this.limits.oauthFailures,
      (seconds) => `Too many failed sign-ins across the company just now; try again in ${seconds} s`,
    )
  }

  /** WeCom refused a sign-in code (or gave no member for it). */
  oauthFailed(): Promise<void> {
    return this.count('wecom-oauth-failures', this.limits.oauthFailures)
  }

  private async check(key: string, limit: Limit, message: (seconds: number) => string): Promise<void> {
    let used: { current: number; ttl: number }
    try {
      used = await this.counter.read(key, limit.windowMs)
    } catch (error) {
      this.warn(error)
      return
    }
    if (used.current < limit.max) return
    const seconds = Math.max(1, Math.ceil(used.ttl / 1000))
    throw ApiError.rateLimited(message(seconds), seconds)
  }

  private async count(key: string, limit: Limit): Promise<void> {
    try {
      await this.counter.hit(key, limit.windowMs)
    } catch (error) {
      this.warn(error)
    }
  }
}
