import { describe, expect, it } from 'vitest'
import {
  afterPurchaseTasks,
  birthdayIn,
  birthdayTask,
  campaignTasks,
  couponExpiringTasks,
  doneByPurchase,
  dormantTask,
  followUpTask,
  nextBirthday,
  primaryGuides,
  repurchaseTask,
  suggestionFor,
  taskId,
  tasksFor,
  usualIntervalDays,
  type CustomerSnapshot,
  type OrderFact,
  type SuggestionSource,
} from '../../src/server/modules/tasks/rules'

const DAY = 86_400_000
/** Noon in China on a day. */
const at = (date: string) => Date.parse(`${date}T12:00:00+08:00`)
const TODAY = '2026-11-25'
const NOW = at(TODAY)

const SUGGESTIONS: SuggestionSource = {
  birthdayCouponId: 'ct_birthday',
  replies: [
    { id: 'r_hello', title: '早安问候', stages: [], tags: [] },
    { id: 'r_care', title: '购后第三天关怀', stages: ['after_purchase'], tags: [] },
    { id: 'r_month', title: '一个月回访', stages: ['after_purchase'], tags: [] },
    { id: 'r_wish', title: '生日祝福', stages: ['birthday_month'], tags: [] },
    { id: 'r_thanks', title: '感谢信任', stages: [], tags: ['复购'] },
    { id: 'r_wake', title: '久未联系问候', stages: [], tags: ['沉睡'] },
  ],
}

function order(id: string, date: string): OrderFact {
  return { id, purchasedAt: at(date) }
}

function customer(overrides: Partial<CustomerSnapshot> = {}): CustomerSnapshot {
  return {
    externalUserId: 'wmC1',
    guideId: 'lina',
    followers: ['lina'],
    birthday: null,
    orders: [],
    lastContactAt: null,
    addedAt: at('2026-10-01'),
    coupons: [],
    ...overrides,
  }
}

const input = (c: CustomerSnapshot, today = TODAY, now = at(today)) => ({ customer: c, today, now, suggestions: SUGGESTIONS })

describe('task ids', () => {
  it('come from the dedupe key only: the same reason is the same task, whoever writes it', () => {
    expect(taskId('birthday:wmC1:2026')).toBe(taskId('birthday:wmC1:2026'))
    expect(taskId('birthday:wmC1:2026')).not.toBe(taskId('birthday:wmC1:2027'))
    expect(taskId('x')).toMatch(/^t_[0-9a-f]{24}$/)
  })
})

describe('birthday', () => {
  it('is due 3 days before, written once that is within the week ahead, with her purchases in the reason', () => {
    const c = customer({ birthday: '12-05', orders: [order('O1', '2026-09-03'), order('O2', '2025-06-01')] })
    const task = birthdayTask(input(c))!
    expect(task).toMatchObject({ kind: 'birthday', dueDate: '2026-12-02', key: 'birthday:wmC1:2026' })
    expect(task.reason).toBe('生日 12月5日 · 上次购买 9月3日 · 近一年 1 次')
    expect(task.payload.suggestion).toEqual({ type: 'coupon', id: 'ct_birthday' })
    // Further ahead than the look-ahead: not yet.
    expect(birthdayTask(input(customer({ birthday: '12-15' })))).toBeNull()
  })

  it('reads YYYY-MM-DD, and says when she has bought nothing', () => {
    const task = birthdayTask(input(customer({ birthday: '1990-11-27' })))!
    expect(task.dueDate).toBe('2026-11-24')
    expect(task.reason).toBe('生日 11月27日 · 还没有购买记录')
  })

  it('crosses the year end: late December for an early January birthday, keyed by next year', () => {
    const task = birthdayTask(input(customer({ birthday: '01-02' }), '2026-12-28'))!
    expect(task).toMatchObject({ dueDate: '2026-12-30', key: 'birthday:wmC1:2027' })
  })

  it('puts 29 February on the 28th in a year without it', () => {
    expect(birthdayIn(2027, '02-29')).toBe('2027-02-28')
    expect(birthdayIn(2028, '02-29')).toBe('2028-02-29')
    expect(nextBirthday('02-29', '2027-02-20')).toBe('2027-02-28')
    expect(birthdayTask(input(customer({ birthday: '02-29' }), '2027-02-20'))!.dueDate).toBe('2027-02-25')
  })

  it('after her birthday looks to next year, and ignores what is not a birthday', () => {
    expect(nextBirthday('11-24', TODAY)).toBe('2027-11-24')
    expect(birthdayTask(input(customer({ birthday: '11-24' })))).toBeNull()
    expect(birthdayTask(input(customer({ birthday: '13-01' })))).toBeNull()
    expect(birthdayTask(input(customer({ birthday: null })))).toBeNull()
  })

  it('suggests a birthday reply when no birthday coupon is live', () => {
    expect(suggestionFor('birthday', null, { ...SUGGESTIONS, birthdayCouponId: null })).toEqual({ type: 'reply', id: 'r_wish' })
    expect(suggestionFor('birthday', null, { birthdayCouponId: null, replies: [] })).toBeNull()
  })
})

