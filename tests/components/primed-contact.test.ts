import { describe, expect, it } from 'vitest'
import { forgetPrimed, primeCurrentContact, takePrimed } from '../../src/wecom/primed'

describe('who is open, asked at start-up', () => {
  it('is handed to the first screen that asks, and to no other', () => {
    const asked = primeCurrentContact('customer')
    expect(takePrimed('customer')).toBe(asked)
    expect(takePrimed('customer')).toBeNull()
  })

  it('is kept through the webview’s own focus at start, but dropped once the page left and came back', () => {
    const asked = primeCurrentContact('customer')
    window.dispatchEvent(new Event('focus'))
    expect(takePrimed('customer')).toBe(asked)

    primeCurrentContact('customer')
    window.dispatchEvent(new Event('blur'))
    window.dispatchEvent(new Event('focus'))
    // She may have another chat open now: the screen asks WeCom itself.
    expect(takePrimed('customer')).toBeNull()
  })

  it('stops watching once taken or forgotten', () => {
    primeCurrentContact('chat')
    forgetPrimed('chat')
    const again = primeCurrentContact('chat')
    window.dispatchEvent(new Event('focus'))
    expect(takePrimed('chat')).toBe(again)
    // Taken: a later leave and return changes nothing for the next ask.
    window.dispatchEvent(new Event('blur'))
    window.dispatchEvent(new Event('focus'))
    const next = primeCurrentContact('chat')
    expect(takePrimed('chat')).toBe(next)
  })
})
