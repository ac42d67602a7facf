import { seedDemoCoupons } from './coupons'
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Db } from '../db'
import { markDeployment } from '../db/deployment'
import { lockKey, writeTransaction } from '../db/dialect'
import { imageInfo } from '../modules/media/image-info'
import type { DemoData } from './data'
import { buildDemoReplies, type DemoReplies } from './replies'
import { seedDemoTasks } from './tasks'
import type { Database } from '../db/schema'

/**
 * Held while any part of the demo is written: simulator instances starting together on one
 * database each check, under it, that the part is still missing.
 */
const DEMO_SEED_LOCK = 'demo seed'

/** Rows a statement: well under SQLite's 32766 bound parameters (and PostgreSQL's 65535). */
const CHUNK = 200

function chunks<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

/** True when the database has no guides yet: a fresh simulator install gets the demo. */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.kysely.selectFrom('guides').select('user_id').limit(1).executeTakeFirst()
  return row === undefined
}

export async function hasReplies(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('reply_groups').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}

/** True when the catalogue has SKUs: a demo database from before the catalogue has none. */
export async function hasCatalog(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('product_skus').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}

/**
 * Write the CRM side of the demo (stores, guides, catalogue, members, orders, bundles). WeCom's
 * side (customers, remarks, tags, groups) is not written here: it lives in the simulator
 * and reaches our database the way real WeCom data does, through the WeCom client.
 */
