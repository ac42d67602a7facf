/**
 * The guide's day, end to end through the unmodified JS-SDK: her birthday task sits on the
 * workbench, she opens that customer's chat and sends the birthday coupon the task
 * suggests, the task is done by itself, and her numbers on the 数据 tab move.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CouponOffers } from '../../src/shared/coupons'
import type { GuideStats } from '../../src/shared/stats'
import type { Task, TaskList } from '../../src/shared/tasks'
import { chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

describe.skipIf(!chromiumAvailable())('the guide’s day in the simulator', () => {
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
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('tab-tasks').waitFor({ timeout: 20_000 })
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

  /** A number on the 数据 tab, as shown. */
  const shown = async (key: keyof GuideStats) =>
    Number((await sidebar.getByTestId(`stats-${key}`).locator('dd').textContent())?.replace(/[^\d]/g, ''))

  it('completes a birthday task by sending the birthday coupon, and her numbers move', async () => {
    // A birthday task of hers whose suggested coupon she may send to that customer now.
    const { items } = await api<TaskList>('/api/tasks?kind=birthday&limit=100')
    let task: Task | undefined
    for (const candidate of items) {
      if (candidate.suggestion?.type !== 'coupon') continue
      if ((await page.getByTestId(`chat-${candidate.customer.externalUserId}`).count()) === 0) continue
      const { offers } = await api<CouponOffers>(`/api/customers/${candidate.customer.externalUserId}/coupon-offers`)
      if (offers.some((o) => o.template.id === candidate.suggestion!.id && o.available)) {
        task = candidate
        break
      }
    }
    expect(task, 'the demo gives lina a birthday task with a coupon she can send').toBeDefined()
    const { id, customer, suggestion } = task!

    // The workbench lists it under 进行中 with its kind.
    await sidebar.getByTestId('tab-tasks').click()
    await sidebar.getByTestId('kind-birthday').click()
    await sidebar.getByTestId(`task-${id}`).waitFor({ timeout: 15_000 })
    expect(await sidebar.getByTestId(`task-${id}`).getAttribute('data-kind')).toBe('birthday')

    await sidebar.getByTestId('tab-stats').click()
    await sidebar.getByTestId('stats-couponsSent').waitFor({ timeout: 15_000 })
    const before = await api<GuideStats>('/api/stats/me?period=month')
    expect(await shown('couponsSent')).toBe(before.couponsSent)

    // In her chat, the birthday coupon goes out in one tap.
    await page.getByTestId(`chat-${customer.externalUserId}`).click()
    await sidebar.getByTestId('customer-name').waitFor({ timeout: 20_000 })
    await sidebar.getByTestId('tab-coupons').click()
    const cards = await page.getByTestId('sent-card').count()
    await sidebar.getByTestId(`offer-send-${suggestion!.id}`).click()
    await expect.poll(() => page.getByTestId('sent-card').count(), { timeout: 15_000 }).toBe(cards + 1)

    // The task is done by itself, and her numbers moved.
    await expect
      .poll(async () => (await api<TaskList>('/api/tasks?status=done&kind=birthday&limit=100')).items.some((t) => t.id === id), {
        timeout: 10_000,
      })
      .toBe(true)
    const after = await api<GuideStats>('/api/stats/me?period=month')
    expect(after.couponsSent).toBe(before.couponsSent + 1)
    // Her other open tasks for this customer may be done by the same send.
    expect(after.tasksDone).toBeGreaterThanOrEqual(before.tasksDone + 1)

    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('tab-stats').waitFor({ timeout: 20_000 })
    await sidebar.getByTestId('tab-stats').click()
    await expect.poll(() => shown('couponsSent'), { timeout: 10_000 }).toBe(before.couponsSent + 1)
    await sidebar.getByTestId('tab-tasks').click()
    await sidebar.getByTestId('tab-done').click()
    await sidebar.getByTestId(`task-${id}`).waitFor({ timeout: 15_000 })
    expect(errors).toEqual([])
  })
})
