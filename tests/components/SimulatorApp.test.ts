import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SimulatorWorldView } from '../../src/shared/simulator'
import SimulatorApp from '../../src/simulator/SimulatorApp.vue'

/**
 * The simulated WeCom window, wired together: its chat list, open chat, sidebar and settings.
 * happy-dom loads no iframes (it says so on stderr for each): the app inside is not under test here.
 */
const world: SimulatorWorldView = {
  corpName: '示例服饰',
  guides: [
    { userId: 'guide1', name: '王芳', position: '导购', storeName: '静安店', avatar: '' },
    { userId: 'guide2', name: '李娜', position: '店长', storeName: '徐汇店', avatar: '' },
  ],
  chats: {
    guide1: [
      {
        kind: 'single',
        externalUserId: 'wmAlice',
        title: '张女士',
        wechatName: 'Alice',
        avatar: '/a.png',
        corpName: null,
        lines: [{ from: 'customer', text: '这件有 M 码吗', at: Date.UTC(2026, 0, 1, 2) }],
      },
      { kind: 'group', chatId: 'wrVip', title: 'VIP 群', memberCount: 12, lines: [] },
    ],
    guide2: [],
  },
  appMessages: {
    guide1: [
      {
        msgid: 'm1',
        at: Date.UTC(2026, 0, 1, 13),
        msgtype: 'textcard',
        title: '今日小结 · 1月1日',
        description: '<div class="gray">2026年1月1日 周四</div><div class="highlight">明日待办 2 项</div>',
        url: 'http://localhost:5173/#/workbench',
        btntxt: '去工作台',
      },
    ],
    guide2: [],
  },
}

describe('SimulatorApp', () => {
  const fetchMock = vi.fn(async (url: string) => {
    if (url === '/simulator/api/world') return new Response(JSON.stringify(world), { status: 200 })
    if (url.startsWith('/simulator/api/app-messages?userId=')) {
      const userId = url.split('=')[1]!
      return new Response(JSON.stringify({ items: world.appMessages[userId] ?? [] }), { status: 200 })
    }
    return new Response('{}', { status: 200 })
  })

  beforeEach(() => {
    document.cookie = 'gs_sim_user=; path=/; max-age=0'
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  async function open() {
    const wrapper = mount(SimulatorApp, { attachTo: document.body })
    await flushPromises()
    return wrapper
  }

  it('opens on the first customer’s chat, with her lines and the sidebar in her chat toolbar', async () => {
    const wrapper = await open()
    expect(wrapper.find('.sim__corp').text()).toBe('示例服饰')
    expect(wrapper.get('[data-testid=chat-title]').text()).toBe('张女士')
    expect(wrapper.get('[data-testid=chat-wmAlice]').classes()).toContain('active')
    expect(wrapper.get('[data-testid=chat-wmAlice] .chat-item__last').text()).toBe('这件有 M 码吗')
    expect(wrapper.get('[data-testid=chat-lines]').text()).toContain('这件有 M 码吗')
    expect(wrapper.get('.toolbar__entry').text()).toBe('单聊工具栏')
    expect(wrapper.get('[data-testid=sidebar-frame]').attributes('data-platform')).toBe('desktop')
    expect(document.cookie).toContain('gs_sim_user=guide1')
    wrapper.unmount()
  })

  it('moves the sidebar with the chat picked: profile page, group, workbench', async () => {
    const wrapper = await open()
    await wrapper.get('[data-testid=open-from-profile]').trigger('click')
    expect(wrapper.get('.toolbar__entry').text()).toBe('客户资料')
    expect(wrapper.get('[data-testid=open-from-profile]').text()).toBe('从聊天工具栏打开')
    await wrapper.get('[data-testid=chat-wrVip]').trigger('click')
    expect(wrapper.get('.toolbar__entry').text()).toBe('群聊工具栏')
    expect(wrapper.get('.chat-head__sub').text()).toBe('客户群 · 12 人')
    await wrapper.get('[data-testid=chat-workbench]').trigger('click')
    expect(wrapper.get('.toolbar__entry').text()).toBe('工作台')
    expect(wrapper.find('[data-testid=chat-title]').exists()).toBe(false)
    expect(wrapper.get('.chat-empty').text()).toContain('工作台')
    wrapper.unmount()
  })

  it('shows the app’s messages (应用消息) in their own chat, and a card opens its link in WeCom’s window', async () => {
    const wrapper = await open()
    expect(wrapper.get('[data-testid=chat-app-messages] .chat-item__last').text()).toBe('今日小结 · 1月1日')
    await wrapper.get('[data-testid=chat-app-messages]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=chat-title]').text()).toBe('应用消息')
    expect(wrapper.get('.toolbar__entry').text()).toBe('工作台')
    const card = wrapper.get('[data-testid=app-message-card]')
    expect(card.get('.textcard__title').text()).toBe('今日小结 · 1月1日')
    expect(card.get('.textcard__highlight').text()).toBe('明日待办 2 项')
    expect(card.html()).not.toContain('<div class="gray">')
    await card.get('.textcard__button').trigger('click')
    expect(wrapper.get('[data-testid=desk-window] iframe').attributes('src')).toBe('/#/workbench')
    wrapper.unmount()
  })

  it('switches device, member and the JS-SDK log from its bar', async () => {
    const wrapper = await open()
    await wrapper.get('[data-testid=platform-mobile]').trigger('click')
    expect(wrapper.get('[data-testid=sidebar-frame]').attributes('data-platform')).toBe('mobile')
    expect(wrapper.get('.sim__chat').classes()).toContain('sim__chat--narrow')
    expect(wrapper.get('.sim__sidebar').classes()).toContain('sim__sidebar--phone')

    expect(wrapper.find('.sim__log').exists()).toBe(false)
    await wrapper.get('.sim__controls .sim__link').trigger('click')
    expect(wrapper.find('.sim__log').exists()).toBe(true)

    await wrapper.get('[data-testid=guide-select]').setValue('guide2')
    await flushPromises()
    expect(fetchMock).toHaveBeenCalledWith('/api/auth/logout', { method: 'POST' })
    expect(document.cookie).toContain('gs_sim_user=guide2')
    expect(wrapper.findAll('.chat-item')).toHaveLength(2)
    expect(wrapper.get('.toolbar__entry').text()).toBe('工作台')
    wrapper.unmount()
  })
})
