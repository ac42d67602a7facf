/**
 * Guides: who works where and as what, from the CRM's staff list, one row per person and
 * store. A manager looking after several stores has a row for each: her first row's store
 * becomes her own (guides.store_id), and every store listed becomes one she manages
 * (store_managers, replaced for everyone in the file). What WeCom says of her — avatar,
 * when her customers were synced — is left alone; her name is the CRM's until she signs
 * in again. `active` 否 marks her gone as WeCom's delete_user does (her sessions end at
 * once, her history stays); 是 brings back only someone a staff file marked gone — WeCom's
 * own word that she left is not undone by a file that still lists her.
 */
import * as field from '../fields'
import type { Rejection } from '../importer'
import { markGuideDeparted } from '../../guides/departure'
import { existing, keepKnown, type KindSpec } from './shared'

type Role = 'guide' | 'manager' | 'admin'

export interface GuideRow {
  userId: string
  name: string
  storeId: string | null
  role: Role
  active: boolean
}

const ROLE_ALIASES: Record<string, Role> = {
  导购: 'guide',
  店员: 'guide',
  店长: 'manager',
  经理: 'manager',
  区域经理: 'manager',
  总部: 'admin',
  管理员: 'admin',
}

/** guide / manager / admin, or 导购 / 店长 / 总部; empty: guide. */
function role(value: string, column: string): Role {
  const v = value.trim()
  if (!v) return 'guide'
  const lower = v.toLowerCase()
  if (lower === 'guide' || lower === 'manager' || lower === 'admin') return lower
  const alias = ROLE_ALIASES[v]
  if (alias) return alias
  throw new field.FieldError(`${column} "${v}" is not one of guide, manager, admin (or 导购/店长/总部)`)
}

/** A WeCom member's userid: letters, digits and `_.@-`, up to 64. */
function userId(value: string, column: string): string {
  const v = value.trim()
  if (!v) throw new field.FieldError(`${column} is empty`)
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(v)) throw new field.FieldError(`${column} "${v}" is not a WeCom userid`)
  return v
}

/** 是/否, yes/no, 1/0, or 在职/离职; empty: working. */
function active(value: string): boolean {
  const v = value.trim()
  if (v === '' || v === '在职') return true
  if (v === '离职') return false
  return field.boolean(v, 'active')
}

export const guides: KindSpec<GuideRow> = {
  keyLabel: 'userid + store_id',
  columns: [
    { name: 'userid', aliases: ['导购账号', '账号', '企业微信账号'], required: true },
    { name: 'name', aliases: ['姓名'], required: true },
    { name: 'store_id', aliases: ['门店', '门店编号'], required: true },
    { name: 'role', aliases: ['角色'], required: true },
    { name: 'active', aliases: ['在职', '在岗'], required: false },
  ],
  key: (r) => `${r.userId} ${r.storeId ?? ''}`,
  parse: (get) => ({
    userId: userId(get('userid'), 'userid'),
    name: field.required(get('name'), 'name', 50),
    storeId: field.key(get('store_id'), 'store_id'),
    role: role(get('role'), 'role'),
    active: active(get('active')),
  }),
  async write(trx, rows, state, now) {
    const rejected: Rejection[] = []
    const knownStores = await existing(
      trx,
      'stores',
      rows.flatMap((r) => (r.row.storeId ? [r.row.storeId] : [])),
    )
    // Her first row in the file (of those accepted) says her own store and replaces her managed stores.
    const firstLines = new Set<number>()
    const good = keepKnown(rows, rejected, (row, line) => {
      if (row.storeId && !knownStores.has(row.storeId)) return `unknown store ${row.storeId}`
      const other = state.claim('person', row.userId, line, `${row.role}\u0000${row.name}\u0000${row.active}`)
      if (other) return `userid ${row.userId} has another name, role or active at line ${other.line}`
      const first = state.claim('first', row.userId, line, String(line))
      if (first && row.role === 'guide') {
        return `userid ${row.userId} is a guide, who works in one store, and is already listed at line ${first.line}`
      }
      if (!first) firstLines.add(line)
      return null
    })
    if (good.length === 0) return { inserted: 0, updated: 0, rejected }
    const firsts = good.filter((r) => firstLines.has(r.line))
    const before = new Set(
      firsts.length === 0
        ? []
        : (
            await trx
              .selectFrom('guides')
              .select('user_id')
              .where(
                'user_id',
                'in',
                firsts.map((r) => r.row.userId),
              )
              .execute()
          ).map((r) => r.user_id),
    )
    if (firsts.length > 0) {
      await trx
        .insertInto('guides')
        .values(
          firsts.map(({ row }) => ({
            user_id: row.userId,
            name: row.name,
            avatar: null,
            store_id: row.storeId,
            role: row.role,
            customers_synced_at: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            store_id: eb.ref('excluded.store_id'),
            role: eb.ref('excluded.role'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute()
      await trx
        .deleteFrom('store_managers')
        .where(
          'user_id',
          'in',
          firsts.map((r) => r.row.userId),
        )
        .execute()
      const gone = firsts.filter((r) => !r.row.active).map((r) => r.row.userId)
      for (const userId of gone) await markGuideDeparted(trx, userId, now, 'import')
      const back = firsts.filter((r) => r.row.active).map((r) => r.row.userId)
      if (back.length > 0) {
        await trx
          .updateTable('guides')
          .set({ left_at: null, left_by: null, updated_at: now })
          .where('user_id', 'in', back)
          .where('left_by', '=', 'import')
          .execute()
      }
    }
    const managed = good.filter((r) => r.row.role !== 'guide' && r.row.storeId !== null)
    if (managed.length > 0) {
      await trx
        .insertInto('store_managers')
        .values(managed.map(({ row }) => ({ user_id: row.userId, store_id: row.storeId! })))
        .onConflict((oc) => oc.columns(['user_id', 'store_id']).doNothing())
        .execute()
    }
    // A further store of someone already written counts as an update of her.
    const inserted = firsts.filter((r) => !before.has(r.row.userId)).length
    return { inserted, updated: good.length - inserted, rejected }
  },
}
