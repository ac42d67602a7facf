import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/demo/data'
import { ROOT, chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

const demo = buildDemoData()
const linaCustomers = demo.customers.filter((c) => c.follows.some((f) => f.userId === 'lina'))
const remarkFor = (externalUserId: string, userId: string) =>
  demo.customers.find((c) => c.externalUserId === externalUserId)!.follows.find((f) => f.userId === userId)!.remark

describe.skipIf(!chromiumAvailable())('the simulator, end to end in Chromium', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let sidebar: FrameLocator
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.context().addCookies([{ name: 'gs_sim_user', value: 'lina', url: server.url }])
    await page.goto(`${server.url}/simulator/`)
    sidebar = page.frameLocator('[data-testid=sidebar-frame]')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('opens the first chat and shows that customer in the sidebar', async () => {
    const title = (await page.getByTestId('chat-title').textContent())!.trim()
    await expect.poll(() => sidebar.getByTestId('customer-name').textContent(), { timeout: 20_000 }).toBe(title)
    // The sidebar went through the unmodified SDK: agentConfig was checked and passed.
    const frame = page.frames().find((f) => f.url().startsWith(server.url) && f !== page.mainFrame())!
    expect(await frame.evaluate(() => navigator.userAgent)).toMatch(/wxwork\//)
  })

  it('switches customer and never shows the previous one', async () => {
    const first = (await sidebar.getByTestId('customer-name').textContent())!.trim()
    const next = linaCustomers.find((c) => remarkFor(c.externalUserId, 'lina') !== first)!
    const expected = remarkFor(next.externalUserId, 'lina')
    const seen = new Set<string>()
    await page.getByTestId(`chat-${next.externalUserId}`).click()
    const deadline = Date.now() + 20_000
    for (;;) {
      const name = await sidebar
        .getByTestId('customer-name')
        .textContent({ timeout: 200 })
        .catch(() => null)
      if (name) seen.add(name.trim())
      if (name?.trim() === expected || Date.now() > deadline) break
      await page.waitForTimeout(30)
    }
    expect(seen.has(expected)).toBe(true)
    expect(seen.has(first)).toBe(false)
    await expect.poll(() => sidebar.getByTestId('customer-summary').textContent()).not.toBe('')
  })

  it('keeps the sidebar alive across a switch when asked, and still follows the open chat', async () => {
    await page.getByTestId('reopen-toggle').uncheck()
    const current = (await sidebar.getByTestId('customer-name').textContent())!.trim()
    const other = linaCustomers.find(
      (c) => remarkFor(c.externalUserId, 'lina') !== current && !c.follows.some((f) => f.remark === current),
    )!
    await page.getByTestId(`chat-${other.externalUserId}`).click()
    await expect
      .poll(() => sidebar.getByTestId('customer-name').textContent(), { timeout: 20_000 })
      .toBe(remarkFor(other.externalUserId, 'lina'))
    await page.getByTestId('reopen-toggle').check()
  })

  it('opens from the customer profile page (contact_profile) as well as the chat toolbar', async () => {
    const current = (await sidebar.getByTestId('customer-name').textContent())!.trim()
    await page.getByTestId('open-from-profile').click()
    expect(await page.locator('.toolbar__entry').textContent()).toBe('客户资料')
    await sidebar.getByTestId('customer-name').waitFor({ timeout: 20_000 })
    expect((await sidebar.getByTestId('customer-name').textContent())!.trim()).toBe(current)
    await page.getByTestId('open-from-profile').click()
    expect(await page.locator('.toolbar__entry').textContent()).toBe('单聊工具栏')
  })

  it('shows the group view in a group chat and opens a customer from it', async () => {
    const group = demo.groups.find((g) => g.owner === 'wanglei')!
    await page.getByTestId(`chat-${group.chatId}`).click()
    await expect.poll(() => sidebar.getByTestId('group-header').textContent(), { timeout: 20_000 }).toContain(group.name)
    const mine = group.customers.find((c) => linaCustomers.some((l) => l.externalUserId === c.externalUserId))
    if (mine) {
      await sidebar.getByTestId(`group-customer-${mine.externalUserId}`).click()
      await expect
        .poll(() => sidebar.getByTestId('customer-name').textContent(), { timeout: 20_000 })
        .toBe(remarkFor(mine.externalUserId, 'lina'))
    }
  })

  it('shows the guide her customers on the workbench, with search', async () => {
    await page.getByTestId('chat-workbench').click()
    const first = linaCustomers[0]!
    await expect.poll(() => sidebar.locator('[data-testid^=customer-item-]').count(), { timeout: 20_000 }).toBeGreaterThan(5)
    // Back from a customer lands where the guide left the list.
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(server.url))!
    await frame.evaluate(() => window.scrollTo(0, 300))
    await sidebar.locator('[data-testid^=customer-item-]').nth(8).click()
    await sidebar.getByTestId('customer-name').waitFor({ timeout: 20_000 })
    await sidebar.locator('.van-nav-bar__left').click()
    await sidebar.locator('[data-testid^=customer-item-]').first().waitFor()
    await expect.poll(() => frame.evaluate(() => Math.round(window.scrollY))).toBe(300)

    const remark = remarkFor(first.externalUserId, 'lina')
    await sidebar.getByTestId('customer-search').locator('input').fill(remark)
    await expect
      .poll(() => sidebar.getByTestId(`customer-item-${first.externalUserId}`).isVisible(), { timeout: 10_000 })
      .toBe(true)
  })

  it('takes the README screenshot of a customer chat', async () => {
    const customer = linaCustomers.find(
      (c) =>
        c.follows[0]!.userId === 'lina' &&
        c.gender === 2 &&
        demo.members.some(
          (m) => m.externalUserId === c.externalUserId && demo.orders.filter((o) => o.memberId === m.id).length >= 3,
        ),
    )!
    await page.getByTestId(`chat-${customer.externalUserId}`).click()
    await expect
      .poll(() => sidebar.getByTestId('customer-name').textContent(), { timeout: 20_000 })
      .toBe(remarkFor(customer.externalUserId, 'lina'))
    await sidebar.locator('.item__image').first().waitFor({ timeout: 10_000 })
    await page.waitForTimeout(300)
    const dir = path.join(ROOT, 'tests/e2e/screenshots')
    mkdirSync(dir, { recursive: true })
    await page.screenshot({ path: path.join(dir, 'simulator.png') })
    expect(pageErrors).toEqual([])
  })

  it('shows the friendly outside page in a plain browser, with the simulator link', async () => {
    const plain = await browser.newPage()
    await plain.goto(`${server.url}/`)
    await plain.getByTestId('outside-page').waitFor({ timeout: 20_000 })
    expect(await plain.getByTestId('open-simulator').getAttribute('href')).toBe('/simulator/')
    await plain.close()
  })
})
