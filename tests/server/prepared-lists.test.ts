import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inList, pairsIn } from '../../src/server/db/dialect'
import { prepareQuery } from '../../src/server/db/prepared'
import { createTestDb, DB_KINDS, type TestDb } from '../helpers/db'

/**
 * A query of lists built once (`prepareQuery` with `lists`): each list goes as one
 * parameter (a PostgreSQL array, JSON for SQLite's `json_each`), so one text answers any
 * length, and the values arrive as written whatever they hold.
 */
describe.each(DB_KINDS)('a query of lists built once (%s)', (kind) => {
  let t: TestDb
  const awkward = ['S"1', 'S\\2', "S'3", '店,4', 'S[5]', '上海 静安']

  beforeAll(async () => {
    t = await createTestDb(kind)
    await t.db.kysely
      .insertInto('stores')
      .values(awkward.map((id, i) => ({ id, name: `name${i}`, city: '上海' })))
      .execute()
  })
  afterAll(() => t.drop())

  it('finds the rows of any list, built once', async () => {
    let builds = 0
    const byIds = prepareQuery(
      t.db,
      (p: { ids: readonly string[] }) => {
        builds++
        return t.db.kysely
          .selectFrom('stores')
          .select('id')
          .where(inList(kind, 'id', p.ids))
          .orderBy('id')
      },
      { lists: { ids: 'list' } },
    )
    const ids = async (list: string[]) => (await byIds({ ids: list })).map((r) => r.id)
    expect(await ids([])).toEqual([])
    expect(await ids(['S"1'])).toEqual(['S"1'])
    expect(await ids([...awkward, 'none', 'S"1'])).toEqual(awkward.toSorted())
    expect(await ids(['S\\2', "S'3"])).toEqual(['S\\2', "S'3"].toSorted())
    expect(builds).toBe(1)
  })

  it('finds the rows of pairs, each pair as it was asked', async () => {
    const byPairs = prepareQuery(
      t.db,
      (p: { pairs: readonly (readonly [string, string])[] }) =>
        t.db.kysely
          .selectFrom('stores')
          .select('id')
          .where(pairsIn(kind, ['id', 'name'], p.pairs))
          .orderBy('id'),
      { lists: { pairs: 'pairs' } },
    )
    const ids = async (pairs: [string, string][]) => (await byPairs({ pairs })).map((r) => r.id)
    expect(await ids([])).toEqual([])
    // Each id with its own name only: a pair is not two lists.
    expect(
      await ids([
        ['S"1', 'name0'],
        ['S\\2', 'name0'],
        ['上海 静安', 'name5'],
      ]),
    ).toEqual(['S"1', '上海 静安'].toSorted())
  })

  it('reads inside a transaction what it wrote, and keeps scalars beside lists', async () => {
    const named = prepareQuery(
      t.db,
      (p: { ids: readonly string[]; city: string }) =>
        t.db.kysely
          .selectFrom('stores')
          .select('id')
          .where(inList(kind, 'id', p.ids))
          .where('city', '=', p.city),
      { lists: { ids: 'list' } },
    )
    await t.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('stores').values({ id: 'new', name: 'n', city: '杭州' }).execute()
      expect(await named({ ids: ['new', 'S"1'], city: '杭州' }, trx)).toEqual([{ id: 'new' }])
      expect(await named({ ids: ['new', 'S"1'], city: '上海' }, trx)).toEqual([{ id: 'S"1' }])
    })
  })
})
