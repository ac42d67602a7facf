import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, DB_KINDS, memberRow, type TestDb } from '../helpers/db'

/**
 * `member_order_totals` is kept by triggers on `orders` (migrations 0012 and 0026): after
 * orders are written, moved between members, changed and deleted, and in bulk, each
 * member's row must equal what summing her orders gives.
 */
describe.each(DB_KINDS)('member order totals (%s)', (kind) => {
  let t: TestDb
  beforeAll(async () => {
    t = await createTestDb(kind)
  })
  afterAll(() => t.drop())

  const db = () => t.db.kysely
  const order = (id: string, memberId: string, at: number, fen: number) => ({
    id,
    member_id: memberId,
    store_id: null,
    purchased_at: at,
    total_fen: fen,
    created_at: at,
  })
  const kept = async () =>
    (await db().selectFrom('member_order_totals').selectAll().orderBy('member_id').execute()).map((row) => ({
      member: row.member_id,
      count: Number(row.order_count),
      fen: Number(row.total_fen),
      last: Number(row.last_purchase_at),
    }))
  const summed = async () =>
    (
      await db()
        .selectFrom('orders')
        .select((eb) => [
          'member_id',
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.sum<number | string>('total_fen').as('fen'),
          eb.fn.max('purchased_at').as('last'),
        ])
        .groupBy('member_id')
        .orderBy('member_id')
        .execute()
    ).map((row) => ({ member: row.member_id, count: Number(row.n), fen: Number(row.fen), last: Number(row.last) }))

  it('follow every write of her orders', async () => {
    await db()
      .insertInto('members')
      .values([memberRow('MA'), memberRow('MB'), memberRow('MC')])
      .execute()
    await db()
      .insertInto('orders')
      .values([order('O1', 'MA', 100, 1000), order('O2', 'MA', 300, 2000), order('O3', 'MB', 200, 500)])
      .execute()
    expect(await kept()).toEqual([
      { member: 'MA', count: 2, fen: 3000, last: 300 },
      { member: 'MB', count: 1, fen: 500, last: 200 },
    ])
    // Moved to another member: both members change.
    await db().updateTable('orders').set({ member_id: 'MB' }).where('id', '=', 'O2').execute()
    expect(await kept()).toEqual(await summed())
    expect((await kept()).find((row) => row.member === 'MA')).toEqual({ member: 'MA', count: 1, fen: 1000, last: 100 })
    await db().updateTable('orders').set({ total_fen: 700, purchased_at: 50 }).where('id', '=', 'O3').execute()
    expect(await kept()).toEqual(await summed())
    await db().deleteFrom('orders').where('id', '=', 'O1').execute()
    expect(await kept()).toEqual(await summed())
    expect((await kept()).some((row) => row.member === 'MA')).toBe(false)
  })

  it('stay right through a bulk load of thousands of orders in one session', async () => {
    const members = Array.from({ length: 1500 }, (_, i) => `MX${i}`)
    for (let i = 0; i < members.length; i += 500) {
      await db()
        .insertInto('members')
        .values(members.slice(i, i + 500).map((id) => memberRow(id)))
        .execute()
      await db()
        .insertInto('orders')
        .values(
          members
            .slice(i, i + 500)
            .flatMap((id, n) => [0, 1, 2].map((o) => order(`${id}-${o}`, id, 1000 + n + o, 100 * (o + 1)))),
        )
        .execute()
    }
    const totals = await kept()
    expect(totals).toEqual(await summed())
    expect(totals.find((row) => row.member === 'MX7')).toEqual({ member: 'MX7', count: 3, fen: 600, last: 1009 })
  })
})
