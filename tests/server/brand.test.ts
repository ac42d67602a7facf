/**
 * The brand on the customer's pages comes from BRAND_NAME: the demo's only in simulator
 * mode, none in real mode unless configured.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BundleList, BundleSend } from '../../src/shared/bundles'
import type { CouponTemplate, Issuance } from '../../src/shared/coupons'
import { DEMO_BRAND_NAME } from '../../src/server/env'
import { DB_KINDS } from '../helpers/db'
import { createTestApp, signIn, type TestApp, type TestAppOptions } from '../helpers/app'

interface Pages {
  lookbook: string
  lookbookGone: string
  coupon: string
  couponGone: string
}

/** Her lookbook and coupon pages, and what a dead link to each shows, as she would open them. */
async function customerPages(t: TestApp): Promise<Pages> {
  const lina = await signIn(t, 'lina')
  const manager = await signIn(t, 'wanglei')
  const customerId = t.demo.customers.find((c) => c.follows.length === 1 && c.follows[0]!.userId === 'lina')!.externalUserId
  const call = async (method: 'GET' | 'POST', url: string, cookie: string | null, payload?: object) => {
    const res = await t.app.inject({ method, url, payload, headers: cookie ? { cookie } : {} })
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(400)
    return res
  }

  const bundle = ((await call('GET', '/api/bundles?scope=corp', lina)).json() as BundleList).bundles[0]!
  const send = (await call('POST', `/api/bundles/${bundle.id}/sends`, lina, { externalUserId: customerId })).json() as BundleSend
  await call('POST', `/api/bundle-sends/${send.id}/confirm`, lina)
  if (send.message.msgtype !== 'news') throw new Error('expected a link card')
  const lookbook = (await call('GET', new URL(send.message.news.link).pathname, null)).body

  const template = (
    await call('POST', '/api/coupon-templates', manager, {
      name: '品牌测试券',
      kind: 'amount_off',
      value: 5000,
      threshold: 50000,
      totalStock: 10,
      perCustomerLimit: 5,
      guideWeeklyQuota: 100,
      validDays: 7,
    })
  ).json() as CouponTemplate
  const issuance = (
    await call('POST', `/api/coupons/${template.id}/issue`, lina, { externalUserId: customerId, idempotencyKey: randomUUID() })
  ).json() as Issuance
  await call('POST', `/api/issuances/${issuance.issuanceId}/confirm`, lina)
  const coupon = (await call('GET', new URL(issuance.claimUrl).pathname, null)).body

  const lookbookGone = await t.app.inject({ method: 'GET', url: `/l/${'A'.repeat(32)}` })
  const couponGone = await t.app.inject({ method: 'GET', url: '/c/AAAAAAAAAAAA' })
  expect([lookbookGone.statusCode, couponGone.statusCode]).toEqual([404, 404])
  return { lookbook, lookbookGone: lookbookGone.body, coupon, couponGone: couponGone.body }
}

describe.each(DB_KINDS)('the brand on customer pages (%s)', (kind) => {
  const apps: TestApp[] = []
  const start = async (options: TestAppOptions) => {
    const t = await createTestApp(kind, options)
    apps.push(t)
    return customerPages(t)
  }
  let configured: Pages
  let unnamed: Pages
  let demo: Pages
  beforeAll(async () => {
    configured = await start({ mode: 'real', env: { BRAND_NAME: 'Maison <Lune> 月屿' } })
    unnamed = await start({ mode: 'real' })
    demo = await start({ mode: 'simulator' })
  })
  afterAll(async () => {
    for (const t of apps) await t.close()
  })

  it('shows the configured brand in the title and the wordmark, escaped', () => {
    for (const page of Object.values(configured)) {
      expect(page).toMatch(/<title>[^<]* · Maison &lt;Lune&gt; 月屿<\/title>/)
      expect(page).toContain('<div class="mark">Maison &lt;Lune&gt; 月屿</div>')
      expect(page).not.toContain('QILAN')
    }
  })

  it('names no brand in real mode without BRAND_NAME, and never the demo’s', () => {
    for (const page of Object.values(unnamed)) {
      expect(page).not.toContain('QILAN')
      expect(page).not.toContain('绮澜')
      expect(page).not.toContain('class="mark"')
      expect(page).not.toMatch(/<title>[^<]* · <\/title>|<title>[^<]*·\s*<\/title>/)
      expect(page).toMatch(/<title>[^<]+<\/title>/)
    }
    expect(unnamed.lookbook).not.toContain('<footer class="foot">')
  })

  it('shows the demo brand in simulator mode', () => {
    for (const page of Object.values(demo)) expect(page).toContain(`<div class="mark">${DEMO_BRAND_NAME}</div>`)
  })
})
