/** Customers: bindings between WeCom customers and members, keyed by external_user_id. */
import { refreshSearchKeys } from '../../customers/customers.repository'
import * as field from '../fields'
import type { Rejection } from '../importer'
import { bindingsTaken } from './bindings'
import { existing, keepKnown, type KindSpec } from './shared'

export interface CustomerRow {
  id: string
  externalUserId: string | null
}

export const customers: KindSpec<CustomerRow> = {
  keyLabel: 'external_user_id',
  columns: [
    { name: 'external_user_id', aliases: ['企业微信客户ID'], required: true },
    { name: 'member_id', aliases: ['会员号', '会员编号'], required: true },
  ],
  key: (r) => r.externalUserId!,
  parse: (get) => ({
    externalUserId: field.externalUserId(get('external_user_id'), 'external_user_id', { required: true }),
    id: field.key(get('member_id'), 'member_id', { required: true })!,
  }),
  async write(trx, rows, state, now) {
    const rejected: Rejection[] = []
    const known = await existing(
      trx,
      'members',
      rows.map((r) => r.row.id),
    )
    const taken = await bindingsTaken(trx, rows)
    const good = keepKnown(rows, rejected, (row, line) => {
      if (!known.has(row.id)) return `unknown member ${row.id}`
      const problem = taken(row)
      if (problem) return problem
      // A member holds one WeCom customer: a second line for her would silently replace the first.
      const first = state.claim('member', row.id, line, row.externalUserId!)
      return first ? `member_id ${row.id} is already bound to external_user_id ${first.holder} at line ${first.line}` : null
    })
    let inserted = 0
    let updated = 0
    const moved: string[] = []
    for (const { row } of good) {
      const current = await trx
        .selectFrom('members')
        .select('external_user_id')
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow()
      if (current.external_user_id === row.externalUserId) {
        updated++
        continue
      }
      await trx
        .updateTable('members')
        .set({ external_user_id: row.externalUserId, updated_at: now })
        .where('id', '=', row.id)
        .execute()
      // Her member's phone goes with the binding, to the customer it now belongs to.
      moved.push(row.externalUserId!, ...(current.external_user_id ? [current.external_user_id] : []))
      if (current.external_user_id === null) inserted++
      else updated++
    }
    await refreshSearchKeys(trx, moved)
    return { inserted, updated, rejected }
  },
}
