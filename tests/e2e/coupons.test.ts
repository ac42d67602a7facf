/**
 * Coupons in the simulator, end to end through the unmodified JS-SDK: the guide sends a
 * coupon into the chat, cancels another in WeCom's confirm (its stock comes back), the
 * customer opens the claim page in a browser of her own, the store's till redeems the
 * code with its API key, and the guide sees each step in the customer's coupons.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/demo/data'
import { DEMO_TILL_KEYS } from '../../src/server/demo/coupons'
import { chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

const demo = buildDemoData()
// 新客见面礼 is for customers who have not bought yet: one without a member record.
const customer = demo.customers.find(
  (c) =>
    c.follows.length === 1 && c.follows[0]!.userId === 'lina' && !demo.members.some((m) => m.externalUserId === c.externalUserId),
)!
const WELCOME = 'ct_demo_welcome'
const BIG = 'ct_demo_1000_150'

describe.skipIf(!chromiumAvailable())('coupons in the simulator', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let sidebar: FrameLocator
  const errors: string[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    page = await context.newPage()
    page.on('pageerror', (error) => errors.push(error.message))
    await context.addCookies([{ name: 'gs_sim_user', value: 'lina', url: server.url }])
    await page.goto(`${server.url}/simulator/`)
    sidebar = page.frameLocator('[data-testid=sidebar-frame]')
    await page.getByTestId(`chat-${customer.externalUserId}`).click()
    await sidebar.getByTestId('customer-name').waitFor({ timeout: 20_000 })
    await sidebar.getByTestId('tab-coupons').click()
    await sidebar.getByTestId('coupon-panel').waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** What the server says, asked from inside the sidebar with the guide's session. */
  const api = <T>(path: string) =>
    page.evaluate(async (url) => {
      const frame = document.querySelector<HTMLIFrameElement>('[data-testid=sidebar-frame]')!
      return (await (await frame.contentWindow!.fetch(url)).json()) as unknown
    }, path) as Promise<T>
  const stockOf = async (id: string) => {
    const { offers } = await api<{ offers: { template: { id: string; stockLeft: number } }[] }>(
      `/api/customers/${customer.externalUserId}/coupon-offers`,
    )
    return offers.find((o) => o.template.id === id)!.template.stockLeft
  }

  let claimUrl = ''

  it('sends a coupon into the chat as a card with its claim link', async () => {
    await sidebar.getByTestId(`offer-${WELCOME}`).waitFor({ timeout: 15_000 })
    const before = await stockOf(WELCOME)
    await sidebar.getByTestId(`offer-send-${WELCOME}`).click()
    const card = page.getByTestId('sent-card').last()
    await card.waitFor({ timeout: 15_000 })
    // The card as the server made it: her coupon's value first, then its name.
    expect(await card.textContent()).toMatch(/^¥\d+ 无门槛券新客见面礼/)
    claimUrl = (await card.getByTestId('sent-card-link').getAttribute('href'))!
    expect(claimUrl).toMatch(/\/c\/[A-Z2-9]{12}$/)
    expect(claimUrl).not.toContain(customer.externalUserId)
    await expect.poll(() => stockOf(WELCOME)).toBe(before - 1)
    const held = sidebar.getByTestId('coupons-held')
    await expect.poll(() => held.textContent(), { timeout: 10_000 }).toContain('已发送')
  })

  it('gives the coupon back when the guide cancels in WeCom’s confirm', async () => {
    const before = await stockOf(BIG)
    const cards = await page.getByTestId('sent-card').count()
    await page.getByTestId('confirm-toggle').check()
    await sidebar.getByTestId(`offer-send-${BIG}`).click()
    await page.getByTestId('send-confirm').waitFor()
    // While WeCom asks, the coupon is held for her.
    expect(await stockOf(BIG)).toBe(before - 1)
    await page.getByTestId('send-confirm-cancel').click()
    await expect.poll(() => stockOf(BIG), { timeout: 10_000 }).toBe(before)
    await page.getByTestId('confirm-toggle').uncheck()
    expect(await page.getByTestId('sent-card').count()).toBe(cards)
  })

  it('is claimed when she opens it, redeemed once at the till, and the guide sees each step', async () => {
    const herContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })
    const her = await herContext.newPage()
    expect((await her.goto(claimUrl))?.status()).toBe(200)
    const code = claimUrl.split('/c/')[1]!
    await expect.poll(() => her.locator('body').textContent()).toContain(code.slice(0, 4))
    expect(await her.locator('svg').count()).toBeGreaterThan(0)
    expect(await her.locator('script[src]').count()).toBe(0)
    await herContext.close()

    const reload = async () => {
      await sidebar.getByTestId('tab-profile').click()
      await sidebar.getByTestId('tab-coupons').click()
      await sidebar.getByTestId('coupons-held').waitFor()
    }
    await reload()
    await expect.poll(() => sidebar.getByTestId('coupons-held').textContent(), { timeout: 10_000 }).toContain('已领取')

    const redeem = () =>
      fetch(`${server.url}/api/redemptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TILL_KEYS.S001}` },
        body: JSON.stringify({ code }),
      })
    const first = await redeem()
    expect(first.status).toBe(200)
    const second = await redeem()
    expect(second.status).toBe(409)
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('already_redeemed')

    await reload()
    await expect.poll(() => sidebar.getByTestId('coupons-held').textContent(), { timeout: 10_000 }).toContain('已使用')

    // Her 动态 tells each step too.
    await sidebar.getByTestId('tab-profile').click()
    const timeline = async () => {
      await sidebar.getByTestId('timeline').scrollIntoViewIfNeeded()
      return (await sidebar.getByTestId('timeline').textContent()) ?? ''
    }
    await expect.poll(timeline, { timeout: 10_000 }).toContain('使用了优惠券「新客见面礼 30 元」')
    const steps = await timeline()
    expect(steps).toContain('她领取了优惠券「新客见面礼 30 元」')
    expect(steps).toContain('发送了优惠券「新客见面礼 30 元」')
    expect(steps).not.toContain(code)
    expect(errors).toEqual([])
  })
})
