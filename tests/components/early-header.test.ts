import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { paintEarlyHeader } from '../../src/boot/early-header'
import { avatarBackground } from '../../src/components/common/avatar'
import { profile } from '../helpers/fixtures'

/** The placeholder exactly as index.html ships it. */
function placeholder(): string {
  const html = readFileSync(path.resolve(import.meta.dirname, '../../index.html'), 'utf8')
  return /<div id="app">([\s\S]*?)<\/div>\s*<script/.exec(html)![1]!
}

describe('the name the entry draws before the app', () => {
  beforeEach(() => {
    document.body.innerHTML = `<div id="app">${placeholder()}</div>`
  })
  afterEach(() => vi.restoreAllMocks())

  it('puts her remark where the placeholder’s first line was, reported to Element Timing', () => {
    expect(paintEarlyHeader(profile({ avatar: null }))).toBe(true)
    const name = document.querySelector('.gs-boot__head h1')!
    expect(name.textContent).toBe('张婷 静安 M码')
    expect(name.getAttribute('elementtiming')).toBe('customer-name')
    expect(name.getAttribute('data-testid')).toBe('customer-name')
    // The second line stays a placeholder until the app draws the rest of her header.
    expect(document.querySelectorAll('.gs-boot__head i')).toHaveLength(1)
    expect(document.querySelector('.gs-boot')!.getAttribute('aria-busy')).toBe('true')
  })

  it('falls back to her WeChat name, and to her initial on her own colour without a picture', () => {
    paintEarlyHeader(profile({ name: 'Lily', avatar: null, follow: { ...profile().follow, remark: '  ' } }))
    expect(document.querySelector('.gs-boot__head h1')!.textContent).toBe('Lily')
    const letter = document.querySelector<HTMLElement>('.gs-boot__avatar--initial')!
    expect(letter.textContent).toBe('L')
    // The same colour GsAvatar gives her, so nothing changes when the app takes over.
    expect(letter.style.background).toBe(avatarBackground('Lily'))
  })

  it('shows her picture once it has decoded, and her initial if it will not', async () => {
    let decoded: (ok: boolean) => void = () => {}
    vi.spyOn(HTMLImageElement.prototype, 'decode').mockImplementation(
      () => new Promise<void>((resolve, reject) => (decoded = (ok) => (ok ? resolve() : reject(new Error('broken'))))),
    )
    paintEarlyHeader(profile({ avatar: 'https://wework.qpic.cn/a.png' }))
    // Until then the grey square stays: no letter that a photo would replace a moment later.
    expect(document.querySelector('.gs-boot__head img')).toBeNull()
    expect(document.querySelector('.gs-boot__avatar--initial')).toBeNull()
    decoded(true)
    await vi.waitFor(() => expect(document.querySelector('.gs-boot__head img')).not.toBeNull())
    const image = document.querySelector<HTMLImageElement>('.gs-boot__head img')!
    expect(image.src).toBe('https://wework.qpic.cn/a.png')
    expect(image.referrerPolicy).toBe('no-referrer')

    document.body.innerHTML = `<div id="app">${placeholder()}</div>`
    paintEarlyHeader(profile({ avatar: 'https://wework.qpic.cn/broken.png' }))
    decoded(false)
    await vi.waitFor(() => expect(document.querySelector('.gs-boot__avatar--initial')).not.toBeNull())
    expect(document.querySelector('.gs-boot__head img')).toBeNull()
  })

  it('renders what she is called as text, never as markup', () => {
    const evil = '<img src=x onerror="window.__pwned=1">'
    paintEarlyHeader(profile({ avatar: null, follow: { ...profile().follow, remark: evil } }))
    expect(document.querySelector('img[src=x]')).toBeNull()
    expect(document.querySelector('.gs-boot__head h1')!.textContent).toBe(evil)
  })

  it('draws nothing once the app is up (the placeholder is gone)', () => {
    document.body.innerHTML = '<div id="app"><header class="customer-header"></header></div>'
    expect(paintEarlyHeader(profile())).toBe(false)
    expect(document.querySelector('h1')).toBeNull()
  })
})

describe('which opens draw her name early', () => {
  it('is WeCom’s own link and the current customer’s screen, not an address of another screen', async () => {
    const { opensOnCurrentCustomer } = await import('../../src/boot/early')
    for (const hash of ['', '#', '#/', '#/customer', '#/customer?suggest=coupon:ct_1'])
      expect(opensOnCurrentCustomer(hash)).toBe(true)
    for (const hash of ['#/manage', '#/manage?window=1', '#/workbench', '#/customers/wmAAAA', '#/customerx']) {
      expect(opensOnCurrentCustomer(hash)).toBe(false)
    }
  })
})

describe('when the app’s code will not load', () => {
  const storage = () => {
    const kept = new Map<string, string>()
    return { getItem: (key: string) => kept.get(key) ?? null, setItem: (key: string, value: string) => void kept.set(key, value) }
  }
  beforeEach(() => {
    document.body.innerHTML = `<div id="app">${placeholder()}</div>`
    vi.spyOn(console, 'error').mockImplementation(() => {})
  })
  afterEach(() => vi.restoreAllMocks())

  it('reloads once, then says so with a button rather than reloading in a loop', async () => {
    const { showLoadFailure } = await import('../../src/boot/load-failure')
    const reload = vi.fn()
    const kept = storage()
    showLoadFailure(new Error('chunk 404'), { reload, now: 1_000_000, storage: kept })
    expect(reload).toHaveBeenCalledTimes(1)
    expect(document.querySelector('[role=alert]')).toBeNull()
    // The reloaded page fails again within the minute.
    showLoadFailure(new Error('chunk 404'), { reload, now: 1_030_000, storage: kept })
    expect(reload).toHaveBeenCalledTimes(1)
    const alert = document.querySelector('[role=alert]')!
    expect(alert.textContent).toContain('加载失败')
    expect(document.querySelector('.gs-boot')!.hasAttribute('aria-busy')).toBe(false)
    alert.querySelector('button')!.click()
    expect(reload).toHaveBeenCalledTimes(2)
    // A minute on, a failure may reload by itself again.
    document.body.innerHTML = `<div id="app">${placeholder()}</div>`
    showLoadFailure(new Error('chunk 404'), { reload, now: 1_100_000, storage: kept })
    expect(reload).toHaveBeenCalledTimes(3)
  })

  it('leaves a running app alone (its screens report their own failures)', async () => {
    const { showLoadFailure } = await import('../../src/boot/load-failure')
    document.body.innerHTML = '<div id="app"><main>app</main></div>'
    const reload = vi.fn()
    showLoadFailure(new Error('late'), { reload, now: 0, storage: storage() })
    expect(reload).not.toHaveBeenCalled()
    expect(document.body.textContent).toBe('app')
  })
})
