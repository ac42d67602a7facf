import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { ApiFailure, failureFromResponse } from '../../src/api/http'
import { failureReason } from '../../src/api/status'
import PreviewRibbon from '../../src/components/common/PreviewRibbon.vue'
import { isPreviewRefusal } from '../../src/components/common/preview'
import { setLocale } from '../../src/i18n'
import { useSessionStore } from '../../src/stores/session'
import { PreviewRefusal, WecomCallError } from '../../src/wecom'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ endPreview: vi.fn() }))
vi.mock('@/api/preview', () => ({ endPreview: api.endPreview, startPreview: vi.fn() }))

const toasts = vi.hoisted(() => [] as string[])
vi.mock('vant', async (original) => {
  const vant = await original<typeof import('vant')>()
  return {
    ...vant,
    showToast: (options: Parameters<typeof vant.showToast>[0]) => {
      toasts.push(typeof options === 'string' ? options : String(options?.message ?? ''))
      return vant.showToast(options)
    },
  }
})

beforeEach(() => {
  api.endPreview.mockReset()
  toasts.length = 0
})

const lina = { userId: 'lina', name: '李娜', role: 'guide' as const }
const previewing = { ...lina, preview: { by: 'wanglei', name: '王蕾' } }
const root = () => document.documentElement

describe('PreviewRibbon', () => {
  it('says nothing is sent and whose view it is, across the top, only in a preview', async () => {
    const { wrapper, pinia } = await mountPage(PreviewRibbon)
    const session = useSessionStore(pinia)
    expect(wrapper.find('[data-testid=preview-ribbon]').exists()).toBe(false)
    expect(root().classList.contains('gs-previewing')).toBe(false)

    session.me = previewing
    await nextTick()
    const ribbon = wrapper.get('[data-testid=preview-ribbon]')
    expect(ribbon.text()).toContain('预览 · 不会发送')
    expect(ribbon.text()).toContain('李娜 的视角 · 王蕾 预览中')
    expect(ribbon.attributes('role')).toBe('status')
    // The page starts below it: the root is padded by the ribbon's height.
    expect(root().classList.contains('gs-previewing')).toBe(true)
    expect(root().style.getPropertyValue('--gs-top-inset')).toBe('28px')

    // Her own session again (the preview ended): gone, and the page back at the top.
    session.me = { userId: 'wanglei', name: '王蕾', role: 'manager' }
    await nextTick()
    expect(wrapper.find('[data-testid=preview-ribbon]').exists()).toBe(false)
    expect(root().classList.contains('gs-previewing')).toBe(false)
    expect(root().style.getPropertyValue('--gs-top-inset')).toBe('')
  })

  it('ends the preview from her own sidebar, and starts her own view afresh', async () => {
    const reload = vi.fn()
    const location = window.location
    Object.defineProperty(window, 'location', { value: { ...location, reload }, configurable: true })
    try {
      const { wrapper, pinia } = await mountPage(PreviewRibbon)
      useSessionStore(pinia).me = previewing
      await nextTick()
      api.endPreview.mockRejectedValueOnce(new ApiFailure(0, 'network', 'Network Error'))
      await wrapper.get('[data-testid=preview-ribbon-end]').trigger('click')
      await flushPromises()
      expect(toasts.at(-1)).toBe('没能结束预览：网络不可用，请稍后再试')
      expect(reload).not.toHaveBeenCalled()

      api.endPreview.mockResolvedValueOnce(undefined)
      await wrapper.get('[data-testid=preview-ribbon-end]').trigger('click')
      await flushPromises()
      expect(api.endPreview).toHaveBeenCalledTimes(2)
      // Everything on screen was read as the guide: the page loads again as herself.
      expect(reload).toHaveBeenCalledTimes(1)
    } finally {
      Object.defineProperty(window, 'location', { value: location, configurable: true })
    }
  })

  it('speaks English when she chose it', async () => {
    setLocale('en-US')
    try {
      const { wrapper, pinia } = await mountPage(PreviewRibbon)
      useSessionStore(pinia).me = previewing
      await nextTick()
      expect(wrapper.get('[data-testid=preview-ribbon]').text()).toContain('Preview · nothing is sent')
    } finally {
      setLocale('zh-CN')
    }
  })

  it('lets go of the page when it goes', async () => {
    const { wrapper, pinia } = await mountPage(PreviewRibbon)
    useSessionStore(pinia).me = previewing
    await nextTick()
    expect(root().classList.contains('gs-previewing')).toBe(true)
    wrapper.unmount()
    expect(root().classList.contains('gs-previewing')).toBe(false)
  })
})

describe('a write refused in a preview', () => {
  const refusal = (code: string) =>
    failureFromResponse(403, { error: { code, message: 'This is a preview of a guide’s view: nothing can be changed or sent' } })

  it('says 预览中不能修改 wherever the failure shows, not the server’s English', () => {
    const failure = refusal('preview_read_only')
    expect(failure).toMatchObject({ status: 403, code: 'preview_read_only', message: '预览中不能修改' })
    expect(failureReason(failure)).toBe('预览中不能修改')
    // Any other 403 keeps the server's words.
    expect(refusal('forbidden').message).toContain('nothing can be changed')
  })

  it('is told apart from a failure: by the server, or by src/wecom before WeCom was asked', () => {
    expect(isPreviewRefusal(refusal('preview_read_only'))).toBe(true)
    expect(isPreviewRefusal(new PreviewRefusal('sendChatMessage'))).toBe(true)
    expect(isPreviewRefusal(refusal('forbidden'))).toBe(false)
    expect(isPreviewRefusal(new WecomCallError('sendChatMessage', 'fail', 'sendChatMessage:fail', -1))).toBe(false)
  })
})
