import { describe, expect, it } from 'vitest'
import { getJsApiSignature } from '@wecom/crypto'
import { jsapiSignature, makeNonce, urlForSignature } from '../../src/server/wecom/signature'

// The official vector from WeCom's JS-SDK signature documentation.
const OFFICIAL = {
  ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
  nonceStr: 'Wm3WZYTPz0wzccnW',
  timestamp: 1414587457,
  url: 'http://mp.weixin.qq.com?params=value',
  signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
}

describe('jsapiSignature', () => {
  it('reproduces the official test vector', () => {
    expect(jsapiSignature(OFFICIAL)).toBe(OFFICIAL.signature)
  })

  it('drops the fragment before signing', () => {
    expect(jsapiSignature({ ...OFFICIAL, url: `${OFFICIAL.url}#/customer?x=1` })).toBe(OFFICIAL.signature)
  })

  it('does not URL-encode anything', () => {
    const url = 'https://sidebar.example.com/?q=中文&a=b c'
    const ours = jsapiSignature({ ...OFFICIAL, url })
    expect(ours).toBe(
      getJsApiSignature({ url, ticket: OFFICIAL.ticket, nonceStr: OFFICIAL.nonceStr, timestamp: OFFICIAL.timestamp }).signature,
    )
  })

  it('changes with every input', () => {
    const base = jsapiSignature(OFFICIAL)
    expect(jsapiSignature({ ...OFFICIAL, ticket: 'other' })).not.toBe(base)
    expect(jsapiSignature({ ...OFFICIAL, nonceStr: 'other' })).not.toBe(base)
    expect(jsapiSignature({ ...OFFICIAL, timestamp: OFFICIAL.timestamp * 1000 })).not.toBe(base)
    expect(jsapiSignature({ ...OFFICIAL, url: 'http://mp.weixin.qq.com' })).not.toBe(base)
  })
})

describe('urlForSignature', () => {
  it('keeps everything before the first #', () => {
    expect(urlForSignature('https://a.example/p?x=1#/a#b')).toBe('https://a.example/p?x=1')
    expect(urlForSignature('https://a.example/')).toBe('https://a.example/')
  })
})

describe('makeNonce', () => {
  it('is alphanumeric and different each time', () => {
    const a = makeNonce()
    expect(a).toMatch(/^[A-Za-z0-9]{16}$/)
    expect(makeNonce()).not.toBe(a)
  })
})
