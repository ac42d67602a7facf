import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CampaignAudienceCount, CampaignDetail, CampaignList } from '../../src/shared/campaigns'
import { addDays, shanghaiDate } from '../../src/shared/dates'
import type { Issuance } from '../../src/shared/coupons'
import type { TaskList } from '../../src/shared/tasks'
import { DEMO_TILL_KEYS } from '../../src/server/demo/coupons'
import { buildDemoData } from '../../src/server/demo/data'
import { seedDemo } from '../../src/server/demo/seed'
import { campaignStatus } from '../../src/server/modules/campaigns/campaign-rules'
import { CampaignsRepository } from '../../src/server/modules/campaigns/campaigns.repository'
import { chineseDay, primaryGuides } from '../../src/server/modules/tasks/rules'
import { TaskGenerator } from '../../src/server/modules/tasks/task-generator.service'
import { createTestApp, FIXED_NOW, signIn, type TestApp } from '../helpers/app'
import { createTestDb, DB_KINDS } from '../helpers/db'

/**
 * Campaigns: made by a manager for her stores, written as one task a matching customer
 * for her guide (at once when running, on its first day when scheduled, never twice),
 * followed per guide, ended early. The people: lina (guide, S001), chenjing (guide, S002),
 * wanglei (manager, S001) from the demo; zhaomin, a manager of S002, and hq, head office,
 * made here.
 */

const DAY = 86_400_000
const LEVELS_UP = ['silver', 'gold', 'platinum']

