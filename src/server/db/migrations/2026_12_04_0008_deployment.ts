import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'

/**
 * What a database was first used for: the simulator's demo or a real deployment. The demo
 * holds publicly documented till keys and a demo manager, so real mode must never start on
 * it, and the simulator must never seed its demo into real data.
 *
 * Databases from before this mark are recognised here by the demo's own rows: its till
 * keys (by hash), or its stores (by id and name together) with its manager. A name or an
 * id alone proves nothing (a real brand may well have a 王蕾 with the userid wanglei, or
 * a store S001), and a real deployment wrongly marked would be refused. Frozen in time: the
 * demo's values are written out rather than imported from the seed, which may change.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deployment')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('marked_at', 'bigint', (c) => c.notNull())
    .execute()

  const tillKeyHashes = ['demo-till-S001', 'demo-till-S002'].map((key) => createHash('sha256').update(key).digest('hex'))
  const tillKey = await db.selectFrom('store_api_keys').select('id').where('key_hash', 'in', tillKeyHashes).executeTakeFirst()
  const manager = await db
    .selectFrom('guides')
    .select('user_id')
    .where('user_id', '=', 'wanglei')
    .where('name', '=', '王蕾')
    .executeTakeFirst()
  const store = await db
    .selectFrom('stores')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('id', '=', 'S001'), eb('name', '=', '上海静安嘉里中心店')]),
        eb.and([eb('id', '=', 'S002'), eb('name', '=', '杭州湖滨银泰店')]),
      ]),
    )
    .executeTakeFirst()
  if (tillKey || (manager && store)) {
    // Migrations have no app clock; the time is only a note for whoever reads the row.
    await db.insertInto('deployment').values({ id: 1, kind: 'demo', marked_at: Date.now() }).execute()
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deployment').execute()
}
