import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { ResyncService } from '../../src/server/modules/callbacks/resync.service'
import { markGuideDeparted } from '../../src/server/modules/guides/departure'
import { GuidesRepository } from '../../src/server/modules/guides/guides.repository'
import { TransfersService } from '../../src/server/modules/callbacks/transfers.service'
import { DB_KINDS } from '../helpers/db'
import { addFollowedCustomers, createTestApp, signIn, type TestApp } from '../helpers/app'
import { addWorldCustomer, insertCouponTemplate } from '../helpers/world'

const seconds = (ms: number) => Math.floor(ms / 1000)

describe.each(DB_KINDS)('WeCom resync (%s)', (kind) => {
  let t: TestApp
  let resync: ResyncService
  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real' })
    resync = new ResyncService(t.ctx, new TransfersService(t.ctx), { pauseMs: 0 })
  })
  afterAll(() => t.close())
  const db = () => t.testDb.db.kysely
  const followsOf = async (userId: string) =>
    (await db().selectFrom('wecom_follows').select('external_user_id').where('user_id', '=', userId).execute())
      .map((r) => r.external_user_id)
      .sort()

  it('reads a guide’s customers on her first sign-in, in the background', async () => {
    const guide = await db()
      .selectFrom('guides')
      .select('customers_synced_at')
      .where('user_id', '=', 'chenjing')
      .executeTakeFirstOrThrow()
    expect(guide.customers_synced_at).toBeNull()
    const calls = t.world.callCount('externalcontact/batch/get_by_user')
    await signIn(t, 'chenjing')
    await t.ctx.background.idle()
    expect(t.world.callCount('externalcontact/batch/get_by_user')).toBeGreaterThan(calls)
    const after = await db()
      .selectFrom('guides')
      .select('customers_synced_at')
      .where('user_id', '=', 'chenjing')
      .executeTakeFirstOrThrow()
    expect(after.customers_synced_at).toBe(t.clock.value)
    const expected = t.world.customersOf('chenjing').map((c) => c.contact.external_userid)
    expect(await followsOf('chenjing')).toEqual([...expected].sort())
    // A later sign-in does not read them again.
    const synced = t.world.callCount('externalcontact/batch/get_by_user')
    await signIn(t, 'chenjing')
    await t.ctx.background.idle()
    expect(t.world.callCount('externalcontact/batch/get_by_user')).toBe(synced)
  })

  it('pages through 100 customers at a time, saving every one', async () => {
    const now = seconds(t.clock.value)
    for (let i = 0; i < 230; i++) {
      const id = `wmrs${String(i).padStart(4, '0')}`
      addWorldCustomer(t, id, [{ userId: 'lina', createtime: now - i }], `备注${id.slice(-3)}`)
    }
    const calls = t.world.callCount('externalcontact/batch/get_by_user')
    await resync.resyncGuide('lina')
    const total = t.world.customersOf('lina').length
    expect(t.world.callCount('externalcontact/batch/get_by_user') - calls).toBe(Math.ceil(total / 100))
    expect(await followsOf('lina')).toEqual(
      t.world
        .customersOf('lina')
        .map((c) => c.contact.external_userid)
        .sort(),
    )
  })

  it('pauses between pages when asked (the nightly run)', async () => {
    const paced = new ResyncService(t.ctx, new TransfersService(t.ctx), { pauseMs: 40 })
    const started = performance.now()
    await paced.resyncGuide('lina')
    // Three pages, two pauses.
    expect(performance.now() - started).toBeGreaterThanOrEqual(75)
  })

  it('marks follows WeCom no longer lists as ended, keeping the customer', async () => {
    const gone = 'wmrs0007'
    t.world.contacts.delete(gone)
    t.clock.advance(60_000)
    await resync.resyncGuide('lina')
    expect(await followsOf('lina')).not.toContain(gone)
    const end = await db()
      .selectFrom('wecom_follow_ends')
      .selectAll()
      .where('external_user_id', '=', gone)
      .executeTakeFirstOrThrow()
    expect(end).toMatchObject({ user_id: 'lina', reason: 'lost' })
    expect(Number(end.ended_at)).toBe(t.clock.value)
    expect(
      await db().selectFrom('wecom_customers').select('name').where('external_user_id', '=', gone).executeTakeFirst(),
    ).toBeTruthy()
  })

  it('notices a handover in the nightly run and moves the customer’s records, once', async () => {
    const id = 'wmrs0011'
    await db()
      .insertInto('customer_notes')
      .values({
        id: 'n-rs',
        external_user_id: id,
        author_id: 'lina',
        text: '爱穿裙子',
        next_follow_up: null,
        outcome: null,
        created_at: t.clock.value,
      })
      .execute()
    await db()
      .insertInto('personal_tags')
      .values({ external_user_id: id, user_id: 'lina', name: '老顾客', created_at: t.clock.value })
      .execute()
    t.clock.advance(24 * 3600_000)
    addWorldCustomer(t, id, [{ userId: 'chenjing', createtime: seconds(t.clock.value) - 3600 }], `备注${id.slice(-3)}`)

    // Each guide in turn, as the nightly run does: chenjing first (she gains her), then lina (she loses her).
    const result = await resync.resyncAll()
    expect(result.failed).toBe(0)
    expect(result.guides).toBeGreaterThanOrEqual(3)
    const note = await db().selectFrom('customer_notes').select('author_id').where('id', '=', 'n-rs').executeTakeFirstOrThrow()
    expect(note.author_id).toBe('chenjing')
    const tags = await db().selectFrom('personal_tags').select(['user_id', 'name']).where('external_user_id', '=', id).execute()
    expect(tags).toEqual([{ user_id: 'chenjing', name: '老顾客' }])
    const end = await db()
      .selectFrom('wecom_follow_ends')
      .selectAll()
      .where('external_user_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(end).toMatchObject({ user_id: 'lina', reason: 'transferred', transferred_to: 'chenjing' })
    const events = await db()
      .selectFrom('customer_events')
      .select('payload')
      .where('kind', '=', 'customer_transferred')
      .where('external_user_id', '=', id)
      .execute()
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([
      { from: 'lina', to: 'chenjing', notes: 1, tasks: 0, coupons: 0, personalTags: 1 },
    ])
    await resync.resyncAll()
    expect(
      await db()
        .selectFrom('customer_events')
        .select('id')
        .where('kind', '=', 'customer_transferred')
        .where('external_user_id', '=', id)
        .execute(),
    ).toHaveLength(1)
  })

  it('does not take a customer who deleted her guide as a handover', async () => {
    const id = 'wmrs0012'
    await db()
      .insertInto('customer_notes')
      .values({
        id: 'n-rs2',
        external_user_id: id,
        author_id: 'lina',
        text: '只买黑色',
        next_follow_up: null,
        outcome: null,
        created_at: t.clock.value,
      })
      .execute()
    await t.ctx.db.kysely
      .insertInto('wecom_follow_ends')
      .values({
        external_user_id: id,
        user_id: 'lina',
        ended_at: t.clock.value,
        reason: 'customer_deleted',
        transferred_to: null,
        transferred_at: null,
      })
      .execute()
    await db().deleteFrom('wecom_follows').where('external_user_id', '=', id).where('user_id', '=', 'lina').execute()
    t.world.contacts.get(id)!.follows = []
    addWorldCustomer(t, id, [{ userId: 'chenjing', createtime: seconds(t.clock.value) }], `备注${id.slice(-3)}`)
    await resync.resyncAll()
    const note = await db().selectFrom('customer_notes').select('author_id').where('id', '=', 'n-rs2').executeTakeFirstOrThrow()
    expect(note.author_id).toBe('lina')
  })

  it('runs on a timer when the app is asked to, reading every guide’s list from WeCom', async () => {
    const timed = await createTestApp(kind, { mode: 'real', wecomResyncMs: 20 })
    try {
      const guides = await timed.testDb.db.kysely.selectFrom('guides').select('user_id').execute()
      expect(guides.length).toBeGreaterThan(1)
      const deadline = Date.now() + 5_000
      while (Date.now() < deadline && timed.world.callCount('externalcontact/batch/get_by_user') < guides.length) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(timed.world.callCount('externalcontact/batch/get_by_user')).toBeGreaterThanOrEqual(guides.length)
      await timed.ctx.background.idle()
      const synced = await timed.testDb.db.kysely
        .selectFrom('guides')
        .select('customers_synced_at')
        .where('customers_synced_at', 'is', null)
        .execute()
      expect(synced).toEqual([])
    } finally {
      await timed.close()
    }
  })

  it('keeps going when one guide fails, and stops when the server shuts down', async () => {
    t.world.injectFault('externalcontact/batch/get_by_user', 60011, 1)
    const result = await resync.resyncAll()
    expect(result.failed).toBe(1)
    const stopping = new ResyncService(t.ctx, new TransfersService(t.ctx), { pauseMs: 0 })
    stopping.stop()
    const calls = t.world.callCount('externalcontact/batch/get_by_user')
    await stopping.resyncAll()
    expect(t.world.callCount('externalcontact/batch/get_by_user')).toBe(calls)
  })

  /** A note, an open task, an unused coupon and a personal tag of `guide` about `id`. */
  async function recordsOf(guide: string, id: string): Promise<void> {
    const now = t.clock.value
    await db()
      .insertInto('customer_notes')
      .values({
        id: `n-${id}`,
        external_user_id: id,
        author_id: guide,
        text: '只穿棉麻',
        next_follow_up: null,
        outcome: null,
        created_at: now,
      })
      .execute()
    await db()
      .insertInto('tasks')
      .values({
        id: `t-${id}`,
        guide_id: guide,
        external_user_id: id,
        kind: 'follow_up',
        due_date: '2026-11-30',
        note_id: null,
        title: '回访',
        done_at: null,
        created_at: now,
        status: 'todo',
        reason: '',
        skip_reason: null,
        payload: null,
        campaign_id: null,
      })
      .execute()
    await db()
      .insertInto('coupon_issuances')
      .values({
        id: `ci-${id}`,
        template_id: await insertCouponTemplate(t),
        code: `CI${id.slice(-6).toUpperCase()}`,
        guide_id: guide,
        external_user_id: id,
        idempotency_key: randomUUID(),
        status: 'sent',
        reserved_until: null,
        issued_at: now,
        sent_at: now,
        claimed_at: null,
        redeemed_at: null,
        redeemed_store_id: null,
        released_at: null,
        release_reason: null,
        valid_from: now,
        valid_until: now + 30 * 86_400_000,
        order_id: null,
      })
      .execute()
    await db()
      .insertInto('personal_tags')
      .values({ external_user_id: id, user_id: guide, name: '棉麻控', created_at: now })
      .execute()
  }
  const holderOf = async (id: string) => ({
    note: (await db().selectFrom('customer_notes').select('author_id').where('id', '=', `n-${id}`).executeTakeFirstOrThrow())
      .author_id,
    task: (await db().selectFrom('tasks').select('guide_id').where('id', '=', `t-${id}`).executeTakeFirstOrThrow()).guide_id,
    coupon: (await db().selectFrom('coupon_issuances').select('guide_id').where('id', '=', `ci-${id}`).executeTakeFirstOrThrow())
      .guide_id,
    tags: (await db().selectFrom('personal_tags').select('user_id').where('external_user_id', '=', id).execute()).map(
      (r) => r.user_id,
    ),
  })
  const followersOf = async (id: string) =>
    (await db().selectFrom('wecom_follows').select('user_id').where('external_user_id', '=', id).execute())
      .map((r) => r.user_id)
      .sort()

  it('hands a departed guide’s customer over when she turns up in another guide’s list (离职继承)', async () => {
    await new GuidesRepository(t.testDb.db).upsert({ userId: 'gone01', name: '离职导购', avatar: null, now: t.clock.value })
    const [id] = await addFollowedCustomers(t, 'gone01', 1, 'gone')
    await recordsOf('gone01', id!)
    t.clock.advance(3600_000)
    await markGuideDeparted(db(), 'gone01', t.clock.value)
    // WeCom assigns her to chenjing a day later; WeCom never lists her to the departed guide again.
    t.clock.advance(24 * 3600_000)
    addWorldCustomer(t, id!, [{ userId: 'chenjing', createtime: seconds(t.clock.value) - 600 }])

    const result = await resync.resyncAll()
    expect(result.failed).toBe(0)
    expect(await holderOf(id!)).toEqual({ note: 'chenjing', task: 'chenjing', coupon: 'chenjing', tags: ['chenjing'] })
    expect(await followersOf(id!)).toEqual(['chenjing'])
    const end = await db()
      .selectFrom('wecom_follow_ends')
      .selectAll()
      .where('external_user_id', '=', id!)
      .executeTakeFirstOrThrow()
    expect(end).toMatchObject({ user_id: 'gone01', reason: 'transferred', transferred_to: 'chenjing' })
    // Once: the next run finds nothing left to move.
    await resync.resyncAll()
    const moves = await db()
      .selectFrom('customer_events')
      .select('payload')
      .where('kind', '=', 'customer_transferred')
      .where('external_user_id', '=', id!)
      .execute()
    expect(moves.map((m) => JSON.parse(m.payload))).toEqual([
      { from: 'gone01', to: 'chenjing', notes: 1, tasks: 1, coupons: 1, personalTags: 1 },
    ])
  })

  it('moves nothing when both guides of a customer are still employed, or her second guide had her before the departure', async () => {
    // Two employed guides: lina has her, chenjing added her today. A customer may have two guides.
    const shared = 'wmrs0020'
    await recordsOf('lina', shared)
    addWorldCustomer(t, shared, [
      { userId: 'lina', createtime: seconds(t.clock.value) - 30 * 86400 },
      { userId: 'chenjing', createtime: seconds(t.clock.value) - 600 },
    ])
    await resync.resyncAll()
    expect(await followersOf(shared)).toEqual(['chenjing', 'lina'])
    expect(await holderOf(shared)).toEqual({ note: 'lina', task: 'lina', coupon: 'lina', tags: ['lina'] })

    // A departed guide's customer whose other guide had her long before: not a takeover (an admin may still assign her).
    await new GuidesRepository(t.testDb.db).upsert({ userId: 'gone02', name: '离职导购二', avatar: null, now: t.clock.value })
    const [id] = await addFollowedCustomers(t, 'gone02', 1, 'gonetwo')
    addWorldCustomer(t, id!, [{ userId: 'chenjing', createtime: seconds(t.clock.value) - 60 * 86400 }])
    await recordsOf('gone02', id!)
    await markGuideDeparted(db(), 'gone02', t.clock.value)
    t.clock.advance(24 * 3600_000)
    await resync.resyncAll()
    expect(await followersOf(id!)).toEqual(['chenjing', 'gone02'])
    expect(await holderOf(id!)).toEqual({ note: 'gone02', task: 'gone02', coupon: 'gone02', tags: ['gone02'] })
  })
})
