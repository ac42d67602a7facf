import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ImportError, importFile, importText } from '../../src/server/modules/crm-import/importer'
import { CatalogRepository } from '../../src/server/modules/catalog/catalog.repository'
import type { AppContext } from '../../src/server/context'
import type { BundlesService } from '../../src/server/modules/bundles/bundles.service'
import { SuggestionsService } from '../../src/server/modules/bundles/suggestions.service'
import type { CustomersService } from '../../src/server/modules/customers/customers.service'
import { DB_KINDS, createTestDb, type TestDb } from '../helpers/db'

const FEED = path.join(__dirname, '..', 'fixtures', 'import')
const feed = (name: string) => path.join(FEED, name)

describe.each(DB_KINDS)('CRM import of SKUs and stock (%s)', (kind) => {
  let t: TestDb
  beforeEach(async () => {
    t = await createTestDb(kind)
    for (const what of ['stores', 'products']) {
      expect((await importFile(t.db, what, feed(`${what}.csv`))).rejected).toEqual([])
    }
  })
  afterEach(() => t.drop())

  const run = (what: string, text: string) => importText(t.db, what, text)
  const stockOf = async (storeId: string) => {
    const rows = await t.db.kysely
      .selectFrom('store_stock as s')
      .innerJoin('product_skus as k', 'k.id', 's.sku_id')
      .select(['k.barcode', 's.quantity'])
      .where('s.store_id', '=', storeId)
      .execute()
    return Object.fromEntries(rows.map((r) => [r.barcode, Number(r.quantity)]))
  }
  const importFeed = async () => {
    expect(await importFile(t.db, 'skus', feed('skus.csv'))).toMatchObject({ rows: 5, inserted: 5, updated: 0, rejected: [] })
    expect(await importFile(t.db, 'stock', feed('stock.csv'))).toMatchObject({
      rows: 5,
      // S2's 0 for a SKU it never held is no change.
      inserted: 4,
      updated: 0,
      removed: 0,
      rejected: [],
    })
  }

  it('imports the example feed (Chinese headers with a BOM), and the same files again write nothing', async () => {
    await importFeed()
    const skus = await t.db.kysely.selectFrom('product_skus').selectAll().orderBy('barcode').execute()
    // A colour's swatch given on one of its sizes (as #RRGGBB, lower case or without #) serves all of them.
    expect(skus.map((k) => [k.product_id, k.color, k.color_hex, k.size, k.barcode, k.price_fen, Number(k.active)])).toEqual([
      ['P1', '燕麦色', '#d8cbb3', 'S', '6901234500011', null, 1],
      ['P1', '燕麦色', '#d8cbb3', 'M', '6901234500028', null, 1],
      ['P1', '黑色', '#1f1f1f', 'M', '6901234500035', 239900, 1],
      ['P2', '奶白', '#f3eee3', 'S', '6901234500042', null, 1],
      ['P2', '奶白', '#f3eee3', 'M', '6901234500059', null, 0],
    ])
    expect(await stockOf('S1')).toEqual({ '6901234500011': 3, '6901234500028': 1, '6901234500042': 2 })
    expect(await stockOf('S2')).toEqual({ '6901234500035': 4 })

    // What the catalogue reads: the store's stock; a SKU no longer sold is left out.
    const catalog = new CatalogRepository(t.db)
    const read = await catalog.skus(['P1', 'P2'], 'S1')
    expect(read.map((k) => `${k.productId} ${k.color} ${k.size} ${k.stock}`).sort()).toEqual([
      'P1 燕麦色 M 1',
      'P1 燕麦色 S 3',
      'P1 黑色 M 0',
      'P2 奶白 S 2',
    ])

    const version = await catalog.changeVersion('S1')
    const stockRows = await t.db.kysely.selectFrom('store_stock').selectAll().orderBy('store_id').orderBy('sku_id').execute()
    expect(await importFile(t.db, 'skus', feed('skus.csv'))).toMatchObject({ inserted: 0, updated: 0, rejected: [] })
    expect(await importFile(t.db, 'stock', feed('stock.csv'))).toMatchObject({
      inserted: 0,
      updated: 0,
      removed: 0,
      rejected: [],
    })
    expect(await t.db.kysely.selectFrom('store_stock').selectAll().orderBy('store_id').orderBy('sku_id').execute()).toEqual(
      stockRows,
    )
    // Nothing written, so cached suggestions stay good.
    expect(await catalog.changeVersion('S1')).toBe(version)
  })

  it('keys SKUs by style, colour and size: an update keeps the SKU, a barcode stays with one SKU', async () => {
    await importFeed()
    const idOf = async (barcode: string) =>
      (await t.db.kysely.selectFrom('product_skus').select('id').where('barcode', '=', barcode).executeTakeFirstOrThrow()).id
    const id = await idOf('6901234500011')
    const report = await run(
      'skus',
      'style_code,color,size,barcode,price,active\n' +
        'QL26S001,燕麦色,S,6901234599999,"1,999",no\n' +
        'QL26S404,黑色,M,6901234500066,,\n' +
        'QL26S002,奶白,S,6901234500028,,\n' +
        'QL26S002,黑色,S,12,,\n' +
        'QL26S002,黑色,M,6901234500073,abc,\n' +
        'QL26S002,黑色,L,6901234500080,,maybe\n' +
        'QL26S002,黑色,XL,6901234500097,,\n' +
        'QL26S002,黑色,XL,6901234500103,,\n' +
        'QL26S002,灰色,XL,6901234500097,,\n',
    )
    expect(report).toMatchObject({ rows: 9, inserted: 1, updated: 1 })
    expect(report.rejected).toEqual([
      { line: 3, reason: 'unknown style_code QL26S404' },
      { line: 4, reason: 'barcode 6901234500028 belongs to QL26S001 燕麦色 M' },
      { line: 5, reason: 'barcode "12" is not a barcode' },
      { line: 6, reason: 'price "abc" is not an amount in yuan' },
      { line: 7, reason: 'active "maybe" is not yes/no' },
      { line: 9, reason: 'repeats style_code + color + size QL26S002 黑色 XL from line 8' },
      { line: 10, reason: 'barcode 6901234500097 is used at line 8 too' },
    ])
    expect(await idOf('6901234599999')).toBe(id)
    const sku = await t.db.kysely.selectFrom('product_skus').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    // A file without the swatch column keeps the colour's known one.
    expect([sku.price_fen, Number(sku.active), sku.color_hex]).toEqual([199900, 0, '#d8cbb3'])
  })

  it('paints a colour from its swatch: a new size takes the known one, a new value repaints, a bad one is refused', async () => {
    await importFeed()
    const hexOf = async (barcode: string) =>
      (await t.db.kysely.selectFrom('product_skus').select('color_hex').where('barcode', '=', barcode).executeTakeFirstOrThrow())
        .color_hex
    const report = await run(
      'skus',
      'style_code,color,size,barcode,color_hex\n' +
        'QL26S001,燕麦色,L,6901234500110,\n' +
        'QL26S001,黑色,M,6901234500035,#222\n' +
        'QL26S002,奶白,L,6901234500127,white\n' +
        'QL26S002,奶白,XL,6901234500134,#12345\n',
    )
    expect(report).toMatchObject({ rows: 4, inserted: 1, updated: 1 })
    expect(report.rejected).toEqual([
      { line: 4, reason: 'color_hex "white" is not a colour like #1F1F1F' },
      { line: 5, reason: 'color_hex "#12345" is not a colour like #1F1F1F' },
    ])
    expect(await hexOf('6901234500110')).toBe('#d8cbb3')
    expect(await hexOf('6901234500035')).toBe('#222222')
  })

  it('lists a colour’s sizes small to large whatever order the file gave them in, colours as listed', async () => {
    await importFeed()
    const report = await run(
      'skus',
      'style_code,color,size,barcode\n' +
        'QL26S002,黑色,XL,6901234500141\n' +
        'QL26S002,黑色,S,6901234500158\n' +
        'QL26S002,灰色,M,6901234500172\n' +
        'QL26S002,黑色,M,6901234500165\n',
    )
    expect(report).toMatchObject({ inserted: 4, rejected: [] })
    const read = await new CatalogRepository(t.db).skus(['P2'], 'S1')
    expect(read.map((k) => `${k.color} ${k.size}`)).toEqual(['奶白 S', '黑色 S', '黑色 M', '黑色 XL', '灰色 M'])
  })

  it('a snapshot replaces the stock of the stores it names, and only those', async () => {
    await importFeed()
    const report = await run(
      'stock',
      '\uFEFF门店,条码,库存\n' + 'S1,6901234500011,5\n' + 'S1,6901234500042,lots\n' + 'S1,6901234500059,1\n',
    )
    expect(report).toMatchObject({ rows: 3, inserted: 1, updated: 1, removed: 1 })
    // A row whose quantity cannot be read is rejected, and its SKU keeps its stock.
    expect(report.rejected).toEqual([{ line: 3, reason: 'quantity "lots" is not a whole number' }])
    expect(await stockOf('S1')).toEqual({ '6901234500011': 5, '6901234500042': 2, '6901234500059': 1 })
    expect(await stockOf('S2')).toEqual({ '6901234500035': 4 })

    // A store whose rows all name SKUs unknown here keeps its stock.
    const unknown = await run('stock', 'store_id,barcode,quantity\nS2,6901234509999,1\n')
    expect(unknown).toMatchObject({ inserted: 0, updated: 0, removed: 0 })
    expect(unknown.rejected).toEqual([{ line: 2, reason: 'unknown barcode 6901234509999' }])
    expect(await stockOf('S2')).toEqual({ '6901234500035': 4 })
  })

  it('a delta file adds to what the store holds, never below 0', async () => {
    await importFeed()
    expect(await importFile(t.db, 'stock', feed('stock-delta.csv'))).toMatchObject({
      rows: 3,
      inserted: 1,
      updated: 2,
      removed: 0,
      rejected: [],
    })
    expect(await stockOf('S1')).toEqual({ '6901234500011': 3, '6901234500028': 0, '6901234500035': 2, '6901234500042': 2 })
    expect(await stockOf('S2')).toEqual({ '6901234500035': 3 })
    const clamped = await run('stock', 'store_id,style_code,color,size,delta\nS2,QL26S001,黑色,M,-10\nS2,QL26S002,奶白,S,0\n')
    expect(clamped).toMatchObject({ inserted: 0, updated: 1, removed: 0, rejected: [] })
    expect(await stockOf('S2')).toEqual({ '6901234500035': 0 })
  })

  it('rejects unknown stores and SKUs with their lines and keeps the good rows', async () => {
    await importFeed()
    const report = await run(
      'stock',
      'store_id,barcode,style_code,color,size,quantity\n' +
        'S9,6901234500011,,,,1\n' +
        'S2,6901234509999,,,,1\n' +
        'S2,,QL26S001,白色,M,1\n' +
        'S2,,QL26S001,,M,1\n' +
        'S2,6901234500011,QL26S002,奶白,S,1\n' +
        'S2,6901234500035,,,,-2\n' +
        'S2,6901234500028,,,,7\n' +
        'S2,,QL26S001,燕麦色,M,8\n',
    )
    expect(report.rejected).toEqual([
      { line: 2, reason: 'unknown store S9' },
      { line: 3, reason: 'unknown barcode 6901234509999' },
      { line: 4, reason: 'unknown SKU QL26S001 白色 M' },
      { line: 5, reason: 'give a barcode, or style_code, color and size' },
      { line: 6, reason: 'barcode 6901234500011 is QL26S001 燕麦色 S, not QL26S002 奶白 S' },
      { line: 7, reason: 'quantity must be at least 0' },
      { line: 9, reason: 'names the same SKU of store S2 as line 8' },
    ])
    expect(report).toMatchObject({ rows: 8, inserted: 1, updated: 0, removed: 0 })
    expect(await stockOf('S2')).toEqual({ '6901234500028': 7, '6901234500035': 4 })
  })

  it('refuses a header that is neither a snapshot nor a delta file, or both', async () => {
    await expect(run('stock', 'store_id,barcode\nS1,6901234500011\n')).rejects.toThrow(ImportError)
    await expect(run('stock', 'store_id,barcode,quantity,delta\nS1,6901234500011,1,1\n')).rejects.toThrow(/both quantity/)
    await expect(run('stock', 'store_id,style_code,quantity\nS1,QL26S001,1\n')).rejects.toThrow(/to name the SKU/)
  })

  it('moves the store’s change counter when its stock changes, which the suggestions’ cache reads', async () => {
    const catalog = new CatalogRepository(t.db)
    // The products imported before already moved the catalogue's counter (names and prices show in suggestions).
    const start = await catalog.changeVersion('S1')
    expect(start).not.toBe('0:0')
    await importFeed()
    const afterFeed = await catalog.changeVersion('S1')
    expect(afterFeed).not.toBe(start)
    const s2 = await catalog.changeVersion('S2')
    await run('stock', 'store_id,barcode,delta\nS1,6901234500011,1\n')
    expect(await catalog.changeVersion('S1')).not.toBe(afterFeed)
    expect(await catalog.changeVersion('S2')).toBe(s2)
  })
})

