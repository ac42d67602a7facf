import { beforeEach, describe, expect, it, vi } from 'vitest'
import ReplyPanel from '../../src/components/replies/ReplyPanel.vue'
import type { CopyPlan, Reply, ReplyGroup, ReplyLibrary, SendablePart, SendPlan } from '../../src/shared/replies'
import { WecomCallError } from '../../src/wecom'
import { profile } from '../helpers/fixtures'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({
  fetchReplyLibrary: vi.fn(),
  fetchSendPlan: vi.fn(),
  fetchCopyPlan: vi.fn(),
  reportSend: vi.fn(),
  createReply: vi.fn(),
  createReplyGroup: vi.fn(),
  updateReply: vi.fn(),
  moveReply: vi.fn(),
  refreshMedia: vi.fn(),
  setFavorite: vi.fn(),
}))
vi.mock('@/api/replies', () => api)

// Every toast she saw, in order (Vant keeps one toast element and reuses it).
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

const wecom = vi.hoisted(() => ({ sendChatMessage: vi.fn() }))
vi.mock('@/wecom', async (original) => ({
  ...(await original<typeof import('../../src/wecom')>()),
  sendChatMessage: wecom.sendChatMessage,
}))

function reply(id: string, title: string, parts: Reply['parts'], extra: Partial<Reply> = {}): Reply {
  return {
    id,
    scope: 'corp',
    groupId: 'g1',
    title,
    parts,
    tags: [],
    stages: [],
    position: 0,
    retired: false,
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  }
}

const library: ReplyLibrary = {
  groups: [
    { id: 'g1', scope: 'corp', parentId: null, name: '尺码建议', position: 0, retired: false },
    { id: 'g2', scope: 'corp', parentId: null, name: '门店', position: 1, retired: false },
  ],
  replies: [
    reply('r1', '门店地址', [{ type: 'text', text: '我们在嘉里中心 B1 层。' }], { groupId: 'g2' }),
    reply('r2', '尺码怎么选', [{ type: 'text', text: '{称呼}，平时穿 M 码的话选 M 就好。' }], { tags: ['复购'] }),
    reply('r3', '洗护提醒', [
      { type: 'text', text: '第一次洗建议冷水手洗。' },
      { type: 'image', assetId: 'img1' },
      { type: 'text', text: '有问题随时找我。' },
    ]),
  ],
  usage: [],
  favorites: [],
  assets: [{ id: 'img1', url: '/media/assets/img1', width: 300, height: 200 }],
}

const text = (content: string): SendablePart => ({ msgtype: 'text', text: { content } })
const plans: Record<string, SendPlan> = {
  r1: { replyId: 'r1', parts: [text('我们在嘉里中心 B1 层。')] },
  r2: { replyId: 'r2', parts: [text('李女士，平时穿 M 码的话选 M 就好。')] },
  r3: {
    replyId: 'r3',
    parts: [
      text('第一次洗建议冷水手洗。'),
      { msgtype: 'image', image: { mediaid: 'old-media' }, assetId: 'img1', previewUrl: '/media/assets/img1' },
      text('有问题随时找我。'),
    ],
  },
}

/** The same replies for the clipboard: images are only shown, with no media id. */
const copyPlans: Record<string, CopyPlan> = Object.fromEntries(
  Object.entries(plans).map(([id, plan]) => [
    id,
    {
      replyId: id,
      parts: plan.parts.map((p) =>
        p.msgtype === 'image' ? { msgtype: 'image' as const, assetId: p.assetId, previewUrl: p.previewUrl } : p,
      ),
    },
  ]),
)

async function mountPanel(canSend = true) {
  const { wrapper, pinia } = await mountPage(ReplyPanel, { target: { externalUserId: 'wmAAAA' }, profile: profile(), canSend })
  await flushPromises()
  return { wrapper, pinia }
}

const sheetText = () => document.querySelector('.van-action-sheet')?.textContent ?? ''
const toast = () => toasts.at(-1) ?? ''

