import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PrivateTextGuard } from '../../src/server/modules/privacy/private-text.guard'
import type { CouponTemplate } from '../../src/shared/coupons'
import { DB_KINDS, memberRow } from '../helpers/db'
import { createTestApp, signIn, type TestApp } from '../helpers/app'

/**
 * Issuing remembers the privacy check's clean verdicts until something private changes
 * (migration 0018's version). Whatever the write and whoever makes it (the API, an import,
 * another instance: here the database directly), a send refused before the cache existed is
 * refused right after the write, and one let through is let through once the word is gone.
 */
describe.each(DB_KINDS)('coupon privacy check, remembered (%s)', (kind) => {
  let t: TestApp
  let lina: string
  let manager: string
  let her: string
  let other: string
  const db = () => t.testDb.db.kysely

  beforeAll(async () => {
    t = await createTestApp(kind)
    lina = await signIn(t, 'lina')
    manager = await signIn(t, 'wanglei')
    her = t.demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!.externalUserId
    other = t.demo.customers.find((c) => c.externalUserId !== her && c.follows.some((f) => f.userId === 'lina'))!.externalUserId
  })
  afterAll(() => t.close())

  const template = async (name: string, description = '') => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/coupon-templates',
      headers: { cookie: manager },
      payload: {
        name,
        description,
        kind: 'amount_off',
        value: 5000,
        threshold: 50000,
        totalStock: 100,
        perCustomerLimit: 100,
        guideWeeklyQuota: 100,
        validDays: 7,
      },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json() as CouponTemplate
  }
  const issue = async (templateId: string, externalUserId = her) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/coupons/${templateId}/issue`,
      headers: { cookie: lina },
      payload: { externalUserId, idempotencyKey: randomUUID() },
    })
    return response.statusCode === 422 ? (response.json() as { error: { code: string } }).error.code : response.statusCode
  }
  const version = async () =>
    String((await db().selectFrom('private_text_version').select('version').executeTakeFirstOrThrow()).version)

  it('refuses right after each kind of private write, and lets through once it is undone', async () => {
    const tpl = await template('琉璃礼遇', '凭券到店')
    const followOf = (userId: string, externalUserId: string) =>
      db().updateTable('wecom_follows').where('user_id', '=', userId).where('external_user_id', '=', externalUserId)
    const otherGuide = t.demo.customers
      .find((c) => c.follows.some((f) => f.userId !== 'lina'))!
      .follows.find((f) => f.userId !== 'lina')!
    let memberName: string | null = null
    const writes: { what: string; put: () => Promise<unknown>; undo: () => Promise<unknown> }[] = [
      {
        what: 'her remark, through the API',
        put: () =>
          t.app.inject({
            method: 'PATCH',
            url: `/api/customers/${her}/wecom-remark`,
            headers: { cookie: lina },
            payload: { description: '琉璃 过敏' },
          }),
        undo: () =>
          t.app.inject({
            method: 'PATCH',
            url: `/api/customers/${her}/wecom-remark`,
            headers: { cookie: lina },
            payload: { description: '' },
          }),
      },
      {
        what: "another customer's remark in the guide's book",
        put: () => followOf('lina', other).set({ remark: '琉璃 姐' }).execute(),
        undo: () => followOf('lina', other).set({ remark: '' }).execute(),
      },
      {
        what: "another guide's remark of a customer of hers",
        put: () =>
          db()
            .insertInto('wecom_follows')
            .values(follow(otherGuide.userId, her, '琉璃女士'))
            .execute(),
        undo: () =>
          db().deleteFrom('wecom_follows').where('user_id', '=', otherGuide.userId).where('external_user_id', '=', her).execute(),
      },
      {
        what: 'a note about her',
        put: () =>
          db()
            .insertInto('customer_notes')
            .values({
              id: 'n-privacy',
              external_user_id: her,
              author_id: 'lina',
              text: '喜欢 琉璃礼遇',
              next_follow_up: null,
              outcome: null,
              created_at: t.clock.value,
            })
            .execute(),
        undo: () => db().deleteFrom('customer_notes').where('id', '=', 'n-privacy').execute(),
      },
      {
        what: 'a personal tag of hers',
        put: () =>
          db()
            .insertInto('personal_tags')
            .values({ external_user_id: her, user_id: 'lina', name: '琉璃', created_at: t.clock.value })
            .execute(),
        undo: () => db().deleteFrom('personal_tags').where('external_user_id', '=', her).where('name', '=', '琉璃').execute(),
      },
      {
        what: 'a member record of hers',
        put: async () => {
          const found = await db().selectFrom('members').select('name').where('external_user_id', '=', her).executeTakeFirst()
          memberName = found?.name ?? null
          if (found) await db().updateTable('members').set({ name: '琉璃' }).where('external_user_id', '=', her).execute()
          else
            await db()
              .insertInto('members')
              .values(member('M-privacy', her, '琉璃'))
              .execute()
        },
        undo: () =>
          memberName === null
            ? db().deleteFrom('members').where('id', '=', 'M-privacy').execute()
            : db().updateTable('members').set({ name: memberName }).where('external_user_id', '=', her).execute(),
      },
    ]
    for (const { what, put, undo } of writes) {
      expect(await issue(tpl.id), `${what}: before`).toBe(201)
      const before = await version()
      await put()
      expect(await version(), what).not.toBe(before)
      expect(await issue(tpl.id), `${what}: after`).toBe('private_text')
      await undo()
      expect(await issue(tpl.id), `${what}: undone`).toBe(201)
    }
  })

  it("lets a word through while the guide's store says it, and refuses it again once renamed", async () => {
    const tpl = await template('静谧专享')
    await db()
      .updateTable('wecom_follows')
      .where('user_id', '=', 'lina')
      .where('external_user_id', '=', other)
      .set({ remark: '静谧' })
      .execute()
    expect(await issue(tpl.id)).toBe('private_text')
    const store = (await db().selectFrom('guides').select('store_id').where('user_id', '=', 'lina').executeTakeFirstOrThrow())
      .store_id!
    const { name } = await db().selectFrom('stores').select('name').where('id', '=', store).executeTakeFirstOrThrow()
    await db().updateTable('stores').set({ name: '静谧店' }).where('id', '=', store).execute()
    expect(await issue(tpl.id)).toBe(201)
    expect(await issue(tpl.id)).toBe(201)
    await db().updateTable('stores').set({ name }).where('id', '=', store).execute()
    expect(await issue(tpl.id)).toBe('private_text')
    await db()
      .updateTable('wecom_follows')
      .where('user_id', '=', 'lina')
      .where('external_user_id', '=', other)
      .set({ remark: '' })
      .execute()
  })

  it('moves the version only for what the check reads', async () => {
    const before = await version()
    // Her WeCom tags, a follow's timestamps, a sync stamp on the guide, coupons: not private text.
    await db()
      .updateTable('wecom_follows')
      .set({ tags: '[]', updated_at: t.clock.value })
      .where('external_user_id', '=', her)
      .execute()
    await db().updateTable('guides').set({ customers_synced_at: t.clock.value }).where('user_id', '=', 'lina').execute()
    const tpl = await template('普通券')
    expect(await issue(tpl.id)).toBe(201)
    expect(await version()).toBe(before)
    // A transaction that writes many rows moves it all the same (once on PostgreSQL).
    await db()
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('wecom_follows').set({ description: '' }).where('user_id', '=', 'lina').execute()
        await trx.updateTable('members').set({ phone: null }).where('external_user_id', '=', 'nobody').execute()
      })
    expect(Number(await version())).toBeGreaterThan(Number(before))
  })

  it('judges sends that share a batch each on her own data: only hers is refused', async () => {
    const tpl = await template('琉璃晚宴')
    const others = t.demo.customers
      .filter((c) => c.externalUserId !== her && c.follows.some((f) => f.userId === 'lina'))
      .slice(0, 4)
      .map((c) => c.externalUserId)
    await db()
      .insertInto('customer_notes')
      .values({
        id: 'n-batch',
        external_user_id: her,
        author_id: 'lina',
        text: '琉璃晚宴 想去',
        next_follow_up: null,
        outcome: null,
        created_at: t.clock.value,
      })
      .execute()
    const judged = vi.spyOn(PrivateTextGuard.prototype, 'refusalsFor')
    try {
      const answers = await Promise.all([her, ...others, her].map((customer) => issue(tpl.id, customer)))
      expect(answers).toEqual(['private_text', ...others.map(() => 201), 'private_text'])
      // They were judged together, not one by one.
      expect(Math.max(...judged.mock.calls.map(([sends]) => sends.length))).toBeGreaterThan(1)
    } finally {
      judged.mockRestore()
      await db().deleteFrom('customer_notes').where('id', '=', 'n-batch').execute()
    }
    expect(await issue(tpl.id)).toBe(201)
  })

  it('asks to send again when the coupon was renamed between the check and the send', async () => {
    const tpl = await template('初雪礼券')
    // A manager renames it (as another instance would: in the database) while the words
    // read with it are being checked, before any lock or write.
    const check = PrivateTextGuard.prototype.refusalsFor
    const renamed = vi.spyOn(PrivateTextGuard.prototype, 'refusalsFor').mockImplementationOnce(async function (
      this: PrivateTextGuard,
      ...args
    ) {
      await db().updateTable('coupon_templates').set({ name: '新名字' }).where('id', '=', tpl.id).execute()
      return check.apply(this, args)
    })
    try {
      expect(await issue(tpl.id)).toBe(409)
      expect(renamed).toHaveBeenCalled()
    } finally {
      renamed.mockRestore()
    }
    expect(await issue(tpl.id)).toBe(201)
    expect(
      await t.testDb.db.kysely.selectFrom('coupon_issuances').select('id').where('template_id', '=', tpl.id).execute(),
    ).toHaveLength(1)
  })

  const follow = (userId: string, externalUserId: string, remark: string) => ({
    external_user_id: externalUserId,
    user_id: userId,
    remark,
    description: '',
    tags: '[]',
    added_at: t.clock.value,
    add_way: 1,
    state: null,
    remark_mobiles: '[]',
    updated_at: t.clock.value,
  })
  const member = (id: string, externalUserId: string, name: string) =>
    memberRow(id, { external_user_id: externalUserId, name, at: t.clock.value })
})
