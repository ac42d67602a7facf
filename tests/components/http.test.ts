import { afterEach, describe, expect, it, vi } from 'vitest'
import { apiUrl, http, isApiFailure, type ApiFailure } from '../../src/api/http'

interface Seen {
  url: string
  init: RequestInit
}

function serve(answer: (seen: Seen) => Response | Promise<Response>): Seen[] {
  const seen: Seen[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const each = { url, init }
      seen.push(each)
      return answer(each)
    }),
  )
  return seen
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } })

async function failure(promise: Promise<unknown>): Promise<ApiFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!isApiFailure(error)) throw new Error(`expected an ApiFailure, got ${String(error)}`)
  return error
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('the HTTP client', () => {
  it('asks under /api with the query it was given, leaving out empty values', async () => {
    const seen = serve(() => json(200, { items: [] }))
    const response = await http.get<{ items: unknown[] }>('/customers', {
      params: { q: '张 三', limit: 30, hasCoupon: true, cursor: undefined, tag: null },
    })
    expect(response).toEqual({ data: { items: [] }, status: 200 })
    expect(seen[0]!.url).toBe('/api/customers?q=%E5%BC%A0+%E4%B8%89&limit=30&hasCoupon=true')
    expect(seen[0]!.init).toMatchObject({ method: 'GET', credentials: 'include', body: undefined })
    expect(apiUrl('/team/stats.csv', { period: 'month' })).toBe('/api/team/stats.csv?period=month')
    expect(apiUrl('/me')).toBe('/api/me')
  })

  it('sends JSON as JSON, a form as it is, and nothing when there is no body', async () => {
    const seen = serve(() => new Response(null, { status: 204 }))
    expect((await http.post('/notes', { text: '喜欢 M 码' })).data).toBeUndefined()
    const form = new FormData()
    form.append('file', new Blob(['x']), 'a.png')
    await http.post('/media', form)
    await http.delete('/sessions/lina')
    expect(seen[0]!.init.headers).toMatchObject({ 'content-type': 'application/json' })
    expect(seen[0]!.init.body).toBe('{"text":"喜欢 M 码"}')
    expect(seen[1]!.init.body).toBe(form)
    // The browser writes the multipart boundary itself.
    expect(seen[1]!.init.headers).not.toHaveProperty('content-type')
    expect(seen[2]!.init).toMatchObject({ method: 'DELETE', body: undefined })
    expect(seen[2]!.init.headers).not.toHaveProperty('content-type')
  })

  it('turns the server’s error body into a failure with its code, words and detail', async () => {
    serve(() => json(422, { error: { code: 'private_text', message: 'Private text', detail: '手机号' } }))
    expect(await failure(http.post('/replies', {}))).toMatchObject({
      status: 422,
      code: 'private_text',
      message: 'Private text',
      detail: '手机号',
    })
    serve(() => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }))
    expect(await failure(http.get('/me'))).toMatchObject({ status: 502, code: 'internal', detail: null })
    serve(() => json(401, { error: { code: 'unauthorized', message: 'Sign in' } }))
    expect((await failure(http.get('/me'))).isUnauthorized).toBe(true)
  })

  it('says network when the request never reached the server', async () => {
    serve(() => Promise.reject(new TypeError('Failed to fetch')))
    expect(await failure(http.get('/me'))).toMatchObject({ status: 0, code: 'network', message: 'Failed to fetch' })
  })

  it('gives up after its timeout, and tells a timeout from a cancellation', async () => {
    vi.useFakeTimers()
    const hang = (seen: Seen) =>
      new Promise<Response>((_, reject) => {
        // As fetch does: an aborted signal ends it, whether before or while it waits.
        const signal = seen.init.signal!
        const end = () => reject(new DOMException('aborted', 'AbortError'))
        if (signal.aborted) end()
        else signal.addEventListener('abort', end)
      })
    serve(hang)
    const slow = failure(http.get('/me', { timeout: 1_000 }))
    await vi.advanceTimersByTimeAsync(999)
    serve(hang)
    const controller = new AbortController()
    const cancelled = failure(http.get('/customers', { signal: controller.signal }))
    await vi.advanceTimersByTimeAsync(1)
    expect(await slow).toMatchObject({ status: 0, code: 'network', message: 'timeout of 1000ms exceeded' })
    controller.abort()
    expect(await cancelled).toMatchObject({ status: 0, code: 'aborted' })
    // Already cancelled before it started: nothing is waited for.
    expect(await failure(http.get('/me', { signal: AbortSignal.abort() }))).toMatchObject({ code: 'aborted' })
  })
})
