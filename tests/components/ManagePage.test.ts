import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import ManagePage from '../../src/pages/manage/ManagePage.vue'
import type { ReplyLibrary } from '../../src/shared/replies'
import { useSessionStore } from '../../src/stores/session'
import { flushPromises, mountPage } from './helpers'

const replies = vi.hoisted(() => ({
  fetchManageLibrary: vi.fn(),
  fetchReplyLibrary: vi.fn(),
  createReplyGroup: vi.fn(),
  moveReply: vi.fn(),
  moveReplyGroup: vi.fn(),
  updateReplyGroup: vi.fn(),
}))
vi.mock('@/api/replies', async (original) => ({ ...(await original<typeof import('@/api/replies')>()), ...replies }))

const coupons = vi.hoisted(() => ({ fetchCouponTemplates: vi.fn() }))
const integration = vi.hoisted(() => ({ fetchIntegrationKeys: vi.fn() }))
vi.mock('@/api/integration', async (original) => ({
  ...(await original<typeof import('@/api/integration')>()),
  ...integration,
}))
vi.mock('@/api/coupon-templates', async (original) => ({
  ...(await original<typeof import('@/api/coupon-templates')>()),
  ...coupons,
}))

function library(): ReplyLibrary {
  const group = (id: string, name: string, position: number, parentId: string | null = null) => ({
    id,
    scope: 'corp' as const,
    parentId,
    name,
    position,
    retired: false,
  })
  const reply = (id: string, groupId: string, title: string, position: number) => ({
    id,
    scope: 'corp' as const,
    groupId,
    title,
    parts: [{ type: 'text' as const, text: `${title}的内容` }],
    tags: [],
    stages: [],
    position,
    retired: false,
    updatedAt: '2026-11-25T04:00:00.000Z',
  })
  return {
    groups: [group('g_welcome', '开场问候', 0), group('g_after', '售后关怀', 1), group('g_wash', '洗护', 0, 'g_after')],
    replies: [
      reply('r1', 'g_welcome', '初次见面', 0),
      reply('r2', 'g_after', '回访', 0),
      reply('r3', 'g_after', '再次回访', 1),
      reply('r4', 'g_wash', '洗护提醒', 0),
    ],
    usage: [],
    favorites: [],
    assets: [],
  }
}

beforeEach(() => {
  for (const fn of [...Object.values(replies), ...Object.values(coupons), ...Object.values(integration)]) fn.mockReset()
  integration.fetchIntegrationKeys.mockResolvedValue({ items: [] })
  replies.fetchManageLibrary.mockResolvedValue(library())
  coupons.fetchCouponTemplates.mockResolvedValue({ templates: [] })
})

/** The desk opens on the team; these tests are about the content sections, so she goes to the library first. */
async function mountDesk(role: 'manager' | 'guide' | 'admin' = 'manager') {
  const mounted = await mountPage(ManagePage)
  useSessionStore(mounted.pinia).me = { userId: 'wanglei', name: '王蕾', role }
  await flushPromises()
  const nav = mounted.wrapper.find('[data-testid=manage-nav-replies]')
  if (nav.exists()) {
    await nav.trigger('click')
    await flushPromises()
  }
  return mounted
}

const click = async (wrapper: Awaited<ReturnType<typeof mountDesk>>['wrapper'], selector: string) => {
  await wrapper.get(selector).trigger('click')
  await flushPromises()
}

