/**
 * The manager's desk on a wide desktop window: she edits a corporate reply with a live
 * preview of the 360 px sidebar, is stopped by a bad mini-program card, uploads a picture,
 * and finds every change in the change log; a guide then finds the new wording.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sizeChartPng } from '../../src/server/db/seed/demo-art-png'
import { chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) wxwork/4.1.30 MicroMessenger/7.0.1 Chrome/120 Safari/537.36'

describe.skipIf(!chromiumAvailable())('the manager’s reply desk', () => {
  let server: RunningServer
  let browser: Browser
  let desk: Page
  const errors: string[] = []

  /** Sign in as a WeCom member the way the simulator does (own cookies), then open a page at `hash`. */
  async function openAs(userId: string, hash: string): Promise<Page> {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, userAgent: WECOM_UA })
    const simulator = await context.newPage()
    await context.addCookies([{ name: 'gs_sim_user', value: userId, url: server.url }])
    await simulator.goto(`${server.url}/simulator/`)
    await simulator.getByTestId('chat-workbench').click()
    await simulator.frameLocator('[data-testid=sidebar-frame]').getByTestId('customer-total').waitFor({ timeout: 20_000 })
    await simulator.close()
    const page = await context.newPage()
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${server.url}/${hash}`)
    return page
  }

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    desk = await openAs('wanglei', '#/manage')
    await desk.getByTestId('manage-group-g_after').waitFor({ timeout: 20_000 })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('edits a reply with a live preview of the sidebar, and saves it', async () => {
    await desk.getByTestId('manage-group-g_after').click()
    await desk.locator('[data-testid^=manage-reply-]').filter({ hasText: '洗护提醒' }).locator('button').first().click()
    const title = desk.getByTestId('manage-title').locator('input')
    await title.fill('洗护提醒（羊毛）')
    const preview = desk.getByTestId('manage-preview')
    await expect.poll(() => preview.textContent()).toContain('洗护提醒（羊毛）')
    // Variables are filled with the sample customer, as a guide would see them.
    expect(await preview.textContent()).toContain('李女士')
    await desk.getByTestId('manage-save').click()
    await expect.poll(() => desk.locator('[data-testid^=manage-reply-]').filter({ hasText: '洗护提醒（羊毛）' }).count()).toBe(1)
  })

  it('refuses a mini-program card whose page does not end in .html, then saves it fixed', async () => {
    await desk.getByTestId('manage-group-g_store').click()
    await desk.getByTestId('manage-new-reply').click()
    await desk.getByTestId('manage-title').locator('input').fill('预约试衣')
    await desk.getByTestId('part-0').getByTestId('part-text').locator('textarea').fill('{称呼}，点这里预约试衣：')
    await desk.getByTestId('add-miniprogram').click()
    const card = desk.getByTestId('part-1')
    await card.locator('input').nth(0).fill('wx8a3f6b1c2d4e5f60')
    await card.getByTestId('part-page').locator('input').fill('pages/fitting/index')
    await card.locator('input').nth(2).fill('预约试衣')
    await card.locator('input').nth(3).fill('https://m.qilan.example/cover.png')
    await desk.getByTestId('manage-save').click()
    await expect.poll(() => card.textContent()).toContain('.html')
    expect(await desk.locator('[data-testid^=manage-reply-]').filter({ hasText: '预约试衣' }).count()).toBe(0)
    await card.getByTestId('part-page').locator('input').fill('pages/fitting/index.html')
    await desk.getByTestId('manage-save').click()
    await expect.poll(() => desk.locator('[data-testid^=manage-reply-]').filter({ hasText: '预约试衣' }).count()).toBe(1)
  })

  it('uploads a picture, checked by its content, and shows it in the preview', async () => {
    await desk.getByTestId('add-image').click()
    const part = desk.getByTestId('part-2')
    await part
      .getByTestId('part-file')
      .setInputFiles({ name: '试衣间.png', mimeType: 'image/png', buffer: sizeChartPng('#224466') })
    await expect.poll(() => part.locator('img').count()).toBe(1)
    await expect.poll(() => desk.getByTestId('manage-preview').locator('img.part__image').count()).toBe(1)
    await desk.getByTestId('manage-save').click()
    await expect.poll(() => desk.locator('.van-toast__text').textContent()).toBe('已保存')
  })

  it('keeps her unsaved edits when she moves the reply she is editing, and saves them', async () => {
    const row = desk.locator('[data-testid^=manage-reply-]').filter({ hasText: '预约试衣' })
    const title = desk.getByTestId('manage-title').locator('input')
    await title.fill('预约试衣（周末）')
    const rows = desk.locator('[data-testid^=manage-reply-]')
    const place = async () => (await rows.allTextContents()).findIndex((text) => text.includes('预约试衣'))
    const before = await place()
    expect(before).toBeGreaterThan(0)
    await row.getByRole('button', { name: '上移' }).click()
    await expect.poll(place).toBe(before - 1)
    expect(await title.inputValue()).toBe('预约试衣（周末）')
    // Into another group: the desk follows it there, her edits with it.
    await row.locator('select').selectOption({ label: '会员权益' })
    await expect.poll(() => desk.locator('.manage__group--on').textContent()).toContain('会员权益')
    expect(await title.inputValue()).toBe('预约试衣（周末）')
    await desk.getByTestId('manage-save').click()
    await expect.poll(() => rows.filter({ hasText: '预约试衣（周末）' }).count()).toBe(1)
    expect(await desk.getByTestId('manage-conflict').count()).toBe(0)
  })

  it('tells her when someone else changed the reply, keeps her edits, and loads theirs when she asks', async () => {
    const row = desk.locator('[data-testid^=manage-reply-]').filter({ hasText: '预约试衣（周末）' })
    const id = (await row.getAttribute('data-testid'))!.replace('manage-reply-', '')
    const title = desk.getByTestId('manage-title').locator('input')
    await title.fill('预约试衣（我的版本）')
    // Another manager saves the same reply meanwhile.
    const status = await desk.evaluate(async (replyId) => {
      const res = await fetch(`/api/replies/${replyId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: '预约试衣（别人的版本）' }),
      })
      return res.status
    }, id)
    expect(status).toBe(200)
    await desk.getByTestId('manage-save').click()
    await desk.getByTestId('manage-conflict').waitFor()
    expect(await title.inputValue()).toBe('预约试衣（我的版本）')
    await desk.getByTestId('manage-reload').click()
    await expect.poll(() => title.inputValue()).toBe('预约试衣（别人的版本）')
    expect(await desk.getByTestId('manage-conflict').count()).toBe(0)
  })

  it('lists every change with who made it', async () => {
    await desk.getByTestId('manage-nav-audit').click()
    const log = desk.getByTestId('audit-list')
    await expect.poll(() => log.getByTestId('audit-entry').count()).toBeGreaterThanOrEqual(3)
    const text = (await log.textContent()) ?? ''
    expect(text).toContain('王蕾')
    expect(text).toContain('洗护提醒（羊毛）')
    expect(text).toContain('预约试衣')
  })

  it('shows guides the new wording at once', async () => {
    const guide = await openAs('lina', '#/workbench')
    await guide.getByTestId('tab-replies').click()
    await guide.getByTestId('reply-search').locator('input').fill('羊毛')
    await expect.poll(() => guide.locator('[data-reply-item]').filter({ hasText: '洗护提醒（羊毛）' }).count()).toBe(1)
  })

  it('keeps the desk to managers', async () => {
    const guide = await openAs('lina', '#/manage')
    await expect.poll(() => guide.textContent('body')).toContain('只有店长可以管理话术库')
  })

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
