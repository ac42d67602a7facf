import { WecomUnavailableError } from './errors'

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/**
 * One exchange with WeCom, answer body included, within `timeoutMs`: a WeCom (or proxy)
 * that sends headers and then stalls must not hold a request forever. Anything but a
 * JSON answer in time is `WecomUnavailableError`.
 */
export async function fetchJson<T>(
  fetchImpl: FetchLike,
  api: string,
  url: URL,
  init: { method: string; headers?: Record<string, string>; body?: RequestInit['body']; timeoutMs: number },
): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new WecomUnavailableError(api, `no answer within ${init.timeoutMs} ms`))
    }, init.timeoutMs)
  })
  const exchange = async (): Promise<T> => {
    let response: Response
    try {
      response = await fetchImpl(url.href, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: controller.signal,
      })
    } catch (error) {
      throw new WecomUnavailableError(api, error instanceof Error ? error.message : String(error))
    }
    if (!response.ok) {
      void response.body?.cancel().catch(() => {})
      throw new WecomUnavailableError(api, `HTTP ${response.status}`)
    }
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      throw new WecomUnavailableError(api, error instanceof Error ? error.message : String(error))
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw new WecomUnavailableError(api, 'response is not JSON')
    }
  }
  try {
    // The race holds the exchange's late rejection (after a timeout), so it is never unhandled.
    return await Promise.race([exchange(), timedOut])
  } finally {
    clearTimeout(timer)
  }
}
