import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GROUP_RECHECK_MS, GROUP_STALE_MS } from '../../src/server/modules/groups/group-chats'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

describe.each(DB_KINDS)('GET /api/groups/:chatId (%s)', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(kind)
  })
  afterAll(() => t.close())

  it('shows the group and its customers to a member of it', async () => {
    const group = t.demo.groups.find((g) => g.owner === 'wanglei')!
    const cookie = await signIn(t, 'lina')
    const res = await t.app.inject({ method: 'GET', url: `/api/groups/${group.chatId}`, headers: { cookie } })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({
      chatId: group.chatId,
      name: group.name,
      ownerUserId: 'wanglei',
      memberCount: group.staff.length + group.customers.length,
      staffCount: group.staff.length,
    })
    const ids = body.customers.map((c: { externalUserId: string }) => c.externalUserId)
    expect(new Set(ids)).toEqual(new Set(group.customers.map((c) => c.externalUserId)))
    // Hers first: the ones she can open.
    const mine = body.customers.map((c: { followedByMe: boolean }) => c.followedByMe)
    expect(mine).toEqual([...mine].sort((a: boolean, b: boolean) => Number(b) - Number(a)))
    const linas = new Set(t.demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina')).map((c) => c.externalUserId))
    for (const c of body.customers) expect(c.followedByMe).toBe(linas.has(c.externalUserId))
    for (const c of body.customers) expect(c.name).not.toBe('')
  })

  it('answers from its cache, and re-reads a stale group in the background', async () => {
    const group = t.demo.groups.find((g) => g.owner === 'wanglei')!
    const cookie = await signIn(t, 'lina')
    const get = () => t.app.inject({ method: 'GET', url: `/api/groups/${group.chatId}`, headers: { cookie } })
    await get()
    const calls = t.world.callCount('externalcontact/groupchat/get')
    await get()
    expect(t.world.callCount('externalcontact/groupchat/get')).toBe(calls)
    t.world.groups.get(group.chatId)!.name = '静安 VIP 会员群（新）'
    t.clock.advance(GROUP_STALE_MS + 1000)
    expect((await get()).json().name).toBe(group.name)
    await t.ctx.background.idle()
    expect(t.world.callCount('externalcontact/groupchat/get')).toBe(calls + 1)
    expect((await get()).json().name).toBe('静安 VIP 会员群（新）')
    t.world.groups.get(group.chatId)!.name = group.name
  })

  it('refuses a guide who is not in the group', async () => {
    const group = t.demo.groups.find((g) => g.owner === 'chenjing')!
    const cookie = await signIn(t, 'lina')
    const res = await t.app.inject({ method: 'GET', url: `/api/groups/${group.chatId}`, headers: { cookie } })
    expect(res.statusCode).toBe(403)
  })

  it('asks WeCom again before refusing a guide who may have joined since', async () => {
    const group = t.demo.groups.find((g) => g.owner === 'chenjing' && !g.staff.includes('lina'))!
    const cookie = await signIn(t, 'lina')
    const get = () => t.app.inject({ method: 'GET', url: `/api/groups/${group.chatId}`, headers: { cookie } })
    expect((await get()).statusCode).toBe(403)
    const sim = t.world.groups.get(group.chatId)!
    sim.staff.push('lina')
    // Just refused: not asked again at once, so a refusal costs WeCom nothing.
    const calls = t.world.callCount('externalcontact/groupchat/get')
    expect((await get()).statusCode).toBe(403)
    expect(t.world.callCount('externalcontact/groupchat/get')).toBe(calls)
    t.clock.advance(GROUP_RECHECK_MS + 1000)
    expect((await get()).statusCode).toBe(200)
    sim.staff.pop()
  })

  it('answers 404 for an unknown group and 400 for a malformed id', async () => {
    const cookie = await signIn(t, 'lina')
    expect((await t.app.inject({ method: 'GET', url: '/api/groups/wrNoSuchGroup', headers: { cookie } })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: '/api/groups/bad%20id', headers: { cookie } })).statusCode).toBe(400)
  })
})
