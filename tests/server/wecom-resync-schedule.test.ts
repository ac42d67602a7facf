/**
 * When the nightly resync runs: once a China day, at the first check after the nightly
 * hour, on whichever instance gets there first; a restart does not skip the day, and a
 * run that failed or died with its instance is taken up again, a bounded number of times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BuiltApp } from '../../src/server/app'
import { RESYNC_CLAIM_RULES } from '../../src/server/modules/callbacks/resync.service'
import { chinaDayStart } from '../../src/server/modules/stats/periods'
import { DB_KINDS } from '../helpers/db'
import { createSecondInstance, createTestApp, type TestApp } from '../helpers/app'

const HOUR = 3_600_000
const MINUTE = 60_000

describe.each(DB_KINDS)('the nightly WeCom resync’s schedule (%s)', (kind) => {
  let t: TestApp
  let guides: number
  const others: BuiltApp[] = []
  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real' })
    guides = (await t.testDb.db.kysely.selectFrom('guides').select('user_id').where('left_at', 'is', null).execute()).length
    expect(guides).toBeGreaterThan(1)
  })
  afterAll(async () => {
    for (const other of others) await other.app.close()
    await t.close()
  })
  const second = async () => {
    const built = await createSecondInstance(t)
    others.push(built)
    return built
  }
  const reads = () => t.world.callCount('externalcontact/batch/get_by_user')
  const run = (day: string) =>
    t.testDb.db.kysely.selectFrom('wecom_resync_runs').selectAll().where('day', '=', day).executeTakeFirst()

  it('waits for 03:00 China time, and a restarted instance does not skip the day', async () => {
    t.clock.value = chinaDayStart('2026-11-26') + 2 * HOUR
    const before = reads()
    expect(await t.resync.runDue()).toBe(false)
    expect(reads()).toBe(before)
    expect(await run('2026-11-26')).toBeUndefined()

    // The instance restarts at 03:20: the first check after it runs the day.
    const restarted = await second()
    t.clock.value = chinaDayStart('2026-11-26') + 3 * HOUR + 20 * MINUTE
    expect(await restarted.resync.runDue()).toBe(true)
    expect(reads() - before).toBe(guides)
    expect(await run('2026-11-26')).toMatchObject({ status: 'done', attempts: 1 })
    // Done for the day, on every instance and after another restart.
    t.clock.advance(6 * HOUR)
    expect(await t.resync.runDue()).toBe(false)
    expect(await restarted.resync.runDue()).toBe(false)
    expect(await (await second()).resync.runDue()).toBe(false)
    expect(reads() - before).toBe(guides)

    // The next day, again once.
    t.clock.value = chinaDayStart('2026-11-27') + 3 * HOUR + MINUTE
    expect(await t.resync.runDue()).toBe(true)
    expect(reads() - before).toBe(2 * guides)
  })

  it('runs a day once when two instances check at the same moment', async () => {
    const other = await second()
    t.clock.value = chinaDayStart('2026-11-28') + 4 * HOUR
    const before = reads()
    const ran = await Promise.all([t.resync.runDue(), other.resync.runDue(), t.resync.runDue()])
    expect(ran.filter(Boolean)).toHaveLength(1)
    expect(reads() - before).toBe(guides)
  })

  it('tries a failed run again at a later check, a bounded number of times', async () => {
    t.clock.value = chinaDayStart('2026-11-29') + 3 * HOUR + MINUTE
    // WeCom refuses every guide: the run did nothing and the day is not spent.
    t.world.injectFault('externalcontact/batch/get_by_user', 60020, guides, 'not allow to access from your ip')
    expect(await t.resync.runDue()).toBe(false)
    expect(await run('2026-11-29')).toMatchObject({ status: 'failed', attempts: 1 })
    const before = reads()
    // Not at once: a quarter of an hour later.
    t.clock.advance(5 * MINUTE)
    expect(await t.resync.runDue()).toBe(false)
    expect(reads()).toBe(before)
    t.clock.advance(RESYNC_CLAIM_RULES.retryAfterMs)
    expect(await t.resync.runDue()).toBe(true)
    expect(reads() - before).toBe(guides)
    expect(await run('2026-11-29')).toMatchObject({ status: 'done', attempts: 2 })

    // A day WeCom refuses all day is given up after its attempts.
    t.clock.value = chinaDayStart('2026-11-30') + 3 * HOUR + MINUTE
    t.world.injectFault('externalcontact/batch/get_by_user', 60020, 100 * guides, 'not allow to access from your ip')
    for (let i = 0; i < RESYNC_CLAIM_RULES.maxAttempts; i++) {
      expect(await t.resync.runDue()).toBe(false)
      t.clock.advance(RESYNC_CLAIM_RULES.retryAfterMs)
    }
    expect(await run('2026-11-30')).toMatchObject({ status: 'failed', attempts: RESYNC_CLAIM_RULES.maxAttempts })
    const given = reads()
    t.clock.advance(HOUR)
    expect(await t.resync.runDue()).toBe(false)
    expect(reads()).toBe(given)
    t.world.clearFaults()
  })

  it('takes up a run whose instance died mid-way once its heartbeat is stale', async () => {
    const day = '2026-12-01'
    const died = chinaDayStart(day) + 3 * HOUR + MINUTE
    await t.testDb.db.kysely
      .insertInto('wecom_resync_runs')
      .values({ day, status: 'running', attempts: 1, started_at: died, heartbeat_at: died, finished_at: null, outcome: null })
      .execute()
    const before = reads()
    t.clock.value = died + RESYNC_CLAIM_RULES.staleMs - MINUTE
    expect(await t.resync.runDue()).toBe(false)
    expect(reads()).toBe(before)
    t.clock.value = died + RESYNC_CLAIM_RULES.staleMs + MINUTE
    expect(await t.resync.runDue()).toBe(true)
    expect(reads() - before).toBe(guides)
    expect(await run(day)).toMatchObject({ status: 'done', attempts: 2 })
  })
})
