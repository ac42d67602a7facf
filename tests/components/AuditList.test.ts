import { beforeEach, describe, expect, it, vi } from 'vitest'
import AuditList from '../../src/components/manage/AuditList.vue'
import { ApiFailure } from '../../src/api/http'
import type { AuditEntry, AuditPage } from '../../src/shared/replies'
import { flushPromises, mountPage } from './helpers'

const api = vi.hoisted(() => ({ fetchAudit: vi.fn() }))
vi.mock('@/api/replies', () => ({ fetchAudit: api.fetchAudit }))

function entry(id: string, summary: string): AuditEntry {
  return {
    id,
    at: '2026-11-20T08:30:00.000Z',
    actor: { userId: 'wanglei', name: '王蕾' },
    entity: 'reply',
    entityId: `r-${id}`,
    action: 'create',
    summary,
    changes: [],
  }
}

const summaries = (wrapper: Awaited<ReturnType<typeof mountPage>>['wrapper']) =>
  wrapper.findAll('[data-testid=audit-entry] strong').map((s) => s.text())

describe('AuditList', () => {
  beforeEach(() => api.fetchAudit.mockReset())

  it('appends the next page with the cursor the server gave, and says when there is no more', async () => {
    api.fetchAudit
      .mockResolvedValueOnce({ items: [entry('a1', '开场白')], nextCursor: 'c2' } satisfies AuditPage)
      .mockResolvedValueOnce({ items: [entry('a2', '回访话术')], nextCursor: null } satisfies AuditPage)
    const { wrapper } = await mountPage(AuditList)
    await flushPromises()
    expect(api.fetchAudit.mock.calls).toEqual([[undefined], ['c2']])
    expect(summaries(wrapper)).toEqual(['开场白', '回访话术'])
    expect(wrapper.text()).toContain('没有更多了')
  })

  it('says so when nothing was done yet', async () => {
    api.fetchAudit.mockResolvedValueOnce({ items: [], nextCursor: null } satisfies AuditPage)
    const { wrapper } = await mountPage(AuditList)
    expect(wrapper.text()).toContain('还没有操作记录')
  })

  it('offers a retry when a page fails to load', async () => {
    api.fetchAudit
      .mockRejectedValueOnce(new ApiFailure(0, 'network', 'offline'))
      .mockResolvedValueOnce({ items: [entry('a1', '开场白')], nextCursor: null } satisfies AuditPage)
    const { wrapper } = await mountPage(AuditList)
    expect(wrapper.text()).toContain('加载失败，点击重试')
    await wrapper.get('.van-list__error-text').trigger('click')
    await flushPromises()
    expect(summaries(wrapper)).toEqual(['开场白'])
  })
})
