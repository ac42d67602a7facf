/**
 * Outfit bundles in the simulator, end to end through the unmodified JS-SDK: the guide
 * sees bundles ranked for the open customer, composes one from the catalogue in her
 * sizes, sends it; the card arrives in the chat, the customer opens the link in a
 * browser of her own, and the guide sees the open in the customer's timeline. A brand
 * outfit goes out in her sizes. A send cancelled in WeCom's confirm leaves nothing behind.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, FrameLocator, Page } from 'playwright-core'
import type { Suggestions } from '../../src/shared/bundles'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDemoData } from '../../src/server/demo/data'
import { chromiumAvailable, launchBrowser, ROOT, startServer, type RunningServer } from './helpers'

const demo = buildDemoData()
// A member with sizes on file, followed by lina alone.
const customer = demo.customers.find(
  (c) =>
    c.follows.length === 1 && c.follows[0]!.userId === 'lina' && demo.members.some((m) => m.externalUserId === c.externalUserId),
)!
const SHOTS = process.env.E2E_SCREENSHOTS ? path.join(ROOT, 'tmp', 'shots') : null

describe.skipIf(!chromiumAvailable())('outfit bundles in the simulator', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let sidebar: FrameLocator
  const errors: string[] = []
  const shot = async (name: string) => {
    if (!SHOTS) return
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) })
  }

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
    await sidebar.getByTestId('tab-bundles').click()
    await sidebar.getByTestId('bundle-panel').waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('ranks bundles and pieces for her, each with a reason', async () => {
    const forHer = sidebar.getByTestId('bundles-for-her')
    await forHer.waitFor({ timeout: 15_000 })
    expect(await forHer.locator('[data-bundle-card]').count()).toBeGreaterThan(0)
    const why = await forHer.getByTestId('bundle-why').first().textContent()
    expect(why?.trim().length).toBeGreaterThan(2)
    expect(await sidebar.getByTestId('piece-suggestion').count()).toBeGreaterThan(0)
    // Every collage on screen is a real picture.
    const collage = forHer.locator('[data-bundle-card] img').first()
    await collage.scrollIntoViewIfNeeded()
    await expect
      .poll(() => collage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 })
      .toBeGreaterThan(0)
    await shot('bundles-panel')
  })

  it('composes a bundle from the catalogue in her sizes, sends it, and sees her open it', async () => {
    await sidebar.getByTestId('bundle-new').click()
    const composer = sidebar.getByTestId('bundle-composer')
    await composer.waitFor()
    for (const category of ['top', 'bottom']) {
      await composer.getByTestId('composer-add').click()
      const picker = sidebar.getByTestId('catalog-picker')
      await picker.waitFor()
      await picker.getByTestId(`catalog-category-${category}`).click()
      const first = picker.getByTestId('catalog-item').first()
      await first.waitFor({ timeout: 10_000 })
      await first.click()
      await picker.waitFor({ state: 'hidden' })
    }
    await expect.poll(() => composer.getByTestId('composer-piece').count(), { timeout: 10_000 }).toBe(2)
    // Each piece starts in a size, one of them chosen.
    expect(await composer.locator('[data-testid=composer-size][aria-pressed=true]').count()).toBe(2)
    const title = `为她搭配 ${Date.now() % 10_000}`
    await composer.getByTestId('composer-title').locator('input').fill(title)
    await composer.getByTestId('composer-note').locator('textarea').fill('通勤周末都能穿')
    await shot('bundles-composer')
    await composer.getByTestId('composer-save-send').click()

    const card = page.getByTestId('sent-card').last()
    await card.waitFor({ timeout: 15_000 })
    expect(await card.textContent()).toContain(title)
    const cover = card.locator('img')
    await expect
      .poll(() => cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 })
      .toBe(800)
    const link = (await card.getByTestId('sent-card-link').getAttribute('href'))!
    expect(link).toMatch(/\/l\/[A-Za-z0-9_-]{32}$/)
    expect(link).not.toContain(customer.externalUserId)
    await shot('bundles-sent')

    // The customer opens it in a browser of her own: no cookies, no login.
    const herContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })
    const her = await herContext.newPage()
    const response = await her.goto(link)
    expect(response?.status()).toBe(200)
    await expect.poll(() => her.locator('body').textContent()).toContain(title)
    expect(await her.locator('script[src]').count()).toBe(0)
    if (SHOTS) await her.screenshot({ path: path.join(SHOTS, 'lookbook.png'), fullPage: true })
    await herContext.close()

    // The guide sees it in her timeline.
    await sidebar.getByTestId('tab-profile').click()
    await sidebar.getByTestId('timeline').scrollIntoViewIfNeeded()
    await expect
      .poll(() => sidebar.getByTestId('timeline').textContent(), { timeout: 10_000 })
      .toContain(`打开了搭配「${title}」`)
    expect(await sidebar.getByTestId('timeline').textContent()).toContain(`发送了搭配「${title}」`)
  })

  it('sends a brand outfit in her sizes (S, shoes 39), and her lookbook shows them', async () => {
    // What the guide's profile says about her: a size S who wears 39 shoes.
    const api = async <T>(method: string, url: string, body?: unknown): Promise<T> =>
      page.evaluate(
        async ({ method, url, body }) => {
          const frame = document.querySelector<HTMLIFrameElement>('[data-testid=sidebar-frame]')!
          const response = await frame.contentWindow!.fetch(url, {
            method,
            headers: body ? { 'content-type': 'application/json' } : {},
            body: body ? JSON.stringify(body) : undefined,
          })
          if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`)
          return (await response.json()) as T
        },
        { method, url, body },
      ) as Promise<T>
    await api('PATCH', `/api/customers/${customer.externalUserId}/facts`, {
      sizeTop: 'S',
      sizeDress: 'S',
      sizeShoes: '39',
      colorsAvoided: [],
      materialsAvoided: [],
    })
    const suggestions = await api<Suggestions>('GET', `/api/customers/${customer.externalUserId}/bundle-suggestions`)
    // A brand outfit made in other sizes whose top and shoes come out as hers, in stock.
    const fit = suggestions.fits.find((f) => {
      const shoes = f.pieces.find((p) => p.item.category === 'shoes')
      const top = f.pieces.find((p) => p.item.category === 'top')
      return f.allHers && shoes?.item.size === '39' && top?.item.size === 'S'
    })!
    expect(fit).toBeDefined()
    const original = (await api<{ items: { category: string; size: string }[] }>('GET', `/api/bundles/${fit.bundleId}`)).items
    expect(original.find((i) => i.category === 'shoes')!.size).not.toBe('39')

    // The tab reloads with her new sizes; the card says them before anything is sent.
    await sidebar.getByTestId('tab-profile').click()
    await sidebar.getByTestId('tab-bundles').click()
    const card = sidebar.getByTestId(`bundle-${fit.bundleId}`)
    await card.scrollIntoViewIfNeeded({ timeout: 15_000 })
    await expect.poll(() => card.getByTestId('bundle-sizes').textContent(), { timeout: 15_000 }).toMatch(/S.*39/)
    const cardsBefore = await page.getByTestId('sent-card').count()
    await card.getByTestId(`bundle-send-${fit.bundleId}`).click()

    await expect.poll(() => page.getByTestId('sent-card').count(), { timeout: 15_000 }).toBe(cardsBefore + 1)
    const sent = page.getByTestId('sent-card').last()
    const link = (await sent.getByTestId('sent-card-link').getAttribute('href'))!
    const herContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })
    const her = await herContext.newPage()
    expect((await her.goto(link))?.status()).toBe(200)
    const sizeOf = async (name: string) =>
      (await her.locator('li', { hasText: name }).first().textContent())?.replace(/\s+/g, ' ') ?? ''
    const shoes = fit.pieces.find((p) => p.item.category === 'shoes')!
    const top = fit.pieces.find((p) => p.item.category === 'top')!
    expect(await sizeOf(shoes.item.name)).toContain(`${shoes.item.color} · 39`)
    expect(await sizeOf(top.item.name)).toContain(`${top.item.color} · S`)
    if (SHOTS) await her.screenshot({ path: path.join(SHOTS, 'lookbook-her-sizes.png'), fullPage: true })
    await herContext.close()
  })

  it('leaves nothing behind when the guide cancels in WeCom’s confirm', async () => {
    await sidebar.getByTestId('tab-bundles').click()
    const brand = sidebar.getByTestId('bundles-brand')
    await brand.waitFor({ timeout: 15_000 })
    // One not sent before (the brand outfit above went out to her in the test before).
    const card = brand.locator('[data-bundle-card]').last()
    const id = (await card.getAttribute('data-testid'))!.replace('bundle-', '')
    const cardsBefore = await page.getByTestId('sent-card').count()
    await page.getByTestId('confirm-toggle').check()
    await sidebar.getByTestId(`bundle-send-${id}`).click()
    // A piece not in her size in stock is named first; she sends anyway, then cancels in WeCom.
    const sendAnyway = sidebar.locator('.van-dialog__confirm')
    const confirm = page.getByTestId('send-confirm')
    await Promise.race([confirm.waitFor(), sendAnyway.waitFor()])
    if (await sendAnyway.isVisible()) await sendAnyway.click()
    await confirm.waitFor()
    await page.getByTestId('send-confirm-cancel').click()
    await expect.poll(() => sidebar.getByTestId(`bundle-send-${id}`).getAttribute('class')).not.toContain('van-button--loading')
    await page.getByTestId('confirm-toggle').uncheck()
    expect(await page.getByTestId('sent-card').count()).toBe(cardsBefore)
    // Silent: a cancel is not an error, and the count did not move.
    expect(await sidebar.locator('.van-toast__text').allTextContents()).not.toContainEqual(expect.stringContaining('失败'))
    const stats = await page.evaluate(async (bundleId) => {
      const frame = document.querySelector<HTMLIFrameElement>('[data-testid=sidebar-frame]')!
      const response = await frame.contentWindow!.fetch(`/api/bundles/${bundleId}`)
      return (await response.json()) as { sent: number }
    }, id)
    expect(stats.sent).toBe(0)
    expect(errors).toEqual([])
  })
})