describe('ReplyPanel', () => {
  beforeEach(() => {
    for (const fn of [...Object.values(api), wecom.sendChatMessage]) fn.mockReset()
    toasts.length = 0
    api.fetchReplyLibrary.mockResolvedValue(structuredClone(library))
    api.fetchSendPlan.mockImplementation(async (id: string) => structuredClone(plans[id]))
    api.fetchCopyPlan.mockImplementation(async (id: string) => structuredClone(copyPlans[id]))
    api.reportSend.mockResolvedValue(undefined)
    wecom.sendChatMessage.mockResolvedValue('sent')
  })

  it('finds replies while she types, in titles and in text', async () => {
    const { wrapper } = await mountPanel()
    const input = wrapper.find('[data-testid=reply-search] input')
    await input.setValue('嘉里')
    expect(wrapper.findAll('[data-reply-item]').map((w) => w.attributes('data-testid'))).toEqual(['reply-r1'])
    await input.setValue('洗')
    expect(wrapper.findAll('[data-reply-item]').map((w) => w.attributes('data-testid'))).toEqual(['reply-r3'])
    await input.setValue('没有这个')
    expect(wrapper.text()).toContain('没有找到「没有这个」')
  })

  it('reads as she will in her chat, and shows variables as chips where no customer is open', async () => {
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g1]').trigger('click')
    const row = wrapper.get('[data-testid=reply-r2]')
    expect(row.text()).toContain('张女士，平时穿 M 码的话选 M 就好。')
    expect(row.find('[data-testid=reply-variable]').exists()).toBe(false)
    // The workbench: nobody to fill in for, and no raw braces either.
    const { wrapper: workbench } = await mountPage(ReplyPanel, { target: {}, canSend: false })
    await flushPromises()
    await workbench.find('[data-testid=reply-group-g1]').trigger('click')
    const bare = workbench.get('[data-testid=reply-r2]')
    expect(bare.text()).not.toContain('{称呼}')
    expect(bare.get('[data-testid=reply-variable]').text()).toBe('称呼')
  })

  it('sends a reply without variables in one tap, and records it once', async () => {
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g2]').trigger('click')
    await wrapper.find('[data-testid=send-r1]').trigger('click')
    await flushPromises()
    expect(wecom.sendChatMessage).toHaveBeenCalledWith({ msgtype: 'text', text: { content: '我们在嘉里中心 B1 层。' } })
    expect(toast()).toBe('已发送')
    expect(api.reportSend).toHaveBeenCalledTimes(1)
    expect(api.reportSend).toHaveBeenCalledWith(
      'r1',
      expect.objectContaining({ externalUserId: 'wmAAAA', partsSent: 1, partsTotal: 1, edited: false }),
    )
    // Now it is "recently used".
    await wrapper.find('[role=tab]').trigger('click')
    expect(wrapper.find('[data-testid=reply-section-recent]').text()).toContain('门店地址')
  })

  it('shows a reply with variables filled in first, and sends what she edited', async () => {
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g1]').trigger('click')
    await wrapper.find('[data-testid=send-r2]').trigger('click')
    await flushPromises()
    expect(wecom.sendChatMessage).not.toHaveBeenCalled()
    const sheet = () => document.querySelector('[data-testid=reply-preview]')!
    expect(sheet().textContent).toContain('李女士，平时穿 M 码的话选 M 就好。')
    ;(document.querySelector('[data-testid=preview-edit]') as HTMLElement).click()
    await flushPromises()
    const area = document.querySelector('[data-testid=preview-edit-0] textarea') as HTMLTextAreaElement
    area.value = '李姐，平时穿 M 码选 M 就好，我帮您留一件。'
    area.dispatchEvent(new Event('input'))
    await flushPromises()
    ;(document.querySelector('[data-testid=preview-send]') as HTMLElement).click()
    await flushPromises()
    expect(wecom.sendChatMessage).toHaveBeenCalledWith({
      msgtype: 'text',
      text: { content: '李姐，平时穿 M 码选 M 就好，我帮您留一件。' },
    })
    expect(api.reportSend).toHaveBeenCalledWith('r2', expect.objectContaining({ edited: true, partsSent: 1 }))
  })

  it('uploads an expired image again and sends it, without bothering her', async () => {
    wecom.sendChatMessage.mockImplementation(async (message: { msgtype: string; image?: { mediaid: string } }) => {
      if (message.msgtype === 'image' && message.image?.mediaid === 'old-media') {
        throw new WecomCallError('sendChatMessage', 'fail', 'sendChatMessage:fail invalid media_id', 40007)
      }
      return 'sent'
    })
    api.refreshMedia.mockResolvedValue('new-media')
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g1]').trigger('click')
    await wrapper.find('[data-testid=send-r3]').trigger('click')
    await flushPromises()
    expect(api.refreshMedia).toHaveBeenCalledWith('img1', 'old-media')
    expect(wecom.sendChatMessage.mock.calls.map(([m]) => m.msgtype)).toEqual(['text', 'image', 'image', 'text'])
    expect(wecom.sendChatMessage.mock.calls[2]![0]).toEqual({ msgtype: 'image', image: { mediaid: 'new-media' } })
    expect(api.reportSend).toHaveBeenCalledWith('r3', expect.objectContaining({ partsSent: 3, partsTotal: 3 }))
  })

  it('says which part failed and sends the rest when she asks', async () => {
    let calls = 0
    wecom.sendChatMessage.mockImplementation(async () => {
      calls++
      if (calls === 2) throw new WecomCallError('sendChatMessage', 'fail', 'sendChatMessage:fail network', -1)
      return 'sent'
    })
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g1]').trigger('click')
    await wrapper.find('[data-testid=send-r3]').trigger('click')
    await flushPromises()
    expect(sheetText()).toContain('第 2/3 条没有发出去')
    expect(sheetText()).toContain('sendChatMessage:fail network')
    expect(api.reportSend).not.toHaveBeenCalled()
    const rest = [...document.querySelectorAll('.van-action-sheet__item')].find((b) =>
      b.textContent?.includes('剩下的 2 条'),
    ) as HTMLElement
    rest.click()
    await flushPromises()
    expect(wecom.sendChatMessage.mock.calls.map(([m]) => m.msgtype)).toEqual(['text', 'image', 'image', 'text'])
    expect(api.reportSend).toHaveBeenCalledTimes(1)
    expect(api.reportSend).toHaveBeenCalledWith('r3', expect.objectContaining({ partsSent: 3, partsTotal: 3 }))
  })

  it('after a cancel part-way, offers the rest and never sends the first parts again', async () => {
    let calls = 0
    wecom.sendChatMessage.mockImplementation(async () => (++calls === 2 ? 'cancelled' : 'sent'))
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g1]').trigger('click')
    await wrapper.find('[data-testid=send-r3]').trigger('click')
    await flushPromises()
    // Part 1 is in the chat; she cancelled part 2.
    expect(sheetText()).toContain('已发出 1/3 条')
    expect(api.reportSend).not.toHaveBeenCalled()
    const rest = [...document.querySelectorAll('.van-action-sheet__item')].find((b) =>
      b.textContent?.includes('剩下的 2 条'),
    ) as HTMLElement
    rest.click()
    await flushPromises()
    const sent = wecom.sendChatMessage.mock.calls.map(([m]) => m as { msgtype: string; text?: { content: string } })
    expect(sent.map((m) => m.msgtype)).toEqual(['text', 'image', 'image', 'text'])
    expect(sent.filter((m) => m.text?.content === '第一次洗建议冷水手洗。')).toHaveLength(1)
    expect(api.reportSend).toHaveBeenCalledTimes(1)
    expect(api.reportSend).toHaveBeenCalledWith('r3', expect.objectContaining({ partsSent: 3, partsTotal: 3 }))
  })

  it('records what was sent when she stops after a cancel part-way', async () => {
    let calls = 0
    wecom.sendChatMessage.mockImplementation(async () => (++calls === 2 ? 'cancelled' : 'sent'))
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g1]').trigger('click')
    await wrapper.find('[data-testid=send-r3]').trigger('click')
    await flushPromises()
    ;(document.querySelector('.van-action-sheet__cancel') as HTMLElement).click()
    await flushPromises()
    expect(wecom.sendChatMessage).toHaveBeenCalledTimes(2)
    expect(api.reportSend).toHaveBeenCalledWith('r3', expect.objectContaining({ partsSent: 1, partsTotal: 3 }))
  })

  it('records a reply copied after its first part failed', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    wecom.sendChatMessage.mockRejectedValue(new WecomCallError('sendChatMessage', 'fail', 'sendChatMessage:fail network', -1))
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g2]').trigger('click')
    await wrapper.find('[data-testid=send-r1]').trigger('click')
    await flushPromises()
    const copy = [...document.querySelectorAll('.van-action-sheet__item')].find((b) =>
      b.textContent?.includes('复制文字'),
    ) as HTMLElement
    copy.click()
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('我们在嘉里中心 B1 层。')
    expect(api.reportSend).toHaveBeenCalledTimes(1)
    expect(api.reportSend).toHaveBeenCalledWith('r1', expect.objectContaining({ copied: true, partsTotal: 1 }))
  })

  it('takes a cancel in WeCom’s confirm quietly', async () => {
    wecom.sendChatMessage.mockResolvedValue('cancelled')
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g2]').trigger('click')
    await wrapper.find('[data-testid=send-r1]').trigger('click')
    await flushPromises()
    expect(sheetText()).toBe('')
    expect(toast()).not.toBe('已发送')
    expect(api.reportSend).not.toHaveBeenCalled()
  })

  it('copies instead where sending is impossible, and says so', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const { wrapper } = await mountPanel(false)
    expect(wrapper.text()).toContain('点「复制」后粘贴到对话框')
    await wrapper.find('[data-testid=reply-group-g2]').trigger('click')
    const button = wrapper.find('[data-testid=send-r1]')
    expect(button.text()).toBe('复制')
    await button.trigger('click')
    await flushPromises()
    expect(wecom.sendChatMessage).not.toHaveBeenCalled()
    expect(writeText).toHaveBeenCalledWith('我们在嘉里中心 B1 层。')
    expect(toast()).toContain('已复制')
    expect(api.reportSend).toHaveBeenCalledWith('r1', expect.objectContaining({ copied: true }))
    // Copying asks for the copy plan: no image is uploaded to WeCom for it.
    expect(api.fetchCopyPlan).toHaveBeenCalledWith('r1', { externalUserId: 'wmAAAA' })
    expect(api.fetchSendPlan).not.toHaveBeenCalled()
  })

  it('copies a reply with a picture from the copy plan, the picture left out', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const { wrapper } = await mountPanel(false)
    await wrapper.find('[data-testid=reply-group-g1]').trigger('click')
    await wrapper.find('[data-testid=reply-r3] .reply-item__body').trigger('click')
    await flushPromises()
    const preview = () => document.querySelector('[data-testid=reply-preview]')!
    expect(preview().querySelector('img')?.getAttribute('src')).toBe('/media/assets/img1')
    ;(document.querySelector('[data-testid=preview-send]') as HTMLElement).click()
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('第一次洗建议冷水手洗。\n\n有问题随时找我。')
    expect(toast()).toContain('图片无法复制')
    expect(api.fetchSendPlan).not.toHaveBeenCalled()
    expect(api.reportSend).toHaveBeenCalledWith('r3', expect.objectContaining({ copied: true, partsSent: 3, partsTotal: 3 }))
  })

  it('makes a new group once, even when saving her reply has to be tried again', async () => {
    const group: ReplyGroup = { id: 'gp1', scope: 'personal', parentId: null, name: '我的常用', position: 0, retired: false }
    api.createReplyGroup.mockResolvedValue(group)
    api.createReply
      .mockRejectedValueOnce(new Error('offline'))
      .mockImplementation(async (input: { groupId: string }) =>
        reply('rp1', '周末邀约', [{ type: 'text', text: '周末来店里坐坐？' }], { scope: 'personal', groupId: input.groupId }),
      )
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-new]').trigger('click')
    await flushPromises()
    const editor = () => document.querySelector('[data-testid=personal-reply-editor]')!
    const fill = (selector: string, value: string) => {
      const field = editor().querySelector(selector) as HTMLInputElement
      field.value = value
      field.dispatchEvent(new Event('input'))
    }
    fill('[data-testid=editor-title] input', '周末邀约')
    fill('[data-testid=editor-text] textarea', '周末来店里坐坐？')
    await flushPromises()
    const save = async () => {
      ;(editor().querySelector('[data-testid=editor-save]') as HTMLElement).click()
      await flushPromises()
    }
    await save()
    expect(toast()).toContain('没有保存')
    await save()
    expect(api.createReplyGroup).toHaveBeenCalledTimes(1)
    expect(api.createReply).toHaveBeenCalledTimes(2)
    expect(api.createReply).toHaveBeenLastCalledWith(expect.objectContaining({ groupId: 'gp1', title: '周末邀约' }))
    expect(toast()).toBe('已保存')
  })

  it('keeps a favourite only if the server saved it', async () => {
    api.setFavorite.mockRejectedValueOnce(new Error('offline'))
    const { wrapper } = await mountPanel()
    await wrapper.find('[data-testid=reply-group-g2]').trigger('click')
    const star = () => wrapper.find('[data-testid=reply-r1] [aria-pressed]')
    await star().trigger('click')
    await flushPromises()
    expect(star().attributes('aria-pressed')).toBe('false')
    api.setFavorite.mockResolvedValueOnce(undefined)
    await star().trigger('click')
    await flushPromises()
    expect(star().attributes('aria-pressed')).toBe('true')
  })
})
