/**
 * One chronological view of a customer, newest first, from four sources: events
 * (changes guides made), notes, her orders, and her coupons. Each source is read up to the
 * page size before the cursor and the results merged, so paging is exact however the
 * sources mix.
 */
import type { RawBuilder } from 'kysely'
import type { CouponKind } from '../../../shared/coupons'
import type { NoteOutcome, TimelineEntry, TimelineKind, TimelinePage } from '../../../shared/memory'
import type { Db, DbKind, Trx } from '../../db'
import { bytewise } from '../../db/dialect'
import { iso } from '../../db/sql'
import { afterCursor, decodeTimelineCursor, encodeTimelineCursor, type AfterCursor } from './timeline-cursor'

/** Timeline ids carry their source, so ids from different tables never collide. */
const PREFIX = { event: 'e:', note: 'n:', order: 'o:' } as const

/**
 * A coupon's steps are read from its issuance row at read time rather than written as
 * events: expiry has no moment that writes anything, and her whole history (from before
 * the timeline showed coupons) comes with it. Each step is a source of its own, keyed by
 * the column holding its time. The prefixes sort in the order the steps happen, so two
 * steps in one millisecond (she opened a link whose send was never confirmed) read
 * newest first like everything else.
 */
const COUPON_STEPS = [
  { kind: 'coupon_sent', prefix: 'c1:', column: 'ci.sent_at' },
  { kind: 'coupon_claimed', prefix: 'c2:', column: 'ci.claimed_at' },
  { kind: 'coupon_redeemed', prefix: 'c3:', column: 'ci.redeemed_at' },
  { kind: 'coupon_expired', prefix: 'c4:', column: 'ci.valid_until' },
] as const

type Source = 'events' | 'notes' | 'orders' | (typeof COUPON_STEPS)[number]['kind']

function sourcesFor(kind: TimelineKind | undefined): Source[] {
  if (!kind) return ['events', 'notes', 'orders', ...COUPON_STEPS.map((step) => step.kind)]
  if (kind === 'note') return ['notes']
  if (kind === 'purchase') return ['orders']
  if (COUPON_STEPS.some((step) => step.kind === kind)) return [kind as Source]
  return ['events']
}

const EVENT_KINDS: TimelineKind[] = [
  'fact_changed',
  'tags_changed',
  'remark_changed',
  'member_bound',
  'reply_sent',
  'bundle_sent',
  'bundle_opened',
]

export interface TimelineRead {
  viewerId: string
  externalUserId: string
  memberId: string | null
  kind?: TimelineKind
  cursor?: string
  limit: number
  /** Coupons not used by now have expired. */
  now: number
}

export class TimelineRepository {
  private readonly db: Trx
  private readonly kind: DbKind

  constructor(database: Db) {
    this.db = database.kysely
    this.kind = database.kind
  }

