import { describe, expect, it } from 'vitest'
import {
  addTags,
  createRequest,
  formFromTemplate,
  parseForm,
  parseInteger,
  parseYuan,
  problemsOf,
  toggle,
  updatePatch,
  type CouponTemplateForm,
} from '../../src/components/manage/coupon-template-form'
import type { CouponTemplate } from '../../src/shared/coupons'

const TODAY = '2026-12-04'

function template(extra: Partial<CouponTemplate> = {}): CouponTemplate {
  return {
    id: 't1',
    name: '秋装满 500 减 50',
    description: '',
    kind: 'amount_off',
    value: 5000,
    threshold: 50000,
    totalStock: 100,
    stockLeft: 97,
    issued: 3,
    redeemed: 1,
    perCustomerLimit: 1,
    guideWeeklyQuota: 20,
    validDays: 30,
    validFrom: null,
    validTo: null,
    eligibleLevels: ['gold'],
    eligibleTags: [],
    maxOrders: null,
    storeIds: [],
    online: false,
    status: 'active',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  }
}

/** A new template's form, filled in right, with the given changes. */
function filled(change: Partial<CouponTemplateForm> = {}): CouponTemplateForm {
  return { ...formFromTemplate(null), name: '满 200 减 20', valueText: '20', thresholdText: '200', stockText: '100', ...change }
}

const keysOf = (problems: ReturnType<typeof problemsOf>) =>
  Object.fromEntries(
    Object.entries(problems).map(([field, problem]) => [field, problem.key.replace('coupons.manage.problem.', '')]),
  )

describe('formFromTemplate', () => {
  it('starts a new template with the usual defaults', () => {
    expect(formFromTemplate(null)).toEqual({
      name: '',
      description: '',
      kind: 'amount_off',
      valueText: '',
      thresholdText: '',
      stockText: '',
      perCustomerText: '1',
      quotaText: '50',
      validityMode: 'days',
      daysText: '30',
      validFrom: '',
      validTo: '',
      levels: [],
      tags: [],
      tagInput: '',
      storeIds: [],
      audience: 'any',
      maxOrdersText: '3',
      online: true,
    })
  })

  it('shows money in yuan, a discount in 折, and levels in their usual order', () => {
    const form = formFromTemplate(template({ eligibleLevels: ['platinum', 'silver'], eligibleTags: ['复购'] }))
    expect(form).toMatchObject({ valueText: '50', thresholdText: '500', stockText: '100', levels: ['silver', 'platinum'] })
    expect(form.tags).toEqual(['复购'])
    expect(formFromTemplate(template({ kind: 'percent_off', value: 15, threshold: 0 }))).toMatchObject({
      valueText: '8.5',
      thresholdText: '',
    })
  })

  it('reads fixed dates and the order limit', () => {
    expect(
      formFromTemplate(template({ validDays: null, validFrom: '2026-12-01', validTo: '2026-12-31', maxOrders: 0 })),
    ).toMatchObject({
      validityMode: 'dates',
      validFrom: '2026-12-01',
      validTo: '2026-12-31',
      audience: 'new',
      maxOrdersText: '3',
    })
    expect(formFromTemplate(template({ maxOrders: 2 }))).toMatchObject({ audience: 'max', maxOrdersText: '2' })
  })
})

describe('parsing', () => {
  it('takes yuan with at most two decimals, in fen', () => {
    expect(parseYuan(' 20.5 ')).toBe(2050)
    expect(parseYuan('0.01')).toBe(1)
    expect(parseYuan('19.99')).toBe(1999)
    for (const bad of ['', '1.234', '-1', '1e3', '¥5', '.5']) expect(parseYuan(bad), bad).toBeNull()
  })

  it('takes whole numbers within bounds only', () => {
    expect(parseInteger(' 7 ', 1, 10)).toBe(7)
    expect(parseInteger('10', 1, 10)).toBe(10)
    for (const bad of ['0', '11', '1.5', '', 'x', '-3']) expect(parseInteger(bad, 1, 10), bad).toBeNull()
  })

  it('reads the value as 折 for a discount, with no threshold unless typed', () => {
    expect(parseForm(filled({ kind: 'percent_off', valueText: '8.5', thresholdText: '' }))).toMatchObject({
      value: 15,
      threshold: 0,
    })
    expect(parseForm(filled({ kind: 'percent_off', valueText: '8.5', thresholdText: '300' })).threshold).toBe(30000)
    expect(parseForm(filled({ kind: 'no_threshold', thresholdText: 'junk' })).threshold).toBe(0)
    expect(parseForm(filled({ thresholdText: '' })).threshold).toBeNull()
  })

  it('reads who it is for: anyone, new customers, or at most N orders', () => {
    expect(parseForm(filled({ audience: 'any' })).maxOrders).toBeNull()
    expect(parseForm(filled({ audience: 'new' })).maxOrders).toBe(0)
    expect(parseForm(filled({ audience: 'max', maxOrdersText: '5' })).maxOrders).toBe(5)
    expect(parseForm(filled({ audience: 'max', maxOrdersText: '几次' })).maxOrders).toBeUndefined()
  })
})

