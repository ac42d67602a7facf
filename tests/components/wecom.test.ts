/**
 * src/wecom against the unmodified @wecom/jssdk, with a fake WeixinJSBridge: the SDK reads
 * the user agent once at load, so each test sets it and imports the modules afresh.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'

type Answer = Record<string, unknown> | ((params: Record<string, unknown>) => Record<string, unknown> | null)

const WECOM_UA = 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) wxwork/4.1.30 MicroMessenger/7.0.1'
const originalUA = navigator.userAgent

async function loadWecom(options: { ua: string; answers?: Record<string, Answer> }) {
  Object.defineProperty(navigator, 'userAgent', { value: options.ua, configurable: true })
  const calls: { name: string; params: Record<string, unknown> }[] = []
  const answers = options.answers ?? {}
  ;(window as unknown as { WeixinJSBridge: unknown }).WeixinJSBridge = {
    invoke(name: string, params: Record<string, unknown>, callback: (result: Record<string, unknown>) => void) {
      calls.push({ name, params })
      const answer = answers[name]
      const result = typeof answer === 'function' ? answer(params) : (answer ?? { err_msg: `${name}:ok` })
      // null: never answer (a WeCom that hangs).
      if (result !== null) setTimeout(() => callback(result), 1)
    },
    on() {},
  }
  vi.resetModules()
  const wecom = await import('../../src/wecom')
  return { wecom, calls }
}

afterEach(() => {
  Object.defineProperty(navigator, 'userAgent', { value: originalUA, configurable: true })
  delete (window as unknown as { WeixinJSBridge?: unknown }).WeixinJSBridge
  vi.useRealTimers()
})

const signature = async () => ({ timestamp: 1795600000, nonceStr: 'nonce', signature: 'sig' })

describe('src/wecom with the real SDK', () => {
  it('registers the app identity and reads the entry and the open customer', async () => {
    const { wecom, calls } = await loadWecom({
      ua: WECOM_UA,
      answers: {
        getContext: { err_msg: 'getContext:ok', entry: 'single_chat_tools' },
        getCurExternalContact: { err_msg: 'getCurExternalContact:ok', userId: 'wmAlice' },
      },
    })
    expect(wecom.isWeCom).toBe(true)
    const getSignature = vi.fn(signature)
    wecom.registerWecom({ corpId: 'wwcorp', agentId: '1000002', getAgentConfigSignature: getSignature })
    expect(await wecom.getEntry()).toBe('single_chat_tools')
    expect(await wecom.getCurrentCustomerId()).toBe('wmAlice')
    const agentConfig = calls.find((c) => c.name === 'agentConfig')!
    expect(agentConfig.params).toMatchObject({ corpid: 'wwcorp', agentid: '1000002', signature: 'sig', nonceStr: 'nonce' })
    expect(agentConfig.params.jsApiList).toEqual(
      expect.arrayContaining(['getContext', 'getCurExternalContact', 'sendChatMessage']),
    )
    expect(getSignature).toHaveBeenCalledWith(location.href.split('#')[0])
  })

  it('treats an entry it does not know as the workbench', async () => {
    const { wecom } = await loadWecom({
      ua: WECOM_UA,
      answers: { getContext: { err_msg: 'getContext:ok', entry: 'some_future_entry' } },
    })
    wecom.registerWecom({ corpId: 'ww', agentId: '1', getAgentConfigSignature: signature })
    expect(await wecom.getEntry()).toBe('normal')
  })

  it('fails at once outside WeCom instead of hanging like the SDK', async () => {
    const { wecom, calls } = await loadWecom({ ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120' })
    expect(wecom.isWeCom).toBe(false)
    wecom.registerWecom({ corpId: 'ww', agentId: '1', getAgentConfigSignature: signature })
    await expect(wecom.getEntry()).rejects.toMatchObject({ reason: 'outside' })
    expect(calls).toEqual([])
  })

  it('gives up on a WeCom that never answers', async () => {
    const { wecom } = await loadWecom({ ua: WECOM_UA, answers: { getContext: () => null } })
    wecom.registerWecom({ corpId: 'ww', agentId: '1', getAgentConfigSignature: signature })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const entry = wecom.getEntry()
    const settled = expect(entry).rejects.toMatchObject({ reason: 'timeout', api: 'getContext' })
    await vi.advanceTimersByTimeAsync(13_000)
    await settled
  })

  it('reports a refused agentConfig on the call, without an unhandled rejection', async () => {
    const { wecom } = await loadWecom({
      ua: WECOM_UA,
      answers: { agentConfig: { err_msg: 'agentConfig:fail invalid signature', err_code: 40093 } },
    })
    const onFail = vi.fn()
    wecom.registerWecom({ corpId: 'ww', agentId: '1', getAgentConfigSignature: signature, onAgentConfigFail: onFail })
    await expect(wecom.getCurrentCustomerId()).rejects.toMatchObject({ reason: 'fail', errCode: 40093 })
    expect(onFail).toHaveBeenCalled()
  })

  it('sends into the chat, and a cancel in WeCom’s confirm is not an error', async () => {
    let cancel = false
    const { wecom, calls } = await loadWecom({
      ua: WECOM_UA,
      answers: { sendChatMessage: () => (cancel ? { err_msg: 'sendChatMessage:cancel' } : { err_msg: 'sendChatMessage:ok' }) },
    })
    wecom.registerWecom({ corpId: 'ww', agentId: '1', getAgentConfigSignature: signature })
    expect(await wecom.sendChatMessage({ msgtype: 'text', text: { content: '您好' } })).toBe('sent')
    expect(calls.find((c) => c.name === 'sendChatMessage')!.params).toMatchObject({ msgtype: 'text', text: { content: '您好' } })
    cancel = true
    expect(await wecom.sendChatMessage({ msgtype: 'text', text: { content: '您好' } })).toBe('cancelled')
  })

  it('says why a send failed', async () => {
    const { wecom } = await loadWecom({
      ua: WECOM_UA,
      answers: { sendChatMessage: { err_msg: 'sendChatMessage:fail_nopermission to execute' } },
    })
    wecom.registerWecom({ corpId: 'ww', agentId: '1', getAgentConfigSignature: signature })
    await expect(wecom.sendChatMessage({ msgtype: 'text', text: { content: 'x' } })).rejects.toMatchObject({ reason: 'fail' })
  })

  it('opens our pages in a window of their own on a computer, and leaves a phone to navigate in place', async () => {
    const { wecom, calls } = await loadWecom({ ua: WECOM_UA })
    const open = vi.spyOn(window, 'open').mockReturnValue(null)
    expect(wecom.openInNewWindow('#/manage?window=1')).toBe(true)
    expect(open).toHaveBeenCalledWith(new URL('#/manage?window=1', location.href).href, '_blank', 'noopener')
    expect(() => wecom.openInNewWindow('https://elsewhere.example/')).toThrow()
    const phone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30'
    const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 wxwork/4.1.30'
    expect(wecom.openInNewWindow('#/manage', phone)).toBe(false)
    expect(wecom.openInNewWindow('#/manage', android)).toBe(false)
    expect(open).toHaveBeenCalledOnce()
    expect(wecom.isDesktopWeCom('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 wxwork/4.1.30')).toBe(true)
    expect(wecom.isDesktopWeCom('Mozilla/5.0 (Windows NT 10.0) Chrome/120 Safari/537.36')).toBe(false)
    open.mockRestore()
    // The desk's window closes itself through WeCom.
    wecom.registerWecom({ corpId: 'ww', agentId: '1', getAgentConfigSignature: signature })
    await wecom.closeWindow()
    expect(calls.some((c) => c.name === 'closeWindow')).toBe(true)
  })
})
