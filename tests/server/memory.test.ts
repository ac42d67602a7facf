import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CustomerProfile } from '../../src/shared/customer'
import type { TimelineEntry } from '../../src/shared/memory'
import { addDays, shanghaiDate } from '../../src/shared/dates'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

describe.each(DB_KINDS)('the guide’s memory of a customer (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let chenjing: string
  let customerId: string
  let memberId: string
  let unboundId: string

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    chenjing = await signIn(t, 'chenjing')
    const customer = t.demo.customers.find(
      (c) =>
        c.follows.length === 1 &&
        c.follows[0]!.userId === 'lina' &&
        t.demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!
    customerId = customer.externalUserId
    memberId = t.demo.members.find((m) => m.externalUserId === customerId)!.id
    unboundId = t.demo.customers.find(
      (c) => c.follows.some((f) => f.userId === 'lina') && !t.demo.members.some((m) => m.externalUserId === c.externalUserId),
    )!.externalUserId
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, cookie = lina) =>
    t.app.inject({ method, url, payload: payload as object, headers: { cookie } })
  const profile = async (id = customerId) => (await call('GET', `/api/customers/${id}`)).json() as CustomerProfile
  const timeline = async (query = '') =>
    (await call('GET', `/api/customers/${customerId}/timeline${query}`)).json() as {
      items: TimelineEntry[]
      nextCursor: string | null
    }

  describe('facts', () => {
    it('starts from the member record and keeps what the guide records, with who and when', async () => {
      const member = t.demo.members.find((m) => m.id === memberId)!
      expect((await profile()).facts.sizes).toEqual(member.sizes)
      t.clock.advance(1000)
      const res = await call('PATCH', `/api/customers/${customerId}/facts`, {
        sizeShoes: '38',
        fitNotes: '脚背高，鞋要大半码',
        colorsAvoided: ['亮黄', '荧光绿'],
      })
      expect(res.statusCode).toBe(200)
      const after = res.json() as CustomerProfile
      expect(after.facts.sizes).toEqual({ ...member.sizes, shoes: '38' })
      expect(after.facts.fitNotes).toBe('脚背高，鞋要大半码')
      expect(after.facts.colorsAvoided).toEqual(['亮黄', '荧光绿'])
      expect(after.facts.edits.map((e) => e.field).sort()).toEqual(['colorsAvoided', 'fitNotes', 'sizeShoes'])
      expect(after.facts.edits[0]).toMatchObject({ byName: '李娜', at: new Date(t.clock.value).toISOString() })
      // And the cached profile sees it too.
      expect((await profile()).facts.sizes.shoes).toBe('38')
      const changes = (await timeline('?kind=fact_changed')).items
      expect(changes.find((c) => c.change?.field === 'sizeShoes')).toMatchObject({
        actor: { userId: 'lina', name: '李娜' },
        change: { from: member.sizes.shoes, to: '38' },
      })
    })

    it('clears a field for good: the CRM value does not come back', async () => {
      const res = await call('PATCH', `/api/customers/${customerId}/facts`, { sizeTop: null })
      expect((res.json() as CustomerProfile).facts.sizes.top).toBeNull()
    })

    it('masks the phone and reveals it only on request, keeping a record', async () => {
      const member = t.demo.members.find((m) => m.id === memberId)!
      const p = await profile()
      expect(p.facts.phoneMasked).toBe(`${member.phone.slice(0, 3)}****${member.phone.slice(-4)}`)
      expect(JSON.stringify(p)).not.toContain(member.phone)
      const reveal = await call('POST', `/api/customers/${customerId}/phone`)
      expect(reveal.json()).toEqual({ phone: member.phone })
      await call('PATCH', `/api/customers/${customerId}/facts`, { phone: '13911112222' })
      expect((await call('POST', `/api/customers/${customerId}/phone`)).json()).toEqual({ phone: '13911112222' })
      expect((await call('POST', `/api/customers/${customerId}/phone`, undefined, chenjing)).statusCode).toBe(403)
      const events = await t.testDb.db.kysely
        .selectFrom('customer_events')
        .select('actor_id')
        .where('kind', '=', 'phone_revealed')
        .execute()
      expect(events.length).toBeGreaterThanOrEqual(2)
    })

    it('sets a preferred store that exists, and shows its name', async () => {
      expect((await call('PATCH', `/api/customers/${customerId}/facts`, { preferredStoreId: 'S999' })).statusCode).toBe(400)
      const res = await call('PATCH', `/api/customers/${customerId}/facts`, { preferredStoreId: 'S002' })
      expect((res.json() as CustomerProfile).facts.preferredStore).toEqual({ id: 'S002', name: '杭州湖滨银泰店' })
      const cleared = await call('PATCH', `/api/customers/${customerId}/facts`, { preferredStoreId: null })
      expect(cleared.statusCode).toBe(200)
      expect((cleared.json() as CustomerProfile).facts.preferredStore).toBeNull()
    })

    it('sees an order moved to another member leave the first profile at once', async () => {
      const before = await profile()
      const order = before.member!.recentPurchases[0]!
      const other = t.demo.members.find((m) => m.id !== memberId)!
      await t.testDb.db.kysely.updateTable('orders').set({ member_id: other.id }).where('id', '=', order.orderId).execute()
      const after = await profile()
      expect(after.member!.recentPurchases.map((p) => p.orderId)).not.toContain(order.orderId)
      expect(after.member!.stats.orderCount).toBe(before.member!.stats.orderCount - 1)
      await t.testDb.db.kysely.updateTable('orders').set({ member_id: memberId }).where('id', '=', order.orderId).execute()
      expect((await profile()).member!.recentPurchases.map((p) => p.orderId)).toContain(order.orderId)
    })

    it.each([
      [{}, 'no field'],
      [{ sizeTop: 'X'.repeat(11) }, 'too long'],
      [{ birthday: '02-30x' }, 'bad birthday'],
      [{ birthday: '13-01' }, 'no month 13'],
      [{ birthday: '02-31' }, 'no 31 February'],
      [{ birthday: '2020-04-31' }, 'no 31 April'],
      [{ birthday: '2023-02-29' }, 'not a leap year'],
      [{ phone: '12345' }, 'not a mobile'],
      [{ stylePreferences: 'casual' }, 'not a list'],
      [{ shoeSize: '38' }, 'unknown field'],
    ] as [object, string][])('refuses %o (%s) with a clear 400 and changes nothing', async (body) => {
      const before = await profile()
      const res = await call('PATCH', `/api/customers/${customerId}/facts`, body)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'bad_request', message: expect.any(String) } })
      expect((await profile()).facts).toEqual(before.facts)
    })

    it('refuses a guide who does not follow the customer', async () => {
      const res = await call('PATCH', `/api/customers/${customerId}/facts`, { sizeTop: 'L' }, chenjing)
      expect(res.statusCode).toBe(403)
      expect(res.json()).toMatchObject({ error: { code: 'forbidden' } })
    })
  })

  describe('WeCom remark and tags', () => {
    it('changes the remark and description in WeCom and in the profile', async () => {
      const res = await call('PATCH', `/api/customers/${customerId}/wecom-remark`, {
        remark: '张婷 新备注',
        description: '喜欢早上到店',
      })
      expect(res.statusCode).toBe(200)
      expect((res.json() as CustomerProfile).follow).toMatchObject({ remark: '张婷 新备注', description: '喜欢早上到店' })
      const follow = t.world.contacts.get(customerId)!.follows.find((f) => f.userid === 'lina')!
      expect(follow).toMatchObject({ remark: '张婷 新备注', description: '喜欢早上到店' })
      const entry = (await timeline('?kind=remark_changed')).items.find((e) => e.change?.field === 'remark')
      expect(entry?.change?.to).toBe('张婷 新备注')
    })

    it('keeps everything as it was when WeCom refuses, and says why', async () => {
      t.world.injectFault('externalcontact/remark', 40058, 1, 'invalid parameter')
      const res = await call('PATCH', `/api/customers/${customerId}/wecom-remark`, { remark: '不会保存' })
      expect(res.statusCode).toBe(502)
      expect(res.json().error.message).toContain('40058')
      expect((await profile()).follow.remark).toBe('张婷 新备注')
      expect((await call('PATCH', `/api/customers/${customerId}/wecom-remark`, { remark: 'x'.repeat(21) })).statusCode).toBe(400)
    })

    it('lists the company’s tags and adds and removes them through WeCom', async () => {
      const groups = (await call('GET', '/api/tags')).json().groups as {
        groupId: string
        name: string
        tags: { id: string; name: string }[]
      }[]
      expect(groups.map((g) => g.name)).toEqual(t.demo.tagGroups.map((g) => g.name))
      const follow = t.world.contacts.get(customerId)!.follows.find((f) => f.userid === 'lina')!
      const current = follow.corpTagIds[0]!
      const fresh = groups.flatMap((g) => g.tags).find((tag) => !follow.corpTagIds.includes(tag.id))!
      const res = await call('POST', `/api/customers/${customerId}/tags`, { add: [fresh.id], remove: [current] })
      expect(res.statusCode).toBe(200)
      const tags = (res.json() as CustomerProfile).follow.tags.filter((tag) => tag.type === 'corp').map((tag) => tag.tagId)
      expect(tags).toContain(fresh.id)
      expect(tags).not.toContain(current)
      expect(follow.corpTagIds).toContain(fresh.id)
      expect(follow.corpTagIds).not.toContain(current)
      const entry = (await timeline('?kind=tags_changed')).items[0]!
      expect(entry.tags?.added).toEqual([fresh.name])
    })

    it('rolls nothing forward when WeCom refuses a tag change, and refuses unknown tags', async () => {
      const before = await profile()
      const anyTag = t.demo.tagGroups[0]!.tags.find((tag) => !before.follow.tags.some((x) => x.tagId === tag.id))!
      t.world.injectFault('externalcontact/mark_tag', 45009, 1, 'api freq out of limit')
      const refused = await call('POST', `/api/customers/${customerId}/tags`, { add: [anyTag.id] })
      expect(refused.statusCode).toBe(503)
      expect(refused.json()).toMatchObject({ error: { code: 'wecom_busy' } })
      // WeCom's minute block passes before the next tag change.
      t.clock.advance(60_000)
      expect((await profile()).follow.tags).toEqual(before.follow.tags)
      expect((await call('POST', `/api/customers/${customerId}/tags`, { add: ['etNoSuchTag'] })).statusCode).toBe(400)
      expect((await call('POST', `/api/customers/${customerId}/tags`, { add: [anyTag.id] }, chenjing)).statusCode).toBe(403)
    })

    it('keeps both of two tag changes made at the same moment', async () => {
      const follow = t.world.contacts.get(customerId)!.follows.find((f) => f.userid === 'lina')!
      const free = t.demo.tagGroups
        .flatMap((g) => g.tags)
        .filter((tag) => !follow.corpTagIds.includes(tag.id))
        .slice(0, 2)
      const results = await Promise.all(free.map((tag) => call('POST', `/api/customers/${customerId}/tags`, { add: [tag.id] })))
      expect(results.map((r) => r.statusCode)).toEqual([200, 200])
      const tags = (await profile()).follow.tags.map((tag) => tag.tagId)
      for (const tag of free) expect(tags).toContain(tag.id)
      await call('POST', `/api/customers/${customerId}/tags`, { remove: free.map((tag) => tag.id) })
    })

    it('keeps the guide’s personal tags in our database', async () => {
      const res = await call('POST', `/api/customers/${customerId}/personal-tags`, { add: ['爱穿裙子', '周末到店', '爱穿裙子'] })
      const mine = (res.json() as CustomerProfile).follow.tags.filter((tag) => tag.source === 'guide').map((tag) => tag.name)
      expect(mine).toEqual(['周末到店', '爱穿裙子'].sort((a, b) => mine.indexOf(a) - mine.indexOf(b)))
      const removed = await call('POST', `/api/customers/${customerId}/personal-tags`, { remove: ['爱穿裙子'] })
      expect(
        (removed.json() as CustomerProfile).follow.tags.filter((tag) => tag.source === 'guide').map((tag) => tag.name),
      ).toEqual(['周末到店'])
      expect((await call('POST', `/api/customers/${customerId}/personal-tags`, { add: [' '] })).statusCode).toBe(400)
    })

    it('keeps personal tags and their timeline entries to the guide who wrote them', async () => {
      const shared = t.demo.customers.find(
        (c) => c.follows.some((f) => f.userId === 'lina') && c.follows.some((f) => f.userId !== 'lina'),
      )!
      const otherGuide = await signIn(t, shared.follows.find((f) => f.userId !== 'lina')!.userId)
      const url = `/api/customers/${shared.externalUserId}`
      expect((await call('POST', `${url}/personal-tags`, { add: ['只看打折'] })).statusCode).toBe(200)
      const mineTimeline = (await call('GET', `${url}/timeline?kind=tags_changed`)).json() as { items: TimelineEntry[] }
      expect(mineTimeline.items[0]).toMatchObject({ kind: 'tags_changed', tags: { added: ['只看打折'], removed: [] } })
      const theirs = (await call('GET', url, undefined, otherGuide)).json() as CustomerProfile
      expect(theirs.follow.tags.map((tag) => tag.name)).not.toContain('只看打折')
      const theirTimeline = (await call('GET', `${url}/timeline`, undefined, otherGuide)).json() as { items: TimelineEntry[] }
      expect(JSON.stringify(theirTimeline.items)).not.toContain('只看打折')
    })
  })

  describe('notes, follow-ups and the timeline', () => {
    it('saves a note once however often it is sent, and turns its follow-up date into a task', async () => {
      const id = randomUUID()
      const body = { id, text: '想要一件适合通勤的大衣，预算三千', nextFollowUp: '2026-12-01', outcome: 'interested' }
      const first = await call('POST', `/api/customers/${customerId}/notes`, body)
      expect(first.statusCode).toBe(201)
      expect(first.json()).toMatchObject({
        id,
        text: body.text,
        nextFollowUp: '2026-12-01',
        outcome: 'interested',
        author: { userId: 'lina', name: '李娜' },
      })
      const again = await call('POST', `/api/customers/${customerId}/notes`, body)
      expect(again.statusCode).toBe(200)
      expect(again.json()).toEqual(first.json())
      const clash = await call('POST', `/api/customers/${customerId}/notes`, { ...body, text: '另一条' })
      expect(clash.statusCode).toBe(409)
      const count = await t.testDb.db.kysely.selectFrom('customer_notes').select('id').where('id', '=', id).execute()
      expect(count).toHaveLength(1)

      const tasks = (await call('GET', '/api/tasks')).json().items as {
        id: string
        dueDate: string
        customer: { externalUserId: string }
      }[]
      const task = tasks.find((x) => x.customer.externalUserId === customerId && x.dueDate === '2026-12-01')!
      expect(task).toBeDefined()
      expect(
        (await call('GET', '/api/tasks', undefined, chenjing)).json().items.some((x: { id: string }) => x.id === task.id),
      ).toBe(false)
      expect((await call('POST', `/api/tasks/${task.id}/complete`, undefined, chenjing)).statusCode).toBe(404)
      expect((await call('POST', `/api/tasks/${task.id}/complete`)).statusCode).toBe(204)
      expect((await call('POST', `/api/tasks/${task.id}/complete`)).statusCode).toBe(204)
      expect((await call('GET', '/api/tasks')).json().items.some((x: { id: string }) => x.id === task.id)).toBe(false)
    })

    it.each([
      [{ id: 'not-a-uuid', text: '你好' }, 'id'],
      [{ id: randomUUID(), text: '   ' }, 'blank text'],
      [{ id: randomUUID(), text: 'x'.repeat(1001) }, 'too long'],
      [{ id: randomUUID(), text: '你好', nextFollowUp: '2026-13-01' }, 'bad date'],
      [{ id: randomUUID(), text: '你好', outcome: 'maybe' }, 'bad outcome'],
    ] as [object, string][])('refuses %o (%s)', async (body) => {
      expect((await call('POST', `/api/customers/${customerId}/notes`, body)).statusCode).toBe(400)
    })

    it('refuses a follow-up date already past in China, and takes today', async () => {
      const today = shanghaiDate(t.clock.value)
      const note = (nextFollowUp: string) =>
        call('POST', `/api/customers/${customerId}/notes`, { id: randomUUID(), text: '再联系', nextFollowUp })
      const past = await note(addDays(today, -1))
      expect(past.statusCode).toBe(400)
      expect(past.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('past') } })
      expect((await note('2026-02-30')).statusCode).toBe(400)
      expect((await note(today)).statusCode).toBe(201)

      // 01:00 in Shanghai is still the evening before in UTC: the day is China's.
      const clock = t.clock.value
      t.clock.value = Date.parse(`${today}T17:00:00Z`)
      try {
        expect((await note(today)).statusCode).toBe(400)
        expect((await note(addDays(today, 1))).statusCode).toBe(201)
      } finally {
        t.clock.value = Math.max(clock, t.clock.value)
      }
    })

    it('refuses notes on another guide’s customer', async () => {
      expect(
        (await call('POST', `/api/customers/${customerId}/notes`, { id: randomUUID(), text: '你好' }, chenjing)).statusCode,
      ).toBe(403)
      expect((await call('GET', `/api/customers/${customerId}/timeline`, undefined, chenjing)).statusCode).toBe(403)
    })

    it('shows notes, changes and purchases newest first, page by page, with nothing lost or repeated', async () => {
      for (let i = 0; i < 4; i++) {
        t.clock.advance(60_000)
        await call('POST', `/api/customers/${customerId}/notes`, { id: randomUUID(), text: `第 ${i} 次跟进` })
      }
      const all: TimelineEntry[] = []
      let cursor: string | null = null
      do {
        const page = await timeline(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        all.push(...page.items)
        cursor = page.nextCursor
      } while (cursor)
      const times = all.map((e) => Date.parse(e.at))
      expect([...times].sort((a, b) => b - a)).toEqual(times)
      expect(new Set(all.map((e) => e.id)).size).toBe(all.length)
      const kinds = new Set(all.map((e) => e.kind))
      for (const k of ['note', 'fact_changed', 'tags_changed', 'remark_changed', 'purchase']) expect(kinds).toContain(k)
      const orders = t.demo.orders.filter((o) => o.memberId === memberId)
      expect(all.filter((e) => e.kind === 'purchase')).toHaveLength(orders.length)
      expect(all[0]).toMatchObject({ kind: 'note', note: { text: '第 3 次跟进' } })
      expect((await timeline('?cursor=garbage')).items).toBeUndefined()
    })
  })

  it('refuses every write to another guide’s customer with 403 and the error body', async () => {
    const writes: [string, string, unknown][] = [
      ['PATCH', `/api/customers/${customerId}/wecom-remark`, { remark: 'x' }],
      ['POST', `/api/customers/${customerId}/personal-tags`, { add: ['x'] }],
      ['POST', `/api/customers/${customerId}/member`, { memberId: memberId, phone: '13800138000' }],
      ['GET', `/api/customers/${customerId}/member-candidates?phone=13800138000`, undefined],
    ]
    for (const [method, url, body] of writes) {
      const res = await call(method as 'GET' | 'POST' | 'PATCH', url, body, chenjing)
      expect(res.statusCode, url).toBe(403)
      expect(res.json(), url).toMatchObject({ error: { code: 'forbidden', message: expect.any(String) } })
    }
    expect((await call('GET', '/api/tasks', undefined, '')).statusCode).toBe(401)
  })

  describe('binding a member', () => {
    it('finds members by phone, binds one after confirmation, and never binds her twice', async () => {
      const free = t.demo.members.find((m) => m.externalUserId === customerId)!
      // Free a member to bind: unbind her in the CRM (as an import would).
      await t.testDb.db.kysely.updateTable('members').set({ external_user_id: null }).where('id', '=', free.id).execute()
      const found = await call('GET', `/api/customers/${unboundId}/member-candidates?phone=${free.phone}`)
      expect(found.json().candidates).toEqual([
        expect.objectContaining({
          memberId: free.id,
          name: free.name,
          phoneMasked: `${free.phone.slice(0, 3)}****${free.phone.slice(-4)}`,
          boundElsewhere: false,
        }),
      ])
      expect(
        (await call('POST', `/api/customers/${unboundId}/member`, { memberId: free.id, phone: '13000000000' })).statusCode,
      ).toBe(404)
      const bound = await call('POST', `/api/customers/${unboundId}/member`, { memberId: free.id, phone: free.phone })
      expect(bound.statusCode).toBe(200)
      expect((bound.json() as CustomerProfile).member?.memberId).toBe(free.id)
      expect(
        (await call('POST', `/api/customers/${unboundId}/member`, { memberId: free.id, phone: free.phone })).statusCode,
      ).toBe(200)
      // The same member for her original customer now: refused.
      const other = await call('POST', `/api/customers/${customerId}/member`, { memberId: free.id, phone: free.phone })
      expect(other.statusCode).toBe(409)
      const candidates = (await call('GET', `/api/customers/${customerId}/member-candidates?phone=${free.phone}`)).json()
        .candidates
      // Bound to another customer now: not shown at all (issue 14; tests/server/member-candidates.test.ts).
      expect(candidates).toEqual([])
      const entry = (await call('GET', `/api/customers/${unboundId}/timeline?kind=member_bound`)).json().items[0]
      expect(entry).toMatchObject({ member: { memberId: free.id, name: free.name }, actor: { userId: 'lina' } })
      expect((await call('GET', `/api/customers/${unboundId}/member-candidates?phone=123`)).statusCode).toBe(400)
    })
  })
})