describe('problemsOf', () => {
  it('finds none in a good new form', () => {
    expect(problemsOf(filled(), null, TODAY)).toEqual({})
  })

  it('says what is required, and what is malformed, with its bounds', () => {
    expect(keysOf(problemsOf(formFromTemplate(null), null, TODAY))).toEqual({
      name: 'required',
      value: 'required',
      threshold: 'required',
      stock: 'required',
    })
    const problems = problemsOf(filled({ perCustomerText: '101', stockText: 'x', valueText: '1.234' }), null, TODAY)
    // No threshold problem while the value itself is unreadable.
    expect(keysOf(problems)).toEqual({ value: 'money', perCustomer: 'integer', stock: 'integer' })
    expect(problems.perCustomer!.params).toEqual({ min: 1, max: 100 })
  })

  it('bounds the name, the description and the money', () => {
    expect(problemsOf(filled({ name: 'x'.repeat(41) }), null, TODAY).name).toEqual({
      key: 'coupons.manage.problem.tooLong',
      params: { max: 40 },
    })
    expect(problemsOf(filled({ description: 'x'.repeat(201) }), null, TODAY).description!.params).toEqual({ max: 200 })
    expect(keysOf(problemsOf(filled({ valueText: '0' }), null, TODAY))).toEqual({ value: 'money' })
    expect(keysOf(problemsOf(filled({ valueText: '1000001', thresholdText: '2000000' }), null, TODAY))).toEqual({
      value: 'moneyTooLarge',
      threshold: 'moneyTooLarge',
    })
  })

  it('wants a 满减 threshold above its value, and a discount of whole percents', () => {
    expect(keysOf(problemsOf(filled({ thresholdText: '20' }), null, TODAY))).toEqual({ threshold: 'thresholdAboveValue' })
    expect(keysOf(problemsOf(filled({ thresholdText: 'abc' }), null, TODAY))).toEqual({ threshold: 'money' })
    expect(keysOf(problemsOf(filled({ kind: 'percent_off', valueText: '8.55' }), null, TODAY))).toEqual({ value: 'discount' })
    expect(keysOf(problemsOf(filled({ kind: 'percent_off', valueText: '' }), null, TODAY))).toEqual({ value: 'required' })
    expect(problemsOf(filled({ kind: 'percent_off', valueText: '9', thresholdText: '' }), null, TODAY)).toEqual({})
    expect(problemsOf(filled({ kind: 'no_threshold', thresholdText: '' }), null, TODAY)).toEqual({})
  })

  it('checks the validity: days within bounds, dates in order and not past', () => {
    expect(keysOf(problemsOf(filled({ daysText: '3651' }), null, TODAY))).toEqual({ days: 'integer' })
    expect(keysOf(problemsOf(filled({ daysText: '' }), null, TODAY))).toEqual({ days: 'required' })
    const dates = (validFrom: string, validTo: string) => filled({ validityMode: 'dates', validFrom, validTo })
    expect(keysOf(problemsOf(dates('', '2026-12-31'), null, TODAY))).toEqual({ dates: 'required' })
    expect(keysOf(problemsOf(dates('2026-12-31', '2026-12-01'), null, TODAY))).toEqual({ dates: 'datesOrder' })
    expect(keysOf(problemsOf(dates('2026-11-01', '2026-12-03'), null, TODAY))).toEqual({ dates: 'datePast' })
    expect(problemsOf(dates('2026-11-01', TODAY), null, TODAY)).toEqual({})
  })

  it('checks the order limit and the number of tags', () => {
    expect(keysOf(problemsOf(filled({ audience: 'max', maxOrdersText: '0' }), null, TODAY))).toEqual({ maxOrders: 'integer' })
    const tags = Array.from({ length: 21 }, (_, i) => `t${i}`)
    expect(problemsOf(filled({ tags }), null, TODAY).tags).toEqual({ key: 'coupons.manage.problem.tooMany', params: { max: 20 } })
  })

  it('leaves the fixed face alone on a saved template, and keeps the stock above what is issued', () => {
    const saved = template()
    // The face as loaded would not pass for a new one (no threshold typed): it is not checked.
    const form = { ...formFromTemplate(saved), valueText: '', thresholdText: '' }
    expect(problemsOf(form, saved, TODAY)).toEqual({})
    expect(problemsOf({ ...form, stockText: '2' }, saved, TODAY).stock).toEqual({
      key: 'coupons.manage.problem.stockBelowIssued',
      params: { count: 3 },
    })
    expect(problemsOf({ ...form, stockText: '3' }, saved, TODAY)).toEqual({})
  })
})

