/**
 * The demo's live coupon templates and the till keys of its two stores (simulator mode
 * only: the keys are printed at start so a demo can redeem with curl).
 */
import type { Kysely } from 'kysely'
import type { CouponTemplatesTable, Database } from '../db/schema'
import { hashStoreKey } from '../modules/stores/store-keys'

export const DEMO_TILL_KEYS: Record<string, string> = { S001: 'demo-till-S001', S002: 'demo-till-S002' }

type Template = Omit<CouponTemplatesTable, 'stock_left' | 'created_by' | 'created_at' | 'updated_at' | 'status'>

export const TEMPLATES: Template[] = [
  {
    id: 'ct_demo_welcome',
    name: '新客见面礼 30 元',
    description: '第一次到店或线上下单都能用',
    kind: 'no_threshold',
    value: 3000,
    threshold: 0,
    total_stock: 500,
    per_customer_limit: 1,
    guide_weekly_quota: 50,
    valid_days: 30,
    valid_from: null,
    valid_to: null,
    eligible_levels: '[]',
    eligible_tags: '[]',
    // A gift for her first purchase: not for someone who already buys here.
    max_orders: 0,
    store_ids: '[]',
    online: 1,
  },
  {
    id: 'ct_demo_1000_150',
    name: '满 1000 减 150',
    description: '',
    kind: 'amount_off',
    value: 15000,
    threshold: 100000,
    total_stock: 200,
    per_customer_limit: 2,
    guide_weekly_quota: 20,
    valid_days: 14,
    valid_from: null,
    valid_to: null,
    eligible_levels: '[]',
    eligible_tags: '[]',
    max_orders: null,
    store_ids: '[]',
    online: 1,
  },
  {
    id: 'ct_demo_gold_85',
    name: '金卡专享 8.5 折',
    description: '正价商品可用',
    kind: 'percent_off',
    value: 15,
    threshold: 0,
    total_stock: 100,
    per_customer_limit: 1,
    guide_weekly_quota: 10,
    valid_days: 30,
    valid_from: null,
    valid_to: null,
    eligible_levels: '["gold","platinum"]',
    eligible_tags: '[]',
    max_orders: null,
    store_ids: '[]',
    online: 0,
  },
  {
    id: 'ct_demo_vip_2000_400',
    name: '高净值客户 满 2000 减 400',
    description: '',
    kind: 'amount_off',
    value: 40000,
    threshold: 200000,
    total_stock: 50,
    per_customer_limit: 1,
    guide_weekly_quota: 5,
    valid_days: 21,
    valid_from: null,
    valid_to: null,
    eligible_levels: '[]',
    eligible_tags: '["高净值"]',
    max_orders: null,
    store_ids: '[]',
    online: 0,
  },
  {
    id: 'ct_demo_jingan_800_120',
    name: '静安店限定 满 800 减 120',
    description: '仅限上海静安嘉里中心店',
    kind: 'amount_off',
    value: 12000,
    threshold: 80000,
    total_stock: 80,
    per_customer_limit: 1,
    guide_weekly_quota: 15,
    valid_days: 10,
    valid_from: null,
    valid_to: null,
    eligible_levels: '[]',
    eligible_tags: '[]',
    max_orders: null,
    store_ids: '["S001"]',
    online: 0,
  },
  {
    // What a birthday task suggests sending (modules/tasks/rules.ts finds it by 生日 in its name).
    id: 'ct_demo_birthday',
    name: '生日礼券 100 元',
    description: '生日当月到店或线上下单可用',
    kind: 'no_threshold',
    value: 10000,
    threshold: 0,
    total_stock: 300,
    per_customer_limit: 1,
    guide_weekly_quota: 30,
    valid_days: 30,
    valid_from: null,
    valid_to: null,
    eligible_levels: '[]',
    eligible_tags: '[]',
    max_orders: null,
    store_ids: '[]',
    online: 1,
  },
]

export async function seedDemoCoupons(db: Kysely<Database>, managerId: string, now: number): Promise<void> {
  await db
    .insertInto('coupon_templates')
    .values(
      TEMPLATES.map((t) => ({
        ...t,
        stock_left: t.total_stock,
        status: 'active' as const,
        created_by: managerId,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  await db
    .insertInto('store_api_keys')
    .values(
      Object.entries(DEMO_TILL_KEYS).map(([storeId, key]) => ({
        id: `sk_demo_${storeId}`,
        store_id: storeId,
        key_hash: hashStoreKey(key),
        label: 'demo till',
        created_at: now,
        revoked_at: null,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}

export async function hasCoupons(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('coupon_templates').select('id').limit(1).executeTakeFirst()) !== undefined
}