describe('after purchase', () => {
  it('writes a care message 3 days after and a fit check 30 days after, keyed by order', () => {
    const c = customer({ orders: [order('O1', '2026-11-23'), order('O2', '2026-10-28'), order('O3', '2026-01-01')] })
    const tasks = afterPurchaseTasks(input(c))
    expect(tasks.map((t) => [t.key, t.dueDate, t.payload.suggestion?.id])).toEqual([
      ['after_purchase:care:wmC1:O1', '2026-11-26', 'r_care'],
      ['after_purchase:fit:wmC1:O2', '2026-11-27', 'r_month'],
    ])
  })

  it('writes nothing without orders, nor for a care message already past its grace', () => {
    expect(afterPurchaseTasks(input(customer()))).toEqual([])
    expect(afterPurchaseTasks(input(customer({ orders: [order('O1', '2026-11-18')] })))).toEqual([])
    // Due 3 days ago: still overdue, not expired.
    expect(afterPurchaseTasks(input(customer({ orders: [order('O1', '2026-11-19')] })))).toHaveLength(1)
  })
})

describe('repurchase', () => {
  it('needs two visits: none for no order or one order, nor for two orders on one day', () => {
    expect(usualIntervalDays([])).toBeNull()
    expect(usualIntervalDays([order('O1', '2026-10-01')])).toBeNull()
    expect(usualIntervalDays([order('O1', '2026-10-01'), order('O2', '2026-10-01')])).toBeNull()
    expect(repurchaseTask(input(customer({ orders: [order('O1', '2026-10-01')] })))).toBeNull()
  })

  it('is due at the median gap after her last order, keyed by that order', () => {
    const orders = [order('O1', '2026-05-01'), order('O2', '2026-07-01'), order('O3', '2026-08-30'), order('O4', '2026-09-26')]
    // Gaps 61, 60, 27: the median is 60.
    expect(usualIntervalDays(orders)).toBe(60)
    const task = repurchaseTask(input(customer({ orders })))!
    expect(task).toMatchObject({ kind: 'repurchase', dueDate: '2026-11-25', key: 'repurchase:wmC1:O4' })
    expect(task.reason).toContain('平均 60 天来一次')
    expect(task.payload).toEqual({ suggestion: { type: 'reply', id: 'r_thanks' }, basis: at('2026-09-26') })
  })

  it('never counts a rhythm shorter than a week', () => {
    expect(usualIntervalDays([order('O1', '2026-11-01'), order('O2', '2026-11-03')])).toBe(7)
  })
})

describe('dormant', () => {
  it('after 90 days with no purchase and no contact, keyed by her last sign of life', () => {
    const c = customer({ orders: [order('O1', '2026-08-27')], addedAt: at('2025-01-01') })
    const task = dormantTask(input(c))!
    expect(task).toMatchObject({ kind: 'dormant', dueDate: '2026-11-25', key: 'dormant:wmC1:2026-08-27' })
    expect(dormantTask(input(c, '2026-11-24'))).toBeNull()
  })

  it('a note or a send resets the silence, and so does being added', () => {
    const c = customer({ orders: [order('O1', '2026-01-01')], addedAt: at('2025-01-01') })
    expect(dormantTask(input(c))).not.toBeNull()
    expect(dormantTask(input({ ...c, lastContactAt: at('2026-10-01') }))).toBeNull()
    expect(dormantTask(input({ ...c, addedAt: at('2026-10-01') }))).toBeNull()
  })

  it('is due today for one silent since long before the rules ran', () => {
    const task = dormantTask(input(customer({ addedAt: at('2024-01-01') })))!
    expect(task).toMatchObject({ dueDate: TODAY, key: 'dormant:wmC1:2024-01-01' })
    expect(dormantTask(input(customer({ addedAt: null })))).toBeNull()
  })
})