describe('chips', () => {
  it('toggles an item in or out', () => {
    expect(toggle(['a'], 'b')).toEqual(['a', 'b'])
    expect(toggle(['a', 'b'], 'a')).toEqual(['b'])
  })

  it('adds several tags at once, without repeats', () => {
    expect(addTags(['复购'], '高净值，复购、 新品 ,\n')).toEqual({ tags: ['复购', '高净值', '新品'] })
  })

  it('refuses a tag too long, or too many tags', () => {
    expect(addTags([], 'x'.repeat(31))).toEqual({ problem: { key: 'coupons.manage.problem.tagLength', params: { max: 30 } } })
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`)
    expect(addTags(twenty, 't0')).toEqual({ tags: twenty })
    expect(addTags(twenty, 'new')).toEqual({ problem: { key: 'coupons.manage.problem.tooMany', params: { max: 20 } } })
  })
})

describe('createRequest', () => {
  it('sends money in fen, the days, and everything she chose', () => {
    expect(
      createRequest(
        filled({
          name: '  秋装满 200 减 20.5 ',
          valueText: '20.5',
          levels: ['gold'],
          tags: ['复购'],
          storeIds: ['s1'],
          online: false,
        }),
      ),
    ).toEqual({
      name: '秋装满 200 减 20.5',
      kind: 'amount_off',
      value: 2050,
      threshold: 20000,
      totalStock: 100,
      perCustomerLimit: 1,
      guideWeeklyQuota: 50,
      validDays: 30,
      eligibleLevels: ['gold'],
      eligibleTags: ['复购'],
      storeIds: ['s1'],
      online: false,
    })
  })

  it('adds the description, fixed dates and the order limit only when set', () => {
    const body = createRequest(
      filled({
        description: ' 限秋装 ',
        validityMode: 'dates',
        validFrom: '2099-12-01',
        validTo: '2099-12-31',
        audience: 'new',
      }),
    )
    expect(body).toMatchObject({ description: '限秋装', validFrom: '2099-12-01', validTo: '2099-12-31', maxOrders: 0 })
    expect(body).not.toHaveProperty('validDays')
    expect(createRequest(filled({ description: '   ' }))).not.toHaveProperty('description')
    expect(createRequest(filled())).not.toHaveProperty('maxOrders')
  })
})

describe('updatePatch', () => {
  const saved = template({ eligibleLevels: ['gold', 'silver'], eligibleTags: ['复购'], storeIds: ['s1'] })

  it('is empty when nothing changed, whatever the order of the chips', () => {
    expect(updatePatch(formFromTemplate(saved), saved)).toEqual({})
    expect(updatePatch({ ...formFromTemplate(saved), name: ` ${saved.name} ` }, saved)).toEqual({})
    expect(updatePatch({ ...formFromTemplate(saved), levels: ['gold', 'silver'] }, saved)).toEqual({})
  })

  it('sends only what she changed, within the update schema', () => {
    const form: CouponTemplateForm = {
      ...formFromTemplate(saved),
      name: '加量',
      description: '新说明',
      stockText: '200',
      perCustomerText: '2',
      quotaText: '30',
      levels: [],
      tags: ['复购', '高净值'],
      storeIds: ['s2'],
      audience: 'max',
      maxOrdersText: '5',
      online: true,
      // The face is fixed once created: never in a patch.
      valueText: '99',
      daysText: '7',
    }
    expect(updatePatch(form, saved)).toEqual({
      name: '加量',
      description: '新说明',
      totalStock: 200,
      perCustomerLimit: 2,
      guideWeeklyQuota: 30,
      eligibleLevels: [],
      eligibleTags: ['复购', '高净值'],
      storeIds: ['s2'],
      maxOrders: 5,
      online: true,
    })
  })

  it('leaves out numbers she has not typed right yet, and lifts the order limit with 不限', () => {
    const form = { ...formFromTemplate(saved), stockText: 'x', perCustomerText: '', quotaText: '0' }
    expect(updatePatch(form, saved)).toEqual({})
    expect(updatePatch({ ...formFromTemplate(saved), audience: 'max', maxOrdersText: '' }, saved)).toEqual({})
    const limited = template({ maxOrders: 2 })
    expect(updatePatch({ ...formFromTemplate(limited), audience: 'any' }, limited)).toEqual({ maxOrders: null })
  })
})
