/**
 * The manager's coupon template form without Vue: the text as she typed it, parsed on the
 * way out, checked at the edge (nothing goes out while a problem stands), and turned into
 * the create request or, for a template that exists, a patch of only what she changed.
 */
import type { MessageKey, MessageParams } from '@/i18n'
import {
  percentOffFromZhe,
  zheOf,
  type CouponKind,
  type CouponTemplate,
  type CouponTemplateCreate,
  type CouponTemplateUpdate,
} from '@/shared/coupons'

export type Level = NonNullable<CouponTemplateCreate['eligibleLevels']>[number]
export const LEVELS: readonly Level[] = ['normal', 'silver', 'gold', 'platinum']
/** Who it is for by purchase history: anyone, new customers only (no order yet), or at most N orders. */
export type Audience = 'any' | 'new' | 'max'
export const AUDIENCES: readonly Audience[] = ['any', 'new', 'max']
export const MAX_MONEY = 100_000_000
export const MAX_TAGS = 20
export const MAX_TAG_LENGTH = 30

/** The form: text as typed, parsed on the way out. */
export interface CouponTemplateForm {
  name: string
  description: string
  kind: CouponKind
  /** Yuan for amount_off / no_threshold; 折 (8.5) for percent_off. */
  valueText: string
  /** Yuan. */
  thresholdText: string
  stockText: string
  perCustomerText: string
  quotaText: string
  validityMode: 'days' | 'dates'
  daysText: string
  validFrom: string
  validTo: string
  levels: Level[]
  tags: string[]
  /** A tag typed but not added yet. */
  tagInput: string
  storeIds: string[]
  audience: Audience
  maxOrdersText: string
  /** On unless she turns it off, as the server assumes when it is left out. */
  online: boolean
}

const yuanText = (fen: number) => String(fen / 100)

/** The form for a template, or for a new one (null) with the usual defaults. */
export function formFromTemplate(template: CouponTemplate | null): CouponTemplateForm {
  const maxOrders = template?.maxOrders ?? null
  return {
    name: template?.name ?? '',
    description: template?.description ?? '',
    kind: template?.kind ?? 'amount_off',
    valueText: template ? (template.kind === 'percent_off' ? zheOf(template.value) : yuanText(template.value)) : '',
    thresholdText: template && template.threshold > 0 ? yuanText(template.threshold) : '',
    stockText: template ? String(template.totalStock) : '',
    perCustomerText: String(template?.perCustomerLimit ?? 1),
    quotaText: String(template?.guideWeeklyQuota ?? 50),
    validityMode: template && !template.validDays ? 'dates' : 'days',
    daysText: String(template?.validDays ?? 30),
    validFrom: template?.validFrom ?? '',
    validTo: template?.validTo ?? '',
    levels: LEVELS.filter((l) => template?.eligibleLevels.includes(l)),
    tags: [...(template?.eligibleTags ?? [])],
    tagInput: '',
    storeIds: [...(template?.storeIds ?? [])],
    audience: maxOrders === null ? 'any' : maxOrders === 0 ? 'new' : 'max',
    maxOrdersText: String(maxOrders || 3),
    online: template?.online ?? true,
  }
}

// --- Parsing ---------------------------------------------------------------------------------

/** Yuan with at most two decimals, in fen; null when it is not one. */
export function parseYuan(text: string): number | null {
  const s = text.trim()
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null
  return Math.round(Number(s) * 100)
}

/** A whole number within [min, max]; null otherwise. */
export function parseInteger(text: string, min: number, max: number): number | null {
  const s = text.trim()
  if (!/^\d+$/.test(s)) return null
  const n = Number(s)
  return n >= min && n <= max ? n : null
}

/** The form's numbers; null where the text is not a valid one. */
export interface ParsedForm {
  /** fen, or the percentage off for percent_off. */
  value: number | null
  threshold: number | null
  totalStock: number | null
  perCustomerLimit: number | null
  guideWeeklyQuota: number | null
  validDays: number | null
  /** null: anyone; undefined: a limit she has not typed right yet. */
  maxOrders: number | null | undefined
}

