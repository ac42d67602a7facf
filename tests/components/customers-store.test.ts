import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/api/http'
import { useProfileWrite } from '../../src/composables/useProfileWrite'
import type { CustomerProfile } from '../../src/shared/customer'
import { useCustomersStore } from '../../src/stores/customers'
import { profile } from '../helpers/fixtures'
import { deferred, flushPromises } from './helpers'

const api = vi.hoisted(() => ({ fetchCustomer: vi.fn() }))
vi.mock('@/api/customers', () => ({ fetchCustomer: api.fetchCustomer }))

const ID = 'wmAAAA'

function her(follow: Partial<CustomerProfile['follow']> = {}): CustomerProfile {
  const base = profile()
  return { ...base, follow: { ...base.follow, ...follow } }
}

const withRemark = (remark: string) => (p: CustomerProfile) => ({ ...p, follow: { ...p.follow, remark } })
const withDescription = (description: string) => (p: CustomerProfile) => ({ ...p, follow: { ...p.follow, description } })

function setup() {
  setActivePinia(createPinia())
  const store = useCustomersStore()
  store.profiles.set(ID, her({ remark: '旧备注', description: '' }))
  const { write } = useProfileWrite()
  const shown = () => store.profiles.get(ID)!.follow
  return { store, write, shown }
}

describe('writes and loads for one customer', () => {
  beforeEach(() => {
    api.fetchCustomer.mockReset()
  })

  it('drops a load that started before a write, while the write is pending', async () => {
    const { store, write, shown } = setup()
    const load = deferred<CustomerProfile>()
    api.fetchCustomer.mockReturnValueOnce(load.promise)
    const loading = store.load(ID)
    const answer = deferred<CustomerProfile>()
    const writing = write(ID, { optimistic: withRemark('新备注'), request: () => answer.promise })
    expect(shown().remark).toBe('新备注')

    load.resolve(her({ remark: '旧备注' }))
    await loading
    expect(shown().remark).toBe('新备注')

    answer.resolve(her({ remark: '新备注（已确认）' }))
    expect(await writing).toBe(true)
    expect(shown().remark).toBe('新备注（已确认）')
  })

  it('drops a load that started before a write, even when it answers after the write', async () => {
    const { store, write, shown } = setup()
    const load = deferred<CustomerProfile>()
    api.fetchCustomer.mockReturnValueOnce(load.promise)
    const loading = store.load(ID)
    await write(ID, { optimistic: withRemark('新备注'), request: async () => her({ remark: '新备注' }) })
    load.resolve(her({ remark: '旧备注' }))
    expect((await loading).follow.remark).toBe('新备注')
    expect(shown().remark).toBe('新备注')
  })

  it('still applies a load that no write overlapped', async () => {
    const { store, write, shown } = setup()
    await write(ID, { optimistic: withRemark('新备注'), request: async () => her({ remark: '新备注' }) })
    api.fetchCustomer.mockResolvedValueOnce(her({ remark: '别处改的' }))
    await store.load(ID)
    expect(shown().remark).toBe('别处改的')
  })

  it('does not roll an older failed write back over a newer one; asks the server instead', async () => {
    const { write, shown } = setup()
    const first = deferred<CustomerProfile>()
    const second = deferred<CustomerProfile>()
    const writingFirst = write(ID, { optimistic: withRemark('新备注'), request: () => first.promise })
    const writingSecond = write(ID, { optimistic: withDescription('喜欢燕麦色'), request: () => second.promise })
    expect(shown()).toMatchObject({ remark: '新备注', description: '喜欢燕麦色' })

    first.reject(new ApiFailure(502, 'wecom_error', 'WeCom refused the remark'))
    expect(await writingFirst).toBe(false)
    // The newer change is still on screen.
    expect(shown().description).toBe('喜欢燕麦色')
    // Not yet: the newer write's answer is still to come.
    expect(api.fetchCustomer).not.toHaveBeenCalled()

    const server = her({ remark: '旧备注', description: '喜欢燕麦色' })
    api.fetchCustomer.mockResolvedValueOnce(server)
    second.resolve(server)
    expect(await writingSecond).toBe(true)
    await flushPromises()
    expect(api.fetchCustomer).toHaveBeenCalledTimes(1)
    expect(shown()).toMatchObject({ remark: '旧备注', description: '喜欢燕麦色' })
  })

  it('asks the server when the latest write fails on top of one still unanswered', async () => {
    const { write, shown } = setup()
    const first = deferred<CustomerProfile>()
    const writingFirst = write(ID, { optimistic: withRemark('新备注'), request: () => first.promise })
    const writingSecond = write(ID, {
      optimistic: withDescription('喜欢燕麦色'),
      request: () => Promise.reject(new ApiFailure(403, 'forbidden', 'no')),
    })
    expect(await writingSecond).toBe(false)
    // Back to what it was before this write: the first one's change stays.
    expect(shown()).toMatchObject({ remark: '新备注', description: '' })

    api.fetchCustomer.mockResolvedValueOnce(her({ remark: '新备注（服务器）', description: '' }))
    first.resolve(her({ remark: '新备注', description: '' }))
    expect(await writingFirst).toBe(true)
    await flushPromises()
    expect(api.fetchCustomer).toHaveBeenCalledTimes(1)
    expect(shown().remark).toBe('新备注（服务器）')
  })

  it('rolls the only write back when it fails, without asking the server', async () => {
    const { write, shown } = setup()
    const ok = await write(ID, {
      optimistic: withRemark('新备注'),
      request: () => Promise.reject(new ApiFailure(403, 'forbidden', 'This customer is not one of your contacts')),
    })
    expect(ok).toBe(false)
    expect(shown().remark).toBe('旧备注')
    await flushPromises()
    expect(api.fetchCustomer).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('没有保存：This customer is not one of your contacts')
  })
})

