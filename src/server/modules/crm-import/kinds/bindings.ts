import type { Trx } from '../../../db'
import type { ParsedRow } from '../importer'

/**
 * One WeCom customer, one member: a check refusing rows that would take a customer
 * another member holds in the database.
 */
export async function bindingsTaken<Row extends { id: string; externalUserId: string | null }>(
  trx: Trx,
  rows: ParsedRow<Row>[],
): Promise<(row: Row) => string | null> {
  const wanted = rows.flatMap((r) => (r.row.externalUserId ? [r.row.externalUserId] : []))
  const holders =
    wanted.length === 0
      ? []
      : await trx
          .selectFrom('members')
          .select(['id', 'external_user_id'])
          .where('external_user_id', 'in', [...new Set(wanted)])
          .execute()
  const holderOf = new Map(holders.map((h) => [h.external_user_id!, h.id]))
  return (row) => {
    const holder = row.externalUserId ? holderOf.get(row.externalUserId) : undefined
    return holder && holder !== row.id ? `external_user_id ${row.externalUserId} is already bound to member ${holder}` : null
  }
}