export function parseForm(form: CouponTemplateForm): ParsedForm {
  let threshold: number | null
  if (form.kind === 'no_threshold') threshold = 0
  else if (form.kind === 'percent_off' && !form.thresholdText.trim()) threshold = 0
  else threshold = parseYuan(form.thresholdText)
  return {
    value: form.kind === 'percent_off' ? percentOffFromZhe(form.valueText) : parseYuan(form.valueText),
    threshold,
    totalStock: parseInteger(form.stockText, 1, 10_000_000),
    perCustomerLimit: parseInteger(form.perCustomerText, 1, 100),
    guideWeeklyQuota: parseInteger(form.quotaText, 1, 100_000),
    validDays: parseInteger(form.daysText, 1, 3650),
    maxOrders:
      form.audience === 'any' ? null : form.audience === 'new' ? 0 : (parseInteger(form.maxOrdersText, 1, 10_000) ?? undefined),
  }
}

// --- Validation at the edge: nothing goes out while any of these stands ------------------------

export type Field =
  'name' | 'description' | 'value' | 'threshold' | 'stock' | 'perCustomer' | 'quota' | 'days' | 'dates' | 'tags' | 'maxOrders'

/** A problem with a field, as a message key and its parameters (the component says it). */
export interface Problem {
  key: MessageKey
  params?: MessageParams
}

export const REQUIRED: Problem = { key: 'coupons.manage.problem.required' }
const problemOf = (key: MessageKey, params?: MessageParams): Problem => (params ? { key, params } : { key })
const integerProblem = (text: string, min: number, max: number) =>
  text.trim() ? problemOf('coupons.manage.problem.integer', { min, max }) : REQUIRED

/**
 * Every field's problem. `base` is the server's copy being edited (null for a new one: the
 * face and validity are fixed once created, so they are checked only then); `today` is the
 * guide's own `YYYY-MM-DD`, which a fixed end date may not be before.
 */
export function problemsOf(
  form: CouponTemplateForm,
  base: CouponTemplate | null,
  today: string,
): Partial<Record<Field, Problem>> {
  const p: Partial<Record<Field, Problem>> = {}
  const parsed = parseForm(form)
  const { value, threshold } = parsed
  const trimmed = form.name.trim()
  if (!trimmed) p.name = REQUIRED
  else if (trimmed.length > 40) p.name = problemOf('coupons.manage.problem.tooLong', { max: 40 })
  if (form.description.trim().length > 200) p.description = problemOf('coupons.manage.problem.tooLong', { max: 200 })

  if (!base) {
    if (form.kind === 'percent_off') {
      if (value === null) p.value = form.valueText.trim() ? problemOf('coupons.manage.problem.discount') : REQUIRED
    } else if (value === null || value < 1) {
      p.value = form.valueText.trim() ? problemOf('coupons.manage.problem.money') : REQUIRED
    } else if (value > MAX_MONEY) p.value = problemOf('coupons.manage.problem.moneyTooLarge')

    if (form.kind !== 'no_threshold') {
      if (threshold === null) {
        p.threshold = form.thresholdText.trim() ? problemOf('coupons.manage.problem.money') : REQUIRED
      } else if (threshold > MAX_MONEY) p.threshold = problemOf('coupons.manage.problem.moneyTooLarge')
      else if (form.kind === 'amount_off' && value !== null && threshold <= value)
        p.threshold = problemOf('coupons.manage.problem.thresholdAboveValue')
    }

    if (form.validityMode === 'days') {
      if (parsed.validDays === null) p.days = integerProblem(form.daysText, 1, 3650)
    } else if (!form.validFrom || !form.validTo) p.dates = REQUIRED
    else if (form.validTo < form.validFrom) p.dates = problemOf('coupons.manage.problem.datesOrder')
    else if (form.validTo < today) p.dates = problemOf('coupons.manage.problem.datePast')
  }

  /** Reserved or issued already: the stock cannot shrink below it. */
  const committed = base ? base.totalStock - base.stockLeft : 0
  if (parsed.totalStock === null) p.stock = integerProblem(form.stockText, 1, 10_000_000)
  else if (parsed.totalStock < committed) p.stock = problemOf('coupons.manage.problem.stockBelowIssued', { count: committed })
  if (parsed.perCustomerLimit === null) p.perCustomer = integerProblem(form.perCustomerText, 1, 100)
  if (parsed.guideWeeklyQuota === null) p.quota = integerProblem(form.quotaText, 1, 100_000)
  if (form.tags.length > MAX_TAGS) p.tags = problemOf('coupons.manage.problem.tooMany', { max: MAX_TAGS })
  if (parsed.maxOrders === undefined) p.maxOrders = integerProblem(form.maxOrdersText, 1, 10_000)
  return p
}

