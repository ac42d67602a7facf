import axios, { AxiosError } from 'axios'
import { t } from '@/i18n'
import { PREVIEW_READ_ONLY } from '@/shared/auth'
import { isErrorBody, type ErrorCode } from '@/shared/errors'

export const http = axios.create({
  baseURL: '/api',
  timeout: 15_000,
  withCredentials: true,
  headers: { accept: 'application/json' },
})

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

export function toApiFailure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error
  if (axios.isCancel(error)) return new ApiFailure(0, 'aborted', 'Request cancelled')
  if (error instanceof AxiosError) {
    const status = error.response?.status ?? 0
    const body: unknown = error.response?.data
    if (isErrorBody(body)) {
      const detail = typeof body.error.detail === 'string' ? body.error.detail : null
      // Every write in a manager's preview is refused: say so in her words, wherever it shows.
      const message = body.error.code === PREVIEW_READ_ONLY ? t('preview.readOnly') : body.error.message
      return new ApiFailure(status, body.error.code, message, detail)
    }
    if (status === 0) return new ApiFailure(0, 'network', error.message)
    return new ApiFailure(status, status >= 500 ? 'internal' : 'bad_request', error.message)
  }
  return new ApiFailure(0, 'network', error instanceof Error ? error.message : String(error))
}

http.interceptors.response.use(undefined, (error: unknown) => Promise.reject(toApiFailure(error)))

export function isApiFailure(error: unknown): error is ApiFailure {
  return error instanceof ApiFailure
}
