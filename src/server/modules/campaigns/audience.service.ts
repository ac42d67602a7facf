/**
 * Who a campaign's audience is, seen from one guide: the customer list's own filters
 * (list-query.ts and the customers repository, so "bought within 90 days" means here what
 * it means on her list) and the dormant task's rule, over her customers as the task
 * generator reads them.
 */
import type { CampaignAudience } from '../../../shared/campaigns'
import type { CustomerListQuery } from '../../../shared/customer'
import type { Db } from '../../db'
import { CustomersRepository, type ListCursor } from '../customers/customers.repository'
import { listFilter } from '../customers/list-query'
import { dormantTask, type CustomerSnapshot } from '../tasks/rules'
import { shanghaiDate } from '../../../shared/dates'

/** Customers read a page when listing who the filters keep. */
const PAGE = 500

export class CampaignAudienceService {
  private readonly customers: CustomersRepository

  constructor(db: Db) {
    this.customers = new CustomersRepository(db)
  }

  /** Whether one of her customers (as the generator snapshots her) is in the audience. */
  async matcher(guideId: string, audience: CampaignAudience, now: number): Promise<(customer: CustomerSnapshot) => boolean> {
    const listed = await this.listed(guideId, audience, now)
    const today = shanghaiDate(now)
    const noSuggestions = { birthdayCouponId: null, replies: [] }
    return (customer) => {
      if (listed && !listed.has(customer.externalUserId)) return false
      if (audience.dormant === undefined) return true
      const dormant = dormantTask({ customer, today, now, suggestions: noSuggestions }) !== null
      return dormant === audience.dormant
    }
  }

  /**
   * The customers she follows that the list's filters keep; null when the audience has
   * none of them (everyone). The list takes one tag and one level: several are read one
   * at a time and joined (any tag, any level), and tags and levels both must hold.
   */
  private async listed(guideId: string, audience: CampaignAudience, now: number): Promise<Set<string> | null> {
    const base: CustomerListQuery = {
      lastPurchase: audience.lastPurchase,
      lastContact: audience.lastContact,
      birthdayMonth: audience.birthdayMonth,
      hasCoupon: audience.hasCoupon,
    }
    const tags = [...new Set(audience.tags ?? [])]
    const levels = [...new Set(audience.levels ?? [])]
    const hasBase = Object.values(base).some((v) => v !== undefined)
    if (!hasBase && tags.length === 0 && levels.length === 0) return null
    const anyOf = async (queries: CustomerListQuery[]) => {
      const out = new Set<string>()
      for (const query of queries) for (const id of await this.ids(guideId, query, now)) out.add(id)
      return out
    }
    const sets: Set<string>[] = []
    if (tags.length) sets.push(await anyOf(tags.map((tag) => ({ ...base, tag }))))
    if (levels.length) sets.push(await anyOf(levels.map((level) => ({ ...base, level }))))
    if (sets.length === 0) sets.push(await anyOf([base]))
    const [first, ...rest] = sets as [Set<string>, ...Set<string>[]]
    return new Set([...first].filter((id) => rest.every((set) => set.has(id))))
  }

  /** Every customer of hers the list shows for this query, page by page. */
  private async ids(guideId: string, query: CustomerListQuery, now: number): Promise<string[]> {
    const filter = listFilter(query, now)
    const out: string[] = []
    let after: ListCursor | undefined
    for (;;) {
      const { keys } = await this.customers.listForGuide(guideId, { filter, sort: 'added', after, limit: PAGE })
      const page = [...keys]
      out.push(...page.map(([id]) => id))
      const last = page.at(-1)
      if (page.length < PAGE || !last) return out
      after = { key: last[1], externalUserId: last[0] }
    }
  }
}
