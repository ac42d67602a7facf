/**
 * The guide's memory in the simulator, end to end: she edits a size, adds a tag (through
 * WeCom's mark_tag, played by the simulator), writes a note with a follow-up, and finds
 * it all again after the sidebar is reopened; a note typed offline survives a reload and
 * is sent once.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/demo/data'
import { chromiumAvailable, launchBrowser, startServer, type RunningServer } from './helpers'

const demo = buildDemoData()
const customer = demo.customers.find(
  (c) =>
    c.follows.length === 1 && c.follows[0]!.userId === 'lina' && demo.members.some((m) => m.externalUserId === c.externalUserId),
)!

describe.skipIf(!chromiumAvailable())('editing a customer in the simulator', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let sidebar: FrameLocator
  const errors: string[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    page.on('pageerror', (error) => errors.push(error.message))
    await page.context().addCookies([{ name: 'gs_sim_user', value: 'lina', url: server.url }])
    await page.goto(`${server.url}/simulator/`)
    sidebar = page.frameLocator('[data-testid=sidebar-frame]')
    await page.getByTestId(`chat-${customer.externalUserId}`).click()
    await sidebar.getByTestId('customer-name').waitFor({ timeout: 20_000 })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** The timeline loads as it scrolls into view, like any long list. */
  const timelineText = async () => {
    await sidebar.getByTestId('timeline').scrollIntoViewIfNeeded()
    return (await sidebar.getByTestId('timeline').textContent()) ?? ''
  }

  const reopen = async () => {
    await page.locator('.toolbar__reload').click()
    await expect
      .poll(() => sidebar.getByTestId('customer-name').textContent(), { timeout: 20_000 })
      .toBe(customer.follows[0]!.remark)
  }

  it('edits a size, and the change is kept with who made it', async () => {
    await sidebar.getByTestId('size-sizeShoes').click()
    await sidebar.getByTestId('fact-input').locator('input').fill('41')
    await sidebar.getByTestId('fact-save').click()
    await expect.poll(() => sidebar.getByTestId('size-sizeShoes').textContent()).toContain('41')
    await reopen()
    await expect.poll(() => sidebar.getByTestId('size-sizeShoes').textContent()).toContain('41')
    await expect.poll(timelineText, { timeout: 10_000 }).toContain('鞋码')
  })

  it('adds a company tag through WeCom', async () => {
    await sidebar.getByTestId('tags-edit').click()
    // A tag the tags card shows (风格偏好 tags show with her styles, in 资料).
    const tag = sidebar.getByTestId('corp-tag-老客推荐')
    const wasOn = (await tag.getAttribute('aria-pressed')) === 'true'
    await tag.click()
    await sidebar.getByTestId('tags-save').click()
    const chips = () => sidebar.getByTestId('tags-card').textContent()
    if (wasOn) await expect.poll(chips).not.toContain('老客推荐')
    else await expect.poll(chips).toContain('老客推荐')
    await reopen()
    if (wasOn) await expect.poll(chips).not.toContain('老客推荐')
    else await expect.poll(chips).toContain('老客推荐')
  })

  it('writes a note with a follow-up date that becomes a task', async () => {
    await sidebar.getByTestId('note-text').locator('textarea').fill('想要通勤大衣，燕麦色，预算三千')
    await sidebar.getByTestId('note-outcome-interested').click()
    // A quick pick: a date from the day the test runs, never one that will have passed.
    await sidebar.getByTestId('note-pick-nextWeek').click()
    await sidebar.getByTestId('note-save').click()
    await expect.poll(timelineText, { timeout: 10_000 }).toContain('想要通勤大衣')
    await page.getByTestId('chat-workbench').click()
    await sidebar.getByTestId('tab-tasks').click()
    await expect.poll(() => sidebar.getByTestId('task-list').textContent(), { timeout: 10_000 }).toContain('想要通勤大衣')
  })

  it('keeps a note typed offline through a reload and sends it once when back online', async () => {
    await page.getByTestId(`chat-${customer.externalUserId}`).click()
    await expect
      .poll(() => sidebar.getByTestId('customer-name').textContent(), { timeout: 20_000 })
      .toBe(customer.follows[0]!.remark)
    // Typed, then the page goes away: the draft is still there when it comes back.
    await sidebar.getByTestId('note-text').locator('textarea').fill('草稿：下周三来试穿')
    await page.waitForTimeout(600)
    await reopen()
    await expect.poll(() => sidebar.getByTestId('note-text').locator('textarea').inputValue()).toBe('草稿：下周三来试穿')

    // Saved while offline: queued, not lost, not doubled.
    await page.context().setOffline(true)
    await sidebar.getByTestId('note-save').click()
    await expect
      .poll(() => sidebar.getByTestId('notes-pending').textContent(), { timeout: 10_000 })
      .toContain('草稿：下周三来试穿')
    await page.context().setOffline(false)
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(server.url))!
    await frame.evaluate(() => window.dispatchEvent(new Event('online')))
    await expect.poll(timelineText, { timeout: 15_000 }).toContain('草稿：下周三来试穿')
    await expect.poll(() => sidebar.getByTestId('notes-pending').count()).toBe(0)
    await reopen()
    await expect.poll(timelineText, { timeout: 10_000 }).toContain('草稿：下周三来试穿')
    const timeline = await timelineText()
    expect(timeline.split('草稿：下周三来试穿').length - 1).toBe(1)
    expect(errors).toEqual([])
  })
})
