import { describe, expect, it } from 'vitest'
import type { TemplateRecord } from '../../src/server/modules/coupons/coupons.mapper'
import { refusalReason, validityOf, weekStart } from '../../src/server/modules/coupons/quota'

/** An instant given as Shanghai wall time (UTC+8). */
const shanghai = (local: string) => Date.parse(`${local}+08:00`)

const template = (extra: Partial<TemplateRecord> = {}): TemplateRecord => ({
  id: 'ct_1',
  name: '满500减50',
  description: '',
  kind: 'amount_off',
  value: 5000,
  threshold: 50000,
  totalStock: 10,
  stockLeft: 10,
  perCustomerLimit: 1,
  guideWeeklyQuota: 5,
  validDays: 7,
  validFrom: null,
  validTo: null,
  eligibleLevels: [],
  eligibleTags: [],
  maxOrders: null,
  storeIds: [],
  online: true,
  status: 'active',
  createdBy: 'wanglei',
  createdAt: 0,
  updatedAt: 0,
  ...extra,
})

const her = { level: null, tags: [], orderCount: 0 }

describe('weekStart', () => {
  it('is Monday 00:00 in Shanghai, whatever the UTC date says', () => {
    // 2026-12-07 is a Monday.
    expect(weekStart(shanghai('2026-12-07T00:00:00'))).toBe(shanghai('2026-12-07T00:00:00'))
    expect(weekStart(shanghai('2026-12-13T23:59:59'))).toBe(shanghai('2026-12-07T00:00:00'))
    // Monday 07:00 in Shanghai is still Sunday in UTC.
    expect(weekStart(shanghai('2026-12-14T07:00:00'))).toBe(shanghai('2026-12-14T00:00:00'))
  })
})

describe('validityOf', () => {
  it('runs N days after issue to the end of that day in Shanghai', () => {
    const now = shanghai('2026-12-07T23:55:00')
    expect(validityOf(template({ validDays: 1 }), now)).toEqual({ from: now, until: shanghai('2026-12-08T23:59:59.999') })
  })

  it('takes fixed dates as whole Shanghai days', () => {
    const fixed = template({ validDays: null, validFrom: '2026-12-01', validTo: '2026-12-31' })
    expect(validityOf(fixed, 0)).toEqual({ from: shanghai('2026-12-01T00:00:00'), until: shanghai('2026-12-31T23:59:59.999') })
  })
})

describe('refusalReason', () => {
  const now = shanghai('2026-12-07T12:00:00')
  const none = { holds: 0, guideUsed: 0 }

  it('gives the first reason in a fixed order', () => {
    expect(refusalReason(template(), her, none, now)).toBeNull()
    expect(refusalReason(template({ status: 'paused', stockLeft: 0 }), her, none, now)).toBe('template_inactive')
    expect(refusalReason(template({ eligibleLevels: ['gold'], stockLeft: 0 }), her, none, now)).toBe('not_eligible')
    expect(refusalReason(template({ maxOrders: 0 }), { ...her, orderCount: 1 }, none, now)).toBe('too_many_orders')
    expect(refusalReason(template({ stockLeft: 0 }), her, { holds: 1, guideUsed: 5 }, now)).toBe('customer_limit')
    expect(refusalReason(template({ stockLeft: 0 }), her, { holds: 0, guideUsed: 5 }, now)).toBe('guide_quota')
    expect(refusalReason(template({ stockLeft: 0 }), her, none, now)).toBe('out_of_stock')
  })

  it('counts a fixed-date coupon active through its last day', () => {
    const last = template({ validDays: null, validFrom: '2026-12-01', validTo: '2026-12-07' })
    expect(refusalReason(last, her, none, shanghai('2026-12-07T23:59:59'))).toBeNull()
    expect(refusalReason(last, her, none, shanghai('2026-12-08T00:00:00'))).toBe('template_inactive')
  })
})
