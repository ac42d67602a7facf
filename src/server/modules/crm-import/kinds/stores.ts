/** Stores: the CRM's store list, keyed by store_id. */
import * as field from '../fields'
import { existing, type KindSpec } from './shared'

export interface StoreRow {
  id: string
  name: string
  city: string
}

export const stores: KindSpec<StoreRow> = {
  keyLabel: 'store_id',
  columns: [
    { name: 'store_id', aliases: ['门店编号', '门店ID'], required: true },
    { name: 'name', aliases: ['门店名称'], required: true },
    { name: 'city', aliases: ['城市'], required: false },
  ],
  key: (r) => r.id,
  parse: (get) => ({
    id: field.key(get('store_id'), 'store_id', { required: true })!,
    name: field.required(get('name'), 'name', 60),
    city: field.text(get('city'), 'city', { max: 30 }) ?? '',
  }),
  async write(trx, rows) {
    const before = await existing(
      trx,
      'stores',
      rows.map((r) => r.row.id),
    )
    await trx
      .insertInto('stores')
      .values(rows.map((r) => r.row))
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), city: eb.ref('excluded.city') })))
      .execute()
    const updated = rows.filter((r) => before.has(r.row.id)).length
    return { inserted: rows.length - updated, updated, rejected: [] }
  },
}
