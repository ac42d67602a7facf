/**
 * Real mode, end to end: our server is configured with WeCom credentials and talks to a
 * stand-in for WeCom's servers that this test starts on loopback. The browser plays the
 * WeCom client: a `wxwork` user agent, a WeixinJSBridge injected before the page loads,
 * and open.weixin.qq.com's authorize step answered with a code.
 */
import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/demo/data'
import { SimulatorWorld } from '../../src/server/simulator/world'
import { createWecomStandIn } from '../helpers/app'
import { chromiumAvailable, freePort, launchBrowser, startServer, type RunningServer } from './helpers'

const CORP_ID = 'wwe2e0000000000001'
const AGENT_ID = '1000009'
const SECRET = 'e2e-secret'
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) wxwork/4.1.30 MicroMessenger/7.0.1'

describe.skipIf(!chromiumAvailable())('real mode against a WeCom stand-in, in Chromium', () => {
  const demo = buildDemoData()
  const world = SimulatorWorld.fromDemo(demo, { corpId: CORP_ID, agentId: AGENT_ID, secret: SECRET })
  const customer = demo.customers.find((c) => c.follows[0]!.userId === 'lina')!
  let wecom: FastifyInstance
  let server: RunningServer
  let browser: Browser
  let publicUrl: string

  beforeAll(async () => {
    wecom = await createWecomStandIn(world)
    await wecom.listen({ port: 0, host: '127.0.0.1' })
    const address = wecom.server.address()
    const wecomBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    const port = await freePort()
    publicUrl = `http://127.0.0.1:${port}`
    server = await startServer({
      PORT: String(port),
      WECOM_CORP_ID: CORP_ID,
      WECOM_AGENT_ID: AGENT_ID,
      WECOM_SECRET: SECRET,
      WECOM_API_BASE: wecomBase,
      PUBLIC_URL: publicUrl,
      SESSION_SECRET: 'e2e-session-secret-that-is-long-enough',
    })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await wecom?.close()
  })

  /** WeCom's client as the page sees it, on a chat with her open; sign-in answered with a code. */
  async function sidebarContext(): Promise<{ context: BrowserContext; authorizeUrl: () => string }> {
    const context = await browser.newContext({ userAgent: UA })
    // WeCom's authorize page, answered as the client would: back to our callback with a code.
    let authorizeUrl = ''
    await context.route('https://open.weixin.qq.com/connect/oauth2/authorize**', async (route) => {
      authorizeUrl = route.request().url()
      const params = new URL(authorizeUrl).searchParams
      const back = new URL(params.get('redirect_uri')!)
      back.searchParams.set('code', world.issueCode('lina'))
      back.searchParams.set('state', params.get('state')!)
      await route.fulfill({ status: 302, headers: { location: back.href } })
    })
    await context.addInitScript(
      ({ userId }) => {
        const calls: { name: string; params: Record<string, unknown>; url: string }[] = []
        ;(window as unknown as { __bridgeCalls: typeof calls }).__bridgeCalls = calls
        const answers: Record<string, () => Record<string, unknown>> = {
          agentConfig: () => ({ err_msg: 'agentConfig:ok', checkResult: {} }),
          getContext: () => ({ err_msg: 'getContext:ok', entry: 'single_chat_tools' }),
          getCurExternalContact: () => ({ err_msg: 'getCurExternalContact:ok', userId }),
        }
        ;(window as unknown as { WeixinJSBridge: unknown }).WeixinJSBridge = {
          invoke(name: string, params: Record<string, unknown>, callback: (r: Record<string, unknown>) => void) {
            calls.push({ name, params: JSON.parse(JSON.stringify(params ?? {})), url: location.href })
            const answer = answers[name]?.() ?? { err_msg: `${name}:fail not supported` }
            setTimeout(() => callback(answer), 10)
          },
          on() {},
        }
      },
      { userId: customer.externalUserId },
    )
    return { context, authorizeUrl: () => authorizeUrl }
  }

  it('signs in through OAuth, passes agentConfig with a valid signature, and shows the open customer', async () => {
    const { context, authorizeUrl } = await sidebarContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))

    const started = Date.now()
    await page.goto(`${publicUrl}/`)
    await expect
      .poll(() => page.getByTestId('customer-name').textContent(), { timeout: 30_000 })
      .toBe(customer.follows[0]!.remark)
    const elapsed = Date.now() - started

    // The OAuth redirect carried the documented parameters.
    const authorize = new URL(authorizeUrl())
    expect(authorize.searchParams.get('appid')).toBe(CORP_ID)
    expect(authorize.searchParams.get('agentid')).toBe(AGENT_ID)
    expect(authorize.searchParams.get('scope')).toBe('snsapi_base')
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${publicUrl}/api/auth/callback`)

    // The SDK received an agentConfig signature that verifies for the page it was on.
    const calls = await page.evaluate(
      () =>
        (window as unknown as { __bridgeCalls: { name: string; params: Record<string, unknown>; url: string }[] }).__bridgeCalls,
    )
    const agentConfig = calls.find((c) => c.name === 'agentConfig')!
    expect(agentConfig.params).toMatchObject({ corpid: CORP_ID, agentid: AGENT_ID })
    const pageUrl = agentConfig.url.split('#')[0]!
    expect(pageUrl.startsWith(publicUrl)).toBe(true)
    expect(pageUrl).not.toContain('gs_login')
    const ticket = world.currentTicket('agent')!
    const expected = createHash('sha1')
      .update(
        `jsapi_ticket=${ticket}&noncestr=${String(agentConfig.params.nonceStr)}&timestamp=${String(agentConfig.params.timestamp)}&url=${pageUrl}`,
      )
      .digest('hex')
    expect(agentConfig.params.signature).toBe(expected)
    expect(String(agentConfig.params.timestamp)).toMatch(/^\d{10}$/)
    // Her name is drawn by the page's entry from getCurExternalContact; the app asks
    // getContext once its own code has come, which may be a moment after.
    await expect
      .poll(
        () => page.evaluate(() => (window as unknown as { __bridgeCalls: { name: string }[] }).__bridgeCalls.map((c) => c.name)),
        { timeout: 15_000 },
      )
      .toEqual(expect.arrayContaining(['agentConfig', 'getContext', 'getCurExternalContact']))

    // An empty real-mode database: WeCom data only, and the profile says so without looking broken.
    await expect.poll(() => page.getByTestId('member-card').textContent()).toContain('尚未绑定会员')
    expect(errors).toEqual([])
    console.info(`real mode: first load to profile (incl. OAuth round trip) took ${elapsed} ms`)
    // A second visit: signed in, server warm. Logged for the notes; budgets live in tests/bench.
    const t0 = Date.now()
    await page.reload()
    await expect
      .poll(() => page.getByTestId('customer-name').textContent(), { timeout: 30_000, interval: 20 })
      .toBe(customer.follows[0]!.remark)
    console.info(`real mode: reload to profile took ${Date.now() - t0} ms`)
    await context.close()
  })

  it('draws her name before the app’s code has come, where the app then draws it, asking WeCom and the server once', async () => {
    const { context } = await sidebarContext()
    // Where and when the entry's own name shows, as the page records it (before any script of ours runs).
    await context.addInitScript(() => {
      const seen: { at: number; box: DOMRect; font: string }[] = []
      ;(window as unknown as { __earlyName: typeof seen }).__earlyName = seen
      new MutationObserver(() => {
        const name = document.querySelector('h1.gs-boot__name')
        if (name && !seen.length) {
          seen.push({ at: performance.now(), box: name.getBoundingClientRect(), font: getComputedStyle(name).font })
        }
      }).observe(document, { childList: true, subtree: true })
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    const profileRequests: string[] = []
    page.on('request', (request) => {
      if (request.url().includes(`/api/customers/${customer.externalUserId}`)) profileRequests.push(request.url())
    })
    // Signed in first (the sign-in round trip loads the page twice), then measured on a fresh load.
    await page.goto(`${publicUrl}/`)
    await expect.poll(() => page.getByTestId('customer-header').count(), { timeout: 30_000 }).toBe(1)
    profileRequests.length = 0
    await page.reload()
    await expect.poll(() => page.getByTestId('customer-header').count(), { timeout: 30_000 }).toBe(1)

    const early = await page.evaluate(
      () => (window as unknown as { __earlyName: { at: number; box: DOMRect; font: string }[] }).__earlyName,
    )
    expect(early).toHaveLength(1)
    // Before a byte of the app (Vue and the screens) was asked for.
    const appAsked = await page.evaluate(() =>
      Math.min(
        ...performance
          .getEntriesByType('resource')
          .filter((entry) => /\/assets\/(start-app|vue)-/.test(entry.name))
          .map((entry) => entry.startTime),
      ),
    )
    expect(early[0]!.at).toBeLessThan(appAsked)
    // The app's header replaced it in place: same spot, same type, her name once on the page.
    const name = page.getByTestId('customer-name')
    await expect.poll(() => name.count()).toBe(1)
    expect(await name.textContent()).toBe(customer.follows[0]!.remark)
    const box = (await name.boundingBox())!
    expect(Math.abs(box.x - early[0]!.box.x)).toBeLessThanOrEqual(1)
    expect(Math.abs(box.y - early[0]!.box.y)).toBeLessThanOrEqual(1)
    expect(await name.evaluate((element) => getComputedStyle(element).font)).toBe(early[0]!.font)
    // One ask of WeCom and one of our server for her, shared by the entry and the app.
    expect(profileRequests).toHaveLength(1)
    const calls = await page.evaluate(() => (window as unknown as { __bridgeCalls: { name: string }[] }).__bridgeCalls)
    expect(calls.filter((call) => call.name === 'getCurExternalContact')).toHaveLength(1)
    expect(calls.filter((call) => call.name === 'agentConfig')).toHaveLength(1)
    expect(errors).toEqual([])
    await context.close()
  })

  it('has no simulator in real mode', async () => {
    const res = await fetch(`${publicUrl}/simulator/`)
    expect(res.status).toBe(404)
  })
})
