/** Members: the CRM's members, keyed by member_id, with an optional WeCom binding. */
import type { MemberLevel } from '../../../../shared/customer'
import type { Trx } from '../../../db'
import { refreshSearchKeys } from '../../customers/customers.repository'
import * as field from '../fields'
import type { Rejection } from '../importer'
import { bindingsTaken } from './bindings'
import { existing, keepKnown, type KindSpec } from './shared'

export interface MemberRow {
  id: string
  name: string
  phone: string | null
  level: MemberLevel
  points: number
  storeId: string | null
  sizeTop: string | null
  sizeBottom: string | null
  sizeDress: string | null
  sizeShoes: string | null
  stylePreferences: string[]
  birthday: string | null
  externalUserId: string | null
}

const size = (value: string, column: string) => field.text(value, column, { max: 10 })

export const members: KindSpec<MemberRow> = {
  keyLabel: 'member_id',
  columns: [
    { name: 'member_id', aliases: ['会员号', '会员编号', '会员ID'], required: true },
    { name: 'name', aliases: ['姓名'], required: true },
    { name: 'phone', aliases: ['手机号', '手机'], required: false },
    { name: 'level', aliases: ['会员等级', '等级'], required: false },
    { name: 'points', aliases: ['积分'], required: false },
    { name: 'store_id', aliases: ['所属门店', '门店编号'], required: false },
    { name: 'size_top', aliases: ['上装尺码'], required: false },
    { name: 'size_bottom', aliases: ['下装尺码'], required: false },
    { name: 'size_dress', aliases: ['连衣裙尺码'], required: false },
    { name: 'size_shoes', aliases: ['鞋码'], required: false },
    { name: 'style_preferences', aliases: ['风格偏好'], required: false },
    { name: 'birthday', aliases: ['生日'], required: false },
    { name: 'external_user_id', aliases: ['企业微信客户ID'], required: false },
  ],
  key: (r) => r.id,
  parse: (get) => ({
    id: field.key(get('member_id'), 'member_id', { required: true })!,
    name: field.required(get('name'), 'name', 50),
    phone: field.phone(get('phone'), 'phone'),
    level: field.level(get('level'), 'level'),
    points: field.integer(get('points'), 'points', { min: 0, max: 100_000_000, fallback: 0 }),
    storeId: field.key(get('store_id'), 'store_id'),
    sizeTop: size(get('size_top'), 'size_top'),
    sizeBottom: size(get('size_bottom'), 'size_bottom'),
    sizeDress: size(get('size_dress'), 'size_dress'),
    sizeShoes: size(get('size_shoes'), 'size_shoes'),
    stylePreferences: field.list(get('style_preferences'), 'style_preferences', { max: 10, itemMax: 20 }),
    birthday: field.birthday(get('birthday'), 'birthday'),
    externalUserId: field.externalUserId(get('external_user_id'), 'external_user_id'),
  }),
  async write(trx, rows, state, now) {
    const rejected: Rejection[] = []
    const knownStores = await existing(
      trx,
      'stores',
      rows.flatMap((r) => (r.row.storeId ? [r.row.storeId] : [])),
    )
    const taken = await bindingsTaken(trx, rows)
    const good = keepKnown(rows, rejected, (row, line) => {
      if (row.storeId && !knownStores.has(row.storeId)) return `unknown store ${row.storeId}`
      if (!row.externalUserId) return null
      const problem = taken(row)
      if (problem) return problem
      const first = state.claim('binding', row.externalUserId, line, row.id)
      return first
        ? `external_user_id ${row.externalUserId} is already given to member ${first.holder} at line ${first.line}`
        : null
    })
    if (good.length === 0) return { inserted: 0, updated: 0, rejected }
    const before = await existing(
      trx,
      'members',
      good.map((r) => r.row.id),
    )
    const boundBefore = await boundCustomers(
      trx,
      good.map((r) => r.row.id),
    )
    await trx
      .insertInto('members')
      .values(
        good.map(({ row }) => ({
          id: row.id,
          external_user_id: row.externalUserId,
          phone: row.phone,
          name: row.name,
          level: row.level,
          points: row.points,
          store_id: row.storeId,
          size_top: row.sizeTop,
          size_bottom: row.sizeBottom,
          size_dress: row.sizeDress,
          size_shoes: row.sizeShoes,
          style_preferences: JSON.stringify(row.stylePreferences),
          birthday: row.birthday,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          // An empty binding column leaves an existing binding alone.
          external_user_id: eb.fn.coalesce('excluded.external_user_id', 'members.external_user_id'),
          phone: eb.ref('excluded.phone'),
          name: eb.ref('excluded.name'),
          level: eb.ref('excluded.level'),
          points: eb.ref('excluded.points'),
          store_id: eb.ref('excluded.store_id'),
          size_top: eb.ref('excluded.size_top'),
          size_bottom: eb.ref('excluded.size_bottom'),
          size_dress: eb.ref('excluded.size_dress'),
          size_shoes: eb.ref('excluded.size_shoes'),
          style_preferences: eb.ref('excluded.style_preferences'),
          birthday: eb.ref('excluded.birthday'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
    // A phone changed or a customer bound (or moved): guides find her by the last digits of it.
    const boundAfter = await boundCustomers(
      trx,
      good.map((r) => r.row.id),
    )
    await refreshSearchKeys(trx, [...boundBefore, ...boundAfter])
    const updated = good.filter((r) => before.has(r.row.id)).length
    return { inserted: good.length - updated, updated, rejected }
  },
}

/** The WeCom customers these members are bound to. */
async function boundCustomers(trx: Trx, memberIds: string[]): Promise<string[]> {
  const rows = await trx
    .selectFrom('members')
    .select('external_user_id')
    .where('id', 'in', [...new Set(memberIds)])
    .where('external_user_id', 'is not', null)
    .execute()
  return rows.map((r) => r.external_user_id!)
}
