import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, shanghaiDate } from '../../src/shared/dates'
import { TASK_KINDS, type BirthdayList, type Task, type TaskList } from '../../src/shared/tasks'
import { importText } from '../../src/server/modules/crm-import/importer'
import { TaskGenerator } from '../../src/server/modules/tasks/task-generator.service'
import { TaskSourcesRepository } from '../../src/server/modules/tasks/task-sources.repository'
import { TasksRepository } from '../../src/server/modules/tasks/tasks.repository'
import { createTestApp, FIXED_NOW, signIn, type TestApp } from '../helpers/app'
import { createTestDb, DB_KINDS } from '../helpers/db'

const DAY = 86_400_000
const GUIDES = ['wanglei', 'lina', 'chenjing']

describe.each(DB_KINDS)('tasks that write themselves (%s)', (kind) => {
  let t: TestApp
  const cookies: Record<string, string> = {}

  beforeAll(async () => {
    t = await createTestApp(kind)
    for (const g of GUIDES) cookies[g] = await signIn(t, g)
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'POST', url: string, guide = 'lina', payload?: unknown) =>
    t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[guide]! } })
  const list = async (query = '', guide = 'lina') => {
    const res = await call('GET', `/api/tasks${query}`, guide)
    expect(res.statusCode).toBe(200)
    return res.json() as TaskList
  }
  const all = async (query: string, guide = 'lina') => {
    const items: Task[] = []
    let cursor: string | null = null
    do {
      const page: TaskList = await list(`?${query}&limit=7${cursor ? `&cursor=${cursor}` : ''}`, guide)
      items.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    return items
  }
  const db = () => t.testDb.db.kysely
  const today = () => shanghaiDate(t.clock.value)
  const row = (id: string) => db().selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const count = async () =>
    Number(
      (
        await db()
          .selectFrom('tasks')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('writes every kind for every guide from the demo’s week: some done, skipped, expired, some open and overdue', async () => {
    const summary = await new TasksRepository(t.testDb.db).summary()
    for (const guide of GUIDES) {
      const open = new Set(summary.filter((s) => s.guideId === guide && s.status === 'todo').map((s) => s.kind))
      expect([...open].sort()).toEqual([...TASK_KINDS].sort())
    }
    const statuses = new Set(summary.map((s) => s.status))
    expect([...statuses].sort()).toEqual(['done', 'expired', 'skipped', 'todo'])
    const overdue = await db()
      .selectFrom('tasks')
      .select('id')
      .where('status', '=', 'todo')
      .where('due_date', '<', today())
      .execute()
    expect(overdue.length).toBeGreaterThan(0)
  })

  it('lists her open tasks soonest first, in the exact shape, with the customer as she knows her', async () => {
    const { items, nextCursor } = await list()
    expect(nextCursor).toBeNull()
    expect(items.length).toBeGreaterThan(5)
    const dues = items.map((x) => x.dueDate)
    expect([...dues].sort()).toEqual(dues)
    for (const task of items) {
      expect(Object.keys(task).sort()).toEqual(
        [
          'completedAt',
          'createdAt',
          'customer',
          'dueDate',
          'id',
          'kind',
          'reason',
          'skipReason',
          'status',
          'suggestion',
          'title',
        ].sort(),
      )
      expect(Object.keys(task.customer).sort()).toEqual(['avatar', 'externalUserId', 'name', 'remark'])
      expect(task).toMatchObject({ status: 'todo', completedAt: null, skipReason: null })
      expect(task.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(task.dueDate >= addDays(today(), -3)).toBe(true)
    }
    // Her customers were read from WeCom on the way: names and remarks are there.
    expect(items.every((x) => x.customer.name !== '')).toBe(true)
    const birthday = items.find((x) => x.kind === 'birthday')!
    expect(birthday.reason).toMatch(/^生日 \d+月\d+日 · /)
    expect(birthday.suggestion).toEqual({ type: 'coupon', id: 'ct_demo_birthday' })
    // Only hers.
    const theirs = await list('', 'chenjing')
    expect(theirs.items.some((x) => items.some((y) => y.id === x.id))).toBe(false)
  })

  it('filters by kind and status, and pages with an opaque cursor; a bad cursor is a 400', async () => {
    const open = await all('status=todo')
    expect(open.length).toBe((await list()).items.length)
    expect(new Set(open.map((x) => x.id)).size).toBe(open.length)
    const afterPurchase = await all('kind=after_purchase')
    expect(afterPurchase.length).toBeGreaterThan(0)
    expect(afterPurchase.every((x) => x.kind === 'after_purchase' && x.status === 'todo')).toBe(true)
    const done = await all('status=done')
    expect(done.length).toBeGreaterThan(0)
    expect(done.every((x) => x.status === 'done' && x.completedAt !== null)).toBe(true)
    const doneAt = done.map((x) => x.completedAt!)
    expect([...doneAt].sort().reverse()).toEqual(doneAt)
    const expired = await all('status=expired')
    expect(expired.every((x) => x.status === 'expired' && x.completedAt === null && x.dueDate < addDays(today(), -3))).toBe(true)

    const first = await list('?limit=2')
    expect(first.items).toHaveLength(2)
    expect(first.nextCursor).toEqual(expect.any(String))
    // A cursor of one status is not one of another.
    expect((await call('GET', `/api/tasks?status=done&cursor=${first.nextCursor}`)).statusCode).toBe(400)
    for (const bad of ['cursor=nope', 'status=maybe', 'kind=chat', 'limit=0', 'limit=101']) {
      expect((await call('GET', `/api/tasks?${bad}`)).statusCode).toBe(400)
    }
  })

  it('re-running the job writes nothing new, nor do two instances running it at once', async () => {
    // Every guide's customers known from WeCom (each listed her tasks), then the daily job.
    for (const g of GUIDES) await list('', g)
    const before = await count()
    expect(await new TaskGenerator(t.testDb.db).run({ now: t.clock.value })).toMatchObject({ created: 0 })
    expect(await count()).toBe(before)

    t.clock.advance(DAY)
    const [a, b] = await Promise.all([
      new TaskGenerator(t.testDb.db).run({ now: t.clock.value }),
      new TaskGenerator(t.testDb.db).run({ now: t.clock.value }),
    ])
    const after = await count()
    expect(after - before).toBe(a.created + b.created)
    expect((await new TaskGenerator(t.testDb.db).run({ now: t.clock.value })).created).toBe(0)
    expect(await count()).toBe(after)
    // Never twice for the same reason and customer, whichever guide.
    const rows = await db().selectFrom('tasks').select(['kind', 'external_user_id', 'title', 'reason', 'due_date']).execute()
    const reasons = rows.map((r) => JSON.stringify([r.kind, r.external_user_id, r.title, r.reason, r.due_date]))
    expect(new Set(reasons).size).toBe(reasons.length)
  })

  it('completes and skips her own tasks only; a skip needs a reason', async () => {
    const [first, second] = (await list()).items
    expect((await call('POST', `/api/tasks/${first!.id}/complete`, 'chenjing')).statusCode).toBe(404)
    expect((await call('POST', `/api/tasks/${first!.id}/skip`, 'chenjing', { reason: '不是我的' })).statusCode).toBe(404)
    expect((await call('POST', `/api/tasks/t_nothing/complete`)).statusCode).toBe(404)
    expect((await call('POST', `/api/tasks/${first!.id}/complete`)).statusCode).toBe(204)
    expect((await call('POST', `/api/tasks/${first!.id}/complete`)).statusCode).toBe(204)
    expect(await row(first!.id)).toMatchObject({ status: 'done', done_at: t.clock.value })

    for (const body of [{ reason: '' }, { reason: '   ' }, { reason: '长'.repeat(101) }, {}, { reason: 3 }]) {
      expect((await call('POST', `/api/tasks/${second!.id}/skip`, 'lina', body)).statusCode).toBe(400)
    }
    expect((await call('POST', `/api/tasks/${second!.id}/skip`, 'lina', { reason: ' 客户在国外 ' })).statusCode).toBe(204)
    expect(await row(second!.id)).toMatchObject({ status: 'skipped', skip_reason: '客户在国外', done_at: t.clock.value })
    const skipped = await all('status=skipped')
    expect(skipped.find((x) => x.id === second!.id)).toMatchObject({
      skipReason: '客户在国外',
      completedAt: new Date(t.clock.value).toISOString(),
    })
    // Done is done: it cannot be skipped afterwards, nor a skipped one done.
    expect((await call('POST', `/api/tasks/${first!.id}/skip`, 'lina', { reason: '算了' })).statusCode).toBe(409)
    expect((await call('POST', `/api/tasks/${second!.id}/complete`)).statusCode).toBe(409)
  })

  it('is done by itself when she sends the customer a reply, or the birthday coupon', async () => {
    const open = (await all('status=todo')).filter((x) => x.dueDate <= addDays(today(), 3))
    const care = open.find((x) => x.kind === 'after_purchase')!
    const sent = await call('POST', '/api/replies/r_demo_001/sends', 'lina', {
      id: randomUUID(),
      externalUserId: care.customer.externalUserId,
      partsSent: 1,
      partsTotal: 1,
      edited: false,
    })
    expect(sent.statusCode).toBeLessThan(300)
    expect(await row(care.id)).toMatchObject({ status: 'done', done_at: t.clock.value })

    const birthday = (await all('kind=birthday')).find((x) => x.dueDate <= addDays(today(), 3))!
    const follow = (await all('kind=follow_up')).find((x) => x.customer.externalUserId === birthday.customer.externalUserId)
    const issued = await call('POST', `/api/coupons/${birthday.suggestion!.id}/issue`, 'lina', {
      externalUserId: birthday.customer.externalUserId,
      idempotencyKey: randomUUID(),
    })
    expect(issued.statusCode).toBe(201)
    expect((await row(birthday.id)).status).toBe('todo')
    const confirmed = await call('POST', `/api/issuances/${(issued.json() as { issuanceId: string }).issuanceId}/confirm`, 'lina')
    expect(confirmed.statusCode).toBe(200)
    expect((await row(birthday.id)).status).toBe('done')
    // A note's follow-up is her own promise: a send does not tick it.
    if (follow) expect((await row(follow.id)).status).toBe('todo')
  })

  it('is done by itself when the customer buys again (repurchase, dormant, campaign)', async () => {
    const open = await all('status=todo')
    const waiting = open.filter((x) => x.kind === 'repurchase' || x.kind === 'dormant')
    expect(waiting.length).toBeGreaterThan(0)
    const target = waiting[0]!
    const member = await db()
      .selectFrom('members')
      .select('id')
      .where('external_user_id', '=', target.customer.externalUserId)
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('orders')
      .values({
        id: 'O_task_test',
        member_id: member.id,
        store_id: 'S001',
        purchased_at: t.clock.value - 60_000,
        total_fen: 59900,
        created_at: t.clock.value,
        guide_user_id: null,
        credited_guide_id: null,
      })
      .execute()
    await new TaskGenerator(t.testDb.db).run({ now: t.clock.value })
    expect(await row(target.id)).toMatchObject({ status: 'done' })
  })

  it('reminds of a coupon she still holds, not of one she already used', async () => {
    // One of hers (the rules wrote her a task), whatever coupons she already holds.
    const customer = (await all('kind=after_purchase'))[0]!.customer.externalUserId
    const reminders = () =>
      db()
        .selectFrom('tasks')
        .select('reason')
        .where('kind', '=', 'coupon_expiring')
        .where('external_user_id', '=', customer)
        .execute()
    const before = (await reminders()).length
    const issuance = (id: string, status: 'sent' | 'redeemed', code: string) => ({
      id,
      template_id: 'ct_demo_1000_150',
      code,
      guide_id: 'lina',
      external_user_id: customer,
      idempotency_key: id,
      status,
      reserved_until: null,
      issued_at: t.clock.value - 10 * DAY,
      sent_at: t.clock.value - 10 * DAY,
      claimed_at: null,
      redeemed_at: status === 'redeemed' ? t.clock.value - DAY : null,
      redeemed_store_id: null,
      released_at: null,
      release_reason: null,
      valid_from: t.clock.value - 10 * DAY,
      valid_until: t.clock.value + DAY,
      order_id: null,
    })
    await db()
      .insertInto('coupon_issuances')
      .values([issuance('ci_task_used', 'redeemed', 'TASKUSED2345'), issuance('ci_task_held', 'sent', 'TASKHELD2345')])
      .execute()
    await new TaskGenerator(t.testDb.db).run({ now: t.clock.value })
    expect(await reminders()).toHaveLength(before + 1)
  })

  it('lists next month’s birthdays with her last purchase and her year’s orders', async () => {
    const res = await call('GET', '/api/tasks/birthdays?month=next')
    expect(res.statusCode).toBe(200)
    const next = res.json() as BirthdayList
    const month = addDays(`${today().slice(0, 7)}-28`, 7).slice(0, 7)
    expect(next.month).toBe(month)
    expect(next.items.every((x) => x.birthday.startsWith(month.slice(5)))).toBe(true)
    const birthdays = [...next.items.map((x) => x.birthday)]
    expect([...birthdays].sort()).toEqual(birthdays)
    const mine = new Set(
      (await db().selectFrom('wecom_follows').select('external_user_id').where('user_id', '=', 'lina').execute()).map(
        (r) => r.external_user_id,
      ),
    )
    expect(next.items.every((x) => mine.has(x.customer.externalUserId))).toBe(true)
    for (const entry of next.items) {
      const orders = await db()
        .selectFrom('orders as o')
        .innerJoin('members as m', 'm.id', 'o.member_id')
        .select('o.purchased_at')
        .where('m.external_user_id', '=', entry.customer.externalUserId)
        .where('o.purchased_at', '<=', t.clock.value)
        .execute()
      const times = orders.map((o) => Number(o.purchased_at))
      expect(entry.ordersLastYear).toBe(times.filter((x) => x > t.clock.value - 365 * DAY).length)
      expect(entry.lastPurchaseAt).toBe(times.length ? new Date(Math.max(...times)).toISOString() : null)
    }
    const thisMonth = (await call('GET', '/api/tasks/birthdays?month=this')).json() as BirthdayList
    expect(thisMonth.month).toBe(today().slice(0, 7))
    // This month's written birthday tasks are linked.
    const written = (await all('kind=birthday')).map((x) => x.id)
    expect(thisMonth.items.filter((x) => x.taskId).every((x) => written.includes(x.taskId!) || x.taskId!.startsWith('t_'))).toBe(
      true,
    )
    expect((await call('GET', '/api/tasks/birthdays?month=later')).statusCode).toBe(400)
  })

  it('leaves out a customer who deleted her: no birthday on her list, no task written for her', async () => {
    const next = (await call('GET', '/api/tasks/birthdays?month=next')).json() as BirthdayList
    const gone = next.items[0]!.customer.externalUserId
    const sources = new TaskSourcesRepository(t.testDb.db)
    expect((await sources.followsAround('lina')).some((f) => f.externalUserId === gone)).toBe(true)
    const mark = (at: number | null) =>
      db()
        .updateTable('wecom_follows')
        .set({ deleted_by_customer_at: at })
        .where('external_user_id', '=', gone)
        .where('user_id', '=', 'lina')
        .execute()
    await mark(t.clock.value)
    try {
      const after = (await call('GET', '/api/tasks/birthdays?month=next')).json() as BirthdayList
      expect(after.items.map((x) => x.customer.externalUserId)).not.toContain(gone)
      expect(after.items).toHaveLength(next.items.length - 1)
      expect((await sources.followsAround('lina')).some((f) => f.externalUserId === gone)).toBe(false)
    } finally {
      await mark(null)
    }
  })

  it('expires what is past due plus 3 days, by the job and before listing', async () => {
    const open = await all('status=todo')
    const latest = open.at(-1)!.dueDate
    // A day past the grace of the latest: everything open now has expired.
    const target = Date.parse(`${addDays(latest, 4)}T12:00:00+08:00`)
    t.clock.advance(target - t.clock.value)
    const listed = await all('status=todo')
    expect(listed.every((x) => x.dueDate >= addDays(today(), -3))).toBe(true)
    for (const task of open) expect((await row(task.id)).status).toBe('expired')
    // Expired late can still be ticked: she did it after all.
    expect((await call('POST', `/api/tasks/${open[0]!.id}/complete`)).statusCode).toBe(204)
    expect((await row(open[0]!.id)).status).toBe('done')
  })

  it('needs a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/tasks' })).statusCode).toBe(401)
  })
})

