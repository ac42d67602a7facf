/**
 * The sidebar's layout in Chromium, where sizes are real: the customer header at 360×640
 * (≤ 120 px, then a one-line bar that stays while she scrolls), buttons whose labels never
 * break one character a line, replies that read as she will in her chat (and show
 * variables as chips elsewhere), and the workbench in a wide desktop window.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/demo/data'
import { chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

const demo = buildDemoData()
const isMember = (externalUserId: string) => demo.members.some((m) => m.externalUserId === externalUserId)
const linas = demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina'))
const notMember = linas.find((c) => !isMember(c.externalUserId))!

describe.skipIf(!chromiumAvailable())('the sidebar’s layout', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let sidebar: FrameLocator
  const errors: string[] = []

  /** The framed sidebar's own window, to scroll it and measure in it. */
  async function sidebarWindow() {
    return (await (await page.$('[data-testid=sidebar-frame]'))!.contentFrame())!
  }

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    // The simulator's bar is 80 px: the sidebar frame is 360 × 640.
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    page.on('pageerror', (error) => errors.push(error.message))
    await page.context().addCookies([{ name: 'gs_sim_user', value: 'lina', url: server.url }])
    await page.goto(`${server.url}/simulator/`)
    sidebar = page.frameLocator('[data-testid=sidebar-frame]')
    await sidebar.getByTestId('customer-header').waitFor({ timeout: 20_000 })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('keeps her header within 120 px, then folds it into a one-line bar above the tabs as she scrolls', async () => {
    const frame = await sidebarWindow()
    expect(await frame.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([360, 640])
    const header = (await sidebar.getByTestId('customer-header').boundingBox())!
    const frameBox = (await (await page.$('[data-testid=sidebar-frame]'))!.boundingBox())!
    expect(header.height).toBeLessThanOrEqual(120)
    expect(await sidebar.getByTestId('customer-bar').isVisible()).toBe(false)

    await frame.evaluate(() => window.scrollTo(0, 400))
    const bar = sidebar.getByTestId('customer-bar')
    await expect.poll(() => bar.isVisible()).toBe(true)
    const barBox = (await bar.boundingBox())!
    const tabs = (await sidebar.getByTestId('tab-profile').boundingBox())!
    expect(barBox.y).toBe(frameBox.y)
    expect(barBox.height).toBeLessThanOrEqual(56)
    // The tabs stick right under it; the full header has scrolled away.
    expect(Math.abs(tabs.y - (barBox.y + barBox.height))).toBeLessThanOrEqual(1)
    expect((await sidebar.getByTestId('customer-header').boundingBox())!.y + header.height).toBeLessThanOrEqual(
      barBox.y + barBox.height,
    )
    const name = (await sidebar.getByTestId('customer-name').textContent())!.trim()
    expect(await bar.textContent()).toContain(name)
    // Tapping the bar brings her profile back to the top.
    await sidebar.getByTestId('tab-replies').click()
    await sidebar.locator('[data-reply-item]').first().waitFor()
    await frame.evaluate(() => window.scrollTo(0, 600))
    await expect.poll(() => bar.isVisible()).toBe(true)
    await bar.click()
    await expect.poll(() => frame.evaluate(() => window.scrollY)).toBe(0)
    expect(await sidebar.getByTestId('tab-profile').getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => bar.isVisible()).toBe(false)
  })

  it('reads replies as she will in her chat, with no raw variables', async () => {
    await sidebar.getByTestId('tab-replies').click()
    await sidebar.getByTestId('reply-search').locator('input').fill('新衣服穿着怎么样')
    const row = sidebar.locator('[data-reply-item]').first()
    await row.waitFor()
    const text = (await row.textContent()) ?? ''
    expect(text).not.toContain('{称呼}')
    expect(await row.getByTestId('reply-variable').count()).toBe(0)
    await sidebar.getByTestId('tab-profile').click()
  })

  /** How many lines a button's label takes: about 1 when it stays on one line. */
  const labelLines = (button: ReturnType<FrameLocator['locator']>) =>
    button
      .locator('.van-button__text')
      .evaluate((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).fontSize))

  it('never breaks 添加 one character a line at 360 px', async () => {
    await sidebar.getByTestId('tags-edit').click()
    expect(await labelLines(sidebar.locator('.tag-editor__add .van-button'))).toBeLessThan(1.8)
    await sidebar.locator('.van-popup:visible .van-popup__close-icon').first().click()
    await sidebar.getByTestId('fact-stylePreferences').click()
    expect(await labelLines(sidebar.locator('.fact-editor__add .van-button'))).toBeLessThan(1.8)
    await sidebar.locator('.van-popup:visible .van-popup__close-icon').first().click()
  })

  it('never breaks 查找 in the member binding either', async () => {
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('customer-total').waitFor({ timeout: 20_000 })
    await sidebar.getByTestId(`customer-item-${notMember.externalUserId}`).click()
    await sidebar.getByTestId('bind-open').click()
    expect(await labelLines(sidebar.getByTestId('bind-search'))).toBeLessThan(1.8)
  })

  it('shows variables as chips in the workbench, where there is no customer to fill them for', async () => {
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('customer-total').waitFor({ timeout: 20_000 })
    await sidebar.getByTestId('tab-replies').click()
    await sidebar.getByTestId('reply-search').locator('input').fill('新衣服穿着怎么样')
    const row = sidebar.locator('[data-reply-item]').first()
    await row.waitFor()
    expect(await row.textContent()).not.toContain('{称呼}')
    expect(await row.getByTestId('reply-variable').first().textContent()).toBe('称呼')
  })

  it('uses a wide workbench window sensibly: a centred column, not phone rows stretched edge to edge', async () => {
    const wide = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) wxwork/4.1.30 MicroMessenger/7.0.1 Chrome/120 Safari/537.36',
    })
    wide.on('pageerror', (error) => errors.push(error.message))
    await wide.context().addCookies(await page.context().cookies())
    await wide.goto(`${server.url}/#/workbench`)
    await wide.getByTestId('customer-total').waitFor({ timeout: 20_000 })
    const row = (await wide.locator('[data-testid^=customer-item-]').first().boundingBox())!
    expect(row.width).toBeLessThanOrEqual(720)
    expect(Math.abs(row.x + row.width / 2 - 640)).toBeLessThanOrEqual(2)
    const tabbar = (await wide.locator('.van-tabbar').boundingBox())!
    expect(tabbar.width).toBeLessThanOrEqual(720)
    expect(Math.abs(tabbar.x - row.x)).toBeLessThanOrEqual(1)
    await wide.close()
  })

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
