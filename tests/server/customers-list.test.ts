/**
 * `GET /api/customers` sliced: every filter, each sort with its paging, filters with a
 * search, the total, refusals, and another guide's customers never shown. Six customers of
 * lina's are written with known facts; the demo's customers stay around them, so each
 * check pages through the whole answer and looks at where hers land.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CustomerList, CustomerSummary } from '../../src/shared/customer'
import { couponHolders, refreshSearchKeys } from '../../src/server/modules/customers/customers.repository'
import { birthdayMonthOf } from '../../src/server/modules/customers/list-query'
import { shanghaiDate } from '../../src/shared/dates'
import { DB_KINDS } from '../helpers/db'
import { addFollowedCustomers, createTestApp, signIn, type TestApp } from '../helpers/app'
import { insertCouponTemplate } from '../helpers/world'
import { planOf } from '../helpers/plans'

const DAY = 86_400_000

describe('birthdayMonthOf', () => {
  it('reads this and next month on China’s calendar, and turns December into January', () => {
    const lateNovemberUtc = Date.UTC(2026, 10, 30, 15, 59) // 23:59 in Shanghai, still November
    expect(birthdayMonthOf('this', lateNovemberUtc)).toBe('11')
    expect(birthdayMonthOf('next', lateNovemberUtc)).toBe('12')
    expect(birthdayMonthOf('this', lateNovemberUtc + 60_000)).toBe('12') // midnight in Shanghai
    expect(birthdayMonthOf('next', lateNovemberUtc + 60_000)).toBe('01')
    expect(birthdayMonthOf('3', lateNovemberUtc)).toBe('03')
  })
})

describe.each(DB_KINDS)('GET /api/customers, sliced (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let mine: string[]
  let theirs: string[]
  let corpTagId: string
  let now: number
  const month = (offset: number) => {
    const m = ((Number(shanghaiDate(now).slice(5, 7)) - 1 + offset) % 12) + 1
    return String(m).padStart(2, '0')
  }

  beforeAll(async () => {
    t = await createTestApp(kind)
    now = t.clock.value
    lina = await signIn(t, 'lina')
    // Her list read from WeCom first, as on her first visit; then the customers of this test.
    expect((await list('?limit=1')).statusCode).toBe(200)
    mine = await addFollowedCustomers(t, 'lina', 6, 'fx')
    theirs = await addFollowedCustomers(t, 'chenjing', 2, 'ot')
    const db = t.testDb.db.kysely
    corpTagId = 'etFXVIP'
    const template = await insertCouponTemplate(t)
    const [c0, c1, c2, c3, c4, c5] = mine as [string, string, string, string, string, string]

    const follow = (id: string, set: Record<string, unknown>) =>
      db.updateTable('wecom_follows').set(set).where('external_user_id', '=', id).where('user_id', '=', 'lina').execute()
    await follow(c0, {
      remark: '筛选 顾佳',
      add_way: 1,
      tags: JSON.stringify([{ groupName: 'G', name: 'T', type: 'corp', tagId: corpTagId, source: 'wecom' }]),
    })
    await follow(c1, { remark: '筛选 许红', add_way: 3 })
    await follow(c2, {
      remark: '筛选 王漫妮',
      add_way: 1,
      tags: JSON.stringify([{ groupName: '', name: '老客户', type: 'personal', tagId: null, source: 'wecom' }]),
    })
    await follow(c3, { remark: '筛选 钟晓芹', add_way: 2 })
    await follow(c4, { remark: '其他 梁正贤', add_way: 2 })
    await follow(c5, { remark: '筛选 顾佳佳', add_way: 1 })
    await refreshSearchKeys(db, mine)

    const member = (id: string, level: string, birthday: string | null = null) => ({
      id: `M-${id}`,
      external_user_id: id,
      phone: null,
      name: id,
      level,
      points: 0,
      store_id: null,
      style_preferences: '[]',
      birthday,
      created_at: now,
      updated_at: now,
    })
    await db
      .insertInto('members')
      .values([
        member(c0, 'gold'),
        member(c1, 'silver', `1990-${month(1)}-03`),
        member(c2, 'platinum'),
        member(c3, 'normal'),
        member(c5, 'gold'),
        member(theirs[0]!, 'gold'),
      ])
      .execute()
    const order = (id: string, daysAgo: number, totalFen: number) => ({
      id: randomUUID(),
      member_id: `M-${id}`,
      store_id: null,
      purchased_at: now - daysAgo * DAY,
      total_fen: totalFen,
      created_at: now,
    })
    await db
      .insertInto('orders')
      .values([
        order(c0, 10, 50_000),
        order(c0, 100, 30_000),
        order(c1, 60, 200_000),
        order(c2, 200, 10_000),
        order(c5, 20, 80_000),
        order(theirs[0]!, 1, 900_000),
      ])
      .execute()
    // Her own birthday fact wins over the member record's; c4 is not a member at all.
    await db
      .insertInto('customer_facts')
      .values([
        { external_user_id: c0, birthday: `${month(0)}-15`, updated_at: now } as never,
        { external_user_id: c4, birthday: `${month(4)}-02`, updated_at: now } as never,
      ])
      .execute()
    await db
      .insertInto('personal_tags')
      .values({ external_user_id: c1, user_id: 'lina', name: '老客户', created_at: now })
      .execute()

    const issuance = (id: string, guide: string, status: string, validUntil: number | null) => ({
      id: randomUUID(),
      template_id: template,
      code: randomUUID().slice(0, 8),
      guide_id: guide,
      external_user_id: id,
      idempotency_key: randomUUID(),
      status: status as 'sent',
      issued_at: now - 3 * DAY,
      sent_at: guide === 'lina' ? now - 50 * DAY : now - 2 * DAY,
      valid_until: validUntil,
    })
    await db
      .insertInto('coupon_issuances')
      .values([
        issuance(c0, 'lina', 'sent', now + 5 * DAY),
        issuance(c1, 'lina', 'claimed', now - DAY), // past its end
        issuance(c2, 'lina', 'redeemed', now + 5 * DAY), // used
        issuance(c3, 'chenjing', 'claimed', null), // held, from another guide
      ])
      .execute()
    const send = (id: string, user: string, daysAgo: number) => ({
      id: randomUUID(),
      reply_id: 'r',
      user_id: user,
      external_user_id: id,
      chat_id: null,
      parts_sent: 1,
      parts_total: 1,
      edited: 0,
      sent_at: now - daysAgo * DAY,
    })
    await db
      .insertInto('reply_sends')
      .values([send(c0, 'lina', 3), send(c4, 'chenjing', 1)])
      .execute()
    await db
      .insertInto('customer_notes')
      .values({
        id: randomUUID(),
        external_user_id: c1,
        author_id: 'lina',
        text: '试穿了风衣',
        next_follow_up: null,
        outcome: null,
        created_at: now - 20 * DAY,
      })
      .execute()
    const bundle = await db.selectFrom('bundles').select('id').executeTakeFirstOrThrow()
    await db
      .insertInto('bundle_sends')
      .values({
        id: randomUUID(),
        bundle_id: bundle.id,
        guide_id: 'lina',
        external_user_id: c2,
        chat_id: null,
        status: 'sent',
        snapshot: '{}',
        created_at: now - 40 * DAY,
        sent_at: now - 40 * DAY,
        first_opened_at: null,
        last_opened_at: null,
      })
      .execute()
  })
  afterAll(() => t.close())

  function list(query: string) {
    return t.app.inject({ method: 'GET', url: `/api/customers${query}`, headers: { cookie: lina } })
  }

  /** Every page of the answer, checked: no one twice, the total right on every page. */
  async function all(query: string, limit = 100): Promise<CustomerSummary[]> {
    const items: CustomerSummary[] = []
    let cursor: string | null = null
    let total: number | null = null
    do {
      const res = await list(`?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode, res.body).toBe(200)
      const page = res.json() as CustomerList
      total ??= page.total
      expect(page.total).toBe(total)
      items.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    expect(new Set(items.map((c) => c.externalUserId)).size).toBe(items.length)
    expect(items).toHaveLength(total!)
    for (const id of theirs) expect(items.map((c) => c.externalUserId)).not.toContain(id)
    return items
  }

  /** Which of this test's customers the answer holds, in its order, by index (c0 … c5). */
  async function minePicked(query: string): Promise<number[]> {
    const ids = (await all(query)).map((c) => c.externalUserId)
    return ids.filter((id) => mine.includes(id)).map((id) => mine.indexOf(id))
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)

  it('filters by a corporate tag id, or a personal tag name (hers in the app, or from WeCom)', async () => {
    expect(await minePicked(`tag=${corpTagId}`)).toEqual([0])
    expect(sorted(await minePicked(`tag=${encodeURIComponent('老客户')}`))).toEqual([1, 2])
    expect(await minePicked(`tag=${encodeURIComponent('没有这个标签')}`)).toEqual([])
  })

  it('filters by member level, and by not being a member', async () => {
    expect(sorted(await minePicked('level=gold'))).toEqual([0, 5])
    expect(await minePicked('level=silver')).toEqual([1])
    expect(await minePicked('level=platinum')).toEqual([2])
    expect(await minePicked('level=normal')).toEqual([3])
    expect(await minePicked('level=none')).toEqual([4])
    const gold = await all('level=gold')
    expect(gold.every((c) => c.memberLevel === 'gold')).toBe(true)
  })

  it('filters by last purchase: never, within 30 or 90 days, over 180 days ago', async () => {
    expect(sorted(await minePicked('lastPurchase=never'))).toEqual([3, 4])
    expect(sorted(await minePicked('lastPurchase=within30'))).toEqual([0, 5])
    expect(sorted(await minePicked('lastPurchase=within90'))).toEqual([0, 1, 5])
    expect(await minePicked('lastPurchase=over180')).toEqual([2])
    const within30 = await all('lastPurchase=within30')
    expect(within30.every((c) => c.lastPurchaseAt && Date.parse(c.lastPurchaseAt) >= now - 30 * DAY)).toBe(true)
  })

  it('filters by her last contact with this guide: a send or a note, never another guide’s', async () => {
    expect(await minePicked('lastContact=within7')).toEqual([0])
    expect(sorted(await minePicked('lastContact=within30'))).toEqual([0, 1])
    // c2: an outfit 40 days ago, and a coupon 50 days ago.
    expect(await minePicked('lastContact=over30')).toEqual([2])
    // c4 heard from chenjing yesterday, never from lina.
    expect(sorted(await minePicked('lastContact=never'))).toEqual([3, 4, 5])
    const [c0] = (await all('lastContact=within7')).filter((c) => c.externalUserId === mine[0])
    expect(c0!.lastContactAt).toBe(new Date(now - 3 * DAY).toISOString())
  })

  it('filters by birthday month: this, next, or a month number; her own fact before the member record', async () => {
    expect(await minePicked('birthdayMonth=this')).toEqual([0])
    expect(await minePicked('birthdayMonth=next')).toEqual([1])
    expect(await minePicked(`birthdayMonth=${Number(month(4))}`)).toEqual([4])
  })

  it('filters by holding an unused coupon that has not ended, from any guide', async () => {
    expect(sorted(await minePicked('hasCoupon=true'))).toEqual([0, 3])
    expect(sorted(await minePicked('hasCoupon=false'))).toEqual([1, 2, 4, 5])
  })

  it('reads the coupon holders from the index that keeps only held coupons', async () => {
    expect(await planOf(t.testDb.db.kysely, kind, couponHolders(t.testDb.db.kysely, now))).toContain('coupon_issuances_held')
  })

  it('filters by where she came from (WeCom’s add_way)', async () => {
    expect(sorted(await minePicked('source=3'))).toEqual([1])
    expect(sorted(await minePicked('source=2'))).toEqual([3, 4])
  })

  it('combines filters with a search, and counts only what matches', async () => {
    const res = await list(`?q=${encodeURIComponent('筛选')}&level=gold&lastPurchase=within30&limit=1`)
    const page = res.json() as CustomerList
    expect(page.total).toBe(2)
    expect(page.items).toHaveLength(1)
    expect(sorted(await minePicked(`q=${encodeURIComponent('筛选')}&level=gold&lastPurchase=within30`))).toEqual([0, 5])
    // Pinyin initials of 顾佳 with a tag: only c0 has the corporate tag.
    expect(await minePicked(`q=gj&tag=${corpTagId}`)).toEqual([0])
    expect(await minePicked(`q=${encodeURIComponent('筛选')}&lastContact=never&hasCoupon=true`)).toEqual([3])
  })

  it('sorts by last purchase and by total spend, highest first, ties by id, customers without last', async () => {
    const byPurchase = await all('sort=lastPurchase')
    const purchaseKeys = byPurchase.map((c) => (c.lastPurchaseAt ? Date.parse(c.lastPurchaseAt) : 0))
    expect([...purchaseKeys].sort((a, b) => b - a)).toEqual(purchaseKeys)
    expect(await minePicked('sort=lastPurchase')).toEqual([0, 5, 1, 2, 4, 3])

    const bySpend = await all('sort=totalSpend')
    const spendKeys = bySpend.map((c) => c.totalSpendFen ?? 0)
    expect([...spendKeys].sort((a, b) => b - a)).toEqual(spendKeys)
    // c0 and c5 both spent 800 元: the higher id first.
    expect(await minePicked('sort=totalSpend')).toEqual([1, 5, 0, 2, 4, 3])
    const [c0] = bySpend.filter((c) => c.externalUserId === mine[0])
    expect(c0).toMatchObject({ totalSpendFen: 80_000, lastPurchaseAt: new Date(now - 10 * DAY).toISOString() })
    expect(bySpend.find((c) => c.externalUserId === mine[4])!.totalSpendFen).toBeNull()
    expect(bySpend.find((c) => c.externalUserId === mine[3])!.totalSpendFen).toBe(0)
  })

  it('pages every sort by cursor without gaps or repeats, in the order of one long page', async () => {
    for (const sort of ['added', 'lastPurchase', 'totalSpend']) {
      const long = (await all(`sort=${sort}`, 100)).map((c) => c.externalUserId)
      const paged = (await all(`sort=${sort}`, 7)).map((c) => c.externalUserId)
      expect(paged, sort).toEqual(long)
    }
    // Filtered, a page at a time.
    const filtered = (await all('level=gold&sort=totalSpend', 1)).map((c) => c.externalUserId)
    expect(filtered).toEqual((await all('level=gold&sort=totalSpend')).map((c) => c.externalUserId))
  })

  it('keeps the sums right when orders change (import, returns, a move to another member)', async () => {
    const db = t.testDb.db.kysely
    const c2 = mine[2]!
    const spent = async () => (await all('sort=totalSpend')).find((c) => c.externalUserId === c2)!.totalSpendFen
    expect(await spent()).toBe(10_000)
    const orderId = randomUUID()
    await db
      .insertInto('orders')
      .values({ id: orderId, member_id: `M-${c2}`, store_id: null, purchased_at: now - DAY, total_fen: 5_000, created_at: now })
      .execute()
    expect(await spent()).toBe(15_000)
    await db.updateTable('orders').set({ total_fen: 7_000 }).where('id', '=', orderId).execute()
    expect(await spent()).toBe(17_000)
    await db
      .updateTable('orders')
      .set({ member_id: `M-${mine[3]}` })
      .where('id', '=', orderId)
      .execute()
    expect(await spent()).toBe(10_000)
    expect(await minePicked('lastPurchase=within30')).toEqual(expect.arrayContaining([3]))
    await db.deleteFrom('orders').where('id', '=', orderId).execute()
    expect(await minePicked('lastPurchase=never')).toEqual(expect.arrayContaining([3]))
  })

  it('refuses bad values with a message that names them, and a cursor from another sort', async () => {
    for (const query of [
      'level=diamond',
      'lastPurchase=soon',
      'lastContact=yesterday',
      'birthdayMonth=13',
      'birthdayMonth=0',
      'birthdayMonth=later',
      'hasCoupon=maybe',
      'source=-1',
      'source=qr',
      'sort=name',
      'tag=',
    ]) {
      const res = await list(`?${query}`)
      expect(res.statusCode, query).toBe(400)
      expect(res.json().error.message, query).toContain(query.split('=')[0])
    }
    const first = (await list('?sort=totalSpend&limit=2')).json() as CustomerList
    const wrong = await list(`?sort=lastPurchase&cursor=${first.nextCursor}`)
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error.message).toContain('sort')
    // Without sort the order is `added`: a totalSpend cursor is refused there too.
    expect((await list(`?cursor=${first.nextCursor}`)).statusCode).toBe(400)
    expect((await list(`?sort=totalSpend&cursor=${first.nextCursor}`)).statusCode).toBe(200)
  })

  it('never lists another guide’s customers, whatever the filter', async () => {
    for (const query of ['', 'level=gold', 'sort=totalSpend', 'lastPurchase=within30', 'q=' + encodeURIComponent('客户')]) {
      const ids = (await all(query)).map((c) => c.externalUserId)
      for (const id of theirs) expect(ids, query).not.toContain(id)
    }
  })
})