describe.each(DB_KINDS)('tasks from an imported CRM file (%s)', (kind) => {
  it('writes birthday, care and repurchase tasks for the guide who follows her', async () => {
    const test = await createTestDb(kind)
    try {
      const db = test.db.kysely
      const now = FIXED_NOW
      await db
        .insertInto('guides')
        .values(
          ['g1', 'g2'].map((id) => ({
            user_id: id,
            name: id,
            avatar: null,
            store_id: null,
            role: 'guide' as const,
            customers_synced_at: now,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute()
      const follow = (external: string, userId: string, addedAt: number) => ({
        external_user_id: external,
        user_id: userId,
        remark: '',
        description: '',
        tags: '[]',
        added_at: addedAt,
        add_way: 1,
        state: null,
        remark_mobiles: '[]',
        updated_at: now,
      })
      // wmImp1 is followed by both: g2 added her first, so she is g2's.
      await db
        .insertInto('wecom_follows')
        .values([
          follow('wmImp1', 'g1', now - 30 * DAY),
          follow('wmImp1', 'g2', now - 40 * DAY),
          follow('wmImp2', 'g1', now - 10 * DAY),
          follow('wmImp3', 'g1', now - 10 * DAY),
        ])
        .execute()
      const members =
        'member_id,name,birthday,external_user_id\n' +
        `M1,张婷,${addDays(shanghaiDate(now), 4).slice(5)},wmImp1\n` +
        'M2,李雪,1990-03-01,wmImp2\nM3,王芳,,wmImp3\n'
      expect((await importText(test.db, 'members', members, { now })).rejected).toEqual([])
      const day = (days: number) => `${addDays(shanghaiDate(now), days)} 15:00`
      const orders =
        'order_id,line_no,member_id,purchased_at,name,price\n' +
        `O1,1,M2,${day(-2)},真丝衬衫,899\n` +
        `O2,1,M3,${day(-121)},高腰阔腿裤,699\n` +
        `O3,1,M3,${day(-61)},高腰阔腿裤,699\n`
      expect((await importText(test.db, 'orders', orders, { now })).rejected).toEqual([])
      const tasks = await db
        .selectFrom('tasks')
        .select(['guide_id', 'external_user_id', 'kind', 'due_date'])
        .orderBy('kind')
        .execute()
      expect(tasks).toEqual([
        { guide_id: 'g1', external_user_id: 'wmImp2', kind: 'after_purchase', due_date: addDays(shanghaiDate(now), 1) },
        { guide_id: 'g2', external_user_id: 'wmImp1', kind: 'birthday', due_date: addDays(shanghaiDate(now), 1) },
        { guide_id: 'g1', external_user_id: 'wmImp3', kind: 'repurchase', due_date: addDays(shanghaiDate(now), -1) },
      ])
      // The same file again: nothing new.
      await importText(test.db, 'orders', orders, { now })
      expect(await db.selectFrom('tasks').select('id').execute()).toHaveLength(3)
    } finally {
      await test.drop()
    }
  })
})
