/**
 * The one HTTP client: JSON over the browser's fetch, same-origin under /api.
 *
 * Why not axios (which this app used until 2026-12): it is 20 KB of gzip in the sidebar's
 * initial JS (measured by tests/bench/bundle-size.ts, a quarter of the 84 KB budget), and
 * what we use of it — JSON bodies, query params, a timeout, cancellation, typed failures —
 * is fetch plus the few lines below. Upload progress, the one thing fetch cannot give, we
 * do not show.
 */
import { PREVIEW_READ_ONLY } from '@/shared/auth'
import { isErrorBody, type ErrorCode } from '@/shared/errors'

const BASE = '/api'
const DEFAULT_TIMEOUT_MS = 15_000

/** A failed API call: `status` 0 means the network or a timeout, never the server. */
export class ApiFailure extends Error {
  override name = 'ApiFailure'
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'aborted',
    message: string,
    /** The server's words for the guide, when it sent some (e.g. what `private_text` found). */
    readonly detail: string | null = null,
  ) {
    super(message)
  }

  get isUnauthorized(): boolean {
    return this.status === 401
  }
}

/**
 * How a write refused in a manager's preview is worded, in her language: src/i18n says so
 * once it has loaded. Not imported from there, because this client runs before the app's
 * code (src/main.ts asks for her profile with it) and src/i18n brings Vue and Vant.
 */
let previewRefusalWords: (() => string) | null = null

export function wordPreviewRefusal(words: () => string): void {
  previewRefusalWords = words
}

/** What the server's answer says went wrong, in the shape every caller reads. */
export function failureFromResponse(status: number, body: unknown): ApiFailure {
  if (isErrorBody(body)) {
    const detail = typeof body.error.detail === 'string' ? body.error.detail : null
    // Every write in a manager's preview is refused: say so in her words, wherever it shows.
    const preview = body.error.code === PREVIEW_READ_ONLY && previewRefusalWords
    const message = preview ? preview() : body.error.message
    return new ApiFailure(status, body.error.code, message, detail)
  }
  return new ApiFailure(status, status >= 500 ? 'internal' : 'bad_request', `Request failed with status code ${status}`)
}

export function toApiFailure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error
  return new ApiFailure(0, 'network', error instanceof Error ? error.message : String(error))
}

export function isApiFailure(error: unknown): error is ApiFailure {
  return error instanceof ApiFailure
}

export type QueryValue = string | number | boolean | null | undefined
export interface RequestOptions {
  /** Query parameters; null and undefined are left out. */
  params?: object
  signal?: AbortSignal
  timeout?: number
}
export interface Response<T> {
  data: T
  status: number
}

export function queryString(params: object | undefined): string {
  if (!params) return ''
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params) as [string, QueryValue | QueryValue[]][]) {
    for (const each of Array.isArray(value) ? value : [value]) {
      if (each !== undefined && each !== null) query.append(key, String(each))
    }
  }
  const text = query.toString()
  return text ? `?${text}` : ''
}

/** An API address for the browser itself to open (a download link). */
export function apiUrl(url: string, params?: object): string {
  return `${BASE}${url}${queryString(params)}`
}

async function readBody(response: globalThis.Response): Promise<unknown> {
  if (response.status === 204) return undefined
  const text = await response.text()
  if (!text) return undefined
  if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '')) return text
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

async function request<T>(method: string, url: string, body: unknown, options: RequestOptions = {}): Promise<Response<T>> {
  // One controller for both ways a request ends early, so the reason can be told apart.
  const controller = new AbortController()
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  const outer = options.signal
  const abort = () => controller.abort()
  if (outer?.aborted) controller.abort()
  else outer?.addEventListener('abort', abort, { once: true })

  const headers: Record<string, string> = { accept: 'application/json' }
  let payload: BodyInit | undefined
  if (body instanceof FormData || body instanceof Blob) payload = body
  else if (body !== undefined) {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  try {
    const response = await fetch(apiUrl(url, options.params), {
      method,
      headers,
      body: payload,
      credentials: 'include',
      signal: controller.signal,
    })
    const data = await readBody(response)
    if (!response.ok) throw failureFromResponse(response.status, data)
    return { data: data as T, status: response.status }
  } catch (error) {
    if (error instanceof ApiFailure) throw error
    if (timedOut) throw new ApiFailure(0, 'network', `timeout of ${timeoutMs}ms exceeded`)
    if (controller.signal.aborted) throw new ApiFailure(0, 'aborted', 'Request cancelled')
    throw toApiFailure(error)
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', abort)
  }
}

export const http = {
  get: <T>(url: string, options?: RequestOptions) => request<T>('GET', url, undefined, options),
  delete: <T>(url: string, options?: RequestOptions) => request<T>('DELETE', url, undefined, options),
  post: <T>(url: string, body?: unknown, options?: RequestOptions) => request<T>('POST', url, body, options),
  put: <T>(url: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', url, body, options),
  patch: <T>(url: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', url, body, options),
}
