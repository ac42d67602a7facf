import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import GroupPage from '../../src/pages/sidebar/GroupPage.vue'
import type { GroupChat } from '../../src/shared/group'
import { flushPromises, mountPage } from './helpers'
// The page warms its tabs' panels as soon as it is idle. Loaded here first, so that no
// import of theirs is still running when the file's environment is torn down (a CI run
// failed on a Vant style the warm-up was still loading).
import '../../src/components/replies/ReplyPanel.vue'
import '../../src/components/bundles/BundlePanel.vue'

const api = vi.hoisted(() => ({ fetchGroup: vi.fn() }))
const wecom = vi.hoisted(() => ({ getCurrentChatId: vi.fn() }))
vi.mock('@/api/groups', () => ({ fetchGroup: api.fetchGroup }))
vi.mock('@/wecom', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/wecom')>()),
  getCurrentChatId: wecom.getCurrentChatId,
}))

const group: GroupChat = {
  chatId: 'wrVIP',
  name: '静安 VIP 会员群',
  ownerUserId: 'wanglei',
  notice: '',
  memberCount: 4,
  staffCount: 2,
  customers: [
    { externalUserId: 'wmMine', name: '张婷', avatar: null, joinedAt: '2026-03-02T04:00:00.000Z', followedByMe: true },
    { externalUserId: 'wmOther', name: 'Coco', avatar: null, joinedAt: null, followedByMe: false },
  ],
}

describe('GroupPage', () => {
  beforeEach(() => {
    api.fetchGroup.mockReset()
    wecom.getCurrentChatId.mockReset()
  })

  it('shows the open group and says what its tabs do', async () => {
    wecom.getCurrentChatId.mockResolvedValue('wrVIP')
    api.fetchGroup.mockResolvedValue(group)
    const { wrapper, router } = await mountPage(GroupPage)
    expect(wrapper.get('[data-testid=group-header]').text()).toContain('静安 VIP 会员群')
    expect(wrapper.text()).toContain('4 位成员')
    // Replies and outfits do go into the group: no 「将在后续版本提供」.
    const hint = wrapper.get('[data-testid=group-hint]').text()
    expect(hint).toContain('直接发到这个群里')
    expect(wrapper.text()).not.toContain('后续版本')
    const other = wrapper.get('[data-testid=group-customer-wmOther]')
    expect(other.attributes('disabled')).toBeDefined()
    expect(other.text()).toContain('非你的客户')
    await wrapper.get('[data-testid=group-customer-wmMine]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/customers/wmMine')
  })

  it('explains a group she is not in', async () => {
    wecom.getCurrentChatId.mockResolvedValue('wrVIP')
    api.fetchGroup.mockRejectedValue(new ApiFailure(403, 'forbidden', 'no'))
    const { wrapper } = await mountPage(GroupPage)
    expect(wrapper.text()).toContain('你不在这个群里')
  })

  it('explains how to open it when WeCom has no group in context', async () => {
    const { WecomCallError } = await import('../../src/wecom')
    wecom.getCurrentChatId.mockRejectedValue(
      new WecomCallError('getCurExternalChat', 'fail', 'getCurExternalChat:fail without context of external chat', -1),
    )
    const { wrapper } = await mountPage(GroupPage)
    expect(wrapper.text()).toContain('请在客户群中打开')
    expect(api.fetchGroup).not.toHaveBeenCalled()
  })
})
