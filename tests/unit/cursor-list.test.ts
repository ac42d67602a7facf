import { describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useCursorList, type CursorPage } from '../../src/composables/useCursorList'

interface Page extends CursorPage<string> {
  items: string[]
  total: number
}

const page = (items: string[], nextCursor: string | null = null, total = items.length): Page => ({ items, nextCursor, total })

/** A promise the test settles by hand, to hold a page in flight. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('useCursorList', () => {
  it('appends pages with the cursor the last one gave, and is finished after the last', async () => {
    const fetch = vi.fn<(cursor: string | null, signal: AbortSignal) => Promise<Page>>()
    fetch.mockResolvedValueOnce(page(['a', 'b'], 'c2')).mockResolvedValueOnce(page(['c'], null))
    const list = useCursorList({ fetch })
    expect(list.status.value).toBe('idle')
    expect(list.finished.value).toBe(false)

    const first = list.loadMore()
    expect(list.status.value).toBe('loading')
    expect(list.loading.value).toBe(true)
    await first
    expect(list.items.value).toEqual(['a', 'b'])
    expect(list.status.value).toBe('idle')
    expect(list.finished.value).toBe(false)

    await list.loadMore()
    expect(fetch.mock.calls.map(([cursor]) => cursor)).toEqual([null, 'c2'])
    expect(list.items.value).toEqual(['a', 'b', 'c'])
    expect(list.status.value).toBe('done')
    expect(list.finished.value).toBe(true)
    expect(list.loading.value).toBe(false)
  })

  it('hands every current page to onPage', async () => {
    const seen: number[] = []
    const list = useCursorList({
      fetch: async () => page(['a'], null, 7),
      onPage: (p) => seen.push(p.total),
    })
    await list.loadMore()
    expect(seen).toEqual([7])
  })

  it('fails, keeps what it had, and retries the same cursor', async () => {
    const boom = new Error('offline')
    const fetch = vi.fn<(cursor: string | null) => Promise<Page>>()
    fetch
      .mockResolvedValueOnce(page(['a'], 'c2'))
      .mockRejectedValueOnce(boom)
      .mockResolvedValueOnce(page(['b'], null))
    const list = useCursorList({ fetch })
    await list.loadMore()
    await list.loadMore()
    expect(list.status.value).toBe('error')
    expect(list.error.value).toBe(true)
    expect(list.failure.value).toBe(boom)
    expect(list.items.value).toEqual(['a'])

    // Vant List clears `error` when she taps to retry, then asks for more.
    list.error.value = false
    expect(list.status.value).toBe('idle')
    await list.loadMore()
    expect(fetch.mock.calls.map(([cursor]) => cursor)).toEqual([null, 'c2', 'c2'])
    expect(list.items.value).toEqual(['a', 'b'])
    expect(list.failure.value).toBeNull()
    expect(list.status.value).toBe('done')
  })

  it('follows Vant List writing `loading` before it asks for more', () => {
    const list = useCursorList({ fetch: () => new Promise<Page>(() => {}) })
    list.loading.value = true
    expect(list.status.value).toBe('loading')
    list.loading.value = false
    expect(list.status.value).toBe('idle')
  })

  it('drops an answer that arrives after starting over, and aborts its request', async () => {
    const slow = deferred<Page>()
    const fetch = vi.fn<(cursor: string | null, signal: AbortSignal) => Promise<Page>>()
    fetch.mockReturnValueOnce(slow.promise).mockResolvedValueOnce(page(['new'], null))
    const list = useCursorList({ fetch })
    void list.loadMore()
    const oldSignal = fetch.mock.calls[0]![1]

    list.reload()
    expect(oldSignal.aborted).toBe(true)
    await settle()
    expect(list.items.value).toEqual(['new'])

    slow.resolve(page(['old'], 'c9'))
    await settle()
    expect(list.items.value).toEqual(['new'])
    expect(list.status.value).toBe('done')
  })

  it('after reset, drops a late answer and a late failure', async () => {
    const answer = deferred<Page>()
    const failure = deferred<Page>()
    const fetch = vi.fn<() => Promise<Page>>().mockReturnValueOnce(answer.promise).mockReturnValueOnce(failure.promise)
    const list = useCursorList({ fetch })
    void list.loadMore()
    list.reset()
    answer.resolve(page(['late'], 'c2'))
    await settle()
    expect(list.items.value).toEqual([])
    expect(list.status.value).toBe('idle')

    void list.loadMore()
    list.reset()
    failure.reject(new Error('late'))
    await settle()
    expect(list.status.value).toBe('idle')
    expect(list.failure.value).toBeNull()
  })

  it('reset forgets the pages and starts again from the first cursor', async () => {
    const fetch = vi.fn<(cursor: string | null) => Promise<Page>>()
    fetch.mockResolvedValueOnce(page(['a'], null)).mockResolvedValueOnce(page(['z'], null))
    const list = useCursorList({ fetch })
    await list.loadMore()
    expect(list.finished.value).toBe(true)

    list.reset()
    expect(list.items.value).toEqual([])
    expect(list.status.value).toBe('idle')
    expect(list.finished.value).toBe(false)
    expect(fetch).toHaveBeenCalledTimes(1)

    await list.loadMore()
    expect(fetch.mock.calls.map(([cursor]) => cursor)).toEqual([null, null])
    expect(list.items.value).toEqual(['z'])
  })

  it('starts over when its key changes, dropping the previous key’s page', async () => {
    const customer = ref('wmA')
    const slow = deferred<Page>()
    const fetch = vi.fn<(cursor: string | null) => Promise<Page>>()
    fetch.mockReturnValueOnce(slow.promise).mockImplementationOnce(async () => page([`${customer.value}-1`], null))
    const list = useCursorList({ fetch, resetOn: customer })
    void list.loadMore()

    customer.value = 'wmB'
    await nextTick()
    await settle()
    slow.resolve(page(['wmA-1'], 'c2'))
    await settle()
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(list.items.value).toEqual(['wmB-1'])
  })

  it('asks for nothing while not enabled', async () => {
    const enabled = ref(false)
    const fetch = vi.fn(async () => page(['a']))
    const list = useCursorList({ fetch, enabled })
    await list.loadMore()
    expect(fetch).not.toHaveBeenCalled()
    enabled.value = true
    await list.loadMore()
    expect(list.items.value).toEqual(['a'])
  })

  it('drops what is in flight when its scope ends (the list left the screen)', async () => {
    const slow = deferred<Page>()
    const fetch = vi.fn<(cursor: string | null, signal: AbortSignal) => Promise<Page>>().mockReturnValueOnce(slow.promise)
    const scope = effectScope()
    const list = scope.run(() => useCursorList({ fetch }))!
    void list.loadMore()
    scope.stop()
    expect(fetch.mock.calls[0]![1].aborted).toBe(true)
    slow.resolve(page(['late']))
    await settle()
    expect(list.items.value).toEqual([])
  })
})
