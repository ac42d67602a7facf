import type { BatchResult, MemberBatch, Order, OrderResult, ProductBatch, StockBatch } from '../../../shared/integration'
import type { AppContext } from '../../context'
import { FieldError } from '../crm-import/fields'
import { importRows, type FieldRow, type ImportReport, type RowsOptions } from '../crm-import/importer'
import { IMPORT_KINDS } from '../crm-import/kinds'
import type { OrderLineRow } from '../crm-import/kinds/orders'
import { IntegrationRepository, type StoredOrder } from './integration.repository'
import { fieldRow, rowResults } from './rows'

const columnsOf = (kind: keyof typeof IMPORT_KINDS) => IMPORT_KINDS[kind].columns.map((c) => c.name)

/**
 * What the retailer's systems send live, written by the CSV kinds themselves
 * (modules/crm-import): the same checks, upserts and reasons, the same task run after
 * orders and members, the same `catalog_changes` counters after stock.
 */
export class IntegrationService {
  private readonly repo: IntegrationRepository

  constructor(private readonly ctx: AppContext) {
    this.repo = new IntegrationRepository(ctx.db)
  }

  /**
   * `absolute` sets the rows' quantities and leaves the store's other SKUs alone (a batch
   * is not a snapshot of the store); `delta` adds, a result below 0 kept at 0.
   */
  async stock(batch: StockBatch): Promise<BatchResult> {
    const amount = batch.mode === 'delta' ? 'delta' : 'quantity'
    const columns = columnsOf('stock').filter((c) => c !== 'quantity' && c !== 'delta')
    const rows = batch.rows.map((row, i) => fieldRow(i, row, { quantity: amount }))
    return this.batch('stock', rows, { columns: [...columns, amount], partial: true })
  }

  async members(batch: MemberBatch): Promise<BatchResult> {
    const rows = batch.rows.map((row, i) => fieldRow(i, row))
    const ids = batch.rows.map((r) => r.member_id.trim())
    return this.batch('members', rows, { columns: columnsOf('members'), taskGuides: () => this.repo.guidesOfMembers(ids) })
  }

  async products(batch: ProductBatch): Promise<BatchResult> {
    return this.batch(
      'products',
      batch.rows.map((row, i) => fieldRow(i, row)),
      { columns: columnsOf('products') },
    )
  }

  /**
   * One order, its lines upserted by line number. Sent again as it is stored, it writes
   * nothing; a return is a line with `returned`, a cancellation every line returned.
   * The tasks of her guides are written at once (an after-purchase care message, a
   * repurchase, a dormant task the purchase ends).
   */
  async order(order: Order): Promise<OrderResult> {
    const cancelled = order.status === 'cancelled'
    const { lines, status: _status, ...header } = order
    const rows = lines.map((line, i) => fieldRow(i, { ...header, ...line, ...(cancelled ? { returned: true } : {}) }))
    const orderId = order.order_id.trim()
    const stored = await this.repo.order(orderId)
    if (stored && sameOrder(stored, rows)) {
      return { order_id: orderId, result: 'unchanged', lines: rowResults(rows.length, { rejected: [] }) }
    }
    const memberId = order.member_id.trim()
    const guide = order.guide_user_id?.trim()
    const report = await this.import('orders', rows, {
      columns: columnsOf('orders'),
      taskGuides: async () => [...new Set([...(await this.repo.guidesOfMembers([memberId])), ...(guide ? [guide] : [])])],
    })
    const written = report.inserted + report.updated
    return {
      order_id: orderId,
      result: written === 0 ? 'rejected' : stored ? 'updated' : 'created',
      lines: rowResults(rows.length, report),
    }
  }

  private async batch(
    kind: 'stock' | 'members' | 'products',
    rows: FieldRow[],
    options: Omit<RowsOptions, 'now'>,
  ): Promise<BatchResult> {
    const report = await this.import(kind, rows, options)
    return {
      inserted: report.inserted,
      updated: report.updated,
      rejected: report.rejected.length,
      rows: rowResults(rows.length, report),
    }
  }

  private import(kind: keyof typeof IMPORT_KINDS, rows: FieldRow[], options: Omit<RowsOptions, 'now'>): Promise<ImportReport> {
    return importRows(this.ctx.db, kind, rows, { ...options, now: this.ctx.now() })
  }
}

/** Whether every line sent reads exactly as stored, header and all (a line that does not parse is a change to report). */
function sameOrder(stored: StoredOrder, rows: FieldRow[]): boolean {
  const columns = new Set(columnsOf('orders'))
  for (const row of rows) {
    let line: OrderLineRow
    try {
      line = IMPORT_KINDS.orders.parse(
        (c) => row.fields[c] ?? '',
        (c) => columns.has(c),
      )
    } catch (error) {
      if (error instanceof FieldError) return false
      throw error
    }
    const was = stored.lines.get(line.lineNo)
    if (
      !was ||
      line.memberId !== stored.memberId ||
      line.storeId !== stored.storeId ||
      line.purchasedAt !== stored.purchasedAt ||
      line.guideUserId !== stored.guideUserId ||
      line.productId !== was.productId ||
      line.name !== was.name ||
      line.color !== was.color ||
      line.size !== was.size ||
      line.quantity !== was.quantity ||
      line.priceFen !== was.priceFen ||
      line.returned !== was.returned
    ) {
      return false
    }
  }
  return true
}
