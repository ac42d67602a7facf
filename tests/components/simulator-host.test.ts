import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createBridgeHost, type HostOptions, type SimContext } from '../../src/simulator/host'
import type { BridgeInvoke, BridgeOpenWindow, HostResult } from '../../src/simulator/protocol'

/**
 * The simulator page's answers to the JS-SDK, driven the way the framed app's bridge
 * drives them: postMessage from the frame's window, answers posted back to it.
 */
/** happy-dom loads no iframes: the frame is a stand-in with a window that records posts. */
function fakeFrame() {
  const contentWindow = { postMessage: (_message: unknown, _origin: string) => {} }
  return { contentWindow } as unknown as HTMLIFrameElement & { contentWindow: { postMessage: (m: unknown, o: string) => void } }
}

describe('simulator bridge host', () => {
  let frame: ReturnType<typeof fakeFrame>
  let context: SimContext
  let sent: Record<string, unknown>[]
  let verify: ReturnType<typeof vi.fn<HostOptions['verifyAgentConfig']>>
  let host: { stop(): void }
  let sequence = 0

  beforeEach(() => {
    frame = fakeFrame()
    context = { entry: 'single_chat_tools', externalUserId: 'wmAlice' }
    sent = []
    verify = vi.fn<HostOptions['verifyAgentConfig']>(async () => ({ ok: true }))
    host = createBridgeHost({
      frame: () => frame,
      context: () => context,
      onSend: (message) => sent.push(message),
      onLog: () => {},
      verifyAgentConfig: verify,
      mediaIsLive: async (mediaId) => mediaId === 'live-media',
    })
  })
  afterEach(() => {
    host.stop()
  })

  /** Post an invoke as if from the frame and wait for the host's answer. */
  function invoke(
    name: string,
    params: Record<string, unknown> = {},
    from: ReturnType<typeof fakeFrame> = frame,
  ): Promise<Record<string, unknown>> {
    const id = ++sequence
    const source = from.contentWindow
    return new Promise((resolve) => {
      source.postMessage = (message: unknown) => {
        if ((message as HostResult).id === id) resolve((message as HostResult).result)
      }
      const call: BridgeInvoke = {
        source: 'gs-sim-bridge',
        type: 'invoke',
        id,
        name,
        params,
        url: `${location.origin}/#/customer`,
      }
      window.dispatchEvent(
        new MessageEvent('message', { data: call, origin: location.origin, source: source as unknown as Window }),
      )
    })
  }

  it('refuses agent APIs until agentConfig passed, as WeCom does', async () => {
    expect((await invoke('getCurExternalContact')).err_msg).toBe('getCurExternalContact:fail no permission')
    const config = await invoke('agentConfig', { corpid: 'ww', agentid: '1000002', timestamp: 1, nonceStr: 'n', signature: 's' })
    expect(config.err_msg).toBe('agentConfig:ok')
    expect(verify).toHaveBeenCalledWith(expect.objectContaining({ url: `${location.origin}/`, corpid: 'ww', agentid: '1000002' }))
    expect(await invoke('getCurExternalContact')).toEqual({ err_msg: 'getCurExternalContact:ok', userId: 'wmAlice' })
  })

  it('reports a bad signature as 40093', async () => {
    verify.mockResolvedValueOnce({ ok: false, errMsg: 'agentConfig:fail invalid signature', errCode: 40093 })
    expect(await invoke('agentConfig', { corpid: 'ww', agentid: '1', timestamp: 1, nonceStr: 'n', signature: 'bad' })).toEqual({
      err_msg: 'agentConfig:fail invalid signature',
      err_code: 40093,
    })
  })

  it('answers by entry: the customer in a single chat, the group in a group chat', async () => {
    await invoke('agentConfig', {})
    expect((await invoke('getContext')).entry).toBe('single_chat_tools')
    expect((await invoke('getCurExternalChat')).err_msg).toBe('getCurExternalChat:fail without context of external chat')
    context = { entry: 'group_chat_tools', chatId: 'wrGroup' }
    expect(await invoke('getCurExternalChat')).toEqual({ err_msg: 'getCurExternalChat:ok', chatId: 'wrGroup' })
    expect((await invoke('getCurExternalContact')).err_msg).toContain('without context of external contact')
  })

  it('puts what the sidebar sends into the open chat, and refuses sending from the workbench', async () => {
    await invoke('agentConfig', {})
    const message = { msgtype: 'text', text: { content: '您好，新品到了' } }
    expect((await invoke('sendChatMessage', message)).err_msg).toBe('sendChatMessage:ok')
    expect(sent).toEqual([message])
    context = { entry: 'normal' }
    expect((await invoke('sendChatMessage', message)).err_msg).toContain('sendChatMessage:fail')
    expect(sent).toHaveLength(1)
  })

  it('refuses what WeCom refuses: expired media (40007), a mini-program page without .html, empty text', async () => {
    await invoke('agentConfig', {})
    const image = (mediaid: string) => ({ msgtype: 'image', image: { mediaid } })
    expect(await invoke('sendChatMessage', image('expired-media'))).toEqual({
      err_msg: 'sendChatMessage:fail invalid media_id',
      err_code: 40007,
    })
    expect((await invoke('sendChatMessage', image('live-media'))).err_msg).toBe('sendChatMessage:ok')
    const mini = (page: string) => ({
      msgtype: 'miniprogram',
      miniprogram: { appid: 'wx8a3f6b1c2d4e5f60', title: '会员中心', imgUrl: 'https://x/y.png', page },
    })
    expect((await invoke('sendChatMessage', mini('pages/member/index'))).err_msg).toContain(':fail')
    expect((await invoke('sendChatMessage', mini('pages/member/index.html?from=guide'))).err_msg).toBe('sendChatMessage:ok')
    expect((await invoke('sendChatMessage', { msgtype: 'text', text: { content: '  ' } })).err_msg).toContain(':fail')
    expect(sent.map((m) => m.msgtype)).toEqual(['image', 'miniprogram'])
  })

  it('ignores messages that are not from the framed app', async () => {
    const answered = vi.fn()
    frame.contentWindow.postMessage = answered
    const call: BridgeInvoke = { source: 'gs-sim-bridge', type: 'invoke', id: 99, name: 'getContext', params: {}, url: '/' }
    window.dispatchEvent(
      new MessageEvent('message', {
        data: call,
        origin: 'https://evil.example',
        source: frame.contentWindow as unknown as Window,
      }),
    )
    window.dispatchEvent(new MessageEvent('message', { data: call, origin: location.origin, source: window }))
    await new Promise((r) => setTimeout(r, 60))
    expect(answered).not.toHaveBeenCalled()
    // The same call from the frame is answered.
    window.dispatchEvent(
      new MessageEvent('message', { data: call, origin: location.origin, source: frame.contentWindow as unknown as Window }),
    )
    await vi.waitFor(() => expect(answered).toHaveBeenCalledOnce())
  })

  it('shows a page the app opens in a window of its own, where it runs with no chat and can close itself', async () => {
    const deskWindow = fakeFrame()
    const opened: string[] = []
    let closed = 0
    host.stop()
    host = createBridgeHost({
      frame: () => frame,
      context: () => context,
      windowFrame: () => deskWindow,
      onOpenWindow: (url) => opened.push(url),
      onCloseWindow: () => closed++,
      onSend: (message) => sent.push(message),
      onLog: () => {},
      verifyAgentConfig: verify,
      mediaIsLive: async () => true,
    })
    const open = (url: string) => {
      const request: BridgeOpenWindow = { source: 'gs-sim-bridge', type: 'open-window', url }
      window.dispatchEvent(
        new MessageEvent('message', { data: request, origin: location.origin, source: frame.contentWindow as unknown as Window }),
      )
    }
    open(`${location.origin}/#/manage?window=1`)
    expect(opened).toEqual([`${location.origin}/#/manage?window=1`])

    // The window has its own agentConfig, and no chat: the workbench's entry, nothing to send into.
    expect((await invoke('getCurExternalContact', {}, deskWindow)).err_msg).toContain('no permission')
    await invoke('agentConfig', {}, deskWindow)
    expect((await invoke('getContext', {}, deskWindow)).entry).toBe('normal')
    expect((await invoke('sendChatMessage', { msgtype: 'text', text: { content: 'x' } }, deskWindow)).err_msg).toContain(':fail')
    expect(sent).toEqual([])
    // Closing is for that window only; the sidebar cannot close itself.
    await invoke('agentConfig', {})
    expect((await invoke('closeWindow')).err_msg).toContain(':fail')
    expect(closed).toBe(0)
    expect((await invoke('closeWindow', {}, deskWindow)).err_msg).toBe('closeWindow:ok')
    expect(closed).toBe(1)
  })
})
