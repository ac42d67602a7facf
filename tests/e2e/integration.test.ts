/**
 * The retailer's till, end to end: head office makes a key for its POS on the desk, the POS posts an
 * order to the integration API, and lina sees it in that customer's purchases in the
 * sidebar and finds the after-purchase care task on her workbench, which she completes.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CatalogPage } from '../../src/shared/catalog'
import type { CustomerProfile } from '../../src/shared/customer'
import type { OrderResult } from '../../src/shared/integration'
import type { TaskList } from '../../src/shared/tasks'
import { chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

const DAY_MS = 86_400_000
const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) wxwork/4.1.30 MicroMessenger/7.0.1 Chrome/120 Safari/537.36'

describe.skipIf(!chromiumAvailable())('a POS order posted to the integration API', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let sidebar: FrameLocator
  const errors: string[] = []

  beforeAll(async () => {
    // 王蕾 is head office here: only admins make integration keys.
    server = await startServer({ WECOM_ADMIN_IDS: 'wanglei' })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** The simulator as this member of the company, on her workbench. */
  async function openAs(userId: string): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await context.addCookies([{ name: 'gs_sim_user', value: userId, url: server.url }])
    page = await context.newPage()
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${server.url}/simulator/`)
    sidebar = page.frameLocator('[data-testid=sidebar-frame]')
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('tab-tasks').waitFor({ timeout: 20_000 })
  }

  /** The API as the signed-in member, asked from inside the sidebar (her session, our origin). */
  const api = <T>(path: string, init?: { method: string; body: unknown }) =>
    page.evaluate(
      async ({ url, init }) => {
        const frame = document.querySelector<HTMLIFrameElement>('[data-testid=sidebar-frame]')!
        const response = await frame.contentWindow!.fetch(url, {
          method: init?.method ?? 'GET',
          headers: init ? { 'content-type': 'application/json' } : {},
          body: init ? JSON.stringify(init.body) : undefined,
        })
        return (await response.json()) as unknown
      },
      { url: path, init },
    ) as Promise<T>

  it('shows in her purchases and brings the care task, which lina completes', async () => {
    // Head office makes the POS its key on the desk: the key is shown once, in a dialog.
    await openAs('wanglei')
    // The desk opens in a WeCom window of its own: her session, WeCom's user agent.
    const deskContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, userAgent: WECOM_UA })
    await deskContext.addCookies(await page.context().cookies())
    const desk = await deskContext.newPage()
    desk.on('pageerror', (error) => errors.push(error.message))
    await desk.goto(`${server.url}/#/manage?section=integrations`)
    await desk.getByTestId('integration-name').fill('POS')
    await desk.getByTestId('integration-scope-orders').check()
    await desk.getByTestId('integration-create').click()
    const key = (await desk.getByTestId('integration-secret').textContent({ timeout: 15_000 }))!.trim()
    expect(key).toMatch(/^gsi_/)
    await desk.locator('.van-dialog__confirm').click()
    await expect.poll(() => desk.getByTestId('integration-secret').count()).toBe(0)
    const listed = desk.locator('[data-testid^=integration-key-]').first()
    expect(await listed.textContent()).toContain('订单')
    expect(await listed.textContent()).toContain('王蕾')
    await deskContext.close()
    await page.context().close()

    await openAs('lina')
    // A member lina follows whose chat the simulator has, and a style from the catalogue.
    let customer: CustomerProfile | undefined
    for (const chat of await page.locator('[data-testid^="chat-wm"]').all()) {
      const id = (await chat.getAttribute('data-testid'))!.slice('chat-'.length)
      const profile = await api<CustomerProfile>(`/api/customers/${id}`)
      if (profile.member) {
        customer = profile
        break
      }
    }
    expect(customer, 'the demo gives lina a member among her chats').toBeDefined()
    const style = (await api<CatalogPage>('/api/catalog/products?category=top&limit=1')).items[0]!

    // The till posts the sale it made three days ago: the care message is due today.
    const orderId = `POS-E2E-${Date.now()}`
    const purchasedAt = new Date(Date.now() - 3 * DAY_MS).toISOString()
    const posted = await fetch(`${server.url}/api/integration/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        order_id: orderId,
        member_id: customer!.member!.memberId,
        store_id: 'S001',
        purchased_at: purchasedAt,
        guide_user_id: 'lina',
        lines: [{ line_no: 1, product_id: style.id, name: style.name, color: style.colors[0]?.name, size: 'M', price: 899 }],
      }),
    })
    expect(posted.status, await posted.clone().text()).toBe(200)
    expect(((await posted.json()) as OrderResult).result).toBe('created')

    // Her purchases in the sidebar, as soon as her chat is opened.
    await page.getByTestId(`chat-${customer!.externalUserId}`).click()
    await sidebar.getByTestId('customer-name').waitFor({ timeout: 20_000 })
    const purchases = sidebar.getByTestId('purchases-card')
    await purchases.waitFor({ timeout: 15_000 })
    await expect.poll(() => purchases.textContent(), { timeout: 10_000 }).toContain(style.name)
    expect(await purchases.textContent()).toContain('899')

    // The care task the order brought, on her workbench; one tap completes it.
    const { items } = await api<TaskList>('/api/tasks?kind=after_purchase&limit=100')
    const task = items.find((t) => t.customer.externalUserId === customer!.externalUserId && t.reason.includes(orderId))
    expect(task, 'the order brings an after-purchase task').toBeDefined()
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('tab-tasks').waitFor({ timeout: 20_000 })
    await sidebar.getByTestId('tab-tasks').click()
    await sidebar.getByTestId('kind-after_purchase').click()
    const item = sidebar.getByTestId(`task-${task!.id}`)
    await item.waitFor({ timeout: 15_000 })
    await item.getByTestId('task-complete').click()
    await expect
      .poll(
        async () =>
          (await api<TaskList>('/api/tasks?status=done&kind=after_purchase&limit=100')).items.some((t) => t.id === task!.id),
        { timeout: 10_000 },
      )
      .toBe(true)
    expect(errors).toEqual([])
  })
})