describe('coupon expiring', () => {
  const coupon = (validUntil: string, guideId = 'lina') => ({
    issuanceId: 'ci1',
    guideId,
    templateName: '满 1000 减 150',
    validUntil: Date.parse(`${validUntil}T23:59:59.999+08:00`),
  })

  it('within 3 days of its last day, due the day before', () => {
    const [task] = couponExpiringTasks(input(customer({ coupons: [coupon('2026-11-28')] })))
    expect(task).toMatchObject({ kind: 'coupon_expiring', dueDate: '2026-11-27', key: 'coupon_expiring:wmC1:ci1' })
    expect(couponExpiringTasks(input(customer({ coupons: [coupon('2026-11-29')] })))).toEqual([])
  })

  it('due today on its last day; none once it has ended', () => {
    expect(couponExpiringTasks(input(customer({ coupons: [coupon(TODAY)] })))[0]!.dueDate).toBe(TODAY)
    expect(couponExpiringTasks(input(customer({ coupons: [coupon('2026-11-24')] })))).toEqual([])
  })

  it('goes to the guide who sent it while she follows her, else to her guide', () => {
    const c = customer({ followers: ['lina', 'wanglei'], coupons: [coupon('2026-11-27', 'wanglei')] })
    expect(couponExpiringTasks(input(c))[0]!.guideId).toBe('wanglei')
    expect(couponExpiringTasks(input({ ...c, followers: ['lina'] }))[0]!.guideId).toBe('lina')
  })
})

describe('follow-ups and campaigns', () => {
  it('a note’s follow-up is one task a note, for its author', () => {
    const task = followUpTask({
      noteId: 'n1',
      guideId: 'lina',
      externalUserId: 'wmC1',
      dueDate: '2026-12-01',
      text: 'x'.repeat(50),
    })
    expect(task).toMatchObject({ kind: 'follow_up', guideId: 'lina', noteId: 'n1', dueDate: '2026-12-01' })
    expect(task.title).toBe(`${'x'.repeat(40)}…`)
    expect(task.id).toBe(
      followUpTask({ noteId: 'n1', guideId: 'lina', externalUserId: 'wmC1', dueDate: '2026-12-02', text: 'y' }).id,
    )
  })

  it('a campaign writes one task for each customer it names', () => {
    const draft = {
      campaignId: 'cp1',
      title: '会员月',
      reason: '店长发起',
      dueDate: '2026-11-28',
      suggestion: null,
      externalUserIds: ['wmC1'],
    }
    expect(campaignTasks(customer(), [draft], NOW)).toMatchObject([
      { kind: 'campaign', campaignId: 'cp1', key: 'campaign:cp1:wmC1', payload: { basis: NOW } },
    ])
    expect(campaignTasks(customer({ externalUserId: 'wmC2' }), [draft], NOW)).toEqual([])
  })
})

describe('all rules together', () => {
  it('ignore orders after now (a day replayed) and write each reason once', () => {
    const c = customer({ birthday: '11-29', orders: [order('O1', '2026-11-23'), order('O2', '2026-11-30')] })
    const tasks = tasksFor(c, { today: TODAY, now: NOW, suggestions: SUGGESTIONS })
    expect(tasks.map((t) => t.kind).sort()).toEqual(['after_purchase', 'birthday'])
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length)
  })
})

describe('whose tasks, and when a purchase ends them', () => {
  it('her primary guide is the one who added her first, among guides we know; ties by user id', () => {
    const follows = [
      { externalUserId: 'a', userId: 'lina', addedAt: 200 },
      { externalUserId: 'a', userId: 'wanglei', addedAt: 100 },
      { externalUserId: 'b', userId: 'ghost', addedAt: 1 },
      { externalUserId: 'b', userId: 'lina', addedAt: null },
      { externalUserId: 'c', userId: 'wanglei', addedAt: 5 },
      { externalUserId: 'c', userId: 'lina', addedAt: 5 },
    ]
    const primary = primaryGuides(follows, new Set(['lina', 'wanglei']))
    expect(Object.fromEntries(primary)).toEqual({ a: 'wanglei', b: 'lina', c: 'lina' })
  })

  it('a purchase after what a repurchase, dormant or campaign task waited on completes it', () => {
    const open = [
      { id: 'rep', kind: 'repurchase' as const, basis: at('2026-09-01'), createdAt: NOW - 10 * DAY },
      { id: 'dor', kind: 'dormant' as const, basis: at('2026-11-20'), createdAt: NOW - 10 * DAY },
      { id: 'bir', kind: 'birthday' as const, basis: null, createdAt: NOW - 10 * DAY },
      { id: 'cam', kind: 'campaign' as const, basis: null, createdAt: NOW - 5 * DAY },
    ]
    expect(doneByPurchase(open, [order('O1', '2026-11-01')], NOW)).toEqual(['rep'])
    expect(doneByPurchase(open, [order('O1', '2026-11-24')], NOW)).toEqual(['rep', 'dor', 'cam'])
    expect(doneByPurchase(open, [], NOW)).toEqual([])
  })
})