describe('a profile asked for before the store existed (src/boot/early.ts)', () => {
  beforeEach(() => {
    api.fetchCustomer.mockReset()
    setActivePinia(createPinia())
  })

  it('is taken over as the store’s own load: shared while on its way, not asked again just after', async () => {
    const store = useCustomersStore()
    const early = deferred<CustomerProfile>()
    const adopted = store.adopt(ID, early.promise)
    // The screen asks while it is still on its way: the same request answers both.
    const screen = store.load(ID, { freshForMs: 3_000 })
    early.resolve(her({ remark: '早到的备注' }))
    expect((await adopted).follow.remark).toBe('早到的备注')
    expect((await screen).follow.remark).toBe('早到的备注')
    expect(store.profiles.get(ID)!.follow.remark).toBe('早到的备注')
    expect(await store.load(ID, { freshForMs: 3_000 })).toBe(store.profiles.get(ID))
    expect(api.fetchCustomer).not.toHaveBeenCalled()
  })

  it('fails like the store’s own load (a customer no longer hers is dropped), and the next load asks afresh', async () => {
    const store = useCustomersStore()
    store.profiles.set(ID, her())
    await expect(store.adopt(ID, Promise.reject(new ApiFailure(403, 'forbidden', 'handed over')))).rejects.toThrow('handed over')
    expect(store.profiles.has(ID)).toBe(false)
    api.fetchCustomer.mockResolvedValueOnce(her({ remark: '再次加载' }))
    expect((await store.load(ID)).follow.remark).toBe('再次加载')
  })

  it('is not taken over while a load of the store’s own is on its way', async () => {
    const store = useCustomersStore()
    const own = deferred<CustomerProfile>()
    api.fetchCustomer.mockReturnValueOnce(own.promise)
    const loading = store.load(ID)
    const adopted = store.adopt(ID, Promise.resolve(her({ remark: '来晚的' })))
    own.resolve(her({ remark: '自己的' }))
    expect((await adopted).follow.remark).toBe('自己的')
    expect((await loading).follow.remark).toBe('自己的')
  })
})