// --- Chips: levels, stores, tags --------------------------------------------------------------

/** The list with the item added, or taken out when it was there. */
export function toggle<T>(list: readonly T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item]
}

/**
 * The tags after adding what she typed (several at once, split on commas, 、 or new lines),
 * or the problem that keeps them out: a tag too long, or too many in all.
 */
export function addTags(tags: readonly string[], input: string): { tags: string[] } | { problem: Problem } {
  const fresh = input
    .split(/[,，、\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (fresh.some((tag) => tag.length > MAX_TAG_LENGTH))
    return { problem: problemOf('coupons.manage.problem.tagLength', { max: MAX_TAG_LENGTH }) }
  const next = [...new Set([...tags, ...fresh])]
  if (next.length > MAX_TAGS) return { problem: problemOf('coupons.manage.problem.tooMany', { max: MAX_TAGS }) }
  return { tags: next }
}

// --- What goes out ----------------------------------------------------------------------------

/** The create request; only for a form without problems (the numbers are parsed). */
export function createRequest(form: CouponTemplateForm): CouponTemplateCreate {
  const parsed = parseForm(form)
  const body: CouponTemplateCreate = {
    name: form.name.trim(),
    kind: form.kind,
    value: parsed.value!,
    threshold: parsed.threshold!,
    totalStock: parsed.totalStock!,
    perCustomerLimit: parsed.perCustomerLimit!,
    guideWeeklyQuota: parsed.guideWeeklyQuota!,
    eligibleLevels: [...form.levels],
    eligibleTags: [...form.tags],
    storeIds: [...form.storeIds],
    online: form.online,
  }
  if (parsed.maxOrders !== null && parsed.maxOrders !== undefined) body.maxOrders = parsed.maxOrders
  const text = form.description.trim()
  if (text) body.description = text
  if (form.validityMode === 'days') body.validDays = parsed.validDays!
  else {
    body.validFrom = form.validFrom
    body.validTo = form.validTo
  }
  return body
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x))

/** Only what the update schema allows, and only what she changed. */
export function updatePatch(form: CouponTemplateForm, from: CouponTemplate): CouponTemplateUpdate {
  const parsed = parseForm(form)
  const patch: CouponTemplateUpdate = {}
  const trimmed = form.name.trim()
  if (trimmed !== from.name) patch.name = trimmed
  const text = form.description.trim()
  if (text !== from.description) patch.description = text
  if (parsed.totalStock !== null && parsed.totalStock !== from.totalStock) patch.totalStock = parsed.totalStock
  if (parsed.perCustomerLimit !== null && parsed.perCustomerLimit !== from.perCustomerLimit)
    patch.perCustomerLimit = parsed.perCustomerLimit
  if (parsed.guideWeeklyQuota !== null && parsed.guideWeeklyQuota !== from.guideWeeklyQuota)
    patch.guideWeeklyQuota = parsed.guideWeeklyQuota
  if (!sameSet(form.levels, from.eligibleLevels)) patch.eligibleLevels = [...form.levels]
  if (!sameSet(form.tags, from.eligibleTags)) patch.eligibleTags = [...form.tags]
  if (!sameSet(form.storeIds, from.storeIds)) patch.storeIds = [...form.storeIds]
  if (parsed.maxOrders !== undefined && parsed.maxOrders !== from.maxOrders) patch.maxOrders = parsed.maxOrders
  if (form.online !== from.online) patch.online = form.online
  return patch
}