describe.each(DB_KINDS)('campaigns (%s)', (kind) => {
  let t: TestApp
  const cookie: Record<string, string> = {}

  const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookie[who]! }, ...(body === undefined ? {} : { payload: body as object }) })
  const db = () => t.testDb.db.kysely
  const today = () => shanghaiDate(t.clock.value)
  const generate = () => new TaskGenerator(t.testDb.db).run({ now: t.clock.value })
  const detail = async (who: string, id: string) => {
    const res = await call(who, 'GET', `/api/campaigns/${id}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as CampaignDetail
  }
  const tasksOf = (campaignId: string) =>
    db()
      .selectFrom('tasks')
      .select(['id', 'guide_id', 'external_user_id', 'status', 'skip_reason', 'title', 'reason', 'due_date', 'payload'])
      .where('campaign_id', '=', campaignId)
      .execute()
  const byGuide = (rows: { guide_id: string; external_user_id: string }[]) => {
    const out: Record<string, string[]> = {}
    for (const r of rows) (out[r.guide_id] ??= []).push(r.external_user_id)
    for (const list of Object.values(out)) list.sort()
    return out
  }

  /** Each guide's own customers (primary guide, from WeCom's follows) that `keep` keeps, for these stores' guides. */
  async function expected(storeIds: string[], keep: (externalUserId: string) => boolean): Promise<Record<string, string[]>> {
    const [follows, guides] = await Promise.all([
      db().selectFrom('wecom_follows').select(['external_user_id', 'user_id', 'added_at']).execute(),
      db().selectFrom('guides').select(['user_id', 'store_id']).execute(),
    ])
    const primary = primaryGuides(
      follows.map((f) => ({
        externalUserId: f.external_user_id,
        userId: f.user_id,
        addedAt: f.added_at === null ? null : Number(f.added_at),
      })),
      new Set(guides.map((g) => g.user_id)),
    )
    const storeOf = new Map(guides.map((g) => [g.user_id, g.store_id]))
    const out: Record<string, string[]> = {}
    for (const [customer, guide] of primary) {
      if (storeIds.includes(storeOf.get(guide) ?? '') && keep(customer)) (out[guide] ??= []).push(customer)
    }
    for (const list of Object.values(out)) list.sort()
    return out
  }
  const lastPurchases = async () =>
    new Map(
      (
        await db()
          .selectFrom('members as m')
          .innerJoin('member_order_totals as o', 'o.member_id', 'm.id')
          .select(['m.external_user_id', 'o.last_purchase_at'])
          .execute()
      ).map((r) => [r.external_user_id!, Number(r.last_purchase_at)]),
    )
  const levels = async () =>
    new Map(
      (await db().selectFrom('members').select(['external_user_id', 'level']).execute()).map((r) => [
        r.external_user_id!,
        r.level,
      ]),
    )
  const campaignTasks = async (who: string) => {
    const res = await call(who, 'GET', '/api/tasks?kind=campaign&limit=100')
    expect(res.statusCode, res.body).toBe(200)
    return (res.json() as TaskList).items
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { WECOM_ADMIN_IDS: 'hq' } })
    for (const [userId, name] of [
      ['zhaomin', '赵敏'],
      ['hq', '总部运营'],
    ] as const) {
      t.world.users.set(userId, { userid: userId, name, position: '', storeId: 'S002', avatar: '' })
    }
    for (const who of ['lina', 'chenjing', 'wanglei', 'zhaomin', 'hq']) cookie[who] = await signIn(t, who)
    await db().updateTable('guides').set({ role: 'manager', store_id: 'S002' }).where('user_id', '=', 'zhaomin').execute()
    await db().updateTable('guides').set({ store_id: null }).where('user_id', '=', 'hq').execute()
    // Every guide's customers known from WeCom: each opened her tasks once.
    for (const who of ['lina', 'wanglei', 'chenjing']) expect((await call(who, 'GET', '/api/tasks')).statusCode).toBe(200)
    await t.ctx.background.idle()
  })

  afterAll(async () => {
    await t?.close()
  })

  it('the demo: 王蕾’s campaign runs in her store, lina has its tasks, some done, coupons sent, claimed and one redeemed', async () => {
    const list = await call('wanglei', 'GET', '/api/campaigns')
    expect(list.statusCode, list.body).toBe(200)
    const items = (list.json() as CampaignList).items
    expect(items.map((c) => c.id)).toEqual(['cp_demo_renewal'])
    const demo = items[0]!
    expect(demo).toMatchObject({
      status: 'running',
      createdBy: { userId: 'wanglei', name: '王蕾' },
      stores: [{ id: 'S001', name: '上海静安嘉里中心店' }],
      content: { type: 'coupon', id: 'ct_demo_1000_150', title: '满 1000 减 150' },
      audience: { levels: LEVELS_UP },
      endedAt: null,
    })
    expect(demo.startsOn < today() && today() < demo.endsOn).toBe(true)

    const { guides, campaign } = await detail('wanglei', 'cp_demo_renewal')
    expect(guides.map((g) => g.userId).sort()).toEqual(['lina', 'wanglei'])
    const lina = guides.find((g) => g.userId === 'lina')!
    expect(lina).toMatchObject({ storeId: 'S001', sent: 3, opened: 2, claimed: 2, redeemed: 1 })
    expect(lina.customers).toBeGreaterThanOrEqual(4)
    expect(lina.done).toBeGreaterThanOrEqual(3)
    expect(lina.salesFen).toBeGreaterThan(100_000)
    expect(guides.find((g) => g.userId === 'wanglei')).toMatchObject({ sent: 2, claimed: 1, redeemed: 0 })
    expect(campaign.totals.customers).toBe(guides.reduce((n, g) => n + g.customers, 0))
    expect(campaign.totals.sent).toBe(5)
    const rows = await tasksOf('cp_demo_renewal')
    expect(rows.some((r) => r.guide_id === 'lina' && r.status === 'skipped')).toBe(true)
    expect(rows.some((r) => r.guide_id === 'lina' && r.status === 'todo')).toBe(true)

    // Who it reaches is who its filters find once WeCom's side is synced: nothing new to write.
    const keep = await levels()
    expect(byGuide(rows)).toEqual(await expected(['S001'], (c) => LEVELS_UP.includes(keep.get(c) ?? '')))
    await generate()
    expect(await tasksOf('cp_demo_renewal')).toHaveLength(rows.length)
    const count = await call('wanglei', 'POST', '/api/campaigns/audience', { audience: { levels: LEVELS_UP } })
    expect(count.statusCode, count.body).toBe(200)
    expect(count.json()).toEqual({
      total: rows.length,
      stores: [{ id: 'S001', name: '上海静安嘉里中心店', customers: rows.length }],
    } satisfies CampaignAudienceCount)

    const hers = await campaignTasks('lina')
    const task = hers.find((x) => x.title === demo.name)!
    expect(task).toMatchObject({ kind: 'campaign', dueDate: demo.endsOn, suggestion: { type: 'coupon', id: 'ct_demo_1000_150' } })
    // 湖滨 has one too, by head office: chenjing has its tasks; 王蕾 cannot open it.
    expect((await campaignTasks('chenjing')).length).toBeGreaterThan(0)
    expect((await detail('hq', 'cp_demo_hubin_preview')).campaign).toMatchObject({
      status: 'running',
      content: { type: 'bundle' },
    })
  })

  it('creates a running campaign: a task for each matching customer of each guide of its stores, none elsewhere; audited', async () => {
    const endsOn = addDays(today(), 6)
    const res = await call('hq', 'POST', '/api/campaigns', {
      name: '  周末到店  ',
      startsOn: today(),
      endsOn,
      audience: { lastPurchase: 'within90' },
      content: null,
      storeIds: ['S001'],
    })
    expect(res.statusCode, res.body).toBe(201)
    const { campaign, guides } = res.json() as CampaignDetail
    expect(campaign).toMatchObject({ name: '周末到店', status: 'running', note: '', content: null, stores: [{ id: 'S001' }] })
    expect(campaign.createdBy.userId).toBe('hq')

    const bought = await lastPurchases()
    const want = await expected(['S001'], (c) => (bought.get(c) ?? 0) >= t.clock.value - 90 * DAY)
    const rows = await tasksOf(campaign.id)
    expect(Object.keys(want).sort()).toEqual(['lina', 'wanglei'])
    expect(byGuide(rows)).toEqual(want)
    expect(rows.some((r) => r.guide_id === 'chenjing')).toBe(false)
    expect(campaign.totals.customers).toBe(rows.length)
    expect(guides.map((g) => [g.userId, g.customers]).sort()).toEqual(Object.entries(want).map(([g, list]) => [g, list.length]))
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'todo', title: '周末到店', due_date: endsOn })
      expect(row.reason).toBe(`活动 ${chineseDay(today())}–${chineseDay(endsOn)}`)
    }

    const audit = await db().selectFrom('audit_log').selectAll().where('entity_id', '=', campaign.id).execute()
    expect(audit.map((a) => [a.entity, a.action, a.actor_id])).toEqual([['campaign', 'create', 'hq']])
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ name: '周末到店', storeIds: ['S001'] })

    // The job, another list of the day, the form's count: nothing written twice, the same customers.
    expect((await generate()).created).toBe(0)
    await campaignTasks('lina')
    expect(await tasksOf(campaign.id)).toHaveLength(rows.length)
    const count = (
      await call('hq', 'POST', '/api/campaigns/audience', { audience: { lastPurchase: 'within90' }, storeIds: ['S001'] })
    ).json()
    expect(count).toMatchObject({ total: rows.length })

    // She sees it on her list, as its task says.
    const lina = (await campaignTasks('lina')).filter((x) => x.title === '周末到店')
    expect(lina.map((x) => x.customer.externalUserId).sort()).toEqual(want.lina)
    expect(lina[0]).toMatchObject({ kind: 'campaign', dueDate: endsOn, suggestion: null, status: 'todo' })

    // Left out, the stores are all of hers.
    const mine = await call('wanglei', 'POST', '/api/campaigns', {
      name: '本店回访',
      startsOn: addDays(today(), 3),
      endsOn: addDays(today(), 5),
      audience: {},
      content: null,
    })
    expect(mine.statusCode, mine.body).toBe(201)
    expect((mine.json() as CampaignDetail).campaign).toMatchObject({ status: 'scheduled', stores: [{ id: 'S001' }] })
  })

  it('refuses a guide every endpoint', async () => {
    const body = { name: '回访', startsOn: today(), endsOn: addDays(today(), 3), audience: {}, content: null }
    for (const [method, url, payload] of [
      ['GET', '/api/campaigns', undefined],
      ['POST', '/api/campaigns', body],
      ['GET', '/api/campaigns/cp_demo_renewal', undefined],
      ['POST', '/api/campaigns/cp_demo_renewal/end', undefined],
      ['POST', '/api/campaigns/audience', { audience: {} }],
    ] as const) {
      const res = await call('lina', method, url, payload)
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403)
    }
    expect((await db().selectFrom('campaigns').select('id').where('name', '=', '回访').execute()).length).toBe(0)
  })

  it('a manager sees and ends only her stores’ campaigns; head office every one', async () => {
    const body = { name: '湖滨回访', startsOn: today(), endsOn: addDays(today(), 3), audience: {}, content: null }
    for (const storeIds of [['S002'], ['S001', 'S002']]) {
      expect((await call('wanglei', 'POST', '/api/campaigns', { ...body, storeIds })).statusCode).toBe(403)
    }
    expect((await call('wanglei', 'GET', '/api/campaigns/cp_demo_hubin_preview')).statusCode).toBe(403)
    expect((await call('wanglei', 'POST', '/api/campaigns/cp_demo_hubin_preview/end')).statusCode).toBe(403)
    expect((await call('wanglei', 'POST', '/api/campaigns/audience', { audience: {}, storeIds: ['S002'] })).statusCode).toBe(403)
    expect((await call('zhaomin', 'GET', '/api/campaigns/cp_demo_renewal')).statusCode).toBe(403)
    expect((await call('zhaomin', 'GET', '/api/campaigns/cp_demo_hubin_preview')).statusCode).toBe(200)
    expect((await call('hq', 'GET', '/api/campaigns/nope')).statusCode).toBe(404)
    expect((await call('wanglei', 'GET', '/api/campaigns/nope')).statusCode).toBe(404)

    const ids = async (who: string) => ((await call(who, 'GET', '/api/campaigns')).json() as CampaignList).items.map((c) => c.id)
    expect(await ids('wanglei')).not.toContain('cp_demo_hubin_preview')
    expect(await ids('zhaomin')).toEqual(['cp_demo_hubin_preview'])
    expect(await ids('hq')).toEqual(expect.arrayContaining(['cp_demo_renewal', 'cp_demo_hubin_preview']))

    // Head office's campaign for both stores: 王蕾 sees her store's part of it and cannot end it.
    const both = await call('hq', 'POST', '/api/campaigns', { ...body, name: '全品牌会员日' })
    expect(both.statusCode, both.body).toBe(201)
    const id = (both.json() as CampaignDetail).campaign.id
    expect((both.json() as CampaignDetail).campaign.stores.map((s) => s.id)).toEqual(['S001', 'S002'])
    const hers = await detail('wanglei', id)
    expect(hers.campaign.stores.map((s) => s.id)).toEqual(['S001'])
    expect(new Set(hers.guides.map((g) => g.storeId))).toEqual(new Set(['S001']))
    const all = await detail('hq', id)
    expect(all.campaign.totals.customers).toBeGreaterThan(hers.campaign.totals.customers)
    expect((await call('wanglei', 'POST', `/api/campaigns/${id}/end`)).statusCode).toBe(403)
    expect((await call('hq', 'POST', `/api/campaigns/${id}/end`)).statusCode).toBe(200)
  })

  it('refuses bad campaigns with a 400 that says why, and writes nothing', async () => {
    const personalReply = await db().selectFrom('replies').select('id').where('scope', '=', 'personal').executeTakeFirstOrThrow()
    const personalBundle = await db().selectFrom('bundles').select('id').where('scope', '=', 'personal').executeTakeFirstOrThrow()
    const corpBundles = await db().selectFrom('bundles').select('id').where('scope', '=', 'corp').orderBy('id').execute()
    const retired = corpBundles.at(-1)!.id
    await db().updateTable('bundles').set({ retired_at: t.clock.value }).where('id', '=', retired).execute()
    await db()
      .insertInto('coupon_templates')
      .values({
        id: 'ct_paused_test',
        name: '暂停的券',
        description: '',
        kind: 'amount_off',
        value: 1000,
        threshold: 0,
        total_stock: 10,
        stock_left: 10,
        per_customer_limit: 1,
        guide_weekly_quota: 10,
        valid_days: 7,
        valid_from: null,
        valid_to: null,
        eligible_levels: '[]',
        eligible_tags: '[]',
        store_ids: '[]',
        online: 1,
        status: 'paused',
        max_orders: null,
        created_by: 'wanglei',
        created_at: t.clock.value,
        updated_at: t.clock.value,
      })
      .execute()
    const before = (await db().selectFrom('campaigns').select('id').execute()).length
    const good = { name: '回访', startsOn: today(), endsOn: addDays(today(), 3), audience: {}, content: null }
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: '   ' }, /name/],
      [{ endsOn: addDays(today(), -1), startsOn: addDays(today(), -3) }, /already past/],
      [{ startsOn: addDays(today(), 2), endsOn: addDays(today(), 1) }, /ends before it starts/],
      [{ endsOn: addDays(today(), 92) }, /at most 92 days/],
      [{ endsOn: '2027-02-30' }, /not a day/],
      [{ endsOn: '2027-13-01' }, /./],
      [{ content: { type: 'reply', id: 'r_nope' } }, /no reply r_nope/],
      [{ content: { type: 'reply', id: personalReply.id } }, /personal reply/],
      [{ content: { type: 'bundle', id: personalBundle.id } }, /brand outfit/],
      [{ content: { type: 'bundle', id: retired } }, /retired/],
      [{ content: { type: 'coupon', id: 'ct_paused_test' } }, /paused, not active/],
      [{ content: { type: 'coupon', id: 'ct_nope' } }, /no coupon/],
      [{ content: { type: 'poster', id: 'x' } }, /./],
      [{ audience: { levels: ['diamond'] } }, /./],
      [{ audience: { birthdayMonth: '13' } }, /./],
      [{ audience: { shoeSize: 38 } }, /./],
      [{ storeIds: ['S999'] }, /no store S999/],
      [{ storeIds: [] }, /./],
      [{ colour: 'red' }, /./],
    ]
    for (const [change, message] of cases) {
      const res = await call('hq', 'POST', '/api/campaigns', { ...good, ...change })
      expect(res.statusCode, `${JSON.stringify(change)}: ${res.body}`).toBe(400)
      expect(res.json().error.message).toMatch(message)
    }
    expect((await db().selectFrom('campaigns').select('id').execute()).length).toBe(before)
    // 92 days is the longest it may run.
    const longest = await call('hq', 'POST', '/api/campaigns', { ...good, endsOn: addDays(today(), 91), storeIds: ['S002'] })
    expect(longest.statusCode, longest.body).toBe(201)
    expect((await call('hq', 'POST', `/api/campaigns/${(longest.json() as CampaignDetail).campaign.id}/end`)).statusCode).toBe(
      200,
    )
    await db().updateTable('bundles').set({ retired_at: null }).where('id', '=', retired).execute()
  })

  it('a scheduled campaign writes its tasks on its first day, once', async () => {
    const reply = await db()
      .selectFrom('replies')
      .select(['id', 'title'])
      .where('scope', '=', 'corp')
      .where('retired_at', 'is', null)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const startsOn = addDays(today(), 2)
    const res = await call('wanglei', 'POST', '/api/campaigns', {
      name: '金卡专场',
      startsOn,
      endsOn: addDays(startsOn, 3),
      audience: { levels: ['gold', 'platinum'] },
      content: { type: 'reply', id: reply.id },
      note: '  金卡客户专属，邀请她周末来店  ',
    })
    expect(res.statusCode, res.body).toBe(201)
    const { campaign } = res.json() as CampaignDetail
    expect(campaign).toMatchObject({ status: 'scheduled', note: '金卡客户专属，邀请她周末来店', content: { title: reply.title } })
    expect(campaign.totals.customers).toBe(0)
    await generate()
    t.clock.advance(DAY)
    await generate()
    await campaignTasks('lina')
    expect(await tasksOf(campaign.id)).toHaveLength(0)

    t.clock.advance(DAY)
    expect((await detail('wanglei', campaign.id)).campaign.status).toBe('running')
    await generate()
    const level = await levels()
    const want = await expected(['S001'], (c) => ['gold', 'platinum'].includes(level.get(c) ?? ''))
    const rows = await tasksOf(campaign.id)
    expect(byGuide(rows)).toEqual(want)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row.reason).toBe('金卡客户专属，邀请她周末来店')
      expect(JSON.parse(row.payload!).suggestion).toEqual({ type: 'reply', id: reply.id })
    }
    expect((await generate()).created).toBe(0)
    await campaignTasks('lina')
    expect(await tasksOf(campaign.id)).toHaveLength(rows.length)
  })

  it('counts its progress: the coupon sent, claimed, redeemed, a purchase, and the task done by the send', async () => {
    const created = await call('wanglei', 'POST', '/api/campaigns', {
      name: '满减券回访',
      startsOn: today(),
      endsOn: addDays(today(), 10),
      audience: {},
      content: { type: 'coupon', id: 'ct_demo_1000_150' },
    })
    expect(created.statusCode, created.body).toBe(201)
    const id = (created.json() as CampaignDetail).campaign.id
    const rows = await tasksOf(id)
    const members = new Map(
      (await db().selectFrom('members').select(['id', 'external_user_id']).execute()).map((m) => [m.external_user_id, m.id]),
    )
    const holders = new Set(
      (await db().selectFrom('coupon_issuances').select('external_user_id').execute()).map((r) => r.external_user_id),
    )
    const her = rows.find((r) => r.guide_id === 'lina' && members.has(r.external_user_id) && !holders.has(r.external_user_id))!
    expect(her).toBeDefined()

    const issued = await call('lina', 'POST', '/api/coupons/ct_demo_1000_150/issue', {
      externalUserId: her.external_user_id,
      idempotencyKey: randomUUID(),
    })
    expect(issued.statusCode, issued.body).toBe(201)
    const issuance = issued.json() as Issuance
    expect((await call('lina', 'POST', `/api/issuances/${issuance.issuanceId}/confirm`)).statusCode).toBe(200)
    t.clock.advance(60_000)
    // Her send served the task: the job marks it done (its due day is the campaign's last).
    await generate()
    expect((await tasksOf(id)).find((r) => r.id === her.id)!.status).toBe('done')
    expect((await t.app.inject({ method: 'GET', url: new URL(issuance.claimUrl).pathname })).statusCode).toBe(200)
    t.clock.advance(60_000)
    const redeemed = await t.app.inject({
      method: 'POST',
      url: '/api/redemptions',
      payload: { code: issuance.code },
      headers: { authorization: `Bearer ${DEMO_TILL_KEYS.S001}` },
    })
    expect(redeemed.statusCode, redeemed.body).toBe(200)
    const order = (suffix: string, at: number, guide: string, totalFen: number) =>
      db()
        .insertInto('orders')
        .values({
          id: `O_cp_${kind}_${suffix}`,
          member_id: members.get(her.external_user_id)!,
          store_id: 'S001',
          purchased_at: at,
          total_fen: totalFen,
          created_at: at,
          guide_user_id: guide,
          credited_guide_id: guide,
        })
        .execute()
    // During it and hers: counted. Before it, or credited to someone else: not.
    await order('during', t.clock.value, 'lina', 123_400)
    await order('before', t.clock.value - 2 * DAY, 'lina', 99_900)
    await order('other', t.clock.value, 'chenjing', 55_500)
    t.clock.advance(60_000)
    await generate()

    const { guides, campaign } = await detail('wanglei', id)
    const lina = guides.find((g) => g.userId === 'lina')!
    expect(lina).toMatchObject({ sent: 1, opened: 1, claimed: 1, redeemed: 1, salesFen: 123_400 })
    expect(lina.done).toBeGreaterThanOrEqual(1)
    expect(guides.find((g) => g.userId === 'wanglei')).toMatchObject({ sent: 0, claimed: 0, salesFen: 0 })
    expect(campaign.totals).toMatchObject({ sent: 1, redeemed: 1, salesFen: 123_400, customers: rows.length })
    expect((await tasksOf(id)).find((r) => r.id === her.id)!.status).toBe('done')
  })

  it('ending it skips its open tasks with a reason, keeps what was done, and cannot end twice', async () => {
    const created = await call('wanglei', 'POST', '/api/campaigns', {
      name: '限时邀约',
      startsOn: today(),
      endsOn: addDays(today(), 8),
      audience: { lastPurchase: 'within90' },
      content: null,
    })
    const id = (created.json() as CampaignDetail).campaign.id
    const first = (await tasksOf(id)).find((r) => r.guide_id === 'lina')!
    expect((await call('lina', 'POST', `/api/tasks/${first.id}/complete`)).statusCode).toBe(204)
    t.clock.advance(60_000)

    const ended = await call('wanglei', 'POST', `/api/campaigns/${id}/end`)
    expect(ended.statusCode, ended.body).toBe(200)
    expect((ended.json() as CampaignDetail).campaign).toMatchObject({
      status: 'ended',
      endedAt: new Date(t.clock.value).toISOString(),
    })
    const rows = await tasksOf(id)
    expect(rows.filter((r) => r.status === 'todo')).toEqual([])
    expect(rows.find((r) => r.id === first.id)!.status).toBe('done')
    const skipped = rows.filter((r) => r.status === 'skipped')
    expect(skipped.length).toBe(rows.length - 1)
    expect(new Set(skipped.map((r) => r.skip_reason))).toEqual(new Set(['活动已结束']))
    expect((await campaignTasks('lina')).some((x) => x.title === '限时邀约')).toBe(false)

    const again = await call('wanglei', 'POST', `/api/campaigns/${id}/end`)
    expect(again.statusCode).toBe(409)
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', id)
      .orderBy('at')
      .execute()
    expect(audit).toEqual([
      { action: 'create', actor_id: 'wanglei' },
      { action: 'retire', actor_id: 'wanglei' },
    ])
    await generate()
    expect(await tasksOf(id)).toHaveLength(rows.length)
  })
})

// The demo is built from `now`: whatever day it starts, 王蕾's campaign is on. (One database
// is enough: what is checked is the demo's dates, not SQL.)
describe('the demo’s campaign on any day', () => {
  it.each([
    ['the tests’ day', FIXED_NOW],
    ['45 days on', FIXED_NOW + 45 * DAY],
    ['200 days on', FIXED_NOW + 200 * DAY],
    ['400 days on', FIXED_NOW + 400 * DAY],
    ['this machine’s today', Date.now()],
  ])('is running with tasks for lina, %s', async (_label, now) => {
    const testDb = await createTestDb('sqlite')
    try {
      await seedDemo(testDb.db, buildDemoData(now), now)
      const demo = (await new CampaignsRepository(testDb.db).find('cp_demo_renewal'))!
      expect(campaignStatus(demo, shanghaiDate(now))).toBe('running')
      const tasks = await testDb.db.kysely
        .selectFrom('tasks')
        .select(['guide_id', 'status'])
        .where('campaign_id', '=', 'cp_demo_renewal')
        .execute()
      expect(tasks.filter((x) => x.guide_id === 'lina' && x.status === 'todo').length).toBeGreaterThan(0)
      expect(tasks.filter((x) => x.guide_id === 'lina' && x.status === 'done').length).toBeGreaterThanOrEqual(3)
      const hubin = await testDb.db.kysely
        .selectFrom('tasks')
        .select('guide_id')
        .where('campaign_id', '=', 'cp_demo_hubin_preview')
        .execute()
      expect(new Set(hubin.map((x) => x.guide_id))).toEqual(new Set(['chenjing']))
    } finally {
      await testDb.drop()
    }
  })
})
