import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CustomerList } from '../../src/shared/customer'
import { fillMissingSearchKeys } from '../../src/server/modules/customers/customers.repository'
import { PROFILE_STALE_MS, REFRESH_RETRY_MS } from '../../src/server/modules/customers/customers.service'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

describe.each(DB_KINDS)('GET /api/customers/:externalUserId (%s)', (kind) => {
  let t: TestApp
  let lina: string
  const followedOnlyBy = (t: TestApp, userId: string) =>
    t.demo.customers.find(
      (c) =>
        c.follows.length === 1 &&
        c.follows[0]!.userId === userId &&
        t.demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
  })
  afterAll(() => t.close())

  const get = (id: string, cookie = lina) =>
    t.app.inject({ method: 'GET', url: `/api/customers/${encodeURIComponent(id)}`, headers: { cookie } })

  it('merges WeCom data with the CRM record', async () => {
    const customer = followedOnlyBy(t, 'lina')
    const member = t.demo.members.find((m) => m.externalUserId === customer.externalUserId)!
    const follow = customer.follows[0]!
    const res = await get(customer.externalUserId)
    expect(res.statusCode).toBe(200)
    const profile = res.json()
    expect(profile).toMatchObject({
      externalUserId: customer.externalUserId,
      name: customer.name,
      avatar: customer.avatar,
      gender: customer.gender,
      type: customer.type,
      follow: {
        remark: follow.remark,
        description: follow.description,
        addedAt: new Date(follow.createtime * 1000).toISOString(),
        addWay: follow.addWay,
      },
      member: {
        memberId: member.id,
        level: member.level,
        points: member.points,
        sizes: member.sizes,
        stylePreferences: member.stylePreferences,
      },
    })
    // Company tags carry their group and id; personal tags do not.
    const corpTag = profile.follow.tags.find((tag: { type: string }) => tag.type === 'corp')
    expect(corpTag).toMatchObject({
      groupName: expect.any(String),
      name: expect.any(String),
      tagId: expect.stringMatching(/^et/),
    })
    expect(
      profile.follow.tags.filter((tag: { type: string }) => tag.type === 'personal').map((tag: { name: string }) => tag.name),
    ).toEqual(follow.personalTags)

    const orders = t.demo.orders.filter((o) => o.memberId === member.id).sort((a, b) => b.purchasedAt - a.purchasedAt)
    expect(profile.member.stats.orderCount).toBe(orders.length)
    expect(profile.member.recentPurchases).toHaveLength(Math.min(5, orders.length))
    if (orders.length) {
      const first = profile.member.recentPurchases[0]
      expect(first.orderId).toBe(orders[0]!.id)
      expect(first.items[0]).toMatchObject({
        name: orders[0]!.items[0]!.name,
        imageUrl: expect.stringMatching(/^\/media\/demo\/garment\//),
      })
    }
  })

  it('answers a revisit from the cache without asking WeCom again', async () => {
    const customer = followedOnlyBy(t, 'lina')
    const before = t.world.callCount('externalcontact/get')
    await get(customer.externalUserId)
    await get(customer.externalUserId)
    expect(t.world.callCount('externalcontact/get')).toBe(before)
  })

  it('serves a stale copy at once and refreshes it in the background', async () => {
    const customer = t.demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina'))[3]!
    await get(customer.externalUserId)
    const entry = t.world.contacts.get(customer.externalUserId)!
    const follow = entry.follows.find((f) => f.userid === 'lina')!
    const oldRemark = follow.remark
    follow.remark = '改过的备注'
    t.clock.advance(PROFILE_STALE_MS + 1000)
    const before = t.world.callCount('externalcontact/get')
    const stale = await get(customer.externalUserId)
    expect(stale.json().follow.remark).toBe(oldRemark)
    await t.ctx.background.idle()
    expect(t.world.callCount('externalcontact/get')).toBe(before + 1)
    const fresh = await get(customer.externalUserId)
    expect(fresh.json().follow.remark).toBe('改过的备注')
  })

  it('sees every change on the next read: order lines, the member record, WeCom data', async () => {
    const customer = followedOnlyBy(t, 'lina')
    const member = t.demo.members.find((m) => m.externalUserId === customer.externalUserId)!
    // Earlier tests moved the clock on: let the background refresh of her stale copy land first.
    await get(customer.externalUserId)
    await t.ctx.background.idle()
    const first = (await get(customer.externalUserId)).json()
    expect((await get(customer.externalUserId)).json()).toEqual(first)

    // A new order, written straight to the database as an import would.
    await t.testDb.db.kysely
      .insertInto('orders')
      .values({
        id: 'O-new',
        member_id: member.id,
        store_id: 'S001',
        purchased_at: t.clock.value,
        total_fen: 99900,
        created_at: t.clock.value,
      })
      .execute()
    await t.testDb.db.kysely
      .insertInto('order_items')
      .values({
        order_id: 'O-new',
        line_no: 1,
        product_id: null,
        name: '新品针织衫',
        color: '奶白',
        size: 'M',
        quantity: 1,
        price_fen: 99900,
        returned: 0,
      })
      .execute()
    const afterOrder = (await get(customer.externalUserId)).json()
    expect(afterOrder.member.stats.orderCount).toBe(first.member.stats.orderCount + 1)
    expect(afterOrder.member.recentPurchases[0].items[0].name).toBe('新品针织衫')

    // A return marked on an existing line.
    await t.testDb.db.kysely.updateTable('order_items').set({ returned: 1 }).where('order_id', '=', 'O-new').execute()
    expect((await get(customer.externalUserId)).json().member.recentPurchases[0].items[0].returned).toBe(true)

    // The member record itself.
    await t.testDb.db.kysely
      .updateTable('members')
      .set({ size_top: 'XL', updated_at: t.clock.value + 5 })
      .where('id', '=', member.id)
      .execute()
    expect((await get(customer.externalUserId)).json().member.sizes.top).toBe('XL')
  })

  it('never serves one guide’s cached profile to another', async () => {
    const shared = t.demo.customers.find(
      (c) => c.follows.some((f) => f.userId === 'lina') && c.follows.some((f) => f.userId === 'wanglei'),
    )!
    const wanglei = await signIn(t, 'wanglei')
    const asLina = (await get(shared.externalUserId)).json()
    const asWanglei = (await get(shared.externalUserId, wanglei)).json()
    // Remarks as WeCom has them now (an earlier test may have edited one).
    const remarkOf = (userId: string) =>
      t.world.contacts.get(shared.externalUserId)!.follows.find((f) => f.userid === userId)!.remark
    expect(asLina.follow.remark).toBe(remarkOf('lina'))
    expect(asLina.follow.remark).not.toBe(asWanglei.follow.remark)
    expect(asWanglei.follow.remark).toBe(remarkOf('wanglei'))
    const chenjing = await signIn(t, 'chenjing')
    expect((await get(shared.externalUserId, chenjing)).statusCode).toBe(403)
  })

  it('retries a failing background refresh at most once a minute', async () => {
    const customer = t.demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina'))[5]!
    await get(customer.externalUserId)
    t.clock.advance(PROFILE_STALE_MS + 1000)
    t.world.injectFault('externalcontact/get', 60020, 10, 'not allow to access from your ip')
    const calls = () => t.world.callCount('externalcontact/get')
    const before = calls()
    for (let i = 0; i < 3; i++) {
      expect((await get(customer.externalUserId)).statusCode).toBe(200)
      await t.ctx.background.idle()
    }
    expect(calls()).toBe(before + 1)
    t.clock.advance(REFRESH_RETRY_MS + 1)
    expect((await get(customer.externalUserId)).statusCode).toBe(200)
    await t.ctx.background.idle()
    expect(calls()).toBe(before + 2)
    t.world.clearFaults()
  })

  it('refuses a guide who does not follow the customer (403)', async () => {
    const theirs = followedOnlyBy(t, 'chenjing')
    const res = await get(theirs.externalUserId)
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ error: { code: 'forbidden' } })
    // The cached copy does not leak to her either.
    expect((await get(theirs.externalUserId)).statusCode).toBe(403)
  })

  it('lets a guide in once WeCom says she now follows the customer', async () => {
    const theirs = followedOnlyBy(t, 'chenjing')
    expect((await get(theirs.externalUserId)).statusCode).toBe(403)
    t.world.contacts.get(theirs.externalUserId)!.follows.push({
      userid: 'lina',
      remark: '新加的',
      description: '',
      createtime: Math.floor(t.clock.value / 1000),
      corpTagIds: [],
      personalTags: [],
      addWay: 1,
      state: '',
      remarkMobiles: [],
    })
    t.clock.advance(60_000)
    const res = await get(theirs.externalUserId)
    expect(res.statusCode).toBe(200)
    expect(res.json().follow.remark).toBe('新加的')
  })

  it('answers 404 for a customer WeCom does not know', async () => {
    const res = await get('wmDoesNotExist000000000000000000')
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it.each(['bad id!', 'a'.repeat(65), '../../etc/passwd', '%00', 'wm<script>'])(
    'answers 400 for the malformed id %s',
    async (id) => {
      const before = t.world.callCount('externalcontact/get')
      const res = await get(id)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'bad_request' } })
      expect(t.world.callCount('externalcontact/get')).toBe(before)
    },
  )

  it('answers 401 without a session', async () => {
    const res = await get(followedOnlyBy(t, 'lina').externalUserId, '')
    expect(res.statusCode).toBe(401)
  })

  it('returns a customer without a member record with member null', async () => {
    const unbound = t.demo.customers.find(
      (c) => c.follows.some((f) => f.userId === 'lina') && !t.demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!
    const res = await get(unbound.externalUserId)
    expect(res.statusCode).toBe(200)
    expect(res.json().member).toBeNull()
  })

  it('answers from her guide’s list, marked, when WeCom stays busy on her first open, not a crash', async () => {
    const customer = t.demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina'))[7]!
    t.world.injectFault('externalcontact/get', -1, 4, 'system busy')
    const res = await get(customer.externalUserId)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ externalUserId: customer.externalUserId, wecomStale: true })
  })
})

