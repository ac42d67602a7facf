import { afterEach, describe, expect, it, vi } from 'vitest'

const SIGNED = {
  url: 'https://s.example.com/?from=chat',
  corpId: 'ww1',
  agentId: '1000002',
  timestamp: 1,
  nonceStr: 'n',
  signature: 's',
}

async function freshModule(signed: unknown) {
  document.head.innerHTML = `<script id="gs-signature" type="application/json">${JSON.stringify(signed)}</script>`
  vi.resetModules()
  return import('../../src/app-config')
}

describe('the signature the server put in the page', () => {
  afterEach(() => {
    document.head.innerHTML = ''
  })

  it('is used for the URL it was made for (hash aside), once', async () => {
    const { embeddedSignature } = await freshModule(SIGNED)
    expect(embeddedSignature('https://s.example.com/?from=chat#/customer')).toEqual({
      corpId: 'ww1',
      agentId: '1000002',
      timestamp: 1,
      nonceStr: 'n',
      signature: 's',
    })
    // A later agentConfig (another URL, or the same page again) asks the server.
    expect(embeddedSignature('https://s.example.com/?from=chat')).toBeNull()
  })

  it('is not used for a URL that changed since the page was served', async () => {
    const { embeddedSignature } = await freshModule(SIGNED)
    expect(embeddedSignature('https://s.example.com/')).toBeNull()
  })

  it('is nothing when the page has none, or a broken one', async () => {
    expect((await freshModule('')).embeddedSignature(SIGNED.url)).toBeNull()
    document.head.innerHTML = '<script id="gs-signature" type="application/json">{broken</script>'
    vi.resetModules()
    expect((await import('../../src/app-config')).embeddedSignature(SIGNED.url)).toBeNull()
  })
})
