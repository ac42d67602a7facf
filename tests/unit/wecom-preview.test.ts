// @vitest-environment happy-dom
/**
 * src/wecom in a manager's preview: every call that would act in WeCom is refused with a
 * PreviewRefusal before the SDK hears of it. In the desk's preview frame (`?preview=1`) the
 * SDK is not asked anything at all. The SDK is a set of spies here, so "not asked" is exact.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'

const sdk = vi.hoisted(() => ({
  env: { isWeCom: true },
  register: vi.fn(),
  getContext: vi.fn(async () => ({ entry: 'single_chat_tools' })),
  getCurExternalContact: vi.fn(async () => ({ userId: 'wmFromWeCom' })),
  getCurExternalChat: vi.fn(async () => ({ chatId: 'wrChat' })),
  sendChatMessage: vi.fn(async () => ({})),
  shareToExternalContact: vi.fn(async () => ({})),
  closeWindow: vi.fn(async () => ({})),
}))
vi.mock('@wecom/jssdk', () => sdk)

const spies = () => Object.values(sdk).filter((value) => typeof value === 'function')

async function load(url = '/') {
  window.history.replaceState(null, '', url)
  vi.resetModules()
  return import('../../src/wecom')
}

afterEach(() => {
  for (const spy of spies()) spy.mockClear()
  window.history.replaceState(null, '', '/')
})

const text = { msgtype: 'text' as const, text: { content: '周末到店试穿' } }

describe('src/wecom in a preview', () => {
  it('refuses sending and 群发 without calling the SDK, and sends again once the preview ends', async () => {
    const wecom = await load()
    expect(wecom.isPreviewFrame).toBe(false)
    wecom.setPreviewMode(true)
    const refused = await wecom.sendChatMessage(text).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(wecom.PreviewRefusal)
    expect(refused).toMatchObject({ name: 'PreviewRefusal', api: 'sendChatMessage' })
    await expect(wecom.shareToExternalContact({ externalUserIds: ['wmA'], text: '新品到店' })).rejects.toBeInstanceOf(
      wecom.PreviewRefusal,
    )
    expect(sdk.sendChatMessage).not.toHaveBeenCalled()
    expect(sdk.shareToExternalContact).not.toHaveBeenCalled()

    // Reading where she is still works: the preview shows what the guide would see.
    expect(await wecom.getEntry()).toBe('single_chat_tools')
    expect(await wecom.getCurrentCustomerId()).toBe('wmFromWeCom')

    wecom.setPreviewMode(false)
    expect(await wecom.sendChatMessage(text)).toBe('sent')
    expect(sdk.sendChatMessage).toHaveBeenCalledTimes(1)
  })

  it('in the desk’s frame asks the SDK nothing: the chat comes from the URL, and sending is refused', async () => {
    const wecom = await load('/?preview=1&customer=wmAlice')
    expect(wecom.isPreviewFrame).toBe(true)
    expect(wecom.isPreviewMode()).toBe(true)
    wecom.registerWecom({
      corpId: 'ww',
      agentId: '1',
      getAgentConfigSignature: async () => ({ timestamp: 1, nonceStr: 'n', signature: 's' }),
    })
    expect(await wecom.getEntry()).toBe('single_chat_tools')
    expect(await wecom.getCurrentCustomerId()).toBe('wmAlice')
    // The session's word does not lift it: a frame is only ever a preview.
    wecom.setPreviewMode(false)
    await expect(wecom.sendChatMessage(text)).rejects.toBeInstanceOf(wecom.PreviewRefusal)
    await expect(wecom.shareToExternalContact({ externalUserIds: ['wmAlice'], text: '你好' })).rejects.toBeInstanceOf(
      wecom.PreviewRefusal,
    )
    await expect(wecom.getCurrentChatId()).rejects.toMatchObject({ name: 'WecomCallError', reason: 'outside' })
    await expect(wecom.closeWindow()).rejects.toMatchObject({ reason: 'outside' })
    for (const spy of spies()) expect(spy).not.toHaveBeenCalled()
  })

  it('opens her workbench in a frame without a customer', async () => {
    const wecom = await load('/?preview=1#/workbench')
    expect(await wecom.getEntry()).toBe('normal')
    expect(sdk.getContext).not.toHaveBeenCalled()
  })
})