describe.each(DB_KINDS)('GET /api/customers (%s)', (kind) => {
  let t: TestApp
  let lina: string
  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
  })
  afterAll(() => t.close())

  const list = (query: string) => t.app.inject({ method: 'GET', url: `/api/customers${query}`, headers: { cookie: lina } })

  it('lists the guide’s own customers, newest first, page by page', async () => {
    const mine = t.demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina'))
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await list(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode).toBe(200)
      const page = res.json()
      expect(page.syncing).toBe(false)
      expect(page.total).toBe(mine.length)
      seen.push(...page.items.map((c: { externalUserId: string }) => c.externalUserId))
      cursor = page.nextCursor
    } while (cursor)
    expect(new Set(seen)).toEqual(new Set(mine.map((c) => c.externalUserId)))
    expect(seen).toHaveLength(mine.length)
    const addedAt = (id: string) =>
      mine.find((c) => c.externalUserId === id)!.follows.find((f) => f.userId === 'lina')!.createtime
    const times = seen.map(addedAt)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(t.world.callCount('externalcontact/batch/get_by_user')).toBeGreaterThan(0)
  })

  it('searches remark and WeChat name, case-insensitively, with wildcards taken literally', async () => {
    const target = t.demo.customers.find((c) => c.follows[0]!.userId === 'lina')!
    const surname = target.follows[0]!.remark.slice(0, 2)
    const res = await list(`?q=${encodeURIComponent(surname)}`)
    const ids = res.json().items.map((c: { externalUserId: string }) => c.externalUserId)
    expect(ids).toContain(target.externalUserId)
    expect((await list(`?q=${encodeURIComponent('%')}`)).json().items).toEqual([])
    const underscored = (await list(`?q=${encodeURIComponent('_')}`)).json().items as { name: string; remark: string }[]
    expect(underscored.every((c) => c.name.includes('_') || c.remark.includes('_'))).toBe(true)
  })

  it('finds her by pinyin, full or initials, and by the last four digits of her phone, page by page', async () => {
    const mine = t.demo.customers.filter((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')
    const [zhangYu, zhangYuqing, zhangYu2] = mine.map((c) => c.externalUserId)
    const write = (method: 'PATCH', url: string, payload: object) =>
      t.app.inject({ method, url, payload, headers: { cookie: lina } }).then((r) => expect(r.statusCode, r.body).toBe(200))
    await write('PATCH', `/api/customers/${zhangYu}/wecom-remark`, { remark: '张雨' })
    await write('PATCH', `/api/customers/${zhangYuqing}/wecom-remark`, { remark: '张雨晴 静安' })
    await write('PATCH', `/api/customers/${zhangYu2}/wecom-remark`, { remark: '章宇' })
    const ids = async (q: string, extra = '') => {
      const res = await list(`?q=${encodeURIComponent(q)}&limit=50${extra}`)
      expect(res.statusCode).toBe(200)
      return (res.json().items as { externalUserId: string }[]).map((c) => c.externalUserId)
    }
    for (const q of ['zhy', 'zy', 'zhangyu', 'zhang yu', 'ZhangYu', '张雨']) expect(await ids(q), q).toContain(zhangYu)
    expect(await ids('zhangyu')).toEqual(expect.arrayContaining([zhangYu, zhangYuqing, zhangYu2]))
    expect(await ids('张雨')).not.toContain(zhangYu2)
    expect(await ids('jingan')).toContain(zhangYuqing)

    // Three matches, one a page: all of them, once each, with the total.
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = (await list(`?q=zhangyu&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json() as CustomerList
      expect(page.total).toBe((await ids('zhangyu')).length)
      seen.push(...page.items.map((c) => c.externalUserId))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(await ids('zhangyu'))

    // The phone she recorded, and the CRM member's: four digits find her; three do not, and the list never shows it.
    await write('PATCH', `/api/customers/${zhangYu}/facts`, { phone: '13912347391' })
    const found = await list(`?q=7391`)
    expect(found.json().items.map((c: { externalUserId: string }) => c.externalUserId)).toContain(zhangYu)
    expect(found.body).not.toContain('1391234')
    expect(found.body).not.toMatch(/phone/i)
    expect(await ids('739')).not.toContain(zhangYu)
    const member = t.demo.members.find((m) => m.phone && mine.some((c) => c.externalUserId === m.externalUserId))!
    expect(await ids(member.phone!.slice(-4))).toContain(member.externalUserId)
  })

  it('fills the search keys of customers cached before it kept them, and finds those meanwhile by what was typed', async () => {
    const target = t.demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!
    const db = t.testDb.db.kysely
    // Her list read once (the cache filled from WeCom), her remark as a guide typed it, then
    // every key forgotten, as in a database from before the search.
    expect((await list('?limit=1')).statusCode).toBe(200)
    await db
      .updateTable('wecom_follows')
      .set({ remark: '张雨' })
      .where('external_user_id', '=', target.externalUserId)
      .where('user_id', '=', 'lina')
      .execute()
    await db.updateTable('wecom_follows').set({ search_text: null, search_phones: null }).execute()
    const name = (
      await db
        .selectFrom('wecom_customers')
        .select('name')
        .where('external_user_id', '=', target.externalUserId)
        .executeTakeFirstOrThrow()
    ).name
    const ids = async (q: string) =>
      ((await list(`?q=${encodeURIComponent(q)}&limit=50`)).json().items as { externalUserId: string }[]).map(
        (c) => c.externalUserId,
      )
    expect(await ids(name)).toContain(target.externalUserId)
    expect(await fillMissingSearchKeys(db, 7)).toBeGreaterThan(7)
    expect(await db.selectFrom('wecom_follows').select('user_id').where('search_text', 'is', null).execute()).toEqual([])
    expect(await ids(name)).toContain(target.externalUserId)
    // Her remark's pinyin is back.
    expect(await ids('zhy')).toContain(target.externalUserId)
  })

  it('refuses a cursor it did not make and a silly limit', async () => {
    expect((await list('?cursor=nonsense')).statusCode).toBe(400)
    expect((await list('?limit=0')).statusCode).toBe(400)
    expect((await list('?limit=1000')).statusCode).toBe(400)
  })
})
