/**
 * Quick replies in the simulator, end to end through the unmodified JS-SDK: the guide
 * searches the library, sees a reply filled in for this customer, edits it, sends it, and
 * sends a text-and-picture reply; both arrive in the simulated chat, the picture through
 * a WeCom media id our server uploaded. In the workbench the same replies are copied.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/demo/data'
import { buildDemoReplies } from '../../src/server/demo/replies'
import { salutation } from '../../src/shared/reply-fill'
import { chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

const demo = buildDemoData()
const library = buildDemoReplies()
const customer = demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!
const follow = customer.follows[0]!
const greeting = library.replies.find((r) => r.title === '初次添加问候')!
const care = library.replies.find((r) => r.title === '洗护提醒')!

describe.skipIf(!chromiumAvailable())('quick replies in the simulator', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let sidebar: FrameLocator
  const errors: string[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    page = await context.newPage()
    page.on('pageerror', (error) => errors.push(error.message))
    await context.addCookies([{ name: 'gs_sim_user', value: 'lina', url: server.url }])
    await page.goto(`${server.url}/simulator/`)
    sidebar = page.frameLocator('[data-testid=sidebar-frame]')
    await page.getByTestId(`chat-${customer.externalUserId}`).click()
    await sidebar.getByTestId('customer-name').waitFor({ timeout: 20_000 })
    await sidebar.getByTestId('tab-replies').click()
    await sidebar.getByTestId('reply-panel').waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const search = async (text: string) => {
    await sidebar.getByTestId('reply-search').locator('input').fill(text)
  }

  it('finds replies while typing', async () => {
    await search('洗护')
    await expect.poll(() => sidebar.getByTestId(`reply-${care.id}`).count()).toBe(1)
    const found = await sidebar.locator('[data-reply-item]').count()
    expect(found).toBeGreaterThan(0)
    for (const item of await sidebar.locator('[data-reply-item]').all()) expect(await item.textContent()).toMatch(/洗/)
    await search('没有这样的话术吧')
    await expect.poll(() => sidebar.locator('[data-reply-item]').count()).toBe(0)
    expect(await sidebar.getByTestId('reply-panel').textContent()).toContain('没有找到')
  })

  it('shows a reply filled in for her, lets the guide edit it, and sends it into the chat', async () => {
    await search('初次添加')
    await sidebar.getByTestId(`send-${greeting.id}`).click()
    const preview = sidebar.getByTestId('reply-preview')
    await preview.waitFor()
    const address = salutation({ remark: follow.remark, name: customer.name, gender: customer.gender })
    await expect.poll(() => preview.textContent()).toContain(`${address}您好，我是绮澜`)
    const filled = (await preview.getByTestId('preview-part-0').textContent())!.trim()
    expect(filled).toContain('李娜')
    expect(filled).not.toMatch(/\{.+?\}/)
    await preview.getByTestId('preview-edit').click()
    const edited = `${filled} 周六我在店里～`
    await preview.getByTestId('preview-edit-0').locator('textarea').fill(edited)
    await preview.getByTestId('preview-send').click()
    await expect.poll(() => page.getByTestId('sent-text').last().textContent(), { timeout: 10_000 }).toBe(edited)
  })

  it('sends a text and a picture in order; the picture arrives through WeCom media', async () => {
    await search('洗护提醒')
    await sidebar.getByTestId(`send-${care.id}`).click()
    const preview = sidebar.getByTestId('reply-preview')
    await preview.getByTestId('preview-send').click()
    const image = page.getByTestId('sent-image').last()
    await image.waitFor({ timeout: 10_000 })
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0)
    const text = (care.parts[0] as { text: string }).text.replace(
      '{称呼}',
      salutation({ remark: follow.remark, name: customer.name, gender: customer.gender }),
    )
    expect(await page.getByTestId('sent-text').last().textContent()).toBe(text)
    // The chat shows text, then the picture.
    const kinds = await page
      .getByTestId('chat-lines')
      .locator('[data-testid=sent-text], [data-testid=sent-image]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid')))
    expect(kinds.slice(-2)).toEqual(['sent-text', 'sent-image'])
    // And both sends are in her timeline, recorded by the sidebar.
    await sidebar.getByTestId('tab-profile').click()
    await sidebar.getByTestId('timeline').scrollIntoViewIfNeeded()
    await expect
      .poll(() => sidebar.getByTestId('timeline').textContent(), { timeout: 10_000 })
      .toContain(`发送了话术「${care.title}」`)
  })

  it('copies instead of sending in the workbench', async () => {
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('tab-replies').click()
    await sidebar.getByTestId('reply-panel').waitFor({ timeout: 20_000 })
    await search('湖滨店地址')
    const first = sidebar.locator('[data-reply-item]').first()
    const button = first.locator('[data-testid^=send-]')
    expect((await button.textContent())!.trim()).toBe('复制')
    await button.click()
    await expect.poll(() => sidebar.locator('.van-toast__text').textContent()).toContain('已复制')
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied.length).toBeGreaterThan(5)
    expect(copied).not.toMatch(/\{.+?\}/)
  })

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