export async function seedDemo(db: Db, data: DemoData, now: number): Promise<boolean> {
  const seeded = await writeTransaction(db, async (trx) => {
    // Two simulator processes starting at once on an empty database: one seeds, the other
    // waits here and then finds the guides there.
    await lockKey(db.kind, trx, DEMO_SEED_LOCK)
    if ((await trx.selectFrom('guides').select('user_id').limit(1).executeTakeFirst()) !== undefined) return false
    // With the demo's first rows: whatever holds them is the demo, and real mode refuses it.
    await markDeployment(trx, 'demo', now)
    await trx
      .insertInto('stores')
      .values(
        data.stores.map((s) => ({
          id: s.id,
          name: s.name,
          city: s.city,
          commission_bp: s.commissionBp,
          evening_report_at: s.eveningReportAt,
          ranking_weekday: s.ranking?.weekday ?? null,
          ranking_at: s.ranking?.at ?? null,
          ranking_metric: s.ranking?.metric ?? null,
        })),
      )
      .execute()
    await trx
      .insertInto('sales_targets')
      .values(
        data.targets.map((t) => ({
          scope: t.scope,
          scope_id: t.scopeId,
          month: t.month,
          amount_fen: t.amountFen,
          updated_by: null,
          updated_at: now,
        })),
      )
      .execute()
    await trx
      .insertInto('guides')
      .values(
        data.guides.map((g) => ({
          user_id: g.userId,
          name: g.name,
          avatar: null,
          store_id: g.storeId,
          role: g.role,
          customers_synced_at: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
    await writeCatalog(trx, data, now)
    await trx
      .insertInto('members')
      .values(
        data.members.map((m) => ({
          id: m.id,
          external_user_id: m.externalUserId,
          phone: m.phone,
          name: m.name,
          level: m.level,
          points: m.points,
          store_id: m.storeId,
          size_top: m.sizes.top,
          size_bottom: m.sizes.bottom,
          size_dress: m.sizes.dress,
          size_shoes: m.sizes.shoes,
          style_preferences: JSON.stringify(m.stylePreferences),
          birthday: m.birthday,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
    const creditedTo = demoCredit(data)
    for (const chunk of chunks(data.orders)) {
      await trx
        .insertInto('orders')
        .values(
          chunk.map((o) => ({
            id: o.id,
            member_id: o.memberId,
            store_id: o.storeId,
            purchased_at: o.purchasedAt,
            total_fen: o.items.reduce((sum, item) => sum + (item.returned ? 0 : item.priceFen * item.quantity), 0),
            created_at: now,
            guide_user_id: o.guideUserId,
            credited_guide_id: creditedTo(o),
          })),
        )
        .execute()
      await trx
        .insertInto('order_items')
        .values(
          chunk.flatMap((o) =>
            o.items.map((item, line) => ({
              order_id: o.id,
              line_no: line + 1,
              product_id: item.productId,
              name: item.name,
              color: item.color,
              size: item.size,
              quantity: item.quantity,
              price_fen: item.priceFen,
              returned: item.returned ? 1 : 0,
            })),
          ),
        )
        .execute()
    }
    return true
  })
  if (!seeded) return false
  const manager = data.guides.find((g) => g.role === 'manager') ?? data.guides[0]!
  await seedDemoReplies(db, buildDemoReplies(), manager.userId, now)
  await seedDemoCoupons(db.kysely, manager.userId, now)
  await seedDemoTasks(db, data, now)
  return true
}

/**
 * Who each demo order counts for, by the rule in modules/stats/attribution.repository.ts.
 * At seed time no guide has sent or written anything yet and WeCom's follows are not in
 * the database (they arrive through the WeCom client), so the rule comes down to: the
 * CRM's seller, else her primary guide as the demo's WeCom side has her.
 */
function demoCredit(data: DemoData): (order: DemoData['orders'][number]) => string | null {
  const guides = new Set(data.guides.map((g) => g.userId))
  const customerOf = new Map(data.members.map((m) => [m.id, m.externalUserId]))
  const primaryOf = new Map(
    data.customers.map((c) => {
      const first = c.follows
        .filter((f) => guides.has(f.userId))
        .sort((a, b) => a.createtime - b.createtime || (a.userId < b.userId ? -1 : 1))[0]
      return [c.externalUserId, first?.userId ?? null]
    }),
  )
  return (order) =>
    order.guideUserId && guides.has(order.guideUserId)
      ? order.guideUserId
      : (primaryOf.get(customerOf.get(order.memberId) ?? '') ?? null)
}

/**
 * The catalogue (styles, SKUs, pictures, stock) and bundles, for a demo database from
 * before they existed. Its products table already has the old one-row-a-colour products,
 * which its orders refer to, so they stay; a style whose id is one of them takes over
 * that row and gains its season, tags and description.
 */
export async function seedDemoCatalog(db: Db, data: DemoData, now: number): Promise<void> {
  await writeTransaction(db, async (trx) => {
    await lockKey(db.kind, trx, DEMO_SEED_LOCK)
    if (await hasCatalog(trx)) return
    await writeCatalog(trx, data, now)
  })
}

async function writeCatalog(trx: Kysely<Database>, data: DemoData, now: number): Promise<void> {
  for (const chunk of chunks(data.products)) {
    await trx
      .insertInto('products')
      .values(
        chunk.map((p) => ({
          id: p.id,
          style_code: p.styleCode,
          name: p.name,
          category: p.category,
          price_fen: p.priceFen,
          image_url: p.imageUrl,
          season: p.season,
          tags: JSON.stringify(p.tags),
          description: p.description,
          materials: JSON.stringify(p.materials),
          created_at: p.createdAt,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          season: eb.ref('excluded.season'),
          tags: eb.ref('excluded.tags'),
          description: eb.ref('excluded.description'),
          materials: eb.ref('excluded.materials'),
        })),
      )
      .execute()
  }
  const skus = data.products.flatMap((p) =>
    p.skus.map((k) => ({
      id: k.id,
      product_id: p.id,
      color: k.color,
      color_hex: k.colorHex,
      size: k.size,
      position: k.position,
    })),
  )
  for (const chunk of chunks(skus)) {
    await trx
      .insertInto('product_skus')
      .values(chunk)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
  const images = data.products.flatMap((p) =>
    p.images.map((image, position) => ({ product_id: p.id, position, url: image.url, color: image.color })),
  )
  for (const chunk of chunks(images)) {
    await trx
      .insertInto('product_images')
      .values(chunk)
      .onConflict((oc) => oc.columns(['product_id', 'position']).doNothing())
      .execute()
  }
  const stock = data.products.flatMap((p) =>
    p.stock.map((s) => ({ store_id: s.storeId, sku_id: s.skuId, quantity: s.quantity, updated_at: now })),
  )
  for (const chunk of chunks(stock)) {
    await trx
      .insertInto('store_stock')
      .values(chunk)
      .onConflict((oc) => oc.columns(['store_id', 'sku_id']).doNothing())
      .execute()
  }
  for (const chunk of chunks(data.bundles)) {
    await trx
      .insertInto('bundles')
      .values(
        chunk.map((b) => ({
          id: b.id,
          scope: b.scope,
          owner_id: b.ownerId,
          title: b.title,
          note: b.note,
          items: JSON.stringify(b.items),
          position: b.position,
          retired_at: null,
          created_at: b.createdAt,
          updated_at: b.updatedAt,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
}

/** The demo's reply library: its images, groups (corporate and a guide's own) and replies. */
export async function seedDemoReplies(db: Db, library: DemoReplies, managerId: string, now: number): Promise<void> {
  await writeTransaction(db, async (trx) => {
    await lockKey(db.kind, trx, DEMO_SEED_LOCK)
    if (await hasReplies(trx)) return
    for (const asset of library.assets) {
      const info = imageInfo(asset.bytes)
      await trx
        .insertInto('media_assets')
        .values({
          id: asset.id,
          mime: info.mime,
          size: asset.bytes.length,
          width: info.width,
          height: info.height,
          sha256: createHash('sha256').update(asset.bytes).digest('hex'),
          filename: asset.filename,
          data: asset.bytes,
          created_by: managerId,
          created_at: now,
        })
        .execute()
    }
    const position = new Map<string, number>()
    const next = (key: string) => {
      const value = position.get(key) ?? 0
      position.set(key, value + 1)
      return value
    }
    const groups = [
      ...library.groups.map((g) => ({ ...g, scope: 'corp' as const, ownerId: null })),
      ...library.personalGroups.map((g) => ({ ...g, scope: 'personal' as const })),
    ]
    // Parents first: a subgroup refers to its parent.
    groups.sort((a, b) => Number(a.parentId !== null) - Number(b.parentId !== null))
    for (const g of groups) {
      await trx
        .insertInto('reply_groups')
        .values({
          id: g.id,
          scope: g.scope,
          owner_id: g.ownerId,
          parent_id: g.parentId,
          name: g.name,
          position: next(`${g.scope}:${g.ownerId ?? ''}:${g.parentId ?? ''}`),
          retired_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute()
    }
    for (let i = 0; i < library.replies.length; i += 100) {
      await trx
        .insertInto('replies')
        .values(
          library.replies.slice(i, i + 100).map((r) => ({
            id: r.id,
            scope: r.ownerId ? ('personal' as const) : ('corp' as const),
            owner_id: r.ownerId ?? null,
            group_id: r.groupId,
            title: r.title,
            parts: JSON.stringify(r.parts),
            tags: JSON.stringify(r.tags),
            stages: JSON.stringify(r.stages),
            position: next(`reply:${r.groupId}`),
            retired_at: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute()
    }
  })
}
