import type { Db } from '..'
import type { DemoData } from './demo-data'

/** True when the database has no guides yet: a fresh simulator install gets the demo. */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.kysely.selectFrom('guides').select('user_id').limit(1).executeTakeFirst()
  return row === undefined
}

/**
 * Write the CRM side of the demo (stores, guides, members, products, orders). WeCom's
 * side (customers, remarks, tags, groups) is not written here: it lives in the simulator
 * and reaches our database the way real WeCom data does, through the WeCom client.
 */
export async function seedDemo(db: Db, data: DemoData, now: number): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    await trx.insertInto('stores').values(data.stores).execute()
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
    await trx
      .insertInto('products')
      .values(
        data.products.map((p) => ({
          id: p.id,
          style_code: p.styleCode,
          name: p.name,
          category: p.category,
          price_fen: p.priceFen,
          image_url: p.imageUrl,
          created_at: now,
        })),
      )
      .execute()
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
    for (let i = 0; i < data.orders.length; i += 200) {
      const chunk = data.orders.slice(i, i + 200)
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
  })
}