describe.each(DB_KINDS)('suggestion candidates after a stock import (%s)', (kind) => {
  let t: TestDb
  beforeEach(async () => {
    t = await createTestDb(kind)
  })
  afterEach(() => t.drop())

  it('a stock import shows in the next read, within the 60 s the candidates are kept', async () => {
    for (const what of ['stores', 'products', 'skus', 'stock']) {
      expect((await importFile(t.db, what, feed(`${what}.csv`))).rejected).toEqual([])
    }
    const now = Date.now()
    // Candidates read only the database and the clock.
    const ctx = { db: t.db, now: () => now } as unknown as AppContext
    const service = new SuggestionsService(ctx, {} as CustomersService, {} as BundlesService)
    const stockOf = async (barcode: string) => {
      const { skuById } = await service.candidates('S1')
      const id = (
        await t.db.kysely.selectFrom('product_skus').select('id').where('barcode', '=', barcode).executeTakeFirstOrThrow()
      ).id
      return skuById.get(id)?.stock
    }
    expect(await stockOf('6901234500011')).toBe(3)
    const first = await service.candidates('S1')
    expect(await service.candidates('S1')).toBe(first)
    await importText(t.db, 'stock', 'store_id,barcode,delta\nS1,6901234500011,-2\n')
    expect(await stockOf('6901234500011')).toBe(1)
    // Another store's stock leaves S1's candidates alone.
    const kept = await service.candidates('S1')
    await importText(t.db, 'stock', 'store_id,barcode,delta\nS2,6901234500011,5\n')
    expect(await service.candidates('S1')).toBe(kept)
  })
})
