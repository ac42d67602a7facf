/**
 * Bogus input cannot spend the corp's WeCom budget: made-up customer and group ids cost at
 * most a guide's budget of lookups a minute, and made-up sign-in codes (each with a fresh
 * state, from any number of addresses) at most the deployment's budget of refused codes,
 * shared by every instance. Past a budget the answer is 429 with Retry-After, without a
 * WeCom call, until the window passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BuiltApp } from '../../src/server/app'
import type { BudgetLimits } from '../../src/server/http/budgets'
import { DB_KINDS } from '../helpers/db'
import { createSecondInstance, createTestApp, parseSetCookies, signIn, type TestApp } from '../helpers/app'
import { addWorldCustomer } from '../helpers/world'

const MINUTE = 60_000
const BUDGETS = {
  lookupMisses: { max: 5, windowMs: MINUTE },
  oauthFailures: { max: 4, windowMs: MINUTE },
} satisfies Partial<BudgetLimits>

describe.each(DB_KINDS)('WeCom budgets (%s)', (kind) => {
  let t: TestApp
  let other: BuiltApp
  let lina: string
  let chenjing: string
  beforeAll(async () => {
    t = await createTestApp(kind, { mode: 'real', failureBudgets: BUDGETS })
    other = await createSecondInstance(t, { failureBudgets: BUDGETS })
    lina = await signIn(t, 'lina')
    chenjing = await signIn(t, 'chenjing')
  })
  afterAll(async () => {
    await other.app.close()
    await t.close()
  })
  const calls = (api: string) => t.world.callCount(api)
  const get = (url: string, cookie: string, app = t.app) => app.inject({ method: 'GET', url, headers: { cookie } })

  it('costs WeCom at most a guide’s budget for many distinct bogus customer and group ids, on every instance', async () => {
    // Start of a window, so the clock does not roll it over mid-test.
    t.clock.value = Math.ceil(t.clock.value / MINUTE) * MINUTE
    const contacts = calls('externalcontact/get')
    const groups = calls('externalcontact/groupchat/get')
    const answers: number[] = []
    for (let i = 0; i < 30; i++) {
      const app = i % 2 === 0 ? t.app : other.app
      const url = i % 3 === 0 ? `/api/groups/wrBogusGroup${i}` : `/api/customers/wmBogusId${String(i).padStart(3, '0')}`
      answers.push((await get(url, lina, app)).statusCode)
    }
    expect(answers.slice(0, BUDGETS.lookupMisses.max)).toEqual(Array(BUDGETS.lookupMisses.max).fill(404))
    expect(answers.slice(BUDGETS.lookupMisses.max)).toEqual(Array(30 - BUDGETS.lookupMisses.max).fill(429))
    expect(calls('externalcontact/get') - contacts + calls('externalcontact/groupchat/get') - groups).toBe(
      BUDGETS.lookupMisses.max,
    )

    const refused = await get('/api/customers/wmBogusIdMore', lina, other.app)
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect(refused.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringMatching(/do not exist.*try again in \d+ s/) },
    })

    // Her own customers (ours already) and another guide's lookups are not affected.
    const hers = t.demo.customers.find((c) => c.follows.some((f) => f.userId === 'lina'))!
    expect((await get(`/api/customers/${hers.externalUserId}`, lina)).statusCode).toBe(200)
    expect((await get('/api/customers/wmBogusForChen', chenjing)).statusCode).toBe(404)

    // Once the window passes, a customer WeCom knows (new to us) opens again.
    addWorldCustomer(t, 'wmBudgetNew01', [{ userId: 'lina', createtime: Math.floor(t.clock.value / 1000) }])
    expect((await get('/api/customers/wmBudgetNew01', lina)).statusCode).toBe(429)
    t.clock.advance(MINUTE)
    expect((await get('/api/customers/wmBudgetNew01', lina)).statusCode).toBe(200)
  })

  it('costs WeCom at most the deployment’s budget for many bogus sign-in codes from many addresses', async () => {
    t.clock.value = Math.ceil(t.clock.value / MINUTE) * MINUTE
    const attempt = async (code: string, n: number, app = n % 2 === 0 ? t.app : other.app) => {
      const remoteAddress = `198.51.100.${n % 250}`
      const login = await app.inject({ method: 'GET', url: '/api/auth/login', remoteAddress })
      const oauth = parseSetCookies(login.headers['set-cookie']).get('gs_oauth')!
      const state = new URL(login.headers.location as string, 'http://x').searchParams.get('state')!
      return app.inject({
        method: 'GET',
        url: `/api/auth/callback?code=${code}&state=${state}`,
        remoteAddress,
        headers: { cookie: `gs_oauth=${oauth.value}` },
      })
    }
    const before = calls('auth/getuserinfo')
    const answers: number[] = []
    for (let i = 0; i < 40; i++) answers.push((await attempt(`bogusCode${i}`, i)).statusCode)
    expect(calls('auth/getuserinfo') - before).toBe(BUDGETS.oauthFailures.max)
    expect(answers.slice(0, BUDGETS.oauthFailures.max)).toEqual(Array(BUDGETS.oauthFailures.max).fill(400))
    expect(new Set(answers.slice(BUDGETS.oauthFailures.max))).toEqual(new Set([429]))

    // A real code meanwhile waits too, told when to come back; once the window passes it signs in.
    const waiting = await attempt(t.world.issueCode('lina'), 41)
    expect(waiting.statusCode).toBe(429)
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0)
    expect(waiting.json()).toMatchObject({ error: { code: 'rate_limited' } })
    expect(calls('auth/getuserinfo') - before).toBe(BUDGETS.oauthFailures.max)
    t.clock.advance(MINUTE)
    const signedIn = await attempt(t.world.issueCode('lina'), 42)
    expect(signedIn.statusCode).toBe(302)
    expect(parseSetCookies(signedIn.headers['set-cookie']).get('gs_session')).toBeDefined()
  })
})
