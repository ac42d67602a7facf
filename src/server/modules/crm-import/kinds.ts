/**
 * What each kind of CRM file holds, how a row is read, and how a batch is written.
 * Keys come from the CRM (store, member, product and order ids); a row whose key
 * exists updates it.
 */
import type { MemberLevel } from '../../../shared/customer'
import { refreshSearchKeys } from '../customers/customers.repository'
import * as field from './fields'
import type { Trx } from '../../db'
import type { BatchResult, ImportState, ParsedRow, Rejection } from './importer'

export interface Column {
  name: string
  /** Header names a Chinese spreadsheet may use instead. */
  aliases?: string[]
  required: boolean
}

export interface KindSpec<Row> {
  columns: Column[]
  keyLabel: string
  key(row: Row): string
  parse(get: (column: string) => string): Row
  /**
   * Writes the rows it accepts, rejecting the rest; checks that span the whole file go
   * through `state`, claiming for a row only once every other check passed it.
   */
  write(trx: Trx, rows: ParsedRow<Row>[], state: ImportState, now: number): Promise<BatchResult>
}

async function existing(trx: Trx, table: 'stores' | 'members' | 'products' | 'orders', ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await trx
    .selectFrom(table)
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** Split rows into those whose references exist and rejections for the rest. */
function keepKnown<Row>(
  rows: ParsedRow<Row>[],
  rejected: Rejection[],
  check: (row: Row, line: number) => string | null,
): ParsedRow<Row>[] {
  return rows.filter((r) => {
    const problem = check(r.row, r.line)
    if (problem) rejected.push({ line: r.line, reason: problem })
    return !problem
  })
}

// --- Stores -------------------------------------------------------------------------

interface StoreRow {
  id: string
  name: string
  city: string
}

const stores: KindSpec<StoreRow> = {
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

// --- Members ------------------------------------------------------------------------

interface MemberRow {
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

const members: KindSpec<MemberRow> = {
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

/**
 * One WeCom customer, one member: a check refusing rows that would take a customer
 * another member holds in the database.
 */
async function bindingsTaken<Row extends { id: string; externalUserId: string | null }>(
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

// --- Customers (bindings between WeCom customers and members) -------------------------

interface CustomerRow {
  id: string
  externalUserId: string | null
}

const customers: KindSpec<CustomerRow> = {
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

// --- Products -----------------------------------------------------------------------

interface ProductRow {
  id: string
  styleCode: string
  name: string
  category: string
  priceFen: number
  imageUrl: string | null
  /** What the style is made of; null when the file leaves it empty (what is known stays). */
  materials: string[] | null
}

const products: KindSpec<ProductRow> = {
  keyLabel: 'product_id',
  columns: [
    { name: 'product_id', aliases: ['商品编号', '商品ID'], required: true },
    { name: 'style_code', aliases: ['款号'], required: true },
    { name: 'name', aliases: ['商品名称', '名称'], required: true },
    { name: 'category', aliases: ['品类', '类别'], required: true },
    { name: 'price', aliases: ['价格', '吊牌价'], required: true },
    { name: 'image_url', aliases: ['图片'], required: false },
    { name: 'materials', aliases: ['材质', '面料', '成分'], required: false },
  ],
  key: (r) => r.id,
  parse: (get) => ({
    id: field.key(get('product_id'), 'product_id', { required: true })!,
    styleCode: field.key(get('style_code'), 'style_code', { required: true })!,
    name: field.required(get('name'), 'name', 60),
    category: field.category(get('category'), 'category'),
    priceFen: field.money(get('price'), 'price'),
    imageUrl: field.url(get('image_url'), 'image_url'),
    materials: get('materials').trim() ? field.list(get('materials'), 'materials', { max: 8, itemMax: 12 }) : null,
  }),
  async write(trx, rows, state, now) {
    const rejected: Rejection[] = []
    const codes = await trx
      .selectFrom('products')
      .select(['id', 'style_code'])
      .where(
        'style_code',
        'in',
        rows.map((r) => r.row.styleCode),
      )
      .execute()
    const codeOwner = new Map(codes.map((c) => [c.style_code, c.id]))
    const good = keepKnown(rows, rejected, (row, line) => {
      const owner = codeOwner.get(row.styleCode)
      if (owner && owner !== row.id) return `style_code ${row.styleCode} belongs to product ${owner}`
      const first = state.claim('style_code', row.styleCode, line, row.id)
      return first ? `style_code ${row.styleCode} is used at line ${first.line} too` : null
    })
    if (good.length === 0) return { inserted: 0, updated: 0, rejected }
    const before = await existing(
      trx,
      'products',
      good.map((r) => r.row.id),
    )
    // Rows that name materials set them; rows that leave them empty keep what is known.
    for (const withMaterials of [true, false]) {
      const part = good.filter((r) => (r.row.materials !== null) === withMaterials)
      if (part.length === 0) continue
      await trx
        .insertInto('products')
        .values(
          part.map(({ row }) => ({
            id: row.id,
            style_code: row.styleCode,
            name: row.name,
            category: row.category,
            price_fen: row.priceFen,
            image_url: row.imageUrl,
            materials: JSON.stringify(row.materials ?? []),
            created_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            style_code: eb.ref('excluded.style_code'),
            name: eb.ref('excluded.name'),
            category: eb.ref('excluded.category'),
            price_fen: eb.ref('excluded.price_fen'),
            image_url: eb.ref('excluded.image_url'),
            ...(withMaterials ? { materials: eb.ref('excluded.materials') } : {}),
          })),
        )
        .execute()
    }
    const updated = good.filter((r) => before.has(r.row.id)).length
    return { inserted: good.length - updated, updated, rejected }
  },
}

// --- Orders (one row per order line) -----------------------------------------------------

interface OrderLineRow {
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
}

const orders: KindSpec<OrderLineRow> = {
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
      // The lines of one order must agree on who bought, where and when, in whichever
      // batch they fall; the first line written says. Keys hold no spaces.
      const header = `${row.memberId} ${row.storeId ?? ''} ${row.purchasedAt}`
      const first = state.claim('order', row.orderId, line, header)
      return first ? `order ${row.orderId} has a different member, store or time at line ${first.line}` : null
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
          }
        }),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          member_id: eb.ref('excluded.member_id'),
          store_id: eb.ref('excluded.store_id'),
          purchased_at: eb.ref('excluded.purchased_at'),
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
    const updated = good.filter((r) => existingLines.has(`${r.row.orderId}#${r.row.lineNo}`)).length
    return { inserted: good.length - updated, updated, rejected }
  },
}

export const IMPORT_KINDS = { stores, members, customers, products, orders } as const
export type ImportKind = keyof typeof IMPORT_KINDS
