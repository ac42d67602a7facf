/**
 * The manager's desk at 1280 × 800 in the simulator, opened as 王蕾 from her workbench: she
 * sorts her team by sales, previews lina's sidebar on a customer (the ribbon is there, a
 * send is refused and nothing reaches the chat), then creates a campaign whose task lina
 * finds on her own workbench.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CustomerList } from '../../src/shared/customer'
import type { TaskList } from '../../src/shared/tasks'
import { chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

describe.skipIf(!chromiumAvailable())('the manager’s desk in the simulator', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let sidebar: FrameLocator
  let desk: FrameLocator
  const errors: string[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await context.addCookies([{ name: 'gs_sim_user', value: 'wanglei', url: server.url }])
    page = await context.newPage()
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${server.url}/simulator/`)
    sidebar = page.frameLocator('[data-testid=sidebar-frame]')
    desk = page.frameLocator('[data-testid=desk-window-frame]')
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('tab-mine').click({ timeout: 20_000 })
    await sidebar.getByTestId('open-manage').click()
    await desk.getByTestId('team-table').waitFor({ timeout: 20_000 })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** Asked from inside the desk window, with whatever session it has. */
  const api = <T>(path: string) =>
    page.evaluate(async (url) => {
      const frame = document.querySelector<HTMLIFrameElement>('[data-testid=desk-window-frame]')!
      return (await (await frame.contentWindow!.fetch(url)).json()) as unknown
    }, path) as Promise<T>

  it('opens at 1280 × 800 and sorts the team by sales', async () => {
    const frame = (await (await page.$('[data-testid=desk-window-frame]'))!.contentFrame())!
    expect(await frame.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([1280, 800])
    await desk.getByTestId('team-period-month').click()
    await desk.getByTestId('team-sort-salesFen').click()
    // One column sorts at a time, and sales is it (either way round after the tap).
    await expect.poll(() => desk.locator('[aria-sort=ascending], [aria-sort=descending]').count(), { timeout: 10_000 }).toBe(1)
    expect(await desk.locator('[data-testid^=team-row-]').count()).toBeGreaterThan(0)
    await expect.poll(() => desk.getByTestId('team-totals').isVisible()).toBe(true)
  })

  it('previews lina’s sidebar read-only: the ribbon is there and a send reaches no chat', async () => {
    await desk.getByTestId('manage-nav-preview').click()
    await desk.getByTestId('preview-guide-lina').click({ timeout: 15_000 })
    // The desk now acts as lina (her customers, her view) until the preview ends.
    await desk.getByTestId('preview-end').waitFor({ timeout: 15_000 })
    await expect.poll(async () => (await api<{ userId: string }>('/api/me')).userId, { timeout: 10_000 }).toBe('lina')
    const customers = await api<CustomerList>('/api/customers?limit=5')
    const customer = customers.items[0]!
    await desk.getByTestId(`preview-customer-${customer.externalUserId}`).click({ timeout: 15_000 })
    const frame = desk.frameLocator('[data-testid=preview-frame]')
    await frame.getByTestId('preview-ribbon').waitFor({ timeout: 20_000 })
    expect(await frame.getByTestId('preview-ribbon').textContent()).toContain('预览 · 不会发送')

    const sentBefore = await page.getByTestId('sent-card').count()
    await frame.getByTestId('tab-replies').click()
    await frame.getByTestId('reply-panel').waitFor({ timeout: 20_000 })
    const button = frame.locator('[data-reply-item]').first().locator('[data-testid^=send-]')
    await button.click()
    // A reply with variables shows its filled text first; its send button refuses the same way.
    const sheet = frame.getByTestId('reply-preview')
    await Promise.race([
      sheet.waitFor({ timeout: 3_000 }).catch(() => undefined),
      frame
        .locator('.van-toast__text')
        .waitFor({ timeout: 3_000 })
        .catch(() => undefined),
    ])
    if (await sheet.isVisible()) await sheet.getByTestId('preview-send').click()
    await expect
      .poll(() => frame.locator('.van-toast__text').allTextContents(), { timeout: 10_000, interval: 50 })
      .toContainEqual(expect.stringContaining('预览中不会发送'))
    expect(await page.getByTestId('sent-card').count()).toBe(sentBefore)

    // Writes are refused by the server too, whatever the page offers.
    const status = await page.evaluate(async () => {
      const frame = document.querySelector<HTMLIFrameElement>('[data-testid=desk-window-frame]')!
      const res = await frame.contentWindow!.fetch('/api/tasks/nothing/complete', { method: 'POST' })
      return [res.status, ((await res.json()) as { error: { code: string } }).error.code] as const
    })
    expect(status).toEqual([403, 'preview_read_only'])

    await desk.getByTestId('preview-end').click()
    await expect.poll(async () => (await api<{ userId: string }>('/api/me')).userId, { timeout: 10_000 }).toBe('wanglei')
  })

  it('creates a campaign, and lina finds its task on her workbench', async () => {
    await desk.getByTestId('manage-nav-campaigns').click()
    await desk.getByTestId('campaign-new').click({ timeout: 15_000 })
    const name = `到店试穿 ${Date.now() % 10_000}`
    await desk.getByTestId('campaign-name').fill(name)
    await desk.getByTestId('campaign-submit').click()
    await desk.getByTestId('campaign-detail').waitFor({ timeout: 20_000 })
    expect(await desk.getByTestId('campaign-detail').textContent()).toContain(name)

    await page.getByTestId('desk-window-close').click()
    await page.getByTestId('guide-select').selectOption('lina')
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('tab-tasks').click({ timeout: 20_000 })
    await sidebar.getByTestId('kind-campaign').click({ timeout: 15_000 })
    const tasks = (await page.evaluate(async () => {
      const frame = document.querySelector<HTMLIFrameElement>('[data-testid=sidebar-frame]')!
      return (await (await frame.contentWindow!.fetch('/api/tasks?kind=campaign&limit=100')).json()) as unknown
    })) as TaskList
    const mine = tasks.items.find((task) => task.title === name)
    expect(mine, 'lina has a task of the new campaign').toBeDefined()
    await sidebar.getByTestId(`task-${mine!.id}`).waitFor({ timeout: 15_000 })
  })

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