  async read(input: TimelineRead): Promise<TimelinePage> {
    const db = this.db
    // Ties in time are ordered by id as bytes, here and in JavaScript alike (PostgreSQL
    // would otherwise compare with the database's collation).
    const id = (column: string) => bytewise(this.kind, column)
    const cursor = decodeTimelineCursor(input.cursor)
    const take = input.limit + 1
    const entries: (TimelineEntry & { sortId: string; atMs: number })[] = []
    const sources = sourcesFor(input.kind)

    if (sources.includes('events')) {
      const after = afterCursor(cursor, PREFIX.event)
      let query = db
        .selectFrom('customer_events as e')
        .leftJoin('guides as g', 'g.user_id', 'e.actor_id')
        .select(['e.id', 'e.kind', 'e.actor_id', 'g.name as actor_name', 'e.occurred_at', 'e.payload'])
        .where('e.external_user_id', '=', input.externalUserId)
        .where((eb) => {
          const kinds = input.kind ? [input.kind] : EVENT_KINDS
          const shared = eb('e.kind', 'in', kinds)
          // A guide's personal tags are hers alone, and so are the events about them.
          if (!kinds.includes('tags_changed')) return shared
          return eb.or([shared, eb.and([eb('e.kind', '=', 'personal_tags_changed'), eb('e.actor_id', '=', input.viewerId)])])
        })
      if (after) query = query.where((eb) => timeCondition(eb, 'e.occurred_at', id('e.id'), after))
      const rows = await query.orderBy('e.occurred_at', 'desc').orderBy(id('e.id'), 'desc').limit(take).execute()
      for (const row of rows) {
        const payload = JSON.parse(row.payload) as Record<string, unknown>
        const at = Number(row.occurred_at)
        const kind = (row.kind === 'personal_tags_changed' ? 'tags_changed' : row.kind) as TimelineKind
        const entry: TimelineEntry & { sortId: string; atMs: number } = {
          id: `${PREFIX.event}${row.id}`,
          sortId: `${PREFIX.event}${row.id}`,
          atMs: at,
          kind,
          at: iso(at),
          actor: row.actor_id ? { userId: row.actor_id, name: row.actor_name ?? row.actor_id } : null,
        }
        if (row.kind === 'fact_changed' || row.kind === 'remark_changed') {
          entry.change = { field: String(payload.field ?? ''), from: String(payload.from ?? ''), to: String(payload.to ?? '') }
        } else if (kind === 'tags_changed') {
          entry.tags = { added: (payload.added as string[]) ?? [], removed: (payload.removed as string[]) ?? [] }
        } else if (row.kind === 'member_bound') {
          entry.member = { memberId: String(payload.memberId ?? ''), name: String(payload.name ?? '') }
        } else if (row.kind === 'reply_sent') {
          entry.reply = {
            replyId: String(payload.replyId ?? ''),
            title: String(payload.title ?? ''),
            partsSent: Number(payload.partsSent ?? 0),
            partsTotal: Number(payload.partsTotal ?? 0),
            copied: payload.copied === true,
          }
        } else if (row.kind === 'bundle_sent' || row.kind === 'bundle_opened') {
          entry.bundle = {
            bundleId: String(payload.bundleId ?? ''),
            title: String(payload.title ?? ''),
            items: Number(payload.items ?? 0),
          }
        }
        entries.push(entry)
      }
    }

    if (sources.includes('notes')) {
      const after = afterCursor(cursor, PREFIX.note)
      let query = db
        .selectFrom('customer_notes as n')
        .leftJoin('guides as g', 'g.user_id', 'n.author_id')
        .select(['n.id', 'n.author_id', 'g.name as author_name', 'n.text', 'n.next_follow_up', 'n.outcome', 'n.created_at'])
        .where('n.external_user_id', '=', input.externalUserId)
      if (after) query = query.where((eb) => timeCondition(eb, 'n.created_at', id('n.id'), after))
      const rows = await query.orderBy('n.created_at', 'desc').orderBy(id('n.id'), 'desc').limit(take).execute()
      for (const row of rows) {
        const at = Number(row.created_at)
        entries.push({
          id: `${PREFIX.note}${row.id}`,
          sortId: `${PREFIX.note}${row.id}`,
          atMs: at,
          kind: 'note',
          at: iso(at),
          actor: { userId: row.author_id, name: row.author_name ?? row.author_id },
          note: { text: row.text, nextFollowUp: row.next_follow_up, outcome: row.outcome as NoteOutcome | null },
        })
      }
    }

    if (sources.includes('orders') && input.memberId) {
      const after = afterCursor(cursor, PREFIX.order)
      let query = db
        .selectFrom('orders as o')
        .leftJoin('stores as s', 's.id', 'o.store_id')
        .select(['o.id', 'o.purchased_at', 'o.total_fen', 's.name as store_name'])
        .where('o.member_id', '=', input.memberId)
      if (after) query = query.where((eb) => timeCondition(eb, 'o.purchased_at', id('o.id'), after))
      const orders = await query.orderBy('o.purchased_at', 'desc').orderBy(id('o.id'), 'desc').limit(take).execute()
      const items = orders.length
        ? await db
            .selectFrom('order_items as i')
            .leftJoin('products as p', 'p.id', 'i.product_id')
            .select((eb) => [
              'i.order_id',
              'i.name',
              'i.returned',
              eb.fn
                .coalesce(
                  eb
                    .selectFrom('product_images as pi')
                    .select('pi.url')
                    .whereRef('pi.product_id', '=', 'i.product_id')
                    .whereRef('pi.color', '=', 'i.color')
                    .orderBy('pi.position')
                    .limit(1),
                  'p.image_url',
                )
                .as('image_url'),
            ])
            .where(
              'i.order_id',
              'in',
              orders.map((o) => o.id),
            )
            .orderBy('i.order_id')
            .orderBy('i.line_no')
            .execute()
        : []
      for (const order of orders) {
        const at = Number(order.purchased_at)
        entries.push({
          id: `${PREFIX.order}${order.id}`,
          sortId: `${PREFIX.order}${order.id}`,
          atMs: at,
          kind: 'purchase',
          at: iso(at),
          actor: null,
          purchase: {
            orderId: order.id,
            totalFen: order.total_fen,
            storeName: order.store_name,
            items: items
              .filter((i) => i.order_id === order.id)
              .map((i) => ({ name: i.name, imageUrl: i.image_url, returned: i.returned === 1 })),
          },
        })
      }
    }

    for (const step of COUPON_STEPS) {
      if (!sources.includes(step.kind)) continue
      const after = afterCursor(cursor, step.prefix)
      let query = db
        .selectFrom('coupon_issuances as ci')
        .innerJoin('coupon_templates as ct', 'ct.id', 'ci.template_id')
        .leftJoin('guides as g', 'g.user_id', 'ci.guide_id')
        .leftJoin('stores as s', 's.id', 'ci.redeemed_store_id')
        // Never the code: another guide of hers reads this too.
        .select([
          'ci.id',
          'ci.guide_id',
          'g.name as guide_name',
          's.name as store_name',
          'ct.name',
          'ct.kind',
          'ct.value',
          'ct.threshold',
          `${step.column} as at`,
        ])
        .where('ci.external_user_id', '=', input.externalUserId)
        .where(step.column, 'is not', null)
      if (step.kind === 'coupon_expired') {
        query = query.where('ci.status', 'in', ['sent', 'claimed']).where('ci.valid_until', '<', input.now)
      } else if (step.kind === 'coupon_sent') {
        // A reservation given back never reached her; one revived by a late confirm has status sent again.
        query = query.where('ci.status', '!=', 'released')
      }
      if (after) query = query.where((eb) => timeCondition(eb, step.column, id('ci.id'), after))
      const rows = await query.orderBy(step.column, 'desc').orderBy(id('ci.id'), 'desc').limit(take).execute()
      for (const row of rows) {
        const at = Number(row.at)
        entries.push({
          id: `${step.prefix}${row.id}`,
          sortId: `${step.prefix}${row.id}`,
          atMs: at,
          kind: step.kind,
          at: iso(at),
          actor: step.kind === 'coupon_sent' ? { userId: row.guide_id, name: row.guide_name ?? row.guide_id } : null,
          coupon: {
            issuanceId: row.id,
            name: row.name,
            kind: row.kind as CouponKind,
            value: row.value,
            threshold: row.threshold,
            storeName: step.kind === 'coupon_redeemed' ? row.store_name : null,
          },
        })
      }
    }

    // Ids compared as UTF-8 bytes, matching the database's ordering above.
    entries.sort((a, b) => b.atMs - a.atMs || Buffer.compare(Buffer.from(b.sortId), Buffer.from(a.sortId)))
    const page = entries.slice(0, input.limit)
    const last = page.at(-1)
    return {
      items: page.map(({ sortId: _s, atMs: _a, ...entry }) => entry),
      nextCursor: entries.length > input.limit && last ? encodeTimelineCursor({ at: last.atMs, id: last.sortId }) : null,
    }
  }
}

function timeCondition(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's builder type for two different tables
  eb: any,
  timeColumn: string,
  idColumn: RawBuilder<unknown>,
  after: AfterCursor,
) {
  if (after.sameTime === 'all') return eb(timeColumn, '<=', after.before)
  if (after.sameTime === 'none') return eb(timeColumn, '<', after.before)
  return eb.or([
    eb(timeColumn, '<', after.before),
    eb.and([eb(timeColumn, '=', after.before), eb(idColumn, '<', after.sameTime.below)]),
  ])
}
