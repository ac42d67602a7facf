import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ImportError, importText, type ImportOptions } from '../../src/server/modules/crm-import/importer'
import { DB_KINDS, createTestDb, type TestDb } from '../helpers/db'

const STORES = 'store_id,name,city\nS1,上海静安嘉里中心店,上海\nS2,杭州湖滨银泰店,杭州\n'
const MEMBERS =
  '\uFEFF会员号,姓名,手机号,会员等级,积分,所属门店,上装尺码,鞋码,风格偏好,生日\n' +
  'M1,张婷,138 0013 8000,金卡,3200,S1,M,37,通勤|度假,05-12\n' +
  'M2,李雪,13900139000,silver,800,S2,S,36,,1990-02-01\n'
const PRODUCTS =
  'product_id,style_code,name,category,price,image_url\nP1,QL26S001,双面羊毛大衣,outerwear,"2,599.00",/img/p1.png\nP2,QL26S002,真丝衬衫,上装,899,\n'
const ORDER_HEADER = 'order_id,line_no,member_id,store_id,purchased_at,name,price\n'

/** An error shaped as the database driver reports it: better-sqlite3 and pg both set `code`. */
function databaseError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code })
}

describe.each(DB_KINDS)('CRM import (%s)', (kind) => {
  let t: TestDb
  beforeEach(async () => {
    t = await createTestDb(kind)
  })
  afterEach(() => t.drop())

  const run = (what: string, text: string, options?: ImportOptions) => importText(t.db, what, text, options)
  // What the driver of this database says when another writer is in the way, or a row breaks a constraint.
  const busy = () =>
    kind === 'sqlite'
      ? databaseError('database is locked', 'SQLITE_BUSY')
      : databaseError('could not serialize access due to concurrent update', '40001')
  const constraint = () =>
    kind === 'sqlite'
      ? databaseError('FOREIGN KEY constraint failed', 'SQLITE_CONSTRAINT_FOREIGNKEY')
      : databaseError('insert or update violates foreign key constraint', '23503')

  it('imports stores, members, products and orders, and the same files again change nothing', async () => {
    expect(await run('stores', STORES)).toMatchObject({ rows: 2, inserted: 2, updated: 0, rejected: [] })
    expect(await run('members', MEMBERS)).toMatchObject({ rows: 2, inserted: 2, rejected: [] })
    expect(await run('products', PRODUCTS)).toMatchObject({ inserted: 2, rejected: [] })
    const orders =
      'order_id,line_no,member_id,store_id,purchased_at,product_id,name,color,size,quantity,price,returned\n' +
      'O1,1,M1,S1,2026-03-01 10:00,P1,双面羊毛大衣,燕麦色,M,1,2599,\n' +
      'O1,2,M1,S1,2026-03-01 10:00,P2,真丝衬衫,奶白,M,2,899,否\n' +
      'O2,1,M1,S2,2026-05-01 15:30,P2,真丝衬衫,黑色,M,1,899,是\n'
    expect(await run('orders', orders)).toMatchObject({ rows: 3, inserted: 3, updated: 0, rejected: [] })

    const member = await t.db.kysely.selectFrom('members').selectAll().where('id', '=', 'M1').executeTakeFirstOrThrow()
    expect(member).toMatchObject({
      name: '张婷',
      phone: '13800138000',
      level: 'gold',
      points: 3200,
      size_top: 'M',
      size_shoes: '37',
      birthday: '05-12',
    })
    expect(JSON.parse(member.style_preferences)).toEqual(['通勤', '度假'])
    const o1 = await t.db.kysely.selectFrom('orders').selectAll().where('id', '=', 'O1').executeTakeFirstOrThrow()
    expect(o1).toMatchObject({
      member_id: 'M1',
      store_id: 'S1',
      total_fen: 259900 + 2 * 89900,
      purchased_at: Date.UTC(2026, 2, 1, 2, 0),
    })
    const o2 = await t.db.kysely.selectFrom('orders').select('total_fen').where('id', '=', 'O2').executeTakeFirstOrThrow()
    expect(o2.total_fen).toBe(0)

    const snapshot = async () => ({
      members: await t.db.kysely.selectFrom('members').selectAll().orderBy('id').execute(),
      orders: await t.db.kysely.selectFrom('orders').selectAll().orderBy('id').execute(),
      items: await t.db.kysely.selectFrom('order_items').selectAll().orderBy('order_id').orderBy('line_no').execute(),
    })
    const before = await snapshot()
    expect(await run('orders', orders)).toMatchObject({ inserted: 0, updated: 3, rejected: [] })
    const after = await snapshot()
    expect(after.orders).toEqual(before.orders)
    expect(after.items).toEqual(before.items)
  })

  it('rejects bad rows with their line and reason, and imports the good ones', async () => {
    await run('stores', STORES)
    const report = await run(
      'members',
      'member_id,name,phone,level,store_id,birthday\n' +
        'M1,张婷,13800138000,gold,S1,05-12\n' +
        'M2,,13900139000,gold,S1,\n' +
        'M3,王芳,12345,gold,S1,\n' +
        'M4,赵敏,,钻石,S1,\n' +
        'M5,周洁,,gold,S9,\n' +
        'M1,张婷again,,gold,S1,\n' +
        'M6,吴悦,,gold,S1,02-30\n' +
        'M7,陈晴,,gold,,\n',
    )
    expect(report.inserted).toBe(2)
    expect(report.rejected).toEqual([
      { line: 3, reason: 'name is empty' },
      { line: 4, reason: 'phone "12345" is not a mobile number' },
      { line: 5, reason: expect.stringContaining('level "钻石" is not one of') },
      { line: 6, reason: 'unknown store S9' },
      { line: 7, reason: 'repeats member_id M1 from line 2' },
      { line: 8, reason: 'birthday "02-30" is not a real date' },
    ])
    const ids = (await t.db.kysely.selectFrom('members').select('id').orderBy('id').execute()).map((r) => r.id)
    expect(ids).toEqual(['M1', 'M7'])
  })

  it('never binds one WeCom customer to two members', async () => {
    await run('stores', STORES)
    await run('members', MEMBERS)
    expect(await run('customers', 'external_user_id,member_id\nwmAAAA,M1\n')).toMatchObject({ inserted: 1, rejected: [] })
    const clash = await run('customers', 'external_user_id,member_id\nwmAAAA,M2\nwmBBBB,M9\nwmCCCC,M2\n')
    expect(clash.rejected).toEqual([
      { line: 2, reason: 'external_user_id wmAAAA is already bound to member M1' },
      { line: 3, reason: 'unknown member M9' },
    ])
    const bound = await t.db.kysely.selectFrom('members').select(['id', 'external_user_id']).orderBy('id').execute()
    expect(bound).toEqual([
      { id: 'M1', external_user_id: 'wmAAAA' },
      { id: 'M2', external_user_id: 'wmCCCC' },
    ])
    const viaMembers = await run('members', 'member_id,name,external_user_id\nM2,李雪,wmAAAA\n')
    expect(viaMembers.rejected).toEqual([{ line: 2, reason: 'external_user_id wmAAAA is already bound to member M1' }])
  })

  it('keeps the guides’ search in step: a member’s phone finds the customer she is bound to, and leaves one she left', async () => {
    const db = t.db.kysely
    for (const id of ['wmAAAA', 'wmBBBB']) {
      await db
        .insertInto('wecom_customers')
        .values({
          external_user_id: id,
          name: id,
          avatar: null,
          type: 1,
          gender: 2,
          corp_name: null,
          unionid: null,
          fetched_at: 1,
          updated_at: 1,
        })
        .execute()
      await db
        .insertInto('wecom_follows')
        .values({
          external_user_id: id,
          user_id: 'g1',
          remark: '',
          description: '',
          tags: '[]',
          added_at: 1,
          add_way: 1,
          state: null,
          remark_mobiles: '[]',
          updated_at: 1,
        })
        .execute()
    }
    const phones = async () =>
      Object.fromEntries(
        (
          await db.selectFrom('wecom_follows').select(['external_user_id', 'search_phones']).orderBy('external_user_id').execute()
        ).map((r) => [r.external_user_id, r.search_phones]),
      )
    await run('stores', STORES)
    await run('members', 'member_id,name,phone,external_user_id\nM1,张婷,13800138000,wmAAAA\n')
    expect(await phones()).toEqual({ wmAAAA: '|8000|', wmBBBB: null })
    await run('members', 'member_id,name,phone\nM1,张婷,13911112222\n')
    expect((await phones()).wmAAAA).toBe('|2222|')
    await run('customers', 'external_user_id,member_id\nwmBBBB,M1\n')
    expect(await phones()).toEqual({ wmAAAA: '', wmBBBB: '|2222|' })
  })

  it('reads what a style is made of, and an empty materials cell keeps what is known', async () => {
    const withMaterials =
      'product_id,style_code,name,category,price,材质\nP1,QL26S001,双面羊毛大衣,outerwear,2599,羊毛|羊绒\nP2,QL26S002,真丝衬衫,top,899,\n'
    expect(await run('products', withMaterials)).toMatchObject({ inserted: 2, rejected: [] })
    const materials = async (id: string) =>
      JSON.parse(
        (await t.db.kysely.selectFrom('products').select('materials').where('id', '=', id).executeTakeFirstOrThrow()).materials,
      ) as string[]
    expect(await materials('P1')).toEqual(['羊毛', '羊绒'])
    expect(await materials('P2')).toEqual([])
    // A later file without the column (or with the cell empty) does not wipe them.
    expect(await run('products', PRODUCTS)).toMatchObject({ updated: 2, rejected: [] })
    expect(await materials('P1')).toEqual(['羊毛', '羊绒'])
    const tooMany = 'product_id,style_code,name,category,price,materials\nP3,QL26S003,围巾,accessory,99,a|b|c|d|e|f|g|h|i\n'
    expect((await run('products', tooMany)).rejected[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/materials/) })
  })

  it('reads a style’s season, style tags and description, each kept when a later file leaves it empty', async () => {
    const full =
      'product_id,style_code,name,category,price,季节,标签,描述\n' +
      'P1,QL26S001,双面羊毛大衣,outerwear,2599,26W,通勤|极简,落肩廓形，过膝长度\n' +
      'P2,QL26S002,真丝衬衫,top,899,26S,,\n'
    expect(await run('products', full)).toMatchObject({ inserted: 2, rejected: [] })
    const product = async (id: string) => {
      const row = await t.db.kysely
        .selectFrom('products')
        .select(['season', 'tags', 'description', 'price_fen'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      return { season: row.season, tags: JSON.parse(row.tags) as string[], description: row.description, price: row.price_fen }
    }
    expect(await product('P1')).toEqual({
      season: '26W',
      tags: ['通勤', '极简'],
      description: '落肩廓形，过膝长度',
      price: 259900,
    })
    expect(await product('P2')).toEqual({ season: '26S', tags: [], description: '', price: 89900 })
    // Prices move; what the later file does not say stays as it was.
    const later = 'product_id,style_code,name,category,price,description\nP1,QL26S001,双面羊毛大衣,outerwear,2399,\n'
    expect(await run('products', later)).toMatchObject({ updated: 1, rejected: [] })
    expect(await product('P1')).toEqual({
      season: '26W',
      tags: ['通勤', '极简'],
      description: '落肩廓形，过膝长度',
      price: 239900,
    })
    const tooLong = `product_id,style_code,name,category,price,season,tags\nP3,QL26S003,围巾,accessory,99,${'季'.repeat(21)},a\n`
    expect((await run('products', tooLong)).rejected[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/season/) })
  })

  it('checks order lines against members, stores, products and each other', async () => {
    await run('stores', STORES)
    await run('members', MEMBERS)
    await run('products', PRODUCTS)
    const report = await run(
      'orders',
      'order_id,line_no,member_id,store_id,purchased_at,product_id,name,price\n' +
        'O1,1,M1,S1,2026-03-01 10:00,P1,大衣,2599\n' +
        'O1,2,M2,S1,2026-03-01 10:00,P2,衬衫,899\n' +
        'O2,1,M9,S1,2026-03-01 10:00,,衬衫,899\n' +
        'O3,1,M1,S1,2026-03-01 10:00,P404,衬衫,899\n' +
        'O4,1,M1,S1,not a date,P2,衬衫,899\n' +
        'O5,1,M1,S1,2026-03-01 10:00,P2,衬衫,abc\n' +
        'O1,1,M1,S1,2026-03-01 10:00,P1,大衣,2599\n',
    )
    expect(report.inserted).toBe(1)
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'order O1 has a different member, store or time at line 2'],
      [4, 'unknown member M9'],
      [5, 'unknown product P404'],
      [6, 'purchased_at "not a date" is not a date and time'],
      [7, 'price "abc" is not an amount in yuan'],
      [8, 'repeats order line O1#1 from line 2'],
    ])
  })

  it('totals an order whose lines fall into different batches', async () => {
    await run('stores', STORES)
    await run('members', MEMBERS)
    const lines = ['order_id,line_no,member_id,store_id,purchased_at,name,price']
    for (let i = 1; i <= 2500; i++)
      lines.push(`O${Math.ceil(i / 3)},${((i - 1) % 3) + 1},M1,S1,2026-03-01 10:00,衬衫,${i % 2 ? 100 : 200}`)
    const report = await run('orders', `${lines.join('\n')}\n`)
    expect(report).toMatchObject({ rows: 2500, inserted: 2500, rejected: [] })
    // Lines 1000/1001 belong to order O334, split across the first batch boundary.
    const o334 = await t.db.kysely.selectFrom('orders').select('total_fen').where('id', '=', 'O334').executeTakeFirstOrThrow()
    expect(o334.total_fen).toBe((200 + 100 + 200) * 100)
    const sum = await t.db.kysely
      .selectFrom('orders')
      .select((eb) => eb.fn.sum<number | string>('total_fen').as('s'))
      .executeTakeFirstOrThrow()
    expect(Number(sum.s)).toBe(1250 * 10000 + 1250 * 20000)
  })

  it('rejects an order line disagreeing with a line of its order in an earlier batch', async () => {
    await run('stores', STORES)
    await run('members', MEMBERS)
    const report = await run(
      'orders',
      ORDER_HEADER +
        'O1,1,M1,S1,2026-03-01 10:00,大衣,2599\n' +
        'O2,1,M2,S2,2026-03-02 10:00,衬衫,899\n' +
        'O1,2,M2,S1,2026-03-01 10:00,衬衫,899\n' +
        'O1,3,M1,S2,2026-03-01 10:00,衬衫,899\n' +
        'O1,4,M1,S1,2026-03-01 11:00,衬衫,899\n' +
        'O1,5,M1,S1,2026-03-01 10:00,袜子,100\n',
      { batchSize: 2 },
    )
    expect(report).toMatchObject({ rows: 6, inserted: 3 })
    expect(report.rejected).toEqual([
      { line: 4, reason: 'order O1 has a different member, store or time at line 2' },
      { line: 5, reason: 'order O1 has a different member, store or time at line 2' },
      { line: 6, reason: 'order O1 has a different member, store or time at line 2' },
    ])
    const o1 = await t.db.kysely.selectFrom('orders').selectAll().where('id', '=', 'O1').executeTakeFirstOrThrow()
    expect(o1).toMatchObject({
      member_id: 'M1',
      store_id: 'S1',
      purchased_at: Date.UTC(2026, 2, 1, 2, 0),
      total_fen: 259900 + 10000,
    })
    const lines = await t.db.kysely
      .selectFrom('order_items')
      .select('line_no')
      .where('order_id', '=', 'O1')
      .orderBy('line_no')
      .execute()
    expect(lines.map((l) => l.line_no)).toEqual([1, 5])

    // What one file settled binds only that file: a later export may correct the order.
    const corrected = await run('orders', `${ORDER_HEADER}O1,1,M2,S2,2026-03-01 10:00,大衣,2599\n`)
    expect(corrected).toMatchObject({ updated: 1, rejected: [] })
    const moved = await t.db.kysely
      .selectFrom('orders')
      .select(['member_id', 'store_id'])
      .where('id', '=', 'O1')
      .executeTakeFirstOrThrow()
    expect(moved).toEqual({ member_id: 'M2', store_id: 'S2' })
  })

  it('gives a member one WeCom customer and a customer one member across the whole file', async () => {
    await run('stores', STORES)
    await run('members', 'member_id,name\nM1,张婷\nM2,李雪\nM3,王芳\n')
    const customers = await run(
      'customers',
      'external_user_id,member_id\n' + 'wmAAAA,M1\n' + 'wmBBBB,M2\n' + 'wmCCCC,M1\n' + 'wmDDDD,M3\n' + 'wmBBBB,M3\n',
      { batchSize: 2 },
    )
    expect(customers).toMatchObject({ inserted: 3 })
    expect(customers.rejected).toEqual([
      { line: 4, reason: 'member_id M1 is already bound to external_user_id wmAAAA at line 2' },
      { line: 6, reason: 'repeats external_user_id wmBBBB from line 3' },
    ])
    const bound = await t.db.kysely.selectFrom('members').select(['id', 'external_user_id']).orderBy('id').execute()
    expect(bound).toEqual([
      { id: 'M1', external_user_id: 'wmAAAA' },
      { id: 'M2', external_user_id: 'wmBBBB' },
      { id: 'M3', external_user_id: 'wmDDDD' },
    ])

    // Batches of two: lines 2–3, then 5–6 (line 4 never reaches a batch), then 7.
    const members = await run(
      'members',
      'member_id,name,external_user_id\n' +
        'M4,赵敏,wmEEEE\n' +
        'M5,周洁,\n' +
        'M4,赵敏again,\n' +
        'M7,吴悦,wmFFFF\n' +
        'M8,陈晴,wmFFFF\n' +
        'M6,孙莉,wmEEEE\n',
      { batchSize: 2 },
    )
    expect(members).toMatchObject({ inserted: 3 })
    expect(members.rejected).toEqual([
      { line: 4, reason: 'repeats member_id M4 from line 2' },
      { line: 6, reason: 'external_user_id wmFFFF is already given to member M7 at line 5' },
      { line: 7, reason: 'external_user_id wmEEEE is already bound to member M4' },
    ])
    const ids = (await t.db.kysely.selectFrom('members').select('id').orderBy('id').execute()).map((r) => r.id)
    expect(ids).toEqual(['M1', 'M2', 'M3', 'M4', 'M5', 'M7'])
  })

  it('writes a batch again when the database was busy, without splitting it', async () => {
    await run('stores', STORES)
    await run('members', MEMBERS)
    const batches: number[][] = []
    let failures = 1
    const report = await run(
      'orders',
      ORDER_HEADER +
        'O1,1,M1,S1,2026-03-01 10:00,大衣,2599\n' +
        'O1,2,M1,S1,2026-03-01 10:00,衬衫,899\n' +
        'O2,1,M2,S2,2026-03-02 10:00,衬衫,899\n' +
        'O2,2,M2,S2,2026-03-02 10:00,袜子,100\n',
      {
        batchSize: 2,
        afterBatchWrite: (lines) => {
          batches.push([...lines])
          if (failures-- > 0) throw busy()
        },
      },
    )
    // Nothing of the failed attempt was kept: its lines count as inserted, not updated.
    expect(report).toMatchObject({ rows: 4, inserted: 4, updated: 0, rejected: [] })
    expect(batches).toEqual([
      [2, 3],
      [2, 3],
      [4, 5],
    ])
    const totals = await t.db.kysely.selectFrom('orders').select(['id', 'total_fen']).orderBy('id').execute()
    expect(totals).toEqual([
      { id: 'O1', total_fen: 259900 + 89900 },
      { id: 'O2', total_fen: 89900 + 10000 },
    ])
  })

  it('writes row by row only a batch the database refused for a row, forgetting what the refused attempt claimed', async () => {
    await run('stores', STORES)
    await run('members', MEMBERS)
    const batches: number[][] = []
    const report = await run(
      'orders',
      ORDER_HEADER +
        'O1,1,M1,S1,2026-03-01 10:00,大衣,2599\n' +
        'O1,2,M1,S2,2026-03-01 10:00,衬衫,899\n' +
        'O1,3,M1,S1,2026-03-01 10:00,袜子,100\n' +
        'O2,1,M2,S2,2026-03-02 10:00,衬衫,899\n',
      {
        batchSize: 3,
        afterBatchWrite: (lines) => {
          batches.push([...lines])
          if (lines.includes(2)) throw constraint()
        },
      },
    )
    // Line 2 never made it, so line 3 gave O1 its header and line 4 disagrees with it.
    expect(report.rejected).toEqual([
      { line: 2, reason: expect.stringMatching(/^the database refused it: .*foreign key constraint/i) },
      { line: 4, reason: 'order O1 has a different member, store or time at line 3' },
    ])
    expect(report).toMatchObject({ inserted: 2, updated: 0 })
    expect(batches).toEqual([[2, 3, 4], [2], [3], [4], [5]])
    const o1 = await t.db.kysely
      .selectFrom('orders')
      .select(['store_id', 'total_fen'])
      .where('id', '=', 'O1')
      .executeTakeFirstOrThrow()
    expect(o1).toEqual({ store_id: 'S2', total_fen: 89900 })
  })

  it('stops on a database failure no row explains, saying from which line nothing was written', async () => {
    const stores = 'store_id,name\nS1,一店\nS2,二店\nS3,三店\nS4,四店\nS5,五店\n'
    const broken = () =>
      kind === 'sqlite' ? databaseError('disk I/O error', 'SQLITE_IOERR') : databaseError('terminating connection', '57P01')
    const stopped = await run('stores', stores, {
      batchSize: 2,
      afterBatchWrite: (lines) => {
        if (lines.includes(4)) throw broken()
      },
    }).catch((error: unknown) => error)
    expect(stopped).toBeInstanceOf(ImportError)
    const error = stopped as ImportError
    expect(error.message).toMatch(/^stopped at line 4: the database failed to write lines 4–5 \(\w+: /)
    expect(error.message).toContain('Rows before line 4 were imported (2 inserted, 0 updated, 0 rejected)')
    expect(error.report).toMatchObject({ inserted: 2, rejected: [] })
    const ids = (await t.db.kysely.selectFrom('stores').select('id').orderBy('id').execute()).map((r) => r.id)
    expect(ids).toEqual(['S1', 'S2'])

    // A database that stays busy is retried a few times, then stops the import the same way.
    let attempts = 0
    const busyAll = await run('stores', stores, {
      batchSize: 2,
      afterBatchWrite: () => {
        attempts++
        throw busy()
      },
    }).catch((e: unknown) => e)
    expect(busyAll).toBeInstanceOf(ImportError)
    expect((busyAll as ImportError).message).toMatch(/^stopped at line 2: the database was still busy after 4 attempts/)
    expect(attempts).toBe(4)
  })

  it('refuses a file without the columns it needs, or of an unknown kind, writing nothing', async () => {
    await expect(run('members', 'member_id,phone\nM1,13800138000\n')).rejects.toThrow(ImportError)
    await expect(run('members', 'member_id,phone\nM1,13800138000\n')).rejects.toThrow(/lacks name/)
    await expect(run('coupons', 'a\n1\n')).rejects.toThrow(/unknown kind/)
    await expect(run('members', '')).rejects.toThrow(/empty/)
    expect(await t.db.kysely.selectFrom('members').select('id').execute()).toEqual([])
  })

  it('keeps what came before a broken quote and says where the file broke', async () => {
    const report = await run('stores', 'store_id,name\nS1,一店\nS2,"二店\n')
    expect(report.inserted).toBe(1)
    expect(report.rejected).toEqual([{ line: 3, reason: 'a quoted field is never closed; the rest of the file was not read' }])
  })
})