describe('ManagePage', () => {
  it('shows the reply library with its counts, a parent counting its subgroups', async () => {
    const { wrapper } = await mountDesk()
    expect(replies.fetchManageLibrary).toHaveBeenCalledTimes(1)
    expect(wrapper.get('[data-testid=manage-group-g_after]').text()).toContain('3')
    expect(wrapper.get('[data-testid=manage-group-g_wash]').text()).toContain('1')
    // The first group is selected until she picks another.
    expect(wrapper.find('[data-testid=manage-reply-r1]').exists()).toBe(true)
    await click(wrapper, '[data-testid=manage-group-g_after]')
    expect(wrapper.findAll('[data-testid^=manage-reply-]').map((row) => row.text())).toEqual([
      expect.stringContaining('回访'),
      expect.stringContaining('再次回访'),
    ])
    expect(wrapper.find('.manage__group--on').text()).toContain('售后关怀')
  })

  it('keeps the library and what she picked while she visits the coupons', async () => {
    const { wrapper } = await mountDesk()
    await click(wrapper, '[data-testid=manage-group-g_after]')
    await click(wrapper, '[data-testid=manage-nav-coupons]')
    expect(wrapper.find('.manage__cols').exists()).toBe(false)
    expect(coupons.fetchCouponTemplates).toHaveBeenCalledTimes(1)
    await click(wrapper, '[data-testid=manage-nav-replies]')
    expect(wrapper.find('.manage__group--on').text()).toContain('售后关怀')
    // Read once: the desk was not read again for the trip.
    expect(replies.fetchManageLibrary).toHaveBeenCalledTimes(1)
  })

  it('moves a reply to another group through the server, then shows that group', async () => {
    const { wrapper } = await mountDesk()
    replies.moveReply.mockResolvedValueOnce({})
    await wrapper.get('[data-testid=manage-move-r1]').setValue('g_after')
    await flushPromises()
    expect(replies.moveReply).toHaveBeenCalledWith('r1', { groupId: 'g_after', position: 0 })
    expect(replies.fetchManageLibrary).toHaveBeenCalledTimes(2)
    expect(wrapper.find('.manage__group--on').text()).toContain('售后关怀')
  })

  it('creates a group under a parent and selects it', async () => {
    const { wrapper } = await mountDesk()
    replies.createReplyGroup.mockResolvedValueOnce({ id: 'g_wash' })
    await click(wrapper, '[data-testid=manage-new-group]')
    await wrapper.get('[data-testid=manage-group-name]').setValue(' 洗护 ')
    await wrapper.get('[data-testid=manage-group-parent]').setValue('g_after')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(replies.createReplyGroup).toHaveBeenCalledWith({ scope: 'corp', name: '洗护', parentId: 'g_after' })
    expect(wrapper.find('[data-testid=manage-group-name]').exists()).toBe(false)
    expect(wrapper.find('.manage__group--on').text()).toContain('洗护')
  })

  it('says why when the server refuses her the library, and hides the coupons', async () => {
    replies.fetchManageLibrary.mockRejectedValueOnce(new ApiFailure(403, 'forbidden', 'Forbidden'))
    const { wrapper } = await mountDesk()
    expect(wrapper.text()).toContain('只有店长和总部可以打开店长工作台')
    expect(wrapper.find('[data-testid=manage-nav-coupons]').exists()).toBe(false)
  })

  it('says why to a guide', async () => {
    const { wrapper } = await mountDesk('guide')
    expect(wrapper.text()).toContain('只有店长和总部可以打开店长工作台')
    expect(wrapper.find('[data-testid=manage-nav-coupons]').exists()).toBe(false)
    expect(wrapper.find('.manage__cols').exists()).toBe(false)
  })

  it('offers head office the integrations, and not a store manager', async () => {
    const manager = await mountDesk('manager')
    expect(manager.wrapper.find('[data-testid=manage-nav-stores]').exists()).toBe(true)
    expect(manager.wrapper.find('[data-testid=manage-nav-integrations]').exists()).toBe(false)

    const admin = await mountDesk('admin')
    await admin.wrapper.get('[data-testid=manage-nav-integrations]').trigger('click')
    await flushPromises()
    expect(integration.fetchIntegrationKeys).toHaveBeenCalledOnce()
    expect(admin.wrapper.get('[data-testid=integration-desk]').text()).toContain('还没有系统接入')
  })
})
