/** Orders: one row per order line, keyed by order_id + line_no. */
import * as field from '../fields'
import type { Rejection } from '../importer'
import { recreditOrders } from '../../stats/attribution.repository'
import { existing, keepKnown, type KindSpec } from './shared'

export interface OrderLineRow {
  orderId: string
  lineNo: number
  memberId: string
  storeId: string | null
  purchasedAt: number
  productId: string | null
  name: string
  color: string | null
  size: string | null
  quantity: number
  priceFen: number
  returned: boolean
  /** The selling guide (a WeCom userid), when the CRM records one. */
  guideUserId: string | null
}

export const orders: KindSpec<OrderLineRow> = {
  keyLabel: 'order line',
  columns: [
    { name: 'order_id', aliases: ['订单号'], required: true },
    { name: 'line_no', aliases: ['行号'], required: true },
    { name: 'member_id', aliases: ['会员号', '会员编号'], required: true },
    { name: 'store_id', aliases: ['门店编号'], required: false },
    { name: 'purchased_at', aliases: ['下单时间', '购买时间'], required: true },
    { name: 'product_id', aliases: ['商品编号'], required: false },
    { name: 'name', aliases: ['商品名称'], required: true },
    { name: 'color', aliases: ['颜色'], required: false },
    { name: 'size', aliases: ['尺码'], required: false },
    { name: 'quantity', aliases: ['数量'], required: false },
    { name: 'price', aliases: ['成交价', '单价'], required: true },
    { name: 'returned', aliases: ['已退货', '是否退货'], required: false },
    { name: 'guide_user_id', aliases: ['导购', '导购账号'], required: false },
  ],
  key: (r) => `${r.orderId}#${r.lineNo}`,
  parse: (get) => ({
    orderId: field.key(get('order_id'), 'order_id', { required: true })!,
    lineNo: field.integer(get('line_no'), 'line_no', { min: 1, max: 999 }),
    memberId: field.key(get('member_id'), 'member_id', { required: true })!,
    storeId: field.key(get('store_id'), 'store_id'),
    purchasedAt: field.instant(get('purchased_at'), 'purchased_at'),
    productId: field.key(get('product_id'), 'product_id'),
    name: field.required(get('name'), 'name', 60),
    color: field.text(get('color'), 'color', { max: 20 }),
    size: field.text(get('size'), 'size', { max: 10 }),
    quantity: field.integer(get('quantity'), 'quantity', { min: 1, max: 999, fallback: 1 }),
    priceFen: field.money(get('price'), 'price'),
    returned: field.boolean(get('returned'), 'returned'),
    guideUserId: field.key(get('guide_user_id'), 'guide_user_id'),
  }),
  async write(trx, rows, state, now) {
    const rejected: Rejection[] = []
    const [knownMembers, knownStores, knownProducts] = await Promise.all([
      existing(
        trx,
        'members',
        rows.map((r) => r.row.memberId),
      ),
      existing(
        trx,
        'stores',
        rows.flatMap((r) => (r.row.storeId ? [r.row.storeId] : [])),
      ),
      existing(
        trx,
        'products',
        rows.flatMap((r) => (r.row.productId ? [r.row.productId] : [])),
      ),
    ])
    const good = keepKnown(rows, rejected, (row, line) => {
      if (!knownMembers.has(row.memberId)) return `unknown member ${row.memberId}`
      if (row.storeId && !knownStores.has(row.storeId)) return `unknown store ${row.storeId}`
      if (row.productId && !knownProducts.has(row.productId)) return `unknown product ${row.productId}`
      // The lines of one order must agree on who bought, where, when and from whom, in
      // whichever batch they fall; the first line written says. Keys hold no spaces.
      const sale = `${row.memberId} ${row.storeId ?? ''} ${row.purchasedAt}`
      const first = state.claim('order', row.orderId, line, `${sale} ${row.guideUserId ?? ''}`)
      if (!first) return null
      return first.holder.startsWith(`${sale} `)
        ? `order ${row.orderId} has a different guide at line ${first.line}`
        : `order ${row.orderId} has a different member, store or time at line ${first.line}`
    })
    if (good.length === 0) return { inserted: 0, updated: 0, rejected }

    // Every accepted line agrees with its order's header, so any of them can give it.
    const headers = new Map<string, OrderLineRow>()
    for (const { row } of good) if (!headers.has(row.orderId)) headers.set(row.orderId, row)
    const orderIds = [...headers.keys()]
    const existingLines = new Set(
      (await trx.selectFrom('order_items').select(['order_id', 'line_no']).where('order_id', 'in', orderIds).execute()).map(
        (l) => `${l.order_id}#${l.line_no}`,
      ),
    )
    await trx
      .insertInto('orders')
      .values(
        orderIds.map((id) => {
          const row = headers.get(id)!
          return {
            id,
            member_id: row.memberId,
            store_id: row.storeId,
            purchased_at: row.purchasedAt,
            total_fen: 0,
            created_at: now,
            guide_user_id: row.guideUserId,
          }
        }),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          member_id: eb.ref('excluded.member_id'),
          store_id: eb.ref('excluded.store_id'),
          purchased_at: eb.ref('excluded.purchased_at'),
          guide_user_id: eb.ref('excluded.guide_user_id'),
        })),
      )
      .execute()
    await trx
      .insertInto('order_items')
      .values(
        good.map(({ row }) => ({
          order_id: row.orderId,
          line_no: row.lineNo,
          product_id: row.productId,
          name: row.name,
          color: row.color,
          size: row.size,
          quantity: row.quantity,
          price_fen: row.priceFen,
          returned: row.returned ? 1 : 0,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['order_id', 'line_no']).doUpdateSet((eb) => ({
          product_id: eb.ref('excluded.product_id'),
          name: eb.ref('excluded.name'),
          color: eb.ref('excluded.color'),
          size: eb.ref('excluded.size'),
          quantity: eb.ref('excluded.quantity'),
          price_fen: eb.ref('excluded.price_fen'),
          returned: eb.ref('excluded.returned'),
        })),
      )
      .execute()
    // What she paid: every line of the order not returned, including lines of earlier batches.
    await trx
      .updateTable('orders')
      .set((eb) => ({
        total_fen: eb.fn.coalesce(
          eb
            .selectFrom('order_items as i')
            .select((i) => i.fn.sum<number>(i('i.price_fen', '*', i.ref('i.quantity'))).as('s'))
            .whereRef('i.order_id', '=', 'orders.id')
            .where('i.returned', '=', 0),
          eb.lit(0),
        ),
      }))
      .where('id', 'in', orderIds)
      .execute()
    // Who each order counts for, by the one rule (stats/attribution.repository.ts), in a
    // few statements for the whole batch; a re-import may have changed the CRM's guide.
    await recreditOrders(trx, orderIds)
    const updated = good.filter((r) => existingLines.has(`${r.row.orderId}#${r.row.lineNo}`)).length
    return { inserted: good.length - updated, updated, rejected }
  },
}
