/**
 * What a coupon's eligibility reads of a customer (member level, every tag, order count),
 * from the one-row read the follow check makes: for one send, or for a batch of sends in
 * one read (`ProfileRepository.findEligibilityRows`).
 */
import type { CustomerTag, MemberLevel } from '../../../shared/customer'
import { MEMBER_LEVELS } from '../../../shared/customer'
import { jsonArrayValue } from '../../db/dialect'
import { parseJsonArray } from '../../db/sql'

export interface EligibilityFacts {
  level: MemberLevel | null
  tags: string[]
  /** Orders the CRM has for her; 0 when she is not a member (nothing bought that we know of). */
  orderCount: number
}

/** The columns of her row that eligibility reads. */
export interface EligibilityRow {
  tags: string | null
  member_id: string | null
  level: string | null
  order_count: number | string | null
  personal_tags: unknown
}

export function eligibilityOf(row: EligibilityRow): EligibilityFacts {
  const member = row.member_id !== null
  return {
    level: member ? memberLevelOf(row.level ?? 'normal') : null,
    tags: [...parseJsonArray<CustomerTag>(row.tags).map((t) => t.name), ...jsonArrayValue<string>(row.personal_tags)],
    // PostgreSQL returns count as a string (bigint).
    orderCount: member ? Number(row.order_count ?? 0) : 0,
  }
}

export function memberLevelOf(level: string): MemberLevel {
  return (MEMBER_LEVELS as readonly string[]).includes(level) ? (level as MemberLevel) : 'normal'
}

/** How a (guide, customer) pair is looked up among the rows `findEligibilityRows` found. */
export function followKey(userId: string, externalUserId: string): string {
  return `${userId}\u0000${externalUserId}`
}
