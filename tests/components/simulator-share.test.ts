import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBridgeHost } from '../../src/simulator/host'
import type { BridgeInvoke, HostResult } from '../../src/simulator/protocol'

/** `shareToExternalContact` in the simulator: 群发助手 takes the text to each chosen customer. */
describe('simulator 群发 (shareToExternalContact)', () => {
  const frame = { contentWindow: { postMessage: (_message: unknown, _origin: string) => {} } }
  let shares: { ids: string[]; message: Record<string, unknown> }[]
  let host: { stop(): void }
  let sequence = 0

  beforeEach(() => {
    shares = []
    host = createBridgeHost({
      frame: () => frame as unknown as HTMLIFrameElement,
      context: () => ({ entry: 'normal' }),
      onSend: () => {},
      onShare: (ids, message) => shares.push({ ids, message }),
      onLog: () => {},
      verifyAgentConfig: async () => ({ ok: true }),
      mediaIsLive: async () => true,
    })
  })
  afterEach(() => host.stop())

  function invoke(name: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++sequence
    return new Promise((resolve) => {
      frame.contentWindow.postMessage = (message: unknown) => {
        if ((message as HostResult).id === id) resolve((message as HostResult).result)
      }
      const call: BridgeInvoke = { source: 'gs-sim-bridge', type: 'invoke', id, name, params, url: `${location.origin}/#/` }
      window.dispatchEvent(
        new MessageEvent('message', { data: call, origin: location.origin, source: frame.contentWindow as unknown as Window }),
      )
    })
  }

  it('needs agentConfig, then delivers the text to the chosen customers from the workbench', async () => {
    const params = { externalUserIds: ['wmA', 'wmB'], text: { content: '周末上新' } }
    expect((await invoke('shareToExternalContact', params)).err_msg).toBe('shareToExternalContact:fail no permission')
    await invoke('agentConfig', { corpid: 'ww', agentid: '1', timestamp: 1, nonceStr: 'n', signature: 's' })
    expect(await invoke('shareToExternalContact', params)).toEqual({ err_msg: 'shareToExternalContact:ok' })
    expect(shares).toEqual([{ ids: ['wmA', 'wmB'], message: { msgtype: 'text', text: { content: '周末上新' } } }])
  })

  it('refuses an empty or too long text and malformed customers, as WeCom does', async () => {
    await invoke('agentConfig', { corpid: 'ww', agentid: '1', timestamp: 1, nonceStr: 'n', signature: 's' })
    expect((await invoke('shareToExternalContact', { externalUserIds: ['wmA'], text: { content: ' ' } })).err_msg).toBe(
      'shareToExternalContact:fail empty content',
    )
    expect(
      (await invoke('shareToExternalContact', { externalUserIds: ['wmA'], text: { content: 'x'.repeat(4001) } })).err_msg,
    ).toBe('shareToExternalContact:fail content too long')
    expect((await invoke('shareToExternalContact', { externalUserIds: 'wmA', text: { content: 'hi' } })).err_msg).toBe(
      'shareToExternalContact:fail invalid externalUserIds',
    )
    expect(shares).toEqual([])
  })
})
