import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ImportError, importText } from '../../src/server/modules/crm-import/importer'
import { DB_KINDS, createTestDb, type TestDb } from '../helpers/db'

const STORES = 'store_id,name,city\nS1,上海静安嘉里中心店,上海\nS2,杭州湖滨银泰店,杭州\n'
const MEMBERS =
  '\uFEFF会员号,姓名,手机号,会员等级,积分,所属门店,上装尺码,鞋码,风格偏好,生日\n' +
  'M1,张婷,138 0013 8000,金卡,3200,S1,M,37,通勤|度假,05-12\n' +
  'M2,李雪,13900139000,silver,800,S2,S,36,,1990-02-01\n'
const PRODUCTS =
  'product_id,style_code,name,category,price,image_url\nP1,QL26S001,双面羊毛大衣,outerwear,"2,599.00",/img/p1.png\nP2,QL26S002,真丝衬衫,上装,899,\n'

describe.each(DB_KINDS)('CRM import (%s)', (kind) => {
  let t: TestDb
  beforeEach(async () => {
    t = await createTestDb(kind)
  })
  afterEach(() => t.drop())

  const run = (what: string, text: string) => importText(t.db, what, text)

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
